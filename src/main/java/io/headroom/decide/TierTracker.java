package io.headroom.decide;

import io.headroom.config.DecideConfig;

/**
 * Tiers with hysteresis: a tier is entered only after the score has been at or above its floor for
 * {@code escalate_after_cycles} consecutive cycles, and left only when the score falls below the floor minus
 * {@code step_down_margin}, so that a score wobbling around a boundary does not flap the guest.
 */
final class TierTracker {

    /**
     * One cycle of the tracker.
     *
     * @param raw       the tier the score alone falls in
     * @param effective the tier after hysteresis
     * @param streaks   the updated streaks
     */
    record Step(Tier raw, Tier effective, WorkloadState.Streaks streaks) {}

    private final DecideConfig cfg;

    TierTracker(DecideConfig cfg) {
        this.cfg = cfg;
    }

    Tier raw(double score) {
        return Tier.forScore(score, cfg.tiers());
    }

    Step next(WorkloadState state, double score) {
        Tier raw = raw(score);
        WorkloadState.Streaks streaks = state.streaks().next(raw);
        Tier effective = state.tier();
        // Escalate to the highest tier that has held long enough, which may skip one (medium to critical).
        for (int i = Tier.CRITICAL.ordinal(); i > effective.ordinal(); i--) {
            Tier t = Tier.values()[i];
            if (streaks.of(t) >= cfg.escalateAfterCycles()) {
                effective = t;
                break;
            }
        }
        if (effective != Tier.NONE && score < floor(effective) - cfg.stepDownMargin()) {
            effective = raw;
        }
        return new Step(raw, effective, streaks);
    }

    /** The lowest score of {@code t}. */
    int floor(Tier t) {
        return switch (t) {
            case NONE -> 0;
            case MEDIUM -> cfg.tiers().medium().minScore();
            case HIGH -> cfg.tiers().high().minScore();
            case CRITICAL -> cfg.tiers().critical().minScore();
        };
    }

    /** The multiplier of {@code r} in tier {@code t} (1 for {@link Tier#NONE}). */
    double multiplier(Tier t, Resource r) {
        DecideConfig.TierSpec s = switch (t) {
            case NONE -> null;
            case MEDIUM -> cfg.tiers().medium();
            case HIGH -> cfg.tiers().high();
            case CRITICAL -> cfg.tiers().critical();
        };
        if (s == null) {
            return 1.0;
        }
        return r == Resource.MEMORY ? s.memory() : s.cpu();
    }

    /** What tier {@code t} gives {@code r}, from the baseline. */
    long target(Tier t, Resource r, long baseline) {
        return Targets.scaled(r, baseline, multiplier(t, r));
    }
}
