package io.headroom.config;

import java.time.Duration;

/**
 * The collection cycle.
 *
 * @param interval time between two collection cycles of the daemon
 * @param step     resolution of the feature matrix (range query step)
 * @param lookback how much recent history each cycle fetches
 */
public record CollectionConfig(Duration interval, Duration step, Duration lookback) {}
