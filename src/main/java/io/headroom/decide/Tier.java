package io.headroom.decide;

import io.headroom.config.DecideConfig;
import java.util.Locale;

/**
 * How anomalous a workload is, from its score. Higher tiers give more resources and ask for more attention;
 * the notify issue wires the attention flags, this stage only exposes them.
 */
public enum Tier {
    /** Nothing unusual enough to act on. */
    NONE,
    /** Modest extra resources. */
    MEDIUM,
    /** More resources, and the event is logged for investigation. */
    HIGH,
    /** The most resources; operators are notified and new requests may be paused. */
    CRITICAL;

    /**
     * The tier {@code score} falls in by the configured floors alone, before any hysteresis: what the score itself
     * says, as reported per cycle and by the backtest.
     */
    public static Tier forScore(double score, DecideConfig.Tiers tiers) {
        if (score >= tiers.critical().minScore()) {
            return CRITICAL;
        }
        if (score >= tiers.high().minScore()) {
            return HIGH;
        }
        return score >= tiers.medium().minScore() ? MEDIUM : NONE;
    }

    /** True if an event should be logged for investigation (high and critical). */
    public boolean logsEvent() {
        return compareTo(HIGH) >= 0;
    }

    /** True if operators should be notified (critical). */
    public boolean notifies() {
        return this == CRITICAL;
    }

    /** True if new requests to the workload may be paused (critical). */
    public boolean pausesRequests() {
        return this == CRITICAL;
    }

    /** Lower-case name for logs and metric labels. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
