package io.headroom.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.ConfigLoader;
import io.headroom.config.FeatureSpec;
import io.headroom.config.HeadroomConfig;
import io.headroom.metrics.Metrics;
import io.headroom.testing.OpenMetricsWriter;
import io.headroom.testing.PrometheusExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rolling collection against a real Prometheus: cycle after cycle, its matrix is the one a fetch of the whole
 * lookback gives, bit for bit, while it fetches only the recent part, and it fetches the whole lookback when the
 * previous matrix cannot stand in.
 */
class RollingCollectorIT {

    /** Six hours of history, 15 s apart, ending here (a multiple of the step). */
    static final long END = Instant.parse("2026-11-30T12:00:00Z").getEpochSecond();
    static final long START = END - 6 * 3600;
    static final List<String> DOMAINS = List.of("vm-0", "vm-1", "vm-2", "vm-late");

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder()
            .backfill(RollingCollectorIT::history).build();

    private PrometheusClient client;
    private Metrics metrics;
    private final List<RollingCollector> opened = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        metrics = Metrics.isolated();
        client = new PrometheusClient(config(0).prometheus(), metrics);
    }

    @AfterEach
    void close() {
        opened.forEach(RollingCollector::close);
        if (client != null) {
            client.close();
        }
    }

    /**
     * The preset's libvirt-exporter series, and a raw counter for a counter-kind feature: with noise, a counter
     * reset (vm-1), a gap in the data (vm-2) and a guest that starts late (vm-late).
     */
    static void history(OpenMetricsWriter out) {
        List<OpenMetricsWriter.Family> counters = new ArrayList<>();
        for (String c : List.of("libvirt_domain_info_cpu_time_seconds_total",
                "libvirt_domain_block_stats_read_bytes_total", "libvirt_domain_block_stats_write_bytes_total",
                "libvirt_domain_interface_stats_receive_bytes_total", "bench_raw_requests_total")) {
            counters.add(out.counter(c, "Test counter."));
        }
        OpenMetricsWriter.Family mem = out.gauge("libvirt_domain_info_memory_usage_bytes", "Test gauge.");
        OpenMetricsWriter.Family max = out.gauge("libvirt_domain_info_maximum_memory_bytes", "Test gauge.");
        OpenMetricsWriter.Family vcpus = out.gauge("libvirt_domain_info_virtual_cpus", "Test gauge.");
        java.util.Random random = new java.util.Random(7);
        for (int d = 0; d < DOMAINS.size(); d++) {
            String name = DOMAINS.get(d);
            Map<String, String> l = Map.of("domain", name);
            long from = name.equals("vm-late") ? END - 1800 : START;
            double[] acc = new double[counters.size()];
            for (long t = from; t <= END; t += 15) {
                if (name.equals("vm-2") && t > END - 5000 && t < END - 4000) {
                    continue;
                }
                for (int c = 0; c < counters.size(); c++) {
                    acc[c] += (d + 1) * (c + 1) * 15 * (0.5 + random.nextDouble());
                    if (name.equals("vm-1") && t == END - 3000) {
                        acc[c] = 0;
                    }
                    counters.get(c).series(l).sample(acc[c], t);
                }
                mem.series(l).sample((1L << 30) * (1 + 0.2 * random.nextDouble()), t);
                max.series(l).sample(4L << 30, t);
                vcpus.series(l).sample(2, t);
            }
        }
    }

    static HeadroomConfig config(long refetchSeconds) throws Exception {
        return config(prometheus.baseUrl(), refetchSeconds);
    }

    /** The features above (the preset's and the counter-kind one), read from the Prometheus at {@code url}. */
    static HeadroomConfig config(String url, long refetchSeconds) throws Exception {
        return ConfigLoader.parse("""
                prometheus: {url: '%s'}
                collection: {step: 30s, lookback: 2h, refetch: %ds}
                features:
                  custom:
                    - {name: raw_requests, query: 'sum by (${label}) (bench_raw_requests_total)', kind: counter, pressure: none}
                """.formatted(url, refetchSeconds), null);
    }

    private RollingCollector rolling(Duration refetch) {
        RollingCollector r = new RollingCollector(new FeatureCollector(client, metrics), refetch, metrics);
        opened.add(r);
        return r;
    }

    private StepGrid grid(long endSeconds) {
        Instant end = Instant.ofEpochSecond(endSeconds);
        return StepGrid.aligned(end.minus(Duration.ofHours(2)), end, Duration.ofSeconds(30));
    }

    private double fetches(String range) {
        Double v = metrics.registry().getSampleValue("headroom_collection_fetches_total", new String[] {"range"},
                new String[] {range});
        return v == null ? 0 : v;
    }

    @Test
    void everyCycleEqualsAWholeFetchBitForBit() throws Exception {
        HeadroomConfig cfg = config(300);
        FeatureCollector whole = new FeatureCollector(client, Metrics.isolated());
        RollingCollector rolling = rolling(Duration.ofMinutes(5));
        Set<String> workloads = new TreeSet<>(DOMAINS.subList(0, 3));
        int compared = 0;
        // Cycles 30 s apart, then 10 s apart (several on one grid), then a gap of 20 minutes, across the gap and
        // the reset; the late guest joins half-way.
        List<Long> ends = new ArrayList<>();
        for (long t = END - 5400; t <= END - 3600; t += 30) {
            ends.add(t);
        }
        for (long t = END - 3590; t <= END - 3000; t += 10) {
            ends.add(t);
        }
        for (long t = END - 1800; t <= END; t += 90) {
            ends.add(t);
        }
        for (long end : ends) {
            if (end >= END - 1200) {
                workloads.add("vm-late");
            }
            FeatureMatrix expected = whole.collect(cfg.features(), "domain", java.util.Optional.of(workloads),
                    grid(end));
            FeatureMatrix actual = rolling.collect(cfg.features(), "domain", workloads, grid(end));
            assertThat(actual.workloads()).isEqualTo(expected.workloads());
            assertThat(actual.grid()).isEqualTo(expected.grid());
            assertThat(firstDifference(actual, expected)).as("cycle ending %s", Instant.ofEpochSecond(end))
                    .isEmpty();
            compared++;
        }
        assertThat(compared).isEqualTo(ends.size());
        // Only the first cycle and the guest that joined need the whole lookback: a gap shorter than it keeps rows.
        assertThat(fetches("whole")).isEqualTo(2);
        assertThat(fetches("recent")).isEqualTo(ends.size() - 2);
        // Some of the data is really there: the matrices compared are not all empty.
        FeatureMatrix last = rolling.collect(cfg.features(), "domain", workloads, grid(END));
        assertThat(last.missingCount(0)).isLessThan(last.grid().size());
    }

    /** The first cell whose bits differ, described; empty if none does. */
    static java.util.Optional<String> firstDifference(FeatureMatrix actual, FeatureMatrix expected) {
        double[] a = actual.toArray();
        double[] e = expected.toArray();
        int width = expected.features().size();
        int steps = expected.grid().size();
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(e[i])) {
                return java.util.Optional.of(String.format("%s at step %d of %d, %s: %s instead of %s",
                        expected.workloads().get(i / width / steps), i / width % steps, steps,
                        expected.features().get(i % width), a[i], e[i]));
            }
        }
        return java.util.Optional.empty();
    }

    @Test
    void theWholeLookbackWhenThePreviousMatrixCannotStandIn() throws Exception {
        HeadroomConfig cfg = config(300);
        RollingCollector rolling = rolling(Duration.ofMinutes(5));
        Set<String> three = new TreeSet<>(DOMAINS.subList(0, 3));
        rolling.collect(cfg.features(), "domain", three, grid(END - 7200));
        rolling.collect(cfg.features(), "domain", three, grid(END - 7170));
        assertThat(fetches("whole")).isEqualTo(1);
        assertThat(fetches("recent")).isEqualTo(1);
        // A guest that left: its rows are dropped, nothing fetched whole.
        FeatureMatrix two = rolling.collect(cfg.features(), "domain", Set.of("vm-0", "vm-2"), grid(END - 7140));
        assertThat(two.workloads()).containsExactly("vm-0", "vm-2");
        assertThat(fetches("whole")).isEqualTo(1);
        // Other features (a reload): whole.
        rolling.collect(cfg.features().subList(0, 3), "domain", three, grid(END - 7110));
        assertThat(fetches("whole")).isEqualTo(2);
        // More than the lookback since the previous cycle: whole.
        rolling.collect(cfg.features().subList(0, 3), "domain", three, grid(END - 7110 + 7300));
        assertThat(fetches("whole")).isEqualTo(3);
        // Forgotten (the Prometheus settings changed): whole.
        rolling.forget();
        rolling.collect(cfg.features().subList(0, 3), "domain", three, grid(END - 7110 + 7330));
        assertThat(fetches("whole")).isEqualTo(4);
        assertThat(fetches("recent")).isEqualTo(2);
    }

    @Test
    void refetchZeroFetchesTheWholeLookbackEveryCycle() throws Exception {
        HeadroomConfig cfg = config(0);
        assertThat(cfg.collection().refetch()).isZero();
        RollingCollector rolling = rolling(cfg.collection().refetch());
        for (long end = END - 600; end <= END; end += 30) {
            rolling.collect(cfg.features(), "domain", Set.copyOf(DOMAINS), grid(end));
        }
        assertThat(fetches("whole")).isEqualTo(21);
        assertThat(fetches("recent")).isZero();
    }
}
