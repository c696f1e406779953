package io.headroom.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.config.ConfigLoader;
import io.headroom.config.DetectionConfig;
import io.headroom.metrics.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay on seeded synthetic history, without Prometheus: its schedule, that no score depends on anything
 * after its own time, that it picks and keeps models as the live registry does, and that a score equals what the
 * live training and {@link Scorer} compute on their own grids.
 *
 * <p>History: workloads {@code a} and {@code b} (group {@code web}) from {@code H0}, {@code c} (group {@code db})
 * from {@code H0 + 2h}; {@code b} fails from {@code H0 + 4h10m} on. One row a minute; {@code req} is a counter.
 * With a 5 h window and 200 rows needed, nothing can be trained at first, then only the models of groups and
 * the whole host, then each workload's own.
 */
class BacktestTest {

    static final Duration STEP = Duration.ofMinutes(1);
    static final Duration LOOKBACK = Duration.ofMinutes(30);
    static final Instant H0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant FROM = H0.plus(Duration.ofHours(1));
    static final Instant TO = FROM.plus(Duration.ofHours(5));
    static final Instant C_STARTS = H0.plus(Duration.ofHours(2));
    static final Instant B_FAILS = H0.plus(Duration.ofMinutes(250));
    static final List<String> WORKLOADS = List.of("a", "b", "c");
    static final List<String> FEATURES = List.of("cpu", "mem", "req");

    static DetectionConfig config() throws Exception {
        return ConfigLoader.parse("""
                detection: {training_window: 5h, retrain_every: 1h, min_training_rows: 200, failure_margin: 10m,
                            forest: {trees: 50}}
                """, null).detection();
    }

    static Backtest backtest(int threads) throws Exception {
        return new Backtest(new Backtest.Settings(config(), STEP, LOOKBACK, STEP, Set.of("req"), threads));
    }

    /** Raw value of a feature at a time; NaN before the workload exists. */
    static double value(String w, int f, Instant t) {
        if (t.isBefore(w.equals("c") ? C_STARTS : H0)) {
            return Double.NaN;
        }
        long s = t.getEpochSecond();
        SplittableRandom rng = new SplittableRandom(w.hashCode() * 7_919L + f * 1_000_003L + s);
        return switch (f) {
            case 0 -> 0.4 + 0.1 * Math.sin(2 * Math.PI * s / 3600.0 + w.hashCode()) + 0.02 * rng.nextGaussian();
            case 1 -> 0.6 + 0.01 * rng.nextGaussian();
            default -> 100 + 5 * rng.nextGaussian();
        };
    }

    /**
     * The matrix a collection over {@code grid} returns: the counter has no rate at the grid's first step.
     * {@code after}/{@code change} replace every value from {@code after} on.
     */
    static FeatureMatrix matrix(StepGrid grid, Instant after, Change change) {
        int n = grid.size();
        double[] v = new double[WORKLOADS.size() * n * FEATURES.size()];
        for (int w = 0; w < WORKLOADS.size(); w++) {
            for (int s = 0; s < n; s++) {
                Instant t = grid.instantAt(s);
                for (int f = 0; f < FEATURES.size(); f++) {
                    double x = value(WORKLOADS.get(w), f, t);
                    if (after != null && !t.isBefore(after)) {
                        x = change.apply(w, f, s, x);
                    }
                    v[(w * n + s) * FEATURES.size() + f] = f == 2 && s == 0 ? Double.NaN : x;
                }
            }
        }
        return new FeatureMatrix(WORKLOADS, FEATURES, grid, v);
    }

    interface Change {
        double apply(int workload, int feature, int step, double value);
    }

    static FeatureMatrix history(Backtest bt) {
        return matrix(bt.plan(FROM, TO).history(), null, null);
    }

    /** b's failure, as the failure query over the whole span reports it. */
    static Map<String, List<Interval>> failures() {
        return new HashMap<>(Map.of("b", List.of(new Interval(B_FAILS, TO))));
    }

    static List<Backtest.GroupSighting> groups() {
        Interval all = new Interval(H0, TO);
        return new ArrayList<>(List.of(new Backtest.GroupSighting("a", "web", all),
                new Backtest.GroupSighting("b", "web", all), new Backtest.GroupSighting("c", "db", new Interval(C_STARTS, TO))));
    }

    record Run(Backtest.Summary summary, List<Backtest.Row> rows) {}

