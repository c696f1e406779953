package io.headroom.collect;

import java.util.Map;

/**
 * One value of an instant query: a series' labels with one timestamped value.
 * A scalar result is a sample with no labels.
 *
 * @param labels          the series' label set (includes {@code __name__} when Prometheus keeps it)
 * @param timestampMillis evaluation time in epoch milliseconds
 * @param value           the value; NaN and infinities are kept as Prometheus sent them
 */
public record Sample(Map<String, String> labels, long timestampMillis, double value) {

    public Sample {
        labels = Map.copyOf(labels);
    }
}
