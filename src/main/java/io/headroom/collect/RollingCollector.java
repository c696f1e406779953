package io.headroom.collect;

import io.headroom.config.FeatureSpec;
import io.headroom.metrics.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cycle's matrix over the whole lookback, fetched from Prometheus only where it can have changed since the
 * previous cycle: the last {@code refetch} of the previous matrix (for samples that land late) and what is new
 * since. The older rows are kept from the previous matrix. Prometheus evaluates a range query at the grid's
 * timestamps from samples at or before each, so a kept row is the same value a fetch of the whole lookback would
 * give, and so is every score; a counter's rate at a step needs the step before it, which the recent fetch starts
 * one step early to have.
 *
 * <p>At 1,000 guests and the default 2 h lookback at 30 s, a whole fetch is about 2 million values (tens of MB of
 * JSON) a cycle and takes seconds; the recent part is a few percent of it.
 *
 * <p>The whole lookback is fetched again when the previous matrix cannot stand in for it: on the first cycle,
 * after {@link #forget()} (the Prometheus settings changed), when a workload appears that the previous matrix does
 * not hold, when the features, the workload label or the step changed, when the previous matrix is older than
 * the lookback, and always with {@code refetch} 0s. A failed fetch keeps the previous matrix, so the next cycle
 * fetches what both missed.
 *
 * <p>Blocking, like the {@link FeatureCollector} it uses; one caller at a time (the daemon's cycles never overlap).
 */
public final class RollingCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureCollector.class);

    private final FeatureCollector collector;
    private final Duration refetch;
    private final Metrics metrics;
    private final ExecutorService queries;
    private Previous previous;

    /** The last matrix and what it was fetched for. */
    private record Previous(List<FeatureSpec> features, String label, FeatureMatrix matrix) {}

    /**
     * @param refetch how much of the previous matrix's newest data to fetch again each cycle; 0 fetches the whole
     *                lookback every cycle
     */
    public RollingCollector(FeatureCollector collector, Duration refetch, Metrics metrics) {
        this.collector = Objects.requireNonNull(collector, "collector");
        this.refetch = Objects.requireNonNull(refetch, "refetch");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        AtomicInteger n = new AtomicInteger();
        this.queries = Executors.newFixedThreadPool(QUERY_THREADS, r -> {
            Thread t = new Thread(r, "headroom-query-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queries in flight at once, each on its own {@code headroom-query-N} thread (the calls block; the client
     * bounds each by {@code prometheus.timeout} and its retries). Four: a cycle waits for about its slowest
     * feature's query instead of their sum, and Prometheus is not asked for more than a few at a time.
     */
    static final int QUERY_THREADS = 4;

    @Override
    public void close() {
        queries.shutdownNow();
    }

    /**
     * The matrix {@link FeatureCollector#collect} would return for the same arguments.
     *
     * @throws CollectionException if a feature's query fails; the previous matrix is kept
     */
    public synchronized FeatureMatrix collect(List<FeatureSpec> features, String workloadLabel, Set<String> workloads,
                                              StepGrid grid) {
        Optional<Instant> cut = cut(features, workloadLabel, workloads, grid);
        FeatureCollector.Fetched fetched;
        FeatureMatrix matrix;
        if (cut.isEmpty()) {
            fetched = collector.fetch(features, workloadLabel, Optional.of(workloads), grid, queries);
            matrix = fetched.matrix();
            metrics.collectionFetches.labels("whole").inc();
        } else {
            // One step early: a counter's rate at the cut needs the value before it.
            StepGrid recent = new StepGrid(cut.get().minus(grid.step()), grid.end(), grid.step());
            fetched = collector.fetch(features, workloadLabel, Optional.of(workloads), recent, queries);
            matrix = merge(previous.matrix(), fetched.matrix(), features, grid, cut.get());
            metrics.collectionFetches.labels("recent").inc();
        }
        collector.export(matrix, fetched.seriesCounts());
        previous = new Previous(List.copyOf(features), workloadLabel, matrix);
        return matrix;
    }

    /** Drops the previous matrix: the next cycle fetches the whole lookback (after the Prometheus settings changed). */
    public synchronized void forget() {
        previous = null;
    }

    /**
     * The first timestamp to fetch again, or empty to fetch the whole lookback: rows before it come from the
     * previous matrix.
     */
    private Optional<Instant> cut(List<FeatureSpec> features, String label, Set<String> workloads, StepGrid grid) {
        if (previous == null || refetch.isZero()) {
            return Optional.empty();
        }
        StepGrid before = previous.matrix().grid();
        String why = null;
        if (!previous.features().equals(features) || !previous.label().equals(label)
                || !before.step().equals(grid.step())) {
            why = "the features, the workload label or the step changed";
        } else if (grid.start().isBefore(before.start())) {
            why = "the clock went back";
        } else if (!previous.matrix().workloads().containsAll(workloads)) {
            why = "a workload is new";
        }
        long stepMs = grid.step().toMillis();
        long from = before.end().toEpochMilli() < grid.end().toEpochMilli()
                ? before.end().toEpochMilli() : grid.end().toEpochMilli();
        long cut = Math.floorDiv(from - refetch.toMillis(), stepMs) * stepMs;
        if (why == null && cut <= grid.start().toEpochMilli()) {
            why = "the previous cycle is older than the lookback";
        } else if (why == null && (grid.indexOf(cut) < 0 || before.indexOf(grid.start().toEpochMilli()) < 0)) {
            why = "the grids are not aligned";
        }
        if (why != null) {
            LOG.debug("fetching the whole lookback: {}", why);
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(cut));
    }

    /**
     * {@code grid}'s matrix: rows before {@code cut} from {@code old}, the others from {@code recent}. A counter's
     * first step has no rate in a whole fetch (there is no step before it), so it has none here either, although
     * {@code old} has one: the same matrix, not a better one, is what keeps the scores the same.
     */
    private static FeatureMatrix merge(FeatureMatrix old, FeatureMatrix recent, List<FeatureSpec> features,
                                       StepGrid grid, Instant cut) {
        List<String> rows = recent.workloads();
        int width = recent.features().size();
        int steps = grid.size();
        int kept = grid.indexOf(cut.toEpochMilli());
        int oldOffset = old.grid().indexOf(grid.start().toEpochMilli());
        int oldSteps = old.grid().size();
        int recentSteps = recent.grid().size();
        double[] oldValues = old.values();
        double[] recentValues = recent.values();
        double[] values = new double[Math.multiplyExact(Math.multiplyExact(rows.size(), steps), width)];
        for (int w = 0; w < rows.size(); w++) {
            int ow = old.workloadIndex(rows.get(w));
            System.arraycopy(oldValues, (ow * oldSteps + oldOffset) * width, values, w * steps * width, kept * width);
            // recent's step 0 is the one before the cut.
            System.arraycopy(recentValues, (w * recentSteps + 1) * width, values, (w * steps + kept) * width,
                    (steps - kept) * width);
            for (int f = 0; f < width; f++) {
                if (features.get(f).kind() == FeatureSpec.Kind.COUNTER) {
                    values[w * steps * width + f] = Double.NaN;
                }
            }
        }
        return FeatureMatrix.adopt(rows, recent.features(), grid, values);
    }
}
