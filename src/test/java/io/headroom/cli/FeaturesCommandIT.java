package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.collect.FeatureCollector;
import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.PrometheusClient;
import io.headroom.collect.StepGrid;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.metrics.Metrics;
import io.headroom.testing.OpenMetricsWriter;
import io.headroom.testing.PrometheusExtension;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code headroom features} against a real Prometheus holding 3 days of history for 50 workloads x 6
 * features, checked cell by cell against an independent model of what Prometheus returns (last sample within
 * the 5 minute lookback, inclusive in Prometheus 2.x), including gaps, NaN, +Inf, a late workload and
 * counter resets.
 */
class FeaturesCommandIT {

    static final long STEP = 30;
    static final int WORKLOADS = 50;
    static final int GAUGES = 5;
    static final long LOOKBACK = 300;
    /** History ends an hour ago, on the step grid; it spans exactly 3 days. */
    static final long END = (Instant.now().getEpochSecond() - 3600) / STEP * STEP;
    static final long START = END - Duration.ofDays(3).toSeconds();
    static final int POINTS = (int) ((END - START) / STEP) + 1;

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder()
            .backfill(FeaturesCommandIT::history)
            .build();

    static String workload(int w) {
        return String.format("vm-%02d", w);
    }

    /** Raw sample of gauge {@code f} of workload {@code w} at index {@code i}, or null if none was written. */
    static Double gaugeSample(int w, int f, int i) {
        if (w == 7 && i < POINTS / 2) {
            return null; // vm-07 starts half way through
        }
        if (w == 3 && i >= 1000 && i < 1200) {
            return null; // vm-03 has a 100 minute gap
        }
        if (f == 2 && w == 5 && i % 500 == 0) {
            return Double.NaN;
        }
        if (f == 3 && w == 6 && i == 4000) {
            return Double.POSITIVE_INFINITY;
        }
        return w * 1000.0 + f * 100.0 + (i % 97) * 0.25;
    }

    /** Raw counter of workload {@code w}: +w*3 per step, reset to 0 every 2000 steps. */
    static Double counterSample(int w, int i) {
        if (w == 7 && i < POINTS / 2) {
            return null;
        }
        if (w == 3 && i >= 1000 && i < 1200) {
            return null;
        }
        return (double) (i % 2000) * w * 3;
    }

    static void history(OpenMetricsWriter out) {
        List<OpenMetricsWriter.Family> gauges = new ArrayList<>();
        for (int f = 0; f < GAUGES; f++) {
            gauges.add(out.gauge("hr_gauge_" + f, "Test gauge " + f + "."));
        }
        OpenMetricsWriter.Family counter = out.counter("hr_requests_total", "Test counter with resets.");
        for (int w = 1; w <= WORKLOADS; w++) {
            Map<String, String> labels = Map.of("domain", workload(w), "instance", "host-a");
            for (int f = 0; f < GAUGES; f++) {
                OpenMetricsWriter.Series s = gauges.get(f).series(labels);
                for (int i = 0; i < POINTS; i++) {
                    Double v = gaugeSample(w, f, i);
                    if (v != null) {
                        s.sample(v, START + i * STEP);
                    }
                }
            }
            OpenMetricsWriter.Series c = counter.series(labels);
            for (int i = 0; i < POINTS; i++) {
                Double v = counterSample(w, i);
                if (v != null) {
                    c.sample(v, START + i * STEP);
                }
            }
        }
    }

    /** What an instant query sees at grid index i: the last sample at most 5 minutes old. */
    static double seen(java.util.function.IntFunction<Double> raw, int i) {
        for (int back = 0; back <= LOOKBACK / STEP && i - back >= 0; back++) {
            Double v = raw.apply(i - back);
            if (v != null) {
                return v;
            }
        }
        return Double.NaN;
    }

    static double expected(int w, int feature, int i) {
        if (feature < GAUGES) {
            double v = seen(k -> gaugeSample(w, feature, k), i);
            return Double.isInfinite(v) ? Double.NaN : v;
        }
        if (i == 0) {
            return Double.NaN;
        }
        double prev = seen(k -> counterSample(w, k), i - 1);
        double cur = seen(k -> counterSample(w, k), i);
        if (Double.isNaN(prev) || Double.isNaN(cur)) {
            return Double.NaN;
        }
        return (cur >= prev ? cur - prev : cur) / STEP;
    }

