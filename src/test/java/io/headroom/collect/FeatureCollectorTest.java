package io.headroom.collect;

import static io.headroom.collect.TestSupport.config;
import static io.headroom.collect.TestSupport.error;
import static io.headroom.collect.TestSupport.form;
import static io.headroom.collect.TestSupport.json;
import static io.headroom.collect.TestSupport.matrix;
import static io.headroom.collect.TestSupport.ok;
import static io.headroom.collect.TestSupport.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.headroom.config.FeatureSpec;
import io.headroom.config.FeatureSpec.Direction;
import io.headroom.config.FeatureSpec.Kind;
import io.headroom.config.FeatureSpec.Pressure;
import io.headroom.metrics.Metrics;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alignment of crafted range results on the grid, served by a fake Prometheus that answers by query text. */
class FeatureCollectorTest {

    private static final double NaN = Double.NaN;
    private static final Instant T0 = Instant.parse("2026-01-02T03:00:00Z");
    /** Six steps, a minute apart: T0 .. T0+5m. */
    private static final StepGrid GRID = new StepGrid(T0, T0.plusSeconds(300), Duration.ofMinutes(1));

    private static final FeatureSpec CPU = new FeatureSpec("cpu",
            "sum by (${label}) (rate(cpu_seconds_total[5m]))", Kind.GAUGE, Pressure.CPU, Direction.ABOVE);
    private static final FeatureSpec NET = new FeatureSpec("net",
            "sum by (${label}) (net_bytes_total)", Kind.COUNTER, Pressure.NETWORK, Direction.ABOVE);

