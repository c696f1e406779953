package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.metrics.Metrics;
import io.headroom.testing.OpenMetricsWriter;
import io.headroom.testing.Poll;
import io.headroom.testing.PrometheusExtension;
import io.prometheus.client.CollectorRegistry;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The daemon against a real Prometheus holding recent libvirt-exporter history for three domains: it collects,
 * serves valid /metrics (checked with promtool), reports readiness; and, against a slow fake Prometheus, never
 * blocks an event loop.
 */
class DaemonIT {

    static final long STEP = 15;
    static final long END = Instant.now().getEpochSecond() / STEP * STEP;
    static final String[] DOMAINS = {"web-1", "web-2", "db-1"};

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder().backfill(DaemonIT::history).build();

    /** 40 minutes of libvirt-exporter series; domain i burns (i+1)/4 of a CPU per vCPU on 2 vCPUs. */
    static void history(OpenMetricsWriter out) {
        OpenMetricsWriter.Family cpu = out.counter("libvirt_domain_info_cpu_time_seconds_total", "CPU time.");
        OpenMetricsWriter.Family vcpus = out.gauge("libvirt_domain_info_virtual_cpus", "vCPUs.");
        OpenMetricsWriter.Family mem = out.gauge("libvirt_domain_info_memory_usage_bytes", "Memory.");
        OpenMetricsWriter.Family max = out.gauge("libvirt_domain_info_maximum_memory_bytes", "Max memory.");
        for (int d = 0; d < DOMAINS.length; d++) {
            Map<String, String> l = Map.of("domain", DOMAINS[d]);
            for (long t = END - 2400; t <= END; t += STEP) {
                cpu.sample(l, (t - (END - 2400)) * 2 * (d + 1) / 4.0, t);
                vcpus.sample(l, 2, t);
                mem.sample(l, 1L << 30, t);
                max.sample(l, 4L << 30, t);
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

    HeadroomConfig config(Path dir, String prometheusUrl) throws Exception {
        return config(dir, prometheusUrl, "");
    }

    /** {@code extra}: more top-level YAML, e.g. an {@code act} section. */
    HeadroomConfig config(Path dir, String prometheusUrl, String extra) throws Exception {
        return ConfigLoader.parse("""
                prometheus: {url: '%s', timeout: 1s, retry: {max_attempts: 1}}
                workloads: {source: prometheus, selector: libvirt_domain_info_virtual_cpus}
                collection: {interval: 1s, step: 15s, lookback: 10m}
                server: {listen: '127.0.0.1:0'}
                state_dir: %s
                %s
                """.formatted(prometheusUrl, dir, extra), null);
    }

    /** A Prometheus whose every answer takes {@code delayMs}: one domain, no data. */
    static MockWebServer slowPrometheus(long delayMs) throws Exception {
        MockWebServer slow = new MockWebServer();
        slow.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String body = request.getUrl().encodedPath().contains("/label/")
                        ? "{\"status\":\"success\",\"data\":[\"vm-1\"]}"
                        : "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}";
                return new MockResponse.Builder().headersDelay(delayMs, TimeUnit.MILLISECONDS)
                        .addHeader("Content-Type", "application/json").body(body).build();
            }
        });
        slow.start();
        return slow;
    }

    static VertxOptions strictEventLoop() {
        return new VertxOptions()
                .setMaxEventLoopExecuteTime(100).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                // Attach the blocked thread's stack to the warning, so a failure shows the blocking call.
                .setWarningExceptionTime(100).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
    }

