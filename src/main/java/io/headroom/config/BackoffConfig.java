package io.headroom.config;

import java.time.Duration;

/**
 * Exponential backoff without an attempt limit, for deliveries that must eventually happen (an alert, a resume)
 * or be superseded by a newer one: failure n waits {@code min(initial * 2^(n-1), max)}.
 *
 * @param initial wait after the first failure
 * @param max     upper bound on any single wait
 */
public record BackoffConfig(Duration initial, Duration max) {

    /** The wait after {@code failures} consecutive failures (1-based). */
    public Duration delayAfter(int failures) {
        long factor = 1L << Math.min(30, Math.max(0, failures - 1));
        Duration d = initial.multipliedBy(factor);
        return d.compareTo(max) > 0 ? max : d;
    }
}