    static Run run(Backtest bt, FeatureMatrix history, Map<String, List<Interval>> failures,
                   List<Backtest.GroupSighting> groups) throws Exception {
        List<Backtest.Row> rows = new ArrayList<>();
        Backtest.Summary s = bt.run(history, failures, groups, FROM, TO, rows::add);
        return new Run(s, rows);
    }

    /** Every field of a row, doubles as their exact bits. */
    static String bits(Backtest.Row r) {
        return r.timestamp() + " " + r.workload() + " " + r.model() + " " + Long.toHexString(Double.doubleToRawLongBits(r.score()))
                + " " + Long.toHexString(Double.doubleToRawLongBits(r.rawScore())) + " " + r.topFeature();
    }

    static Optional<String> scopeOf(Backtest.Row r) {
        return r.model().map(Backtest.ModelInfo::scope);
    }

    @Test
    void retrainsEveryHourFromTheStartOnTheWindowJustBeforeEachTraining() throws Exception {
        Backtest bt = backtest(1);
        Run r = run(bt, history(bt), failures(), groups());

        List<Instant> expected = List.of(FROM, FROM.plus(Duration.ofHours(1)), FROM.plus(Duration.ofHours(2)),
                FROM.plus(Duration.ofHours(3)), FROM.plus(Duration.ofHours(4)), FROM.plus(Duration.ofHours(5)));
        assertThat(r.summary().plan().retrainAt()).isEqualTo(expected);
        assertThat(r.summary().trainings()).extracting(Backtest.Training::at).isEqualTo(expected);
        for (Backtest.Training t : r.summary().trainings()) {
            // 5 h of rows ending on the last row strictly before the training: 301 rows.
            assertThat(t.data().last()).isEqualTo(t.at().minus(STEP));
            assertThat(t.data().start()).isEqualTo(t.at().minus(STEP).minus(Duration.ofHours(5)));
            assertThat(t.data().size()).isEqualTo(301);
        }
        // Every minute from FROM to TO inclusive, three workloads each, by time then workload.
        assertThat(r.summary().plan().scoring().size()).isEqualTo(301);
        assertThat(r.rows()).hasSize(301 * 3);
        for (int i = 0; i < r.rows().size(); i++) {
            assertThat(r.rows().get(i).timestamp()).isEqualTo(FROM.plus(STEP.multipliedBy(i / 3)));
            assertThat(r.rows().get(i).workload()).isEqualTo(WORKLOADS.get(i % 3));
        }
        assertThat(r.summary().rows()).isEqualTo(903);
        assertThat(r.summary().scored()).isEqualTo(r.rows().stream().filter(Backtest.Row::scored).count());
        // The history needed runs from the first training's window to the last scored row.
        assertThat(r.summary().plan().history().start()).isEqualTo(FROM.minus(STEP).minus(Duration.ofHours(5)));
        assertThat(r.summary().plan().history().last()).isEqualTo(TO.minus(STEP));
    }

    @Test
    void scoresUpToAnInstantDoNotChangeWhenEverythingAfterItDoes() throws Exception {
        Backtest bt = backtest(1);
        Instant cut = FROM.plus(Duration.ofHours(3)); // a training instant, so its training must not see the cut row
        Run base = run(bt, history(bt), failures(), groups());

        // From the cut on: other values, c disappears, a new failure of a whose margin reaches back before the
        // cut, and a moves to c's group.
        SplittableRandom noise = new SplittableRandom(42);
        FeatureMatrix changed = matrix(bt.plan(FROM, TO).history(), cut,
                (w, f, s, x) -> w == 2 ? Double.NaN : x * 3 + noise.nextDouble());
        Map<String, List<Interval>> failures = failures();
        failures.put("a", List.of(new Interval(cut.plus(Duration.ofMinutes(5)), cut.plus(Duration.ofMinutes(20)))));
        List<Backtest.GroupSighting> groups = groups();
        groups.set(0, new Backtest.GroupSighting("a", "web", new Interval(H0, cut.minus(STEP))));
        groups.add(new Backtest.GroupSighting("a", "db", new Interval(cut, TO)));
        Run other = run(bt, changed, failures, groups);

        List<String> before = base.rows().stream().filter(x -> !x.timestamp().isAfter(cut)).map(BacktestTest::bits).toList();
        List<String> beforeOther = other.rows().stream().filter(x -> !x.timestamp().isAfter(cut)).map(BacktestTest::bits).toList();
        assertThat(beforeOther).isEqualTo(before);
        assertThat(before.size()).isEqualTo(181 * 3);
        assertThat(base.rows().stream().filter(x -> !x.timestamp().isAfter(cut) && x.scored()).count())
                .as("enough scores before the cut for the comparison to mean something").isGreaterThan(300);
        // ... and the change is visible after the cut, so the comparison above could have failed.
        List<String> after = base.rows().stream().filter(x -> x.timestamp().isAfter(cut)).map(BacktestTest::bits).toList();
        List<String> afterOther = other.rows().stream().filter(x -> x.timestamp().isAfter(cut)).map(BacktestTest::bits).toList();
        long differing = java.util.stream.IntStream.range(0, after.size()).filter(i -> !after.get(i).equals(afterOther.get(i))).count();
        assertThat(differing).isGreaterThan(after.size() / 2);
    }

