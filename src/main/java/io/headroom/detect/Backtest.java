package io.headroom.detect;

import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.config.DetectionConfig;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a stretch of history the way the live loop would have scored it, from one feature matrix that covers
 * the whole span, without any I/O: the command fetches once, a simulator can feed synthetic data.
 *
 * <p><b>Causality.</b> At every scoring time {@code t} the replay sees only what the daemon could have seen at
 * {@code t}:
 * <ul>
 *   <li>Scoring at {@code t} uses the live cycle's grid: {@code collection.lookback} of history ending one step
 *       before {@code t} (the newest row live is one step back), and the newest row of that grid is scored.</li>
 *   <li>Models are retrained at {@code from}, {@code from + retrain_every}, ... . A training at {@code R} is the
 *       live training run an instant (1 ms) before {@code R}: its window is {@code detection.training_window} of
 *       rows strictly before {@code R}, so it can serve the score at {@code R} without having seen the row at
 *       {@code R}. Failure intervals are those observed inside that window only (clipped to it, as the live
 *       failure query over the training grid would return them); groups are those seen inside it.</li>
 *   <li>The score at {@code t} uses the models of the latest training at or before {@code t}. As in the live
 *       registry, a training that cannot fit a scope (too few clean rows) keeps that scope's previous model.</li>
 *   <li>Every slice is cut out of the big matrix as if it had been queried on its own: counter features have no
 *       rate at a grid's first step, exactly as {@link io.headroom.collect.FeatureCollector} leaves them.</li>
 * </ul>
 * The replay is idealised in one way: a training's models are in use from its instant on, whereas live they are
 * swapped in when the training finishes.
 *
 * <p><b>Parallelism.</b> Trainings are independent of each other (each sees only its own window) and each is
 * seeded, so they run ahead on a pool while earlier segments are scored; the output is identical for any number
 * of threads.
 */
public final class Backtest {

