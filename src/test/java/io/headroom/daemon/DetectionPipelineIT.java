package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.metrics.Metrics;
import io.headroom.testing.OpenMetricsWriter;
import io.headroom.testing.Poll;
import io.headroom.testing.PrometheusExtension;
import io.prometheus.client.CollectorRegistry;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on real components: a real Prometheus with six hours of libvirt-exporter history for two
 * domains, the last ten minutes of which are a CPU surge on web-2 (marked by the failure query, so training leaves
 * it out), and libvirt's test driver holding both domains. In enforce mode the daemon trains, scores web-2 high
 * and web-1 low, and raises web-2's vCPUs only.
 */
class DetectionPipelineIT {

    static final long STEP = 15;
    static final long END = Instant.now().getEpochSecond() / STEP * STEP;
    static final long START = END - 6 * 3600;
    static final long SURGE = END - 600;
    /** The history runs on ten minutes past the test's start, standing in for live scrapes. */
    static final long LAST = END + 600;

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder().backfill(DetectionPipelineIT::history).build();

    static void history(OpenMetricsWriter out) {
        OpenMetricsWriter.Family cpu = out.counter("libvirt_domain_info_cpu_time_seconds_total", "CPU time.");
        OpenMetricsWriter.Family vcpus = out.gauge("libvirt_domain_info_virtual_cpus", "vCPUs.");
        OpenMetricsWriter.Family mem = out.gauge("libvirt_domain_info_memory_usage_bytes", "Memory.");
        OpenMetricsWriter.Family max = out.gauge("libvirt_domain_info_maximum_memory_bytes", "Max memory.");
        OpenMetricsWriter.Family failing = out.gauge("guest_failing", "1 while the guest is failing.");
        for (String d : new String[] {"web-1", "web-2"}) {
            SplittableRandom rng = new SplittableRandom(d.hashCode());
            Map<String, String> l = Map.of("domain", d);
            OpenMetricsWriter.Series c = cpu.series(l);
            double used = 0;
            for (long t = START; t <= LAST; t += STEP) {
                boolean surge = d.equals("web-2") && t >= SURGE;
                double perVcpu = surge ? 0.97 : 0.3 + 0.1 * Math.sin(2 * Math.PI * t / 3600.0) + 0.03 * rng.nextGaussian();
                used += 2 * perVcpu * STEP;
                c.sample(used, t);
                vcpus.sample(l, 2, t);
                mem.sample(l, (1L << 30) * (1.0 + 0.02 * rng.nextGaussian()), t);
                max.sample(l, 4L << 30, t);
                failing.sample(l, surge ? 1 : 0, t);
            }
        }
    }

    private Daemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void trainsScoresAndRaisesOnlyTheSurgingDomain(@TempDir Path dir) throws Exception {
        Path node = Path.of(getClass().getResource("/io/headroom/act/node.xml").toURI());
        HeadroomConfig cfg = ConfigLoader.parse("""
                prometheus: {url: '%s'}
                workloads: {source: libvirt, libvirt_uri: 'test://%s'}
                collection: {interval: 1s, step: 15s, lookback: 1h}
                detection: {training_window: 5h, min_training_rows: 200, retrain_every: 1h,
                            failure_query: 'max by (domain) (guest_failing)', failure_margin: 5m}
                act: {mode: enforce}
                server: {listen: '127.0.0.1:0'}
                state_dir: %s
                """.formatted(prometheus.baseUrl(), node.toAbsolutePath(), dir), null);
        Metrics metrics = new Metrics(new CollectorRegistry());
        daemon = new Daemon(cfg, metrics, new VertxOptions());
        daemon.start();
        CollectorRegistry r = metrics.registry();

        Poll.until(Duration.ofSeconds(120), "web-2 raised", () -> gauge(r, "headroom_workload_vcpus", "web-2"),
                v -> v != null && v > 2);

        assertThat(gauge(r, "headroom_anomaly_score", "web-2")).isGreaterThan(70);
        assertThat(gauge(r, "headroom_anomaly_score", "web-1")).isLessThanOrEqualTo(30);
        assertThat(r.getSampleValue("headroom_anomaly_attribution", new String[] {"workload", "feature"},
                new String[] {"web-2", "cpu_cores_used"})).isGreaterThan(0.5);
        assertThat(r.getSampleValue("headroom_workload_model_info", new String[] {"workload", "scope", "type"},
                new String[] {"web-2", "workload", "isolation-forest"})).isEqualTo(1.0);
        assertThat(gauge(r, "headroom_workload_baseline_vcpus", "web-2")).isEqualTo(2.0);
        // The domain's defined maximum (node.xml: 8 vCPUs, 4096 MiB), which dashboards draw as the ceiling.
        assertThat(gauge(r, "headroom_workload_max_vcpus", "web-2")).isEqualTo(8.0);
        assertThat(gauge(r, "headroom_workload_max_memory_bytes", "web-2")).isEqualTo(4096.0 * 1024 * 1024);
        // The value the score came from: web-2's surge runs each of its 2 vCPUs at 0.97, 1.94 cores.
        assertThat(r.getSampleValue("headroom_feature_value", new String[] {"workload", "feature"},
                new String[] {"web-2", "cpu_cores_used"})).isCloseTo(1.94, within(0.04));
        assertThat(gauge(r, "headroom_workload_vcpus", "web-1")).isEqualTo(2.0);
        try (var files = Files.list(dir.resolve("models"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .contains("workload%3Aweb-1.model", "workload%3Aweb-2.model", "global.model");
        }
    }

    static Double gauge(CollectorRegistry r, String name, String workload) {
        return r.getSampleValue(name, new String[] {"workload"}, new String[] {workload});
    }
}