    /**
     * Every Prometheus answer takes 300 ms, three times the event loop's budget: if any query ran on an event
     * loop, Vert.x's blocked-thread checker would report it. Start-up (class loading) is not watched.
     */
    @Test
    void slowPrometheusNeverBlocksTheEventLoop(@TempDir Path dir) throws Exception {
        try (MockWebServer slow = slowPrometheus(300)) {
            Metrics metrics = new Metrics(new CollectorRegistry());
            // Nine answers of 300 ms make a cycle of about 3 s: slow, but within this bound, so still ready.
            daemon = new Daemon(config(dir, slow.url("/").toString(), "act: {max_data_age: 1m}"), metrics,
                    strictEventLoop());
            int port = daemon.start();
            get(port, "/metrics");
            ListAppender<ILoggingEvent> warnings = new ListAppender<>();
            warnings.start();
            Logger checker = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
            checker.addAppender(warnings);
            try {
                Poll.until(Duration.ofSeconds(30), "three slow cycles", () -> {
                    assertThat(get(port, "/-/healthy").statusCode()).isEqualTo(200);
                    // The status API too: 503 before the first cycle, 200 after, never a blocked event loop.
                    assertThat(get(port, "/api/v1/workloads").statusCode()).isIn(200, 503);
                    return metrics.registry().getSampleValue("headroom_prometheus_requests_total",
                            new String[] {"endpoint"}, new String[] {"query_range"});
                }, v -> v != null && v >= 3 * 8);
            } finally {
                checker.detachAppender(warnings);
            }
            HttpResponse<String> ready = get(port, "/-/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(warnings.list).as("blocked event loop warnings").allSatisfy(e -> {
                throw new AssertionError(e.getFormattedMessage() + "\n" + (e.getThrowableProxy() == null ? ""
                        : ch.qos.logback.classic.spi.ThrowableProxyUtil.asString(e.getThrowableProxy())));
            });
        }
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        // A client per call and a deadline of our own: the client's request timeout is run by its selector thread,
        // and a shared client whose selector stopped firing once left this test hung for good.
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
                .get(20, TimeUnit.SECONDS);
    }

    @Test
    void collectsServesMetricsAndBecomesReady(@TempDir Path dir) throws Exception {
        Metrics metrics = new Metrics(new CollectorRegistry());
        daemon = new Daemon(config(dir, prometheus.baseUrl()), metrics, new VertxOptions()).withJvmMetrics();
        int port = daemon.start();

        assertThat(get(port, "/-/healthy").statusCode()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(30), "/-/ready", () -> get(port, "/-/ready").statusCode(), s -> s == 200);

        String body = get(port, "/metrics").body();
        assertThat(body).contains("headroom_workloads 3.0",
                "headroom_stage_success{stage=\"collect\",} 1.0",
                "headroom_feature_series{feature=\"cpu_cores_used\",} 3.0",
                "headroom_build_info{version=",
                "jvm_memory_bytes_used");
        assertThat(promtoolCheckMetrics(dir, body)).isEmpty();

        Snapshot snap = daemon.latest().orElseThrow();
        assertThat(snap.workloads()).containsExactly("db-1", "web-1", "web-2");
        int cpu = snap.matrix().features().indexOf("cpu_cores_used");
        int web2 = snap.matrix().workloads().indexOf("web-2");
        // web-2 (d=1) uses 2*(2/4) = 1 CPU-second per second: one core's worth. Take a step well inside
        // the history, where rate() has a full window.
        int step = snap.matrix().grid().indexOf(Instant.ofEpochSecond(END - 300).toEpochMilli());
        assertThat(step).isNotNegative();
        assertThat(snap.matrix().value(web2, step, cpu)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    /**
     * Each cycle of eight 800 ms answers (one per feature, four at a time) takes about 1.6 s, more than
     * {@code act.max_data_age} (1 s, one interval): the daemon collects, but decides nothing from data that old,
     * counts each skip and is not ready.
     */
    @Test
    void dataTooOldToActOnDecidesNothingAndMakesTheDaemonNotReady(@TempDir Path dir) throws Exception {
        try (MockWebServer slow = slowPrometheus(800)) {
            Metrics metrics = new Metrics(new CollectorRegistry());
            daemon = new Daemon(libvirtConfig(dir, slow.url("/").toString(), "act: {max_data_age: 1s}"), metrics,
                    new VertxOptions());
            int port = daemon.start();

            Poll.until(Duration.ofSeconds(30), "two stale cycles skipped", () -> metrics.registry().getSampleValue(
                    "headroom_actuation_skipped_total", new String[] {"reason"}, new String[] {"stale_data"}),
                    v -> v != null && v >= 2);

            HttpResponse<String> ready = get(port, "/-/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            assertThat(ready.body()).contains("old when it would have acted", "act.max_data_age 1.0s");
            assertThat(daemon.latest().orElseThrow().reports()).as("nothing decided").isEmpty();
            assertThat(decisions(metrics)).isZero();
        }
    }

    /** The same slow Prometheus with a bound its cycles meet: decided, ready. */
    @Test
    void slowDataWithinTheBoundIsDecidedOn(@TempDir Path dir) throws Exception {
        try (MockWebServer slow = slowPrometheus(300)) {
            Metrics metrics = new Metrics(new CollectorRegistry());
            daemon = new Daemon(libvirtConfig(dir, slow.url("/").toString(), "act: {max_data_age: 1m}"), metrics,
                    new VertxOptions());
            int port = daemon.start();

            Poll.until(Duration.ofSeconds(30), "a decision", () -> decisions(metrics), v -> v >= 1);
            Poll.until(Duration.ofSeconds(30), "/-/ready", () -> get(port, "/-/ready").statusCode(), c -> c == 200);
            assertThat(metrics.registry().getSampleValue("headroom_actuation_skipped_total", new String[] {"reason"},
                    new String[] {"stale_data"})).isNull();
        }
    }

    /** Workloads from libvirt's test driver, so that a cycle that acts decides for them (no model: no change). */
    HeadroomConfig libvirtConfig(Path dir, String prometheusUrl, String extra) throws Exception {
        Path node = Path.of(getClass().getResource("/io/headroom/act/node.xml").toURI());
        return ConfigLoader.parse("""
                prometheus: {url: '%s', timeout: 1s, retry: {max_attempts: 1}}
                workloads: {source: libvirt, libvirt_uri: 'test://%s'}
                collection: {interval: 1s, step: 15s, lookback: 10m}
                server: {listen: '127.0.0.1:0'}
                state_dir: %s
                %s
                """.formatted(prometheusUrl, node.toAbsolutePath(), dir, extra), null);
    }

    /** All decisions counted, whatever their tier and action. */
    static double decisions(Metrics metrics) {
        double sum = 0;
        for (var family : java.util.Collections.list(metrics.registry().metricFamilySamples())) {
            for (var sample : family.samples) {
                if (sample.name.equals("headroom_decisions_total")) {
                    sum += sample.value;
                }
            }
        }
        return sum;
    }

    @Test
    void unreachablePrometheusIsCountedAndNotReady(@TempDir Path dir) throws Exception {
        Metrics metrics = new Metrics(new CollectorRegistry());
        // A port nothing listens on.
        daemon = new Daemon(config(dir, "http://127.0.0.1:" + io.headroom.testing.FreePorts.loopback()), metrics,
                new VertxOptions());
        int port = daemon.start();

        Poll.until(Duration.ofSeconds(30), "a counted connect error", () -> metrics.registry().getSampleValue(
                "headroom_prometheus_request_errors_total", new String[] {"endpoint", "reason"},
                new String[] {"label_values", "connect"}), v -> v != null && v >= 2);
        HttpResponse<String> ready = get(port, "/-/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).startsWith("Not ready: ").contains("127.0.0.1");
        assertThat(metrics.registry().getSampleValue("headroom_stage_success", new String[] {"stage"},
                new String[] {"discover"})).isEqualTo(0.0);
        assertThat(daemon.latest()).isEmpty();
    }

    @Test
    void discoversTheRunningDomainsOfLibvirt(@TempDir Path dir) throws Exception {
        Path node = Path.of(getClass().getResource("/io/headroom/act/node.xml").toURI());
        HeadroomConfig cfg = ConfigLoader.parse("""
                prometheus: {url: '%s'}
                workloads: {source: libvirt, libvirt_uri: 'test://%s', exclude: 'web-2'}
                collection: {interval: 1s, step: 15s, lookback: 10m}
                server: {listen: '127.0.0.1:0'}
                state_dir: %s
                """.formatted(prometheus.baseUrl(), node.toAbsolutePath(), dir), null);
        daemon = new Daemon(cfg, new Metrics(new CollectorRegistry()), new VertxOptions());
        int port = daemon.start();
        Poll.until(Duration.ofSeconds(30), "/-/ready", () -> get(port, "/-/ready").statusCode(), s -> s == 200);
        Snapshot snap = daemon.latest().orElseThrow();
        // web-2 has history in Prometheus but is excluded; db-1 has history but is not a libvirt domain here;
        // db-stopped is defined but not running.
        assertThat(snap.workloads()).containsExactly("web-1");
        assertThat(snap.matrix().workloads()).containsExactly("web-1");
        // web-1 (d=0) uses 2*(1/4) = 0.5 CPU-seconds per second: half a core.
        assertThat(snap.matrix().value(0, 0, 0)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void unknownPathIs404WithAReason(@TempDir Path dir) throws Exception {
        daemon = new Daemon(config(dir, prometheus.baseUrl()), new Metrics(new CollectorRegistry()), new VertxOptions());
        int port = daemon.start();
        HttpResponse<String> r = get(port, "/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("/nope", "/metrics");
    }

    @Test
    void servesTheStatusOfTheLastCycle(@TempDir Path dir) throws Exception {
        daemon = new Daemon(config(dir, prometheus.baseUrl()), new Metrics(new CollectorRegistry()), new VertxOptions());
        int port = daemon.start();
        HttpResponse<String> r = Poll.until(Duration.ofSeconds(30), "a status", () -> get(port, "/api/v1/workloads"),
                a -> a.statusCode() == 200);
        com.fasterxml.jackson.databind.JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        assertThat(status.path("mode").asText()).isEqualTo("observe");
        assertThat(status.path("cycle").path("number").asLong()).isPositive();
        // Workloads come from Prometheus here, and none is a libvirt domain: no model, no baseline, not reached.
        assertThat(status.path("workloads").findValuesAsText("name")).containsExactly("db-1", "web-1", "web-2");
        assertThat(status.path("workloads").get(0).path("score").isNull()).isTrue();
    }

    /** Lint of the exposition by promtool; returns its complaints (empty when clean). */
    static String promtoolCheckMetrics(Path dir, String body) throws Exception {
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, body);
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.exitValue() == 0 ? "" : out;
    }
}