    private static final Logger LOG = LoggerFactory.getLogger(Backtest.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Rows scored before they are handed to the sink: enough to keep every thread busy, bounded in memory. */
    private static final int ROWS_IN_FLIGHT = 1 << 16;

    /**
     * How the live loop runs, as far as the replay needs it.
     *
     * @param detection       models, scope, training window, retrain schedule, failure margin
     * @param step            resolution of the history ({@code collection.step}); the matrix must be on it
     * @param lookback        history each scoring cycle sees ({@code collection.lookback}); also the window in which
     *                        a workload must have data to count as discovered at a training, as live discovery
     *                        does
     * @param scoreEvery      time between two scoring steps (live: {@code collection.interval})
     * @param counterFeatures features collected as counters (rates): they have no value at a slice's first step
     * @param threads         trainings and scorings run on this many threads (1 = on the caller's thread)
     */
    public record Settings(DetectionConfig detection, Duration step, Duration lookback, Duration scoreEvery,
                           Set<String> counterFeatures, int threads) {
        public Settings {
            Objects.requireNonNull(detection, "detection");
            counterFeatures = Set.copyOf(counterFeatures);
            for (Duration d : List.of(step, lookback, scoreEvery)) {
                if (d.isNegative() || d.isZero() || d.toNanos() % 1_000_000 != 0) {
                    throw new IllegalArgumentException("durations must be whole positive milliseconds, got " + d);
                }
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
        }
    }

    /**
     * When things happen in a replay of {@code [from, to]}.
     *
     * @param scoring   the scoring times: multiples of {@code scoreEvery} since the epoch, from {@code from} to
     *                  {@code to} inclusive
     * @param retrainAt the training instants: the first scoring time, then every {@code retrain_every} up to the
     *                  last scoring time
     * @param history   the rows the replay reads, oldest training window to newest scored row: fetch this grid
     */
    public record Plan(StepGrid scoring, List<Instant> retrainAt, StepGrid history) {
        public Plan {
            retrainAt = List.copyOf(retrainAt);
        }
    }

    /**
     * A workload carried a group label value over an interval (for group models and the auto fallback).
     *
     * @param workload the workload
     * @param group    the group label's value
     * @param seen     from the first to the last grid point it was seen
     */
    public record GroupSighting(String workload, String group, Interval seen) {}

    /**
     * One training of the replay.
     *
     * @param at        its instant: its models score from here on
     * @param data      the grid it learned from (its newest row is before {@code at})
     * @param workloads workloads that counted as discovered and were trained on
     * @param trained   scope keys of the models it produced
     * @param skipped   scope keys it could not train, with the reason
     */
    public record Training(Instant at, StepGrid data, SortedSet<String> workloads, SortedSet<String> trained,
                           Map<String, String> skipped) {
        public Training {
            workloads = Collections.unmodifiableSortedSet(new TreeSet<>(workloads));
            trained = Collections.unmodifiableSortedSet(new TreeSet<>(trained));
            skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
        }
    }

    /**
     * Which model scored a row.
     *
     * @param scope     its scope key ({@code workload:<name>}, {@code group:<value>}, {@code global})
     * @param type      detector type
     * @param trainedAt the training that produced it
     * @param dataEnd   the newest row that training saw
     */
    public record ModelInfo(String scope, String type, Instant trainedAt, Instant dataEnd) {}

    /**
     * One workload at one scoring time.
     *
     * @param timestamp  the scoring time
     * @param workload   the workload
     * @param model      the model the live registry would have picked, empty if none existed yet
     * @param score      0-100, NaN when there is no model or no data at the scored row
     * @param rawScore   the detector's uncalibrated score, NaN likewise
     * @param topFeature the feature with the largest share of the score, when there is a score
     */
    public record Row(Instant timestamp, String workload, Optional<ModelInfo> model, double score, double rawScore,
                      Optional<String> topFeature) {
        /** True if there is a score. */
        public boolean scored() {
            return !Double.isNaN(score);
        }
    }

    /** Receives the rows in order: by scoring time, then by workload. */
    @FunctionalInterface
    public interface Sink {
        /** Takes one row; an exception stops the replay. */
        void accept(Row row) throws IOException;
    }

    /**
     * What a replay did.
     *
     * @param plan      its schedule
     * @param workloads workloads replayed (one row each per scoring time)
     * @param trainings every training, in order
     * @param rows      rows written
     * @param scored    rows with a score
     */
    public record Summary(Plan plan, int workloads, List<Training> trainings, long rows, long scored) {
        public Summary {
            trainings = List.copyOf(trainings);
        }
    }

    private final Settings settings;
    private final DetectionConfig cfg;
    private final int rowsInFlight;

    /** A replay engine for the given settings; it holds no state between runs. */
    public Backtest(Settings settings) {
        this(settings, ROWS_IN_FLIGHT);
    }

    /** For tests: hands rows to the sink in pieces of about {@code rowsInFlight}. */
    Backtest(Settings settings, int rowsInFlight) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cfg = settings.detection();
        this.rowsInFlight = rowsInFlight;
    }

    /** The schedule of a replay of {@code [from, to]}, and the history it needs. */
    public Plan plan(Instant from, Instant to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to " + to + " is before from " + from);
        }
        StepGrid scoring = StepGrid.aligned(from, to, settings.scoreEvery());
        List<Instant> retrainAt = new ArrayList<>();
        for (Instant r = scoring.start(); !r.isAfter(scoring.last()); r = r.plus(cfg.retrainEvery())) {
            retrainAt.add(r);
        }
        // Both windows move forward with their instant, so the first and last of each bound the span.
        Instant start = min(trainingGrid(retrainAt.get(0)).start(), lookbackGrid(scoring.start()).start());
        Instant end = max(trainingGrid(retrainAt.get(retrainAt.size() - 1)).last(), lookbackGrid(scoring.last()).last());
        return new Plan(scoring, retrainAt, new StepGrid(start, end, settings.step()));
    }

