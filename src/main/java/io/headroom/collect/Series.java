package io.headroom.collect;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One series of a range query: a label set and its points in increasing time order.
 *
 * <p>The arrays are copied in and out so the record stays immutable; loops should use {@link #size()},
 * {@link #timestampAt(int)} and {@link #valueAt(int)}, which do not copy.
 *
 * @param labels     the series' label set
 * @param timestamps point times in epoch milliseconds, strictly increasing
 * @param values     point values, same length as {@code timestamps}; NaN and infinities as Prometheus sent them
 */
public record Series(Map<String, String> labels, long[] timestamps, double[] values) {

    public Series {
        labels = Map.copyOf(labels);
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException(
                    timestamps.length + " timestamps but " + values.length + " values for " + labels);
        }
        timestamps = timestamps.clone();
        values = values.clone();
    }

    /** A copy of the timestamps (epoch milliseconds). */
    @Override
    public long[] timestamps() {
        return timestamps.clone();
    }

    /** A copy of the values. */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** Number of points. */
    public int size() {
        return timestamps.length;
    }

    /** Time of point {@code i} in epoch milliseconds. */
    public long timestampAt(int i) {
        return timestamps[i];
    }

    /** Value of point {@code i}. */
    public double valueAt(int i) {
        return values[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s
                && labels.equals(s.labels)
                && Arrays.equals(timestamps, s.timestamps)
                && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(labels, Arrays.hashCode(timestamps), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "Series" + labels + "[" + timestamps.length + " points]";
    }
}
