package io.headroom.collect;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Feature values of every workload at every step of a grid, immutable.
 *
 * <p>Values are held in one flat array, workload-major then step then feature, so that the row of one workload
 * at one step is contiguous and a detector can score batches without an object per cell. {@code NaN} means
 * missing: no sample, or a sample that was NaN or infinite; nothing is ever interpolated.
 */
public final class FeatureMatrix {

    private final List<String> workloads;
    private final List<String> features;
    private final StepGrid grid;
    private final double[] values;
    private final int[] missing;

    /**
     * @param workloads row names, sorted and without duplicates
     * @param features  column names, without duplicates
     * @param grid      the steps
     * @param values    {@code workloads × grid.size() × features} values in the layout of {@link #index}; copied
     */
    public FeatureMatrix(List<String> workloads, List<String> features, StepGrid grid, double[] values) {
        this(workloads, features, grid, values, true);
    }

    private FeatureMatrix(List<String> workloads, List<String> features, StepGrid grid, double[] values,
            boolean copy) {
        this.workloads = List.copyOf(workloads);
        this.features = List.copyOf(features);
        this.grid = Objects.requireNonNull(grid, "grid");
        this.values = copy ? values.clone() : values;
        validate();
        this.missing = countMissing();
    }

    /** Takes ownership of {@code values} without copying; for builders in this package that drop their array. */
    static FeatureMatrix adopt(List<String> workloads, List<String> features, StepGrid grid, double[] values) {
        return new FeatureMatrix(workloads, features, grid, values, false);
    }

    private void validate() {
        for (int i = 1; i < workloads.size(); i++) {
            if (workloads.get(i - 1).compareTo(workloads.get(i)) >= 0) {
                throw new IllegalArgumentException("workloads must be sorted and distinct: " + workloads);
            }
        }
        if (features.stream().distinct().count() != features.size()) {
            throw new IllegalArgumentException("features must be distinct: " + features);
        }
        long expected = (long) workloads.size() * grid.size() * features.size();
        if (values.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " values ("
                    + workloads.size() + " workloads × " + grid.size() + " steps × " + features.size()
                    + " features), got " + values.length);
        }
    }

    private int[] countMissing() {
        int[] counts = new int[features.size()];
        int width = features.size();
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                counts[i % width]++;
            }
        }
        return counts;
    }

    /** Position of a cell in the flat layout: {@code (workload * steps + step) * features + feature}. */
    public int index(int workload, int step, int feature) {
        Objects.checkIndex(feature, features.size());
        return rowStart(workload, step) + feature;
    }

    private int rowStart(int workload, int step) {
        Objects.checkIndex(workload, workloads.size());
        Objects.checkIndex(step, grid.size());
        return (workload * grid.size() + step) * features.size();
    }

    /** Row names, sorted. */
    public List<String> workloads() {
        return workloads;
    }

    /** Column names, in configuration order. */
    public List<String> features() {
        return features;
    }

    public StepGrid grid() {
        return grid;
    }

    /** Index of {@code workload} in {@link #workloads()}, or -1. */
    public int workloadIndex(String workload) {
        int i = Collections.binarySearch(workloads, workload);
        return i >= 0 ? i : -1;
    }

    /** Index of {@code feature} in {@link #features()}, or -1. */
    public int featureIndex(String feature) {
        return features.indexOf(feature);
    }

    /** The value of one cell; NaN if missing. */
    public double value(int workload, int step, int feature) {
        return values[index(workload, step, feature)];
    }

    /** A copy of the feature values of {@code workload} at step {@code step}, in {@link #features()} order. */
    public double[] row(int workload, int step) {
        int from = rowStart(workload, step);
        return Arrays.copyOfRange(values, from, from + features.size());
    }

    /**
     * A copy of the feature values of {@code workload} at step {@code step}.
     *
     * @throws IllegalArgumentException if the workload is not a row of this matrix
     */
    public double[] row(String workload, int step) {
        int w = workloadIndex(workload);
        if (w < 0) {
            throw new IllegalArgumentException("no workload " + workload + " in the matrix");
        }
        return row(w, step);
    }

    /** The values themselves, in the layout of {@link #index}, for this package's builders: never modify them. */
    double[] values() {
        return values;
    }

    /** A copy of all values in the layout of {@link #index}, for batch processing. */
    public double[] toArray() {
        return values.clone();
    }

    /** Number of missing cells (over all workloads and steps) of the feature at {@code feature}. */
    public int missingCount(int feature) {
        Objects.checkIndex(feature, features.size());
        return missing[feature];
    }

    /** Missing cells per feature, in {@link #features()} order. */
    public Map<String, Integer> missingCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int f = 0; f < features.size(); f++) {
            counts.put(features.get(f), missing[f]);
        }
        return Collections.unmodifiableMap(counts);
    }

    @Override
    public String toString() {
        return "FeatureMatrix[" + workloads.size() + " workloads × " + grid.size() + " steps × " + features
                + ", missing " + missingCounts() + "]";
    }
}
