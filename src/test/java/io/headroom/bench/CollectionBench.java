package io.headroom.bench;

import io.headroom.collect.FeatureCollector;
import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.PrometheusClient;
import io.headroom.collect.PrometheusWorkloadDiscovery;
import io.headroom.collect.StepGrid;
import io.headroom.config.ConfigLoader;
import io.headroom.config.FeatureSpec;
import io.headroom.config.HeadroomConfig;
import io.headroom.metrics.Metrics;
import io.headroom.testing.GuestFleet;
import io.headroom.testing.OpenMetricsWriter;
import io.headroom.testing.PrometheusExtension;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * One daemon collection cycle (discovery + one range query per feature + alignment) for W workloads x the 8
 * features of the libvirt-exporter preset, against a real local Prometheus holding an hour of backfilled
 * history. The peer, measured in the same run and interleaved with it, is the bare HTTP cost of the same nine
 * requests with the JDK's HttpClient (bodies read and discarded): the ratio is Headroom's own overhead.
 *
 * <p>Run through {@code src/bench/collect-bench.sh}; prints one JSON object.
 */
public final class CollectionBench {

    private CollectionBench() {}

    public static void main(String[] args) throws Exception {
        int workloads = Integer.parseInt(args.length > 0 ? args[0] : "1000");
        int runs = Integer.parseInt(args.length > 1 ? args[1] : "15");
        long end = Instant.now().getEpochSecond() / 15 * 15;
        try (PrometheusExtension prom = PrometheusExtension.builder()
                .backfill(out -> history(out, workloads, end)).startupTimeout(Duration.ofMinutes(5)).build()) {
            long t0 = System.nanoTime();
            prom.start();
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            HeadroomConfig cfg = ConfigLoader.parse("""
                    prometheus: {url: '%s'}
                    workloads: {source: prometheus}
                    collection: {interval: 30s, step: 30s, lookback: 15m}
                    """.formatted(prom.baseUrl()), null);
            Metrics metrics = Metrics.isolated();
            HttpClient raw = HttpClient.newHttpClient();
            double[] cycle = new double[runs];
            double[] peer = new double[runs];
            int cells = 0;
            try (PrometheusClient client = new PrometheusClient(cfg.prometheus(), metrics)) {
                var discovery = new PrometheusWorkloadDiscovery(client, cfg.workloads(), cfg.collection().lookback());
                FeatureCollector collector = new FeatureCollector(client, metrics);
                for (int warm = 0; warm < 3; warm++) {
                    cells = runCycle(cfg, discovery, collector, end);
                    runPeer(raw, prom.baseUrl(), cfg, end);
                }
                for (int r = 0; r < runs; r++) {
                    long a = System.nanoTime();
                    cells = runCycle(cfg, discovery, collector, end);
                    cycle[r] = (System.nanoTime() - a) / 1e9;
                    long b = System.nanoTime();
                    runPeer(raw, prom.baseUrl(), cfg, end);
                    peer[r] = (System.nanoTime() - b) / 1e9;
                }
            }
            double mc = median(cycle);
            double mp = median(peer);
            System.out.printf(Locale.ROOT, "{\"workloads\": %d, \"features\": %d, \"runs\": %d, \"matrix_cells\": %d, "
                            + "\"prometheus_start_with_backfill_seconds\": %.1f, "
                            + "\"cycle_median_seconds\": %.4f, \"cycle_min_seconds\": %.4f, \"cycle_max_seconds\": %.4f, "
                            + "\"peer_raw_http_median_seconds\": %.4f, \"ratio_cycle_over_raw_http\": %.2f}%n",
                    workloads, cfg.features().size(), runs, cells, startSeconds, mc, min(cycle), max(cycle), mp, mc / mp);
        }
    }

    private static int runCycle(HeadroomConfig cfg, PrometheusWorkloadDiscovery discovery, FeatureCollector collector,
                                long end) {
        Instant now = Instant.ofEpochSecond(end);
        SortedSet<String> names = discovery.discover(now);
        StepGrid grid = StepGrid.aligned(now.minus(cfg.collection().lookback()), now, cfg.collection().step());
        FeatureMatrix m = collector.collect(cfg.features(), cfg.workloads().label(), Optional.of(names), grid);
        return m.workloads().size() * m.grid().size() * m.features().size();
    }

    /** The same nine HTTP requests, bodies read and thrown away: the floor any client pays. */
    private static void runPeer(HttpClient http, String base, HeadroomConfig cfg, long end) throws Exception {
        long start = end - cfg.collection().lookback().toSeconds();
        send(http, base + "/api/v1/label/domain/values?match[]=" + enc(cfg.workloads().selector())
                + "&start=" + start + "&end=" + end);
        for (FeatureSpec f : cfg.features()) {
            send(http, base + "/api/v1/query_range?query=" + enc(f.queryFor("domain")) + "&start=" + start
                    + "&end=" + end + "&step=30");
        }
    }

    private static void send(HttpClient http, String url) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " -> " + r.statusCode());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** An hour of libvirt-exporter-shaped series for every workload, 15 s apart. */
    static void history(OpenMetricsWriter out, int workloads, long end) {
        List<OpenMetricsWriter.Family> families = new ArrayList<>();
        for (String c : GuestFleet.COUNTERS) {
            families.add(out.counter(c, "Bench counter."));
        }
        for (String g : GuestFleet.GAUGES) {
            families.add(out.gauge(g, "Bench gauge."));
        }
        for (int w = 0; w < workloads; w++) {
            Map<String, String> labels = Map.of("domain", "vm-" + w);
            for (int f = 0; f < families.size(); f++) {
                OpenMetricsWriter.Series s = families.get(f).series(labels);
                double acc = 0;
                for (long t = end - 3600; t <= end; t += 15) {
                    acc += f < GuestFleet.COUNTERS.size() ? (w % 7 + 1) * (f + 1) * 15.0 : 0;
                    s.sample(f < GuestFleet.COUNTERS.size() ? acc : (w % 4 + 1) * (double) (f + 1), t);
                }
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
