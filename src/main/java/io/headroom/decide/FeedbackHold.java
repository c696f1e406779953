package io.headroom.decide;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What feedback holds back for one workload this cycle: every raise (resources did not help its kind of anomaly),
 * or, while a resource's use stays inside what this kind of anomaly used in its earlier episodes, any raise beyond
 * the tier step that holds that use (right-sizing: none at all when those episodes needed nothing, as for a deploy).
 * Decay, the tier and so alerts are never held.
 *
 * @param reason          why, in words, for the decision's reason
 * @param cpuCoresUpTo    the most CPU (cores) this kind used; empty: CPU is not held
 * @param memoryBytesUpTo the most memory (bytes) it used; empty: memory is not held
 * @param always          hold every raise whatever the use
 */
public record FeedbackHold(String reason, OptionalDouble cpuCoresUpTo, OptionalDouble memoryBytesUpTo,
                           boolean always) {

    /** No raise at all. */
    public static FeedbackHold always(String reason) {
        return new FeedbackHold(reason, OptionalDouble.empty(), OptionalDouble.empty(), true);
    }

    /** Raises right-sized to these bounds while use stays within them (NaN: that resource is not held). */
    public static FeedbackHold within(String reason, double cpuCores, double memoryBytes) {
        return new FeedbackHold(reason, Double.isFinite(cpuCores) ? OptionalDouble.of(cpuCores) : OptionalDouble.empty(),
                Double.isFinite(memoryBytes) ? OptionalDouble.of(memoryBytes) : OptionalDouble.empty(), false);
    }

    /**
     * True if a raise of {@code r} is held given its use. A bound holds only while use is measured, stays at or
     * under the bound, is not near the allocation (cores cannot pass the vCPUs: saturated use says nothing about the
     * demand behind it) and is not heading for the allocation within the horizon (a leak that starts like a burst).
     */
    boolean holds(Resource r, Optional<UseReading> use) {
        if (always) {
            return true;
        }
        double bound = bound(r);
        if (Double.isNaN(bound) || use.isEmpty()) {
            return false;
        }
        UseReading u = use.get();
        return !u.pressure() && u.recentPeak() <= bound;
    }

    /** The bound on {@code r}'s use, in cores or bytes; NaN when {@code r} is not bounded. */
    double bound(Resource r) {
        return (r == Resource.MEMORY ? memoryBytesUpTo : cpuCoresUpTo).orElse(Double.NaN);
    }

    /** The bound on {@code r}'s use, for the decision's reason. */
    String describe(Resource r) {
        if (always) {
            return reason;
        }
        return String.format(Locale.ROOT, "%s (%s use within %s)", reason, r.label(), UseReading.fmt(r, bound(r)));
    }
}