    private final MockWebServer server = new MockWebServer();
    private final Metrics metrics = Metrics.isolated();
    private final Map<String, MockResponse> answers = new ConcurrentHashMap<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private PrometheusClient client;
    private FeatureCollector collector;

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String query = form(request).get("query");
                queries.add(query);
                return answers.getOrDefault(query, json(400, error("bad_data", "unexpected query " + query)));
            }
        });
        server.start();
        useMaxPointsPerQuery(11_000);
    }

    private void useMaxPointsPerQuery(int maxPoints) {
        if (client != null) {
            client.close();
        }
        client = new PrometheusClient(config(server.url("/").uri(), 1, maxPoints), metrics);
        collector = new FeatureCollector(client, metrics);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private void answer(FeatureSpec spec, String... series) {
        answers.put(spec.queryFor("domain"), ok(matrix(series)));
    }

    /** Epoch seconds of step {@code i}, plus {@code offsetSeconds}. */
    private static long t(int i, int offsetSeconds) {
        return T0.getEpochSecond() + 60L * i + offsetSeconds;
    }

    private static long t(int i) {
        return t(i, 0);
    }

    private static Map<String, String> domain(String name) {
        return Map.of("domain", name, "instance", "host1:9177");
    }

    private FeatureMatrix collect(List<FeatureSpec> features, Optional<Set<String>> workloads) {
        return collector.collect(features, "domain", workloads, GRID);
    }

    private static double[] column(FeatureMatrix m, String workload, String feature) {
        int w = m.workloadIndex(workload);
        int f = m.featureIndex(feature);
        double[] values = new double[m.grid().size()];
        for (int s = 0; s < values.length; s++) {
            values[s] = m.value(w, s, f);
        }
        return values;
    }

    @Test
    void nanInfinitiesGapsAndOffGridPointsBecomeMissing() {
        answer(CPU, series(domain("vm1"),
                t(0), "1", t(0, 30), "99", t(1), "NaN", t(2), "+Inf", t(4), "-Inf", t(5), "5", t(6), "6"));

        FeatureMatrix m = collect(List.of(CPU), Optional.empty());

        assertThat(m.workloads()).containsExactly("vm1");
        assertThat(column(m, "vm1", "cpu")).containsExactly(1, NaN, NaN, NaN, NaN, 5);
        assertThat(m.missingCounts()).containsEntry("cpu", 4);
    }

    @Test
    void aWorkloadThatAppearsHalfwayIsMissingBeforeIt() {
        answer(CPU,
                series(domain("vm1"), t(0), "1", t(1), "1", t(2), "1", t(3), "1", t(4), "1", t(5), "1"),
                series(domain("vm2"), t(3), "3", t(4), "4", t(5), "5"));

        FeatureMatrix m = collect(List.of(CPU), Optional.empty());

        assertThat(m.workloads()).containsExactly("vm1", "vm2");
        assertThat(column(m, "vm2", "cpu")).containsExactly(NaN, NaN, NaN, 3, 4, 5);
        assertThat(m.missingCount(0)).isEqualTo(3);
    }

    @Test
    void givenWorkloadsAreExactlyTheRowsEvenWithoutData() {
        answer(CPU,
                series(domain("vm1"), t(0), "1"),
                series(domain("vm3"), t(0), "3"));

        FeatureMatrix m = collect(List.of(CPU), Optional.of(Set.of("vm9", "vm1")));

        assertThat(m.workloads()).containsExactly("vm1", "vm9");
        assertThat(column(m, "vm9", "cpu")).containsOnly(NaN);
        assertThat(column(m, "vm1", "cpu")).containsExactly(1, NaN, NaN, NaN, NaN, NaN);
    }

    @Test
    void withoutGivenWorkloadsRowsAreTheUnionOverFeatures() {
        answer(CPU, series(domain("vm1"), t(0), "1"));
        answer(NET, series(domain("vm2"), t(0), "10", t(1), "70"));

        FeatureMatrix m = collect(List.of(CPU, NET), Optional.empty());

        assertThat(m.workloads()).containsExactly("vm1", "vm2");
        assertThat(m.features()).containsExactly("cpu", "net");
        assertThat(m.row("vm1", 0)).containsExactly(1, NaN);
        assertThat(m.row("vm2", 1)).containsExactly(NaN, 1);
    }

    @Test
    void countersBecomePerSecondRatesWithResetsAndNoRateNextToAGap() {
        // 10 → 70 → 130: +60 per minute; 130 → 40 is a reset (restarted from 0, so +40); then a gap.
        answer(NET, series(domain("vm1"), t(0), "10", t(1), "70", t(2), "130", t(3), "40", t(5), "100"));

        FeatureMatrix m = collect(List.of(NET), Optional.empty());

        assertThat(column(m, "vm1", "net")).containsExactly(NaN, 1, 1, 40.0 / 60, NaN, NaN);
    }

    @Test
    void duplicateWorkloadSeriesKeepTheFirstAndWarnNamingTheFeature() {
        answer(CPU,
                series(Map.of("domain", "vm1", "instance", "a"), t(0), "1"),
                series(Map.of("domain", "vm1", "instance", "b"), t(0), "2"));

        try (TestSupport.LogCapture logs = new TestSupport.LogCapture(FeatureCollector.class)) {
            FeatureMatrix m = collect(List.of(CPU), Optional.empty());

            assertThat(m.value(0, 0, 0)).isEqualTo(1);
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains("feature cpu", "vm1", "by (domain)");
        }
    }

    @Test
    void aSeriesWithoutTheWorkloadLabelIsIgnored() {
        answer(CPU,
                series(Map.of("instance", "host1:9177"), t(0), "7"),
                series(domain("vm1"), t(0), "1"));

        try (TestSupport.LogCapture logs = new TestSupport.LogCapture(FeatureCollector.class)) {
            FeatureMatrix m = collect(List.of(CPU), Optional.empty());

            assertThat(m.workloads()).containsExactly("vm1");
            assertThat(logs.messages(Level.DEBUG)).singleElement().asString().contains("cpu", "1 series");
            assertThat(logs.messages(Level.WARN)).isEmpty();
        }
    }

    @Test
    void oneRangeQueryPerFeatureWithTheLabelSubstituted() {
        answer(CPU, series(domain("vm1"), t(0), "1"), series(domain("vm2"), t(0), "2"));
        answer(NET, series(domain("vm1"), t(0), "1"), series(domain("vm2"), t(0), "2"));

        collect(List.of(CPU, NET), Optional.of(Set.of("vm1", "vm2", "vm3")));

        assertThat(queries).containsExactly(
                "sum by (domain) (rate(cpu_seconds_total[5m]))", "sum by (domain) (net_bytes_total)");
    }

    @Test
    void aLongGridIsChunkedButAlignedTheSame() {
        useMaxPointsPerQuery(4);
        answer(CPU, series(domain("vm1"), t(0), "0", t(1), "1", t(2), "2", t(3), "3", t(4), "4", t(5), "5"));

        FeatureMatrix m = collect(List.of(CPU), Optional.empty());

        assertThat(queries).hasSize(2);
        assertThat(column(m, "vm1", "cpu")).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void aFailedFeatureQueryFailsTheCollectionNamingTheFeature() {
        answer(CPU, series(domain("vm1"), t(0), "1"));

        assertThatThrownBy(() -> collect(List.of(CPU, NET), Optional.empty()))
                .isInstanceOfSatisfying(CollectionException.class, e -> {
                    assertThat(e.feature()).isEqualTo("net");
                    assertThat(e.getCause().reason()).isEqualTo(PrometheusException.Reason.HTTP_4XX);
                })
                .hasMessageContaining("feature net")
                .hasMessageContaining("unexpected query");
    }

    @Test
    void concurrentQueriesGiveTheSameMatrixAndNameTheFirstFailedFeature() {
        FeatureSpec disk = new FeatureSpec("disk", "sum by (${label}) (disk_bytes_total)", Kind.COUNTER, Pressure.IO,
                Direction.ABOVE);
        answer(CPU, series(domain("vm1"), t(0), "1", t(1), "2"), series(domain("vm2"), t(3), "7"));
        answer(NET, series(domain("vm1"), t(0), "10", t(1), "70", t(2), "130"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            FeatureMatrix inTurn = collect(List.of(CPU, NET), Optional.empty());
            FeatureMatrix together = collector.fetch(List.of(CPU, NET), "domain", Optional.empty(), GRID, pool)
                    .matrix();
            assertThat(together.workloads()).isEqualTo(inTurn.workloads());
            assertThat(together.toArray()).isEqualTo(inTurn.toArray());
            // net and disk both fail: net, the first in the features' order, is the one reported, every time.
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> collector.fetch(List.of(CPU, disk, NET), "domain", Optional.empty(), GRID,
                        pool)).isInstanceOfSatisfying(CollectionException.class,
                                e -> assertThat(e.feature()).isEqualTo("disk"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedCycleKeepsTheRollingMatrixAndTheNextOneFetchesWhatBothMissed() {
        answer(CPU, series(domain("vm1"), t(0), "0", t(1), "1", t(2), "2", t(3), "3", t(4), "4", t(5), "5"));
        StepGrid first = new StepGrid(T0, T0.plusSeconds(180), Duration.ofMinutes(1));
        StepGrid third = new StepGrid(T0.plusSeconds(60), T0.plusSeconds(300), Duration.ofMinutes(1));
        try (RollingCollector rolling = new RollingCollector(collector, Duration.ofMinutes(1), metrics)) {
            rolling.collect(List.of(CPU), "domain", Set.of("vm1"), first);
            answers.clear();
            assertThatThrownBy(() -> rolling.collect(List.of(CPU), "domain", Set.of("vm1"),
                    new StepGrid(T0.plusSeconds(60), T0.plusSeconds(240), Duration.ofMinutes(1))))
                    .isInstanceOf(CollectionException.class);
            answer(CPU, series(domain("vm1"), t(0), "0", t(1), "1", t(2), "2", t(3), "3", t(4), "4", t(5), "5"));
            queries.clear();
            FeatureMatrix m = rolling.collect(List.of(CPU), "domain", Set.of("vm1"), third);
            assertThat(column(m, "vm1", "cpu")).containsExactly(1, 2, 3, 4, 5);
            // One query, from the step before the cut (the first cycle's last step minus the refetch) to the end.
            assertThat(queries).hasSize(1);
            assertThat(metrics.registry().getSampleValue("headroom_collection_fetches_total",
                    new String[] {"range"}, new String[] {"recent"})).isEqualTo(1.0);
        }
    }

    @Test
    void seriesAndMissingCellsArePublishedPerFeature() {
        answer(CPU,
                series(domain("vm1"), t(0), "1", t(1), "1"),
                series(domain("vm2"), t(0), "1"),
                series(Map.of("instance", "x"), t(0), "1"));
        answer(NET, series(domain("vm1"), t(0), "1", t(1), "2"));

        collect(List.of(CPU, NET), Optional.empty());

        assertThat(gauge("headroom_feature_series", "cpu")).isEqualTo(3);
        assertThat(gauge("headroom_feature_series", "net")).isEqualTo(1);
        // 2 workloads × 6 steps: cpu has 3 values, net has one rate (vm1 step 1).
        assertThat(gauge("headroom_feature_missing_points", "cpu")).isEqualTo(9);
        assertThat(gauge("headroom_feature_missing_points", "net")).isEqualTo(11);
    }

    private double gauge(String name, String feature) {
        Double value = metrics.registry().getSampleValue(name, new String[] {"feature"}, new String[] {feature});
        assertThat(value).as(name + "{feature=" + feature + "}").isNotNull();
        return value;
    }
}