    /**
     * The rows a training at {@code at} learns from: the live training window, taken an instant before
     * {@code at} so that it ends on the last row strictly before {@code at}.
     */
    public StepGrid trainingGrid(Instant at) {
        Instant justBefore = at.minusMillis(1);
        return StepGrid.aligned(justBefore.minus(cfg.trainingWindow()), justBefore, settings.step());
    }

    /** The rows the live cycle at {@code t} collects: {@code lookback} ending one step before {@code t}. */
    public StepGrid lookbackGrid(Instant t) {
        Instant end = t.minus(settings.step());
        return StepGrid.aligned(end.minus(settings.lookback()), end, settings.step());
    }

    /**
     * Replays {@code [from, to]}.
     *
     * @param history  every workload over at least {@link #plan}{@code (from, to).history()}, on the step grid
     * @param failures per workload, the intervals the failure query was true over the whole span
     * @param groups   group labels seen over the span (empty without groups)
     * @param sink     receives one row per workload per scoring time, in order
     * @throws IllegalArgumentException if the history does not cover the plan or is on another step
     * @throws IOException              if the sink fails
     */
    public Summary run(FeatureMatrix history, Map<String, List<Interval>> failures, List<GroupSighting> groups,
                       Instant from, Instant to, Sink sink) throws IOException {
        Plan plan = plan(from, to);
        Replay replay = new Replay(history, failures, groups, plan);
        ExecutorService pool = settings.threads() == 1 ? null : Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "headroom-backtest-" + THREADS.incrementAndGet());
            t.setDaemon(true); // a failed replay must not keep the JVM alive
            return t;
        });
        try {
            return replay.run(pool, sink);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** The models in use during one segment (between two trainings), with where each came from. */
    private record Registry(Map<String, WorkloadModel> models, Map<String, ModelInfo> info, Map<String, String> groups) {}

    /** What one training produced, before it is merged into the registry. */
    private record Trained(Training training, Map<String, WorkloadModel> models, Map<String, String> groups) {}

    /** The state of one run. */
    private final class Replay {
        private final FeatureMatrix history;
        private final Map<String, List<Interval>> failures;
        private final List<GroupSighting> sightings;
        private final Plan plan;
        private final int nf;
        private final boolean[] counter;
        private final List<String> workloads;

        Replay(FeatureMatrix history, Map<String, List<Interval>> failures, List<GroupSighting> sightings, Plan plan) {
            StepGrid g = history.grid();
            if (!g.step().equals(settings.step())) {
                throw new IllegalArgumentException("history is on a " + g.step() + " step, the replay on "
                        + settings.step());
            }
            if (g.indexOf(plan.history().start().toEpochMilli()) < 0 || g.indexOf(plan.history().last().toEpochMilli()) < 0) {
                throw new IllegalArgumentException("history " + g.start() + " .. " + g.last() + " does not cover "
                        + plan.history().start() + " .. " + plan.history().last());
            }
            this.history = history;
            this.failures = failures;
            this.sightings = List.copyOf(sightings);
            this.plan = plan;
            this.nf = history.features().size();
            this.workloads = history.workloads();
            this.counter = new boolean[nf];
            for (int f = 0; f < nf; f++) {
                counter[f] = settings.counterFeatures().contains(history.features().get(f));
            }
        }

        Summary run(ExecutorService pool, Sink sink) throws IOException {
            List<Instant> retrainAt = plan.retrainAt();
            List<Future<Trained>> ahead = new ArrayList<>();
            int submitted = 0;
            Map<String, WorkloadModel> models = new HashMap<>();
            Map<String, ModelInfo> info = new HashMap<>();
            List<Training> trainings = new ArrayList<>();
            long rows = 0;
            long scored = 0;
            int nextStep = 0;
            for (int k = 0; k < retrainAt.size(); k++) {
                // Keep one training per thread running ahead of the segment being scored; a finished one is
                // merged in order, exactly as the registry's putAll would have swapped it in.
                while (submitted < retrainAt.size() && submitted < k + settings.threads()) {
                    int index = submitted++;
                    ahead.add(submit(pool, () -> train(retrainAt.get(index))));
                }
                Trained t = join(ahead.set(k, null));
                trainings.add(t.training());
                t.models().forEach((key, m) -> {
                    models.put(key, m);
                    info.put(key, new ModelInfo(m.scope(), m.type(), t.training().at(), t.training().data().last()));
                });
                Registry registry = new Registry(Map.copyOf(models), Map.copyOf(info), t.groups());
                Instant segmentEnd = k + 1 < retrainAt.size() ? retrainAt.get(k + 1) : null;
                int first = nextStep;
                while (nextStep < plan.scoring().size()
                        && (segmentEnd == null || plan.scoring().instantAt(nextStep).isBefore(segmentEnd))) {
                    nextStep++;
                }
                // A segment can hold days of steps for thousands of workloads: score it in pieces of bounded size.
                int chunk = Math.max(1, rowsInFlight / Math.max(1, workloads.size()));
                for (int a = first; a < nextStep; a += chunk) {
                    for (Row[] atStep : score(pool, registry, a, Math.min(nextStep, a + chunk))) {
                        for (Row r : atStep) {
                            sink.accept(r);
                            rows++;
                            scored += r.scored() ? 1 : 0;
                        }
                    }
                }
            }
            return new Summary(plan, workloads.size(), trainings, rows, scored);
        }

        /** Rows of scoring steps {@code [first, end)}, by step then workload; workloads are scored in parallel. */
        private Row[][] score(ExecutorService pool, Registry registry, int first, int end) {
            Row[][] out = new Row[end - first][workloads.size()];
            int parts = pool == null ? 1 : Math.min(settings.threads(), Math.max(1, workloads.size()));
            List<Future<Void>> done = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                int part = p;
                done.add(submit(pool, () -> {
                    for (int w = part; w < workloads.size(); w += parts) {
                        for (int s = first; s < end; s++) {
                            out[s - first][w] = scoreOne(registry, w, plan.scoring().instantAt(s));
                        }
                    }
                    return null;
                }));
            }
            done.forEach(Backtest::join);
            return out;
        }

        /** What the live cycle at {@code t} reports for workload {@code w}. */
        private Row scoreOne(Registry registry, int w, Instant t) {
            String name = workloads.get(w);
            Optional<WorkloadModel> model = ModelRegistry.select(registry.models(), name,
                    Optional.ofNullable(registry.groups().get(name)), cfg.scope());
            if (model.isEmpty()) {
                return new Row(t, name, Optional.empty(), Double.NaN, Double.NaN, Optional.empty());
            }
            StepGrid g = lookbackGrid(t);
            int a = index(g.start());
            int b = index(g.last());
            double[] raw = slice(w, a, b);
            int n = b - a + 1;
            WorkloadModel.Scored s = model.get().score(raw, n, n - 1, g.start().toEpochMilli(), g.step().toMillis());
            double score = s.score()[0];
            Optional<String> top = Optional.empty();
            if (!Double.isNaN(score)) {
                int best = 0;
                for (int f = 1; f < nf; f++) {
                    if (s.attribution()[f] > s.attribution()[best]) {
                        best = f;
                    }
                }
                top = Optional.of(history.features().get(best));
            }
            return new Row(t, name, Optional.of(registry.info().get(model.get().scope())), score, s.raw()[0], top);
        }

        private Trained train(Instant at) {
            StepGrid grid = trainingGrid(at);
            int a = index(grid.start());
            int b = index(grid.last());
            StepGrid discovery = StepGrid.aligned(grid.last().minus(settings.lookback()), grid.last(), settings.step());
            int d = Math.max(a, index(discovery.start()));
            // Live training covers the workloads the last cycle discovered; a workload with no data in the
            // discovery window would not have been among them.
            List<String> names = new ArrayList<>();
            List<double[]> parts = new ArrayList<>();
            for (int w = 0; w < workloads.size(); w++) {
                double[] rows = slice(w, a, b);
                if (hasData(rows, (d - a) * nf, rows.length)) {
                    names.add(workloads.get(w));
                    parts.add(rows);
                }
            }
            double[] all = new double[parts.size() * (b - a + 1) * nf];
            for (int i = 0; i < parts.size(); i++) {
                System.arraycopy(parts.get(i), 0, all, i * parts.get(i).length, parts.get(i).length);
            }
            FeatureMatrix matrix = new FeatureMatrix(names, history.features(), grid, all);
            Map<String, List<Interval>> excluded = new HashMap<>();
            for (String name : names) {
                List<Interval> known = clip(failures.getOrDefault(name, List.of()), grid.start(), grid.last());
                if (!known.isEmpty()) {
                    excluded.put(name, known);
                }
            }
            Map<String, String> groups = groupsSeen(grid.start(), grid.last());
            Retrainer.Result r = new Retrainer(cfg).train(matrix, excluded, groups, at);
            LOG.debug("backtest training at {} on {} .. {}: {} models, {} skipped", at, grid.start(), grid.last(),
                    r.models().size(), r.skipped().size());
            return new Trained(new Training(at, grid, new TreeSet<>(names), new TreeSet<>(r.models().keySet()), r.skipped()),
                    r.models(), groups);
        }

        /**
         * Each workload's group as a series query over {@code [start, end]} would have reported it; if it changed
         * inside the window, the latest value wins.
         */
        private Map<String, String> groupsSeen(Instant start, Instant end) {
            Map<String, GroupSighting> latest = new HashMap<>();
            for (GroupSighting s : sightings) {
                if (s.seen().end().isBefore(start) || s.seen().start().isAfter(end)) {
                    continue;
                }
                latest.merge(s.workload(), s, (x, y) -> {
                    int c = x.seen().end().compareTo(y.seen().end());
                    return c != 0 ? (c > 0 ? x : y) : (x.group().compareTo(y.group()) >= 0 ? x : y);
                });
            }
            Map<String, String> out = new HashMap<>();
            latest.forEach((w, s) -> out.put(w, s.group()));
            return out;
        }

        /** Rows {@code a..b} of workload {@code w}, as a query over just those rows would have returned them. */
        private double[] slice(int w, int a, int b) {
            // Read cell by cell rather than from a copy of the whole matrix: a long span is the largest thing the
            // replay holds, and one copy of it is enough.
            double[] out = new double[(b - a + 1) * nf];
            for (int s = a; s <= b; s++) {
                for (int f = 0; f < nf; f++) {
                    out[(s - a) * nf + f] = s == a && counter[f] ? Double.NaN : history.value(w, s, f);
                }
            }
            return out;
        }

        private int index(Instant t) {
            int i = history.grid().indexOf(t.toEpochMilli());
            if (i < 0) {
                throw new IllegalStateException("row " + t + " is not in the history"); // plan() bounds every slice
            }
            return i;
        }
    }

    /**
     * The intervals that had begun by {@code end}, cut to {@code [start, end]}: what a failure query over that
     * window would have returned. A failure that starts later is unknown then, even within its margin.
     */
    static List<Interval> clip(List<Interval> intervals, Instant start, Instant end) {
        List<Interval> out = new ArrayList<>();
        for (Interval iv : intervals) {
            if (iv.start().isAfter(end) || iv.end().isBefore(start)) {
                continue;
            }
            out.add(new Interval(max(iv.start(), start), min(iv.end(), end)));
        }
        return out;
    }

    private static boolean hasData(double[] rows, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(rows[i])) {
                return true;
            }
        }
        return false;
    }

    private static <T> Future<T> submit(ExecutorService pool, java.util.concurrent.Callable<T> task) {
        if (pool != null) {
            return pool.submit(task);
        }
        java.util.concurrent.FutureTask<T> f = new java.util.concurrent.FutureTask<>(task);
        f.run();
        return f;
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("backtest interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