    static String config() {
        StringBuilder sb = new StringBuilder();
        sb.append("prometheus: {url: '").append(prometheus.baseUrl()).append("', retry: {max_attempts: 1}}\n");
        sb.append("workloads: {source: prometheus, label: domain, selector: hr_gauge_0}\n");
        sb.append("collection: {step: 30s}\n");
        sb.append("features:\n  preset: none\n  custom:\n");
        for (int f = 0; f < GAUGES; f++) {
            sb.append("    - {name: gauge_").append(f).append(", query: 'sum by (domain) (hr_gauge_").append(f)
                    .append(")', pressure: cpu}\n");
        }
        sb.append("    - {name: requests_rate, query: 'sum by (domain) (hr_requests_total)', kind: counter, pressure: none}\n");
        return sb.toString();
    }

    @Test
    void writesTheExactMatrix(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("headroom.yaml");
        Files.writeString(cfg, config());
        Path csv = dir.resolve("features.csv");

        int exit = Main.execute("features", "--config", cfg.toString(), "--from", Long.toString(START),
                "--to", Long.toString(END), "--out", csv.toString());

        assertThat(exit).isZero();
        int rows = 0;
        int empty = 0;
        try (BufferedReader r = Files.newBufferedReader(csv)) {
            assertThat(r.readLine()).isEqualTo(
                    "timestamp,workload,gauge_0,gauge_1,gauge_2,gauge_3,gauge_4,requests_rate");
            for (int i = 0; i < POINTS; i++) {
                String ts = Instant.ofEpochSecond(START + i * STEP).toString();
                for (int w = 1; w <= WORKLOADS; w++) {
                    String[] cells = r.readLine().split(",", -1);
                    assertThat(cells[0]).isEqualTo(ts);
                    assertThat(cells[1]).isEqualTo(workload(w));
                    for (int f = 0; f <= GAUGES; f++) {
                        double want = expected(w, f, i);
                        String cell = cells[2 + f];
                        if (Double.isNaN(want)) {
                            empty++;
                            assertThat(cell).as("%s %s feature %d", ts, workload(w), f).isEmpty();
                        } else {
                            assertThat(Double.parseDouble(cell)).as("%s %s feature %d", ts, workload(w), f)
                                    .isEqualTo(want);
                        }
                    }
                    rows++;
                }
            }
            assertThat(r.readLine()).isNull();
        }
        assertThat(rows).isEqualTo(WORKLOADS * POINTS);
        assertThat(empty).as("the data has gaps, NaN, Inf and a late start").isGreaterThan(POINTS / 2 * 6);
    }

    @Test
    void atMostTwoRequestsPerFeatureEvenWhenTheRangeMustBeSplit() throws Exception {
        HeadroomConfig cfg = ConfigLoader.parse(config(), null);
        Metrics metrics = Metrics.isolated();
        // 15 s steps over 3 days: 17,281 points, more than Prometheus' 11,000, so each feature takes two calls.
        StepGrid grid = StepGrid.aligned(Instant.ofEpochSecond(START), Instant.ofEpochSecond(END), Duration.ofSeconds(15));
        FeatureMatrix m;
        try (PrometheusClient client = new PrometheusClient(cfg.prometheus(), metrics)) {
            m = new FeatureCollector(client, metrics).collect(cfg.features(), "domain",
                    Optional.of(new TreeSet<>(List.of(workload(1), workload(50), "vm-absent"))), grid);
        }
        double calls = metrics.registry().getSampleValue("headroom_prometheus_requests_total",
                new String[] {"endpoint"}, new String[] {"query_range"});
        assertThat(calls).isEqualTo(2.0 * cfg.features().size());
        assertThat(m.workloads()).containsExactly(workload(1), workload(50), "vm-absent");
        int last = grid.size() - 1;
        // The last grid point is END itself: index POINTS-1 on the 30 s history.
        assertThat(m.value(1, last, 0)).isEqualTo(expected(50, 0, POINTS - 1));
        assertThat(m.value(0, last - 1, 4)).isEqualTo(expected(1, 4, POINTS - 2));
        for (int i = 0; i < grid.size(); i++) {
            assertThat(m.value(2, i, 0)).isNaN();
        }
    }
}
