package io.headroom.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * How scores become resource decisions: tiers and their multipliers, and every guardrail that bounds a change.
 * Multipliers apply to a guest's baseline (its allocation before Headroom touched it), never to its current value.
 *
 * @param tiers               score boundaries and multipliers of the medium, high and critical tiers
 * @param pressureShare       a resource is raised only when features that put pressure on it, deviating on their
 *                            pressure side, carry at least this share of the score's attribution
 * @param escalateAfterCycles cycles a higher tier must hold before the guest is escalated to it
 * @param stepDownMargin      score points below a tier's floor the score must fall before the tier steps down
 * @param cooldown            least time between two changes of one workload
 * @param minChangeVcpus      smaller vCPU changes are skipped
 * @param minChangeMemory     smaller memory changes (bytes) are skipped, except a return to the baseline
 * @param minChangeCpuQuota   quota changes smaller than this share of the baseline quota are skipped, except a return
 *                            to the baseline
 * @param maxChangesPerMinute changes allowed on the whole host in any 60 seconds
 * @param decayAfter          how long a resource must have been above what its tier needs before it decays
 * @param decayStep           share of the baseline removed per decay step (at least 1 vCPU or 1 MiB)
 * @param hostMemoryReserve   bytes of host memory never handed out to guests
 * @param maxVcpuOvercommit   the host's running vCPUs may not exceed its physical CPUs times this
 * @param caps                per-workload upper bounds; the first whose pattern matches the whole name applies
 * @param optOut              workloads whose whole name matches are never changed
 * @param sizing              how measured use sizes a raise, escalates it and lets it decay
 */
public record DecideConfig(
        Tiers tiers,
        double pressureShare,
        int escalateAfterCycles,
        int stepDownMargin,
        Duration cooldown,
        int minChangeVcpus,
        long minChangeMemory,
        double minChangeCpuQuota,
        int maxChangesPerMinute,
        Duration decayAfter,
        double decayStep,
        long hostMemoryReserve,
        double maxVcpuOvercommit,
        List<Cap> caps,
        Optional<Pattern> optOut,
        Sizing sizing) {

    public DecideConfig {
        caps = List.copyOf(caps);
    }

    /** The cap for {@code workload}, if one matches. */
    public Optional<Cap> capFor(String workload) {
        return caps.stream().filter(c -> c.match().matcher(workload).matches()).findFirst();
    }

    /** True if Headroom must never change {@code workload}. */
    public boolean optedOut(String workload) {
        return optOut.map(p -> p.matcher(workload).matches()).orElse(false);
    }

    /**
     * One tier: scores from {@code minScore} up to the next tier's floor.
     *
     * @param minScore lowest score (inclusive) in the tier
     * @param cpu      multiplier of the baseline vCPUs (rounded up to whole vCPUs)
     * @param memory   multiplier of the baseline memory (rounded up to whole MiB)
     */
    public record TierSpec(int minScore, double cpu, double memory) {}

    /**
     * The closed loop on measured use, for workloads whose features measure it ({@code usage} in the feature spec).
     * The tier says that a guest needs help; its use says how much, whether the last step was enough, and when to
     * give it back.
     *
     * @param horizon             how far ahead need is estimated; a resource whose trend reaches its allocation
     *                            within it is under pressure
     * @param window              trailing use the trend and its spread are measured over
     * @param margin              share added on top of the estimated need
     * @param near                use at or above this share of the allocation is near it: pressure, and for a
     *                            censored metric (cores used cannot pass the vCPUs) saturation
     * @param saturationAfter     how long use must stay near the allocation to count as saturated
     * @param escalateAfterCycles cycles a raised resource may stay under pressure before it steps to the next tier
     * @param decayMargin         a resource decays only after its use stayed below the next lower size times
     *                            {@code 1 - decayMargin} for {@code decide.decay.after}
     * @param strainWindow        the longest trailing window over which a resource's rows near its allocation are
     *                            counted for strain (the shortest is half of it)
     * @param strainShare         a resource near its allocation in at least this share of the rows of a trailing
     *                            window, a count its usual rate of being near (the lookback's earlier rows, a third at
     *                            most) reaches by chance less than once in a million, is strained: raised at the
     *                            medium tier at least, whatever the score says
     */
    public record Sizing(Duration horizon, Duration window, double margin, double near, Duration saturationAfter,
                         int escalateAfterCycles, double decayMargin, Duration strainWindow, double strainShare) {}

    /** The three tiers above "none"; scores below {@code medium.minScore} change nothing. */
    public record Tiers(TierSpec medium, TierSpec high, TierSpec critical) {}

    /**
     * Upper bounds for the workloads whose whole name matches.
     *
     * @param match     regular expression on the workload name
     * @param maxVcpus  never more vCPUs than this
     * @param maxMemory never more memory (bytes) than this
     */
    public record Cap(Pattern match, OptionalInt maxVcpus, OptionalLong maxMemory) {}
}
