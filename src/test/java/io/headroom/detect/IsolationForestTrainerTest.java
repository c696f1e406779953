package io.headroom.detect;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.Dataset;
import org.tribuo.Excuse;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.anomaly.evaluation.AnomalyEvaluation;
import org.tribuo.anomaly.evaluation.AnomalyEvaluator;
import org.tribuo.anomaly.example.GaussianAnomalyDataSource;
import org.tribuo.impl.ArrayExample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class IsolationForestTrainerTest {

    /** Bump with any change that alters trained models or their serialized form, and regenerate. */
    private static final String FIXTURE = "iforest-model-v2";
    /** Written before the forest was held compact and drew its thresholds as floats; it must still load. */
    private static final String EARLIER_FIXTURE = "iforest-model-v1";
    private static final String REGENERATE_PROPERTY = "headroom.regenerateFixtures";

    @Test
    void gaussianDataExactCounts() {
        // Tribuo's own anomaly fixture data: expected events around one mean, anomalies around another.
        Dataset<Event> train = new MutableDataset<>(new GaussianAnomalyDataSource(1000, 0.0f, 1));
        Dataset<Event> test = new MutableDataset<>(new GaussianAnomalyDataSource(1000, 0.2f, 2));
        IsolationForestModel model = new IsolationForestTrainer(1).train(train);

        AnomalyEvaluation evaluation = new AnomalyEvaluator().evaluate(model, test);

        // Exact for this seed, as Tribuo pins its trainers' confusion counts: every anomaly found, and
        // the 0.99 training quantile lets about 1% of the expected rows over the threshold.
        assertThat(evaluation.getTruePositives()).isEqualTo(207);
        assertThat(evaluation.getFalseNegatives()).isEqualTo(0);
        assertThat(evaluation.getFalsePositives()).isEqualTo(7);
        assertThat(evaluation.getTrueNegatives()).isEqualTo(786);
    }

    @Test
    void seedAndInvocationCountMakeTrainingReproducible() {
        Dataset<Event> train = new MutableDataset<>(new GaussianAnomalyDataSource(500, 0.0f, 3));
        double[] probe = TestData.gaussian(200, train.getFeatureIDMap().size(), 4);
        int nf = train.getFeatureIDMap().size();

        IsolationForestTrainer trainer = new IsolationForestTrainer(17);
        double[] first = trainer.train(train).forest().scoreBatch(probe, 200, nf);
        double[] second = trainer.train(train).forest().scoreBatch(probe, 200, nf);
        double[] freshTrainer = new IsolationForestTrainer(17).train(train).forest().scoreBatch(probe, 200, nf);
        trainer.setInvocationCount(0);
        double[] rewound = trainer.train(train).forest().scoreBatch(probe, 200, nf);
        double[] otherSeed = new IsolationForestTrainer(18).train(train).forest().scoreBatch(probe, 200, nf);

        assertThat(freshTrainer).containsExactly(first);
        assertThat(rewound).containsExactly(first);
        assertThat(second).isNotEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
        assertThat(trainer.getInvocationCount()).isEqualTo(1);
    }

    @Test
    void provenanceRecordsDatasetAndHyperparameters() {
        MutableDataset<Event> train = TestData.dataset(TestData.gaussian(300, 3, 5), 300, 3);
        IsolationForestTrainer trainer = new IsolationForestTrainer(50, 128, 0, 1.0, 0.99, 9);
        IsolationForestModel model = trainer.train(train, Map.of("workload", new IntProvenance("workload", 7)));

        assertThat(model.getProvenance().getDatasetProvenance()).isEqualTo(train.getProvenance());
        assertThat(model.getProvenance().getTrainerProvenance().getConfiguredParameters())
                .containsEntry("numTrees", new IntProvenance("numTrees", 50))
                .containsEntry("sampleSize", new IntProvenance("sampleSize", 128));
        assertThat(model.getProvenance().getInstanceProvenance().getMap()).containsKey("workload");
        assertThat(model.forest().numTrees()).isEqualTo(50);
        assertThat(model.forest().sampleSize()).isEqualTo(128);
        assertThat(model.forest().maxDepth()).isEqualTo(7);
    }

    static Stream<Arguments> invalidHyperparameters() {
        return Stream.of(
                Arguments.of("numTrees", (Supplier<IsolationForestTrainer>) () -> new IsolationForestTrainer(0, 256, 0, 1.0, 0.99, 1)),
                Arguments.of("sampleSize", (Supplier<IsolationForestTrainer>) () -> new IsolationForestTrainer(100, 1, 0, 1.0, 0.99, 1)),
                Arguments.of("maxDepth", (Supplier<IsolationForestTrainer>) () -> new IsolationForestTrainer(100, 256, -1, 1.0, 0.99, 1)),
                Arguments.of("featureFraction", (Supplier<IsolationForestTrainer>) () -> new IsolationForestTrainer(100, 256, 0, 0.0, 0.99, 1)),
                Arguments.of("featureFraction", (Supplier<IsolationForestTrainer>) () -> new IsolationForestTrainer(100, 256, 0, 1.5, 0.99, 1)),
                Arguments.of("thresholdQuantile", (Supplier<IsolationForestTrainer>) () -> new IsolationForestTrainer(100, 256, 0, 1.0, 1.0, 1)),
                Arguments.of("thresholdQuantile", (Supplier<IsolationForestTrainer>) () -> new IsolationForestTrainer(100, 256, 0, 1.0, Double.NaN, 1)),
                Arguments.of("calibrationQuantile", (Supplier<IsolationForestTrainer>) () -> new IsolationForestTrainer(100, 256, 0, 1.0, 0.99, 0.0, 0.25, 1)),
                Arguments.of("calibrationMargin", (Supplier<IsolationForestTrainer>) () -> new IsolationForestTrainer(100, 256, 0, 1.0, 0.99, 0.995, 1.0, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidHyperparameters")
    void postConfigNamesTheInvalidField(String field, Supplier<IsolationForestTrainer> construct) {
        assertThatThrownBy(construct::get)
                .isInstanceOfSatisfying(PropertyException.class, e -> assertThat(e.getProperty()).isEqualTo(field))
                .hasMessageContaining(field);
    }

    @Test
    void javaSerializationRoundTripScoresBitForBit() throws IOException, ClassNotFoundException {
        MutableDataset<Event> train = TestData.dataset(TestData.gaussian(2_000, 5, 6), 2_000, 5);
        IsolationForestModel model = new IsolationForestTrainer(3).train(train);
        double[] probe = TestData.gaussian(1_000, 5, 7);

        IsolationForestModel copy = TestData.deserialize(TestData.serialize(model), IsolationForestModel.class);

        assertThat(copy.forest().scoreBatch(probe, 1_000, 5)).containsExactly(model.forest().scoreBatch(probe, 1_000, 5));
        assertThat(copy.threshold()).isEqualTo(model.threshold());
        assertThat(copy.calibration().rawKnots()).containsExactly(model.calibration().rawKnots());
        assertThat(copy.getTopFeatures(-1)).isEqualTo(model.getTopFeatures(-1));
        assertThat(copy.getProvenance()).isEqualTo(model.getProvenance());
        ArrayExample<Event> example = TestData.example(probe, 0, 5, Event.EventType.UNKNOWN);
        assertThat(copy.predict(example).getOutput().fullEquals(model.predict(example).getOutput())).isTrue();
    }

    @Test
    void predictionsMatchTheForestAndTheThreshold() {
        MutableDataset<Event> train = TestData.dataset(TestData.gaussian(1_000, 3, 12), 1_000, 3);
        IsolationForestModel model = new IsolationForestTrainer(4).train(train);
        double[] probe = TestData.gaussian(300, 3, 13);
        double[] scores = model.forest().scoreBatch(probe, 300, 3);
        int anomalous = 0;
        for (int r = 0; r < 300; r++) {
            Prediction<Event> prediction = model.predict(TestData.example(probe, r * 3, 3, Event.EventType.UNKNOWN));
            Event event = prediction.getOutput();
            assertThat(event.getScore()).isEqualTo(scores[r]);
            assertThat(event.getType()).isEqualTo(scores[r] > model.threshold() ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED);
            anomalous += event.getType() == Event.EventType.ANOMALOUS ? 1 : 0;
        }
        // Fresh data from the training distribution: about 1% above the 0.99 training quantile.
        assertThat(anomalous).isBetween(0, 12);
        assertThatThrownBy(() -> model.predict(new ArrayExample<>(new Event(Event.EventType.UNKNOWN), new String[] {"unknown"}, new double[] {1.0})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No features");
    }

    @Test
    void excuseAndTopFeaturesPointAtTheAnomalousFeature() {
        int nf = 4;
        double[] rows = TestData.gaussian(3_000, nf, 14);
        for (int r = 0; r < 30; r++) {
            // A few training rows spike in feature 2 only: global importance should notice.
            rows[r * 100 * nf + 2] = 5.0 + r * 0.1;
        }
        IsolationForestModel model = new IsolationForestTrainer(5).train(TestData.dataset(rows, 3_000, nf));

        ArrayExample<Event> spike = TestData.example(new double[] {0.2, -0.1, 6.0, 0.0}, 0, nf, Event.EventType.UNKNOWN);
        Excuse<Event> excuse = model.getExcuse(spike).orElseThrow();
        List<Pair<String, Double>> shares = excuse.excuse(Model.ALL_OUTPUTS);
        assertThat(shares.get(0).getA()).isEqualTo(TestData.name(2));
        assertThat(shares.stream().mapToDouble(Pair::getB).sum()).isCloseTo(1.0, within(1e-12));
        assertThat(excuse.getPrediction().getOutput().fullEquals(model.predict(spike).getOutput())).isTrue();

        List<Pair<String, Double>> top = model.getTopFeatures(2).get(Model.ALL_OUTPUTS);
        assertThat(top).hasSize(2);
        assertThat(top.get(0).getA()).isEqualTo(TestData.name(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {FIXTURE, EARLIER_FIXTURE})
    void loadsTheVersionedFixturesAndReproducesTheirScores(String fixture) throws IOException, ClassNotFoundException {
        // The earlier file's thresholds are doubles, rounded to floats at load: a split moves by less than one part
        // in ten million, and no probe row lies that close to one.
        IsolationForestModel model;
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(fixture + ".ser"), fixture + ".ser")) {
            model = TestData.deserialize(in.readAllBytes(), IsolationForestModel.class);
        }
        List<String> expected;
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(fixture + ".scores"), fixture + ".scores")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).toList();
        }
        double[] probe = fixtureProbe();
        double[] scores = model.forest().scoreBatch(probe, FIXTURE_PROBE_ROWS, FIXTURE_FEATURES);

        assertThat(Double.parseDouble(expected.get(0))).isEqualTo(model.threshold());
        assertThat(expected).hasSize(FIXTURE_PROBE_ROWS + 1);
        for (int r = 0; r < FIXTURE_PROBE_ROWS; r++) {
            // Tree structure and leaf values are stored, so only Math.pow at the end can differ across
            // JVMs or CPUs, by an ulp at most; a format or algorithm change moves scores by far more.
            assertThat(scores[r]).as("row %d", r).isCloseTo(Double.parseDouble(expected.get(r + 1)), within(1e-12));
        }
        assertThat(scores[FIXTURE_PROBE_ROWS - 1]).isGreaterThan(model.threshold());
    }

    @Test
    void theForestIsWrittenAsTheFixtureWroteIt() throws IOException, ClassNotFoundException {
        // The forest keeps its nodes in another form in memory than it writes; what it writes must not change,
        // or model files would stop loading in the versions before and after.
        byte[] fixture;
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(FIXTURE + ".ser"), FIXTURE + ".ser")) {
            fixture = in.readAllBytes();
        }
        byte[] written = TestData.serialize(TestData.deserialize(fixture, IsolationForestModel.class));
        assertThat(written).isEqualTo(fixture);
    }

    /**
     * Rewrites the fixture after a deliberate change: run
     * {@code mvn -o -q test -Dtest=IsolationForestTrainerTest#regenerateFixture -Dheadroom.regenerateFixtures=true}
     * from the project root, bump {@link #FIXTURE} if old files must stay loadable, and commit both files.
     */
    @Test
    @EnabledIfSystemProperty(named = REGENERATE_PROPERTY, matches = "true")
    void regenerateFixture() throws IOException {
        MutableDataset<Event> train = TestData.dataset(TestData.gaussian(400, FIXTURE_FEATURES, 98), 400, FIXTURE_FEATURES);
        IsolationForestModel model = new IsolationForestTrainer(10, 64, 0, 1.0, 0.99, 7).train(train);
        Path dir = Path.of("src", "test", "resources", "io", "headroom", "detect");
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(dir.resolve(FIXTURE + ".ser"))) {
            out.write(TestData.serialize(model));
        }
        double[] scores = model.forest().scoreBatch(fixtureProbe(), FIXTURE_PROBE_ROWS, FIXTURE_FEATURES);
        List<String> lines = new ArrayList<>();
        lines.add("# " + FIXTURE + ": threshold, then the score of each probe row (IsolationForestTrainerTest#fixtureProbe)");
        lines.add(Double.toHexString(model.threshold()));
        for (double s : scores) {
            lines.add(Double.toHexString(s));
        }
        Files.write(dir.resolve(FIXTURE + ".scores"), lines, StandardCharsets.UTF_8);
    }

    private static final int FIXTURE_FEATURES = 4;
    private static final int FIXTURE_PROBE_ROWS = 30;

    /** 29 ordinary rows and a last row far outside the training data. */
    private static double[] fixtureProbe() {
        double[] probe = TestData.gaussian(FIXTURE_PROBE_ROWS, FIXTURE_FEATURES, 99);
        for (int j = 0; j < FIXTURE_FEATURES; j++) {
            probe[(FIXTURE_PROBE_ROWS - 1) * FIXTURE_FEATURES + j] = 4.0;
        }
        return probe;
    }
}
