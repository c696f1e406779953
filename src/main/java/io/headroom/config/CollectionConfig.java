package io.headroom.config;

import java.time.Duration;

/**
 * The collection cycle.
 *
 * @param interval time between two collection cycles of the daemon
 * @param step     resolution of the feature matrix (range query step)
 * @param lookback how much recent history each cycle scores from
 * @param refetch  how much of the previous cycle's newest data each cycle fetches again (for samples that land
 *                 late), the older rows being kept from it; zero fetches the whole lookback every cycle
 */
public record CollectionConfig(Duration interval, Duration step, Duration lookback, Duration refetch) {

    /** The default {@code refetch}: far more than a scrape's or a rule's delay, a few percent of the lookback. */
    public static final Duration DEFAULT_REFETCH = Duration.ofMinutes(5);

    /** With the default {@code refetch}. */
    public CollectionConfig(Duration interval, Duration step, Duration lookback) {
        this(interval, step, lookback, DEFAULT_REFETCH);
    }
}
