package io.headroom.daemon;

import io.headroom.act.ActuationService;
import io.headroom.config.HeadroomConfig;

/**
 * Applies the {@code decide} section live: tiers, guardrails and sizing take effect from the next cycle. Nothing
 * to read from disk, so preparing cannot fail.
 */
final class DecideReload implements Reloadable {

    private final ActuationService actuation;
    private String current;

    DecideReload(ActuationService actuation, HeadroomConfig started) {
        this.actuation = actuation;
        this.current = String.valueOf(started.decide());
    }

    @Override
    public Prepared prepare(HeadroomConfig next) {
        String print = String.valueOf(next.decide());
        if (print.equals(current)) {
            return Prepared.nothing();
        }
        return Prepared.of("decide", () -> {
            current = print;
            actuation.reconfigure(next.decide());
        });
    }
}