    @Test
    void everyScoreUsesAModelTrainedOnlyOnRowsBeforeIt() throws Exception {
        Backtest bt = backtest(1);
        Run r = run(bt, history(bt), failures(), groups());

        Map<Instant, Backtest.Training> byTime = r.summary().trainings().stream()
                .collect(Collectors.toMap(Backtest.Training::at, t -> t));
        long withModel = 0;
        for (Backtest.Row row : r.rows()) {
            if (row.model().isEmpty()) {
                continue;
            }
            withModel++;
            Backtest.ModelInfo m = row.model().get();
            assertThat(m.dataEnd()).as("%s %s", row.timestamp(), row.workload()).isBefore(row.timestamp());
            assertThat(m.trainedAt()).isBeforeOrEqualTo(row.timestamp());
            Backtest.Training t = byTime.get(m.trainedAt());
            assertThat(t.trained()).contains(m.scope());
            assertThat(t.data().last()).isEqualTo(m.dataEnd());
        }
        assertThat(withModel).isGreaterThan(r.rows().size() / 2);
    }

    @Test
    void autoScopeGoesFromNoModelToTheGroupsToTheWorkloadsOwn() throws Exception {
        Backtest bt = backtest(1);
        Run r = run(bt, history(bt), failures(), groups());

        Map<String, List<Backtest.Row>> by = r.rows().stream().collect(Collectors.groupingBy(Backtest.Row::workload));
        // a and b have 60 rows each at FROM (nothing trains), 120 an hour later (their group and the host do),
        // 240 at FROM + 3h (their own models do).
        Instant group = FROM.plus(Duration.ofHours(1));
        Instant own = FROM.plus(Duration.ofHours(3));
        for (Backtest.Row row : by.get("a")) {
            Optional<String> want = row.timestamp().isBefore(group) ? Optional.empty()
                    : row.timestamp().isBefore(own) ? Optional.of("group:web") : Optional.of("workload:a");
            assertThat(scopeOf(row)).as("a at %s", row.timestamp()).isEqualTo(want);
            assertThat(row.scored()).as("a at %s", row.timestamp()).isEqualTo(want.isPresent());
            assertThat(row.topFeature().isPresent()).isEqualTo(row.scored());
        }
        // c is new at C_STARTS (= FROM + 1h): the global model scores it on the first cycle that sees its data, one
        // step later. Its group db is c alone, so it has 200 clean rows no sooner than c's own: at TO.
        for (Backtest.Row row : by.get("c")) {
            boolean seen = row.timestamp().isAfter(C_STARTS);
            assertThat(row.scored()).as("c at %s", row.timestamp()).isEqualTo(seen);
            if (seen) {
                assertThat(scopeOf(row)).as("c at %s", row.timestamp())
                        .contains(row.timestamp().equals(TO) ? "workload:c" : "global");
            }
        }
        assertThat(r.summary().trainings().get(0).trained()).isEmpty();
        assertThat(r.summary().trainings().get(0).skipped()).containsKeys("global", "workload:a", "group:web");
        assertThat(r.summary().trainings().get(0).workloads()).containsExactly("a", "b");
        assertThat(r.summary().trainings().get(1).trained()).containsExactly("global", "group:web");
        assertThat(r.summary().trainings().get(5).trained()).contains("workload:c", "group:db");
    }

