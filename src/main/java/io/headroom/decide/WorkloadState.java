package io.headroom.decide;

import java.time.Instant;
import java.util.Optional;

/**
 * What the policy remembers about one workload between cycles. Persisted by the actuation stage so that a
 * restart keeps hysteresis, cooldown and decay timing.
 *
 * @param tier         the effective tier (after hysteresis), whose targets apply
 * @param streaks      consecutive cycles the raw score has been at or above each tier
 * @param lastChangeAt when a change (or a dry-run or failed attempt) was last made; starts the cooldown
 * @param cpuCalmSince since when the vCPUs (or the CPU quota) have been above what the workload needs; starts the
 *                     decay timer
 * @param memoryCalmSince the same for memory
 * @param cpuPressureCycles consecutive cycles the CPU has been raised and still under measured pressure (near its
 *                     allocation, or trending to it); reaching {@code decide.sizing.escalate_after_cycles} escalates
 * @param memoryPressureCycles the same for memory
 */
public record WorkloadState(Tier tier, Streaks streaks, Optional<Instant> lastChangeAt,
                            Optional<Instant> cpuCalmSince, Optional<Instant> memoryCalmSince,
                            int cpuPressureCycles, int memoryPressureCycles) {

    /** A state with no pressure streak (as persisted before sizing kept one). */
    public WorkloadState(Tier tier, Streaks streaks, Optional<Instant> lastChangeAt, Optional<Instant> cpuCalmSince,
                         Optional<Instant> memoryCalmSince) {
        this(tier, streaks, lastChangeAt, cpuCalmSince, memoryCalmSince, 0, 0);
    }

    /** A workload seen for the first time. */
    public static WorkloadState initial() {
        return new WorkloadState(Tier.NONE, Streaks.NONE, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Consecutive cycles {@code r} has been raised and under measured pressure. */
    public int pressureCycles(Resource r) {
        return r == Resource.MEMORY ? memoryPressureCycles : cpuPressureCycles;
    }

    /** Since when {@code r} has been above need, if it is. */
    public Optional<Instant> calmSince(Resource r) {
        // vCPUs and quota share one timer: a guest has only one of them under control at a time.
        return r == Resource.MEMORY ? memoryCalmSince : cpuCalmSince;
    }

    /** A copy recording a change made at {@code at}. */
    public WorkloadState withLastChange(Instant at) {
        return new WorkloadState(tier, streaks, Optional.of(at), cpuCalmSince, memoryCalmSince, cpuPressureCycles,
                memoryPressureCycles);
    }

    /**
     * Consecutive cycles with the raw score at or above each tier's floor.
     *
     * @param medium   cycles at medium or above
     * @param high     cycles at high or above
     * @param critical cycles at critical
     */
    public record Streaks(int medium, int high, int critical) {

        /** No streak. */
        public static final Streaks NONE = new Streaks(0, 0, 0);

        /** The streak of {@code t} (0 for {@link Tier#NONE}). */
        public int of(Tier t) {
            return switch (t) {
                case NONE -> 0;
                case MEDIUM -> medium;
                case HIGH -> high;
                case CRITICAL -> critical;
            };
        }

        /** The streaks after one more cycle whose raw tier was {@code raw}. */
        public Streaks next(Tier raw) {
            return new Streaks(count(medium, raw, Tier.MEDIUM), count(high, raw, Tier.HIGH),
                    count(critical, raw, Tier.CRITICAL));
        }

        private static int count(int streak, Tier raw, Tier t) {
            // Capped: only "held long enough" matters, and an unbounded counter would one day overflow.
            return raw.compareTo(t) >= 0 ? Math.min(streak + 1, 1_000_000) : 0;
        }
    }
}
