package io.headroom.detect;

import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/** Seeded synthetic data for the detector tests. */
final class TestData {
    private TestData() {
    }

    /**
     * Standard normal values, row-major. Box-Muller with {@link StrictMath} on {@link SplittableRandom},
     * both specified bit-for-bit, so the fixture test sees the same rows on every JVM.
     */
    static double[] gaussian(int nRows, int nFeatures, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] out = new double[nRows * nFeatures];
        for (int i = 0; i < out.length; i += 2) {
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
            out[i] = radius * StrictMath.cos(2.0 * Math.PI * u2);
            if (i + 1 < out.length) {
                out[i + 1] = radius * StrictMath.sin(2.0 * Math.PI * u2);
            }
        }
        return out;
    }

    /** Feature name for column {@code j}; zero-padded so Tribuo's name-sorted ids equal column indices. */
    static String name(int j) {
        return String.format("f%03d", j);
    }

    /** Wraps rows as a Tribuo dataset of EXPECTED events (ids of features equal their columns). */
    static MutableDataset<Event> dataset(double[] rows, int nRows, int nFeatures) {
        SimpleDataSourceProvenance provenance = new SimpleDataSourceProvenance("synthetic gaussian",
                OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), new AnomalyFactory());
        MutableDataset<Event> dataset = new MutableDataset<>(provenance, new AnomalyFactory());
        for (int r = 0; r < nRows; r++) {
            dataset.add(example(rows, r * nFeatures, nFeatures, Event.EventType.EXPECTED));
        }
        return dataset;
    }

    static ArrayExample<Event> example(double[] rows, int offset, int nFeatures, Event.EventType type) {
        String[] names = new String[nFeatures];
        double[] values = new double[nFeatures];
        for (int j = 0; j < nFeatures; j++) {
            names[j] = name(j);
            values[j] = rows[offset + j];
        }
        return new ArrayExample<>(new Event(type), names, values);
    }

    /** Sorted copy's value at rank ceil(q * n) - 1: the smallest value with at least a q share at or below it. */
    static double upperQuantile(double[] values, double q) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, rank)];
    }

    /**
     * A one-tree forest whose root's child (5) lies past the one-node arrays: the broken layout that
     * validation must catch before any walk reads out of range.
     */
    static IsolationForest forestWithChildPastTheArrays() {
        return new IsolationForest(2, 2, 1, new int[] {0}, new int[] {1},
                new int[] {0}, new double[] {0.5}, new int[] {5}, new double[] {0.0}, new int[] {2});
    }

    /** Java serialization of {@code value}, as a model file holds it. */
    static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /** Reads back what {@link #serialize} wrote; a corrupt stream fails here, as a model file would at load. */
    static <T> T deserialize(byte[] bytes, Class<T> type) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return type.cast(in.readObject());
        }
    }
}
