package io.headroom.config;

import java.time.Duration;

/**
 * Retry with exponential backoff: attempt n waits {@code min(initialBackoff * 2^(n-1), maxBackoff)}.
 *
 * @param maxAttempts    total attempts including the first (1 = no retry)
 * @param initialBackoff wait before the second attempt
 * @param maxBackoff     upper bound on any single wait
 */
public record RetryConfig(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** The wait before attempt {@code attempt} (2-based: the first retry is attempt 2). */
    public Duration backoffBefore(int attempt) {
        long factor = 1L << Math.min(30, Math.max(0, attempt - 2));
        Duration d = initialBackoff.multipliedBy(factor);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
