package io.headroom.decide;

import io.headroom.config.DecideConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The bounds on a change, each recorded as a {@link Clamp} when it bites. Named as in oVirt MoM and the
 * Kubernetes VPA updater: a change is capped by limits, skipped when too small, and rate-limited.
 */
final class Guardrails {

    /** The window of {@code decide.max_changes_per_minute}. */
    static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    private final DecideConfig cfg;

    Guardrails(DecideConfig cfg) {
        this.cfg = cfg;
    }

    /**
     * Bounds a raise of {@code r} from {@code current} to {@code wanted} by the domain's maximum, the workload's
     * cap and the host's capacity. Never returns less than {@code current}: a ceiling below the current amount
     * stops the raise, it does not shrink the guest.
     */
    long ceilings(Resource r, long current, long wanted, PolicyInput in, List<Clamp> clamps) {
        long got = clamp(r, wanted, Math.max(current, in.domainMax().get(r)), Clamp.Reason.DOMAIN_MAX, clamps);
        if (r == Resource.CPU_QUOTA) {
            // A quota only limits CPU the guest's vCPUs already hold: no host capacity is handed out by raising it.
            return got;
        }
        OptionalLong cap = capOf(r, cfg.capFor(in.workload()));
        if (cap.isPresent()) {
            // A cap such as 1.5GB is no whole number of KiB, which libvirt cannot set; targets are whole MiB anyway.
            long limit = r == Resource.MEMORY ? Targets.floorMib(cap.getAsLong()) : cap.getAsLong();
            got = clamp(r, got, Math.max(current, limit), Clamp.Reason.WORKLOAD_CAP, clamps);
        }
        HostCapacity host = in.host();
        if (r == Resource.MEMORY) {
            long room = Math.max(0, host.freeMemoryBytes() - cfg.hostMemoryReserve());
            long limit = Math.max(current, Targets.floorMib(current + room));
            got = clamp(r, got, limit, Clamp.Reason.HOST_MEMORY_RESERVE, clamps);
        } else {
            long allowed = BigDecimal.valueOf(cfg.maxVcpuOvercommit()).multiply(BigDecimal.valueOf(host.physicalCpus()))
                    .setScale(0, RoundingMode.FLOOR).longValueExact();
            long limit = Math.max(current, current + allowed - host.vcpusAllocated());
            got = clamp(r, got, limit, Clamp.Reason.HOST_VCPU_OVERCOMMIT, clamps);
        }
        return got;
    }

    /** Skips a change smaller than {@code decide.min_change}, unless it lands exactly on the baseline. */
    long minChange(Resource r, long current, long got, long baseline, List<Clamp> clamps) {
        // Returning home is always worth it; otherwise rounding could strand a guest just above its baseline.
        if (got == current || got == baseline) {
            return got;
        }
        long min = switch (r) {
            case CPU -> cfg.minChangeVcpus();
            case MEMORY -> cfg.minChangeMemory();
            case CPU_QUOTA -> BigDecimal.valueOf(cfg.minChangeCpuQuota()).multiply(BigDecimal.valueOf(baseline))
                    .setScale(0, RoundingMode.CEILING).longValueExact();
        };
        if (Math.abs(got - current) < min) {
            clamps.add(new Clamp(r, got, current, Clamp.Reason.MIN_CHANGE));
            return current;
        }
        return got;
    }

    /** When the cooldown of a workload last changed at {@code lastChange} ends, if it has not yet. */
    Optional<Instant> coolingDownUntil(WorkloadState state, Instant now) {
        return state.lastChangeAt().map(t -> t.plus(cfg.cooldown())).filter(now::isBefore);
    }

    /** True if the host already made {@code decide.max_changes_per_minute} changes in the minute up to now. */
    boolean rateLimited(List<Instant> recentChanges, Instant now) {
        Instant from = now.minus(RATE_WINDOW);
        long inWindow = recentChanges.stream().filter(t -> t.isAfter(from) && !t.isAfter(now)).count();
        return inWindow >= cfg.maxChangesPerMinute();
    }

    private static OptionalLong capOf(Resource r, Optional<DecideConfig.Cap> cap) {
        if (cap.isEmpty() || r == Resource.CPU_QUOTA) {
            return OptionalLong.empty();
        }
        if (r == Resource.CPU) {
            return cap.get().maxVcpus().isPresent() ? OptionalLong.of(cap.get().maxVcpus().getAsInt()) : OptionalLong.empty();
        }
        return cap.get().maxMemory();
    }

    private static long clamp(Resource r, long got, long limit, Clamp.Reason reason, List<Clamp> clamps) {
        if (got > limit) {
            clamps.add(new Clamp(r, got, limit, reason));
            return limit;
        }
        return got;
    }
}
