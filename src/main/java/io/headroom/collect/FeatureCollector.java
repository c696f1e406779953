package io.headroom.collect;

import io.headroom.config.FeatureSpec;
import io.headroom.metrics.Metrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Builds a {@link FeatureMatrix} from Prometheus: exactly one range query per feature (chunked by the client when
 * the grid is long), whatever the number of workloads, each series placed on the grid by its workload label.
 *
 * <p>Blocking, like the {@link PrometheusClient} it uses: run it on a worker pool.
 */
public final class FeatureCollector {

    private final PrometheusClient client;
    private final Metrics metrics;

    public FeatureCollector(PrometheusClient client, Metrics metrics) {
        this.client = Objects.requireNonNull(client, "client");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * Queries every feature over {@code grid} and aligns the results.
     *
     * <ul>
     *   <li>A series without {@code workloadLabel} is ignored. If two series carry the same workload, the first is
     *       used and a warning names the feature (its query should aggregate by the label).
     *   <li>Points off the grid are ignored; NaN and infinite values are missing. Nothing is interpolated.
     *   <li>{@link FeatureSpec.Kind#COUNTER} features become per-second rates between consecutive steps; a
     *       decrease is a counter reset; the first step and steps next to a gap are missing.
     * </ul>
     *
     * <p>Updates {@code metrics.featureSeries} (series returned by the query) and {@code featureMissingPoints}
     * (missing cells of the feature's column).
     *
     * @param features      the columns, in order; names must be distinct
     * @param workloadLabel the label that names a workload in every series
     * @param workloads     the exact rows (workloads without data get all-missing rows, series of other workloads
     *                      are dropped), or empty to use every workload seen in any feature
     * @param grid          the steps, typically {@link StepGrid#aligned}
     * @throws CollectionException if any feature's query fails; no partial matrix is returned
     */
    public FeatureMatrix collect(List<FeatureSpec> features, String workloadLabel,
            Optional<Set<String>> workloads, StepGrid grid) {
        return collect(features, workloadLabel, workloads, grid, Runnable::run);
    }

    /**
     * {@link #collect}, the features' queries run on {@code pool}, concurrently as far as it allows; the same
     * matrix as in turn.
     */
    public FeatureMatrix collect(List<FeatureSpec> features, String workloadLabel,
            Optional<Set<String>> workloads, StepGrid grid, Executor pool) {
        Fetched fetched = fetch(features, workloadLabel, workloads, grid, pool);
        export(fetched.matrix(), fetched.seriesCounts());
        return fetched.matrix();
    }

    /** A matrix and, per feature, how many series its query returned. */
    record Fetched(FeatureMatrix matrix, int[] seriesCounts) {}

    /**
     * {@link #collect} without updating the metrics, the features' queries run on {@code pool}: concurrently, so
     * that a cycle waits for its slowest query rather than for their sum. The result is the same as in turn; if
     * several queries fail, the first feature's failure is thrown.
     */
    Fetched fetch(List<FeatureSpec> features, String workloadLabel, Optional<Set<String>> workloads, StepGrid grid,
                  Executor pool) {
        List<String> names = features.stream().map(FeatureSpec::name).toList();
        if (new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("feature names must be distinct: " + names);
        }
        int[] seriesCounts = new int[features.size()];
        if (workloads.isPresent()) {
            // The rows are known: each answer goes into the matrix as soon as it arrives, and its series and column
            // are let go. A training batch of a week is tens of MB per feature; holding every feature's series and
            // columns until the last answer came was three times the matrix.
            List<String> rows = List.copyOf(new TreeSet<>(workloads.get()));
            int steps = grid.size();
            int width = features.size();
            double[] values = missing(rows.size(), steps, width);
            List<CompletableFuture<Void>> placed = new ArrayList<>(width);
            for (int f = 0; f < width; f++) {
                int feature = f;
                placed.add(aligned(features, f, workloadLabel, workloads, grid, pool, seriesCounts)
                        .thenAccept(column -> place(column, rows, feature, width, steps, values)));
            }
            placed.forEach(FeatureCollector::answer);
            return new Fetched(FeatureMatrix.adopt(rows, names, grid, values), seriesCounts);
        }
        List<CompletableFuture<Map<String, double[]>>> answers = new ArrayList<>(features.size());
        for (int f = 0; f < features.size(); f++) {
            answers.add(aligned(features, f, workloadLabel, workloads, grid, pool, seriesCounts));
        }
        List<Map<String, double[]>> columns = new ArrayList<>(features.size());
        answers.forEach(a -> columns.add(answer(a)));
        return new Fetched(assemble(names, columns, rows(workloads, columns), grid), seriesCounts);
    }

    /** Feature {@code f}'s query on {@code pool}, its series counted into {@code seriesCounts} and aligned. */
    private CompletableFuture<Map<String, double[]>> aligned(List<FeatureSpec> features, int f, String workloadLabel,
            Optional<Set<String>> workloads, StepGrid grid, Executor pool, int[] seriesCounts) {
        FeatureSpec spec = features.get(f);
        return CompletableFuture.supplyAsync(() -> query(spec, workloadLabel, grid), pool).thenApply(series -> {
            seriesCounts[f] = series.size();
            return FeatureAlignment.align(spec, series, workloadLabel, workloads, grid);
        });
    }

    /** The answer, or its own failure: joined in feature order, so that the first feature's failure is thrown. */
    private static <T> T answer(CompletableFuture<T> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Sets the per-feature series and missing-cell gauges from a cycle's matrix. */
    void export(FeatureMatrix matrix, int[] seriesCounts) {
        for (int f = 0; f < matrix.features().size(); f++) {
            metrics.featureSeries.labels(matrix.features().get(f)).set(seriesCounts[f]);
            metrics.featureMissingPoints.labels(matrix.features().get(f)).set(matrix.missingCount(f));
        }
    }

    private List<Series> query(FeatureSpec spec, String workloadLabel, StepGrid grid) {
        try {
            return client.queryRange(spec.queryFor(workloadLabel), grid.start(), grid.end(), grid.step());
        } catch (PrometheusException e) {
            throw new CollectionException(spec.name(), e);
        }
    }

    private static List<String> rows(Optional<Set<String>> workloads, List<Map<String, double[]>> columns) {
        SortedSet<String> rows = new TreeSet<>();
        if (workloads.isPresent()) {
            rows.addAll(workloads.get());
        } else {
            columns.forEach(column -> rows.addAll(column.keySet()));
        }
        return List.copyOf(rows);
    }

    private static FeatureMatrix assemble(List<String> features, List<Map<String, double[]>> columns,
            List<String> rows, StepGrid grid) {
        int steps = grid.size();
        int width = features.size();
        double[] values = missing(rows.size(), steps, width);
        for (int f = 0; f < width; f++) {
            place(columns.get(f), rows, f, width, steps, values);
        }
        return FeatureMatrix.adopt(rows, features, grid, values);
    }

    /** A row-major matrix of {@code rows x steps x width} cells, each missing (NaN) until written. */
    private static double[] missing(int rows, int steps, int width) {
        double[] values = new double[Math.multiplyExact(Math.multiplyExact(rows, steps), width)];
        Arrays.fill(values, Double.NaN);
        return values;
    }

    /** Writes one feature's aligned column of each row's workload into the row-major matrix {@code values}. */
    private static void place(Map<String, double[]> column, List<String> rows, int feature, int width, int steps,
                              double[] values) {
        for (int w = 0; w < rows.size(); w++) {
            double[] c = column.get(rows.get(w));
            if (c == null) {
                continue;
            }
            int base = w * steps * width + feature;
            for (int s = 0; s < steps; s++) {
                values[base + s * width] = c[s];
            }
        }
    }
}