    @Test
    void aScopeThatCannotBeRetrainedKeepsItsPreviousModel() throws Exception {
        Backtest bt = backtest(1);
        Run r = run(bt, history(bt), failures(), groups());

        // b fails from H0+4h10m (10 min margin): the training at TO has 181 clean rows of b, too few, so b keeps
        // the model of the training before, which had 240.
        Backtest.Training last = r.summary().trainings().get(5);
        assertThat(last.skipped()).containsKey("workload:b");
        assertThat(last.trained()).contains("workload:a");
        Backtest.Row b = r.rows().get(r.rows().size() - 2);
        assertThat(b.workload()).isEqualTo("b");
        assertThat(b.timestamp()).isEqualTo(TO);
        assertThat(b.model().orElseThrow().scope()).isEqualTo("workload:b");
        assertThat(b.model().orElseThrow().trainedAt()).isEqualTo(TO.minus(Duration.ofHours(1)));
    }

    @Test
    void scoresExactlyAsTheLiveTrainingAndScorerWouldOnTheirOwnGrids(@TempDir Path dir) throws Exception {
        Backtest bt = backtest(1);
        Run r = run(bt, history(bt), failures(), groups());
        Instant trainedAt = FROM.plus(Duration.ofHours(3));
        Instant t = trainedAt.plus(Duration.ofMinutes(37));

        // What the daemon does: a training a moment before the hour, on its own window (as Training.run) ...
        DetectionConfig cfg = config();
        Instant trainingNow = trainedAt.minusSeconds(20);
        StepGrid tg = StepGrid.aligned(trainingNow.minus(cfg.trainingWindow()), trainingNow, STEP);
        FeatureMatrix training = matrix(tg, null, null);
        long[] millis = new long[tg.size()];
        double[] failing = new double[tg.size()];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = tg.timestampAt(i);
            failing[i] = tg.instantAt(i).isBefore(B_FAILS) ? 0 : 1;
        }
        Map<String, List<Interval>> excluded = Map.of("b", Interval.positiveRuns(millis, failing));
        Map<String, String> groups = Map.of("a", "web", "b", "web", "c", "db");
        ModelRegistry registry = new ModelRegistry(dir);
        registry.putAll(new Retrainer(cfg).train(training, excluded, groups, trainedAt).models());
        // ... then the cycle at t scores the newest row of its lookback, one step back (as CycleVerticle).
        Instant end = t.minus(STEP);
        FeatureMatrix cycle = matrix(StepGrid.aligned(end.minus(LOOKBACK), end, STEP), null, null);
        Map<String, Scorer.Result> live = new Scorer(cfg, registry, Metrics.isolated()).scoreLatest(cycle, groups, t);

        List<Backtest.Row> atT = r.rows().stream().filter(x -> x.timestamp().equals(t)).toList();
        assertThat(atT).hasSize(3);
        for (Backtest.Row row : atT) {
            Scorer.Result want = live.get(row.workload());
            assertThat(row.scored()).isTrue();
            assertThat(Double.doubleToRawLongBits(row.score())).as(row.workload())
                    .isEqualTo(Double.doubleToRawLongBits(want.score()));
            assertThat(row.model().orElseThrow().scope()).isEqualTo(want.model().orElseThrow().scope());
            int top = 0;
            for (int f = 1; f < FEATURES.size(); f++) {
                top = want.attribution()[f] > want.attribution()[top] ? f : top;
            }
            assertThat(row.topFeature()).contains(FEATURES.get(top));
        }
    }

    @Test
    void anyNumberOfThreadsAndPiecesGiveTheSameRows() throws Exception {
        Backtest one = backtest(1);
        // Three threads, rows handed over two steps at a time: pieces end inside segments, not only at trainings.
        Backtest three = new Backtest(new Backtest.Settings(config(), STEP, LOOKBACK, STEP, Set.of("req"), 3), 7);
        FeatureMatrix h = history(one);
        List<String> a = run(one, h, failures(), groups()).rows().stream().map(BacktestTest::bits).toList();
        List<String> b = run(three, h, failures(), groups()).rows().stream().map(BacktestTest::bits).toList();
        assertThat(b).isEqualTo(a);
    }

    @Test
    void historyMustCoverThePlanOnTheSameStep() throws Exception {
        Backtest bt = backtest(1);
        StepGrid need = bt.plan(FROM, TO).history();
        FeatureMatrix shorter = matrix(new StepGrid(need.start().plus(STEP), need.end(), STEP), null, null);
        assertThatThrownBy(() -> run(bt, shorter, Map.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not cover");
        FeatureMatrix coarser = matrix(StepGrid.aligned(need.start(), need.end(), STEP.multipliedBy(2)), null, null);
        assertThatThrownBy(() -> run(bt, coarser, Map.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step");
    }
}
