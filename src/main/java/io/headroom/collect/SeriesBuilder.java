package io.headroom.collect;

import java.util.Arrays;
import java.util.Map;

/** Growable primitive arrays for one series, so parsing a large matrix does not box a million points. */
final class SeriesBuilder {

    private long[] timestamps;
    private double[] values;
    private int size;

    SeriesBuilder() {
        this.timestamps = new long[16];
        this.values = new double[16];
    }

    void add(long timestampMillis, double value) {
        if (size == timestamps.length) {
            int capacity = size * 2;
            timestamps = Arrays.copyOf(timestamps, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        timestamps[size] = timestampMillis;
        values[size] = value;
        size++;
    }

    /**
     * Appends the points of {@code series} that are later than the last point held, so that overlapping chunks
     * (which a well-behaved server never returns) still cannot create duplicate timestamps.
     */
    void appendAfterLast(Series series) {
        for (int i = 0; i < series.size(); i++) {
            long t = series.timestampAt(i);
            if (size == 0 || t > timestamps[size - 1]) {
                add(t, series.valueAt(i));
            }
        }
    }

    Series buildWith(Map<String, String> labels) {
        return new Series(labels, Arrays.copyOf(timestamps, size), Arrays.copyOf(values, size));
    }
}
