package io.headroom.daemon;

import io.headroom.cli.Main;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.simulate.HistoryWriter;
import io.headroom.simulate.RealClock;
import io.headroom.simulate.Scenario;
import io.headroom.simulate.ScenarioLoader;
import io.headroom.testing.FreePorts;
import io.headroom.testing.PrometheusExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code headroom simulate --clock real} against a real Prometheus holding the backfilled history: Prometheus
 * scrapes the simulated guests and the daemon, the daemon scores a fast memory leak, raises the guest's memory
 * through libvirt's test driver and the guest feels it; the clean guest is left alone. About 100 s of wall time.
 */
class RealClockSimulationIT {

    /** Every signal is noisy, as real ones are: a constant in training makes any rounding look anomalous. */
    static final String SCENARIO = """
            name: realclock-it
            duration: 100s
            step: 2s
            history: 1h
            slo: {sustain: 10s}
            config:
              collection: {lookback: 5m}
              features: {rate_window: 10s}
              detection: {training_window: 1h, engineering: {window: 2m}}
              decide: {cooldown: 10s}
            workloads:
              - name: vm-1
                vcpus: {baseline: 2, max: 4}
                memory: {baseline: 4GiB, max: 8GiB}
                load: &load
                  cpu: {mean: 1, noise: 0.05}
                  memory: {mean: 2.5GiB, noise: 0.01}
                  disk_read: {mean: 4MiB, noise: 0.1}
                  disk_write: {mean: 2MiB, noise: 0.1}
                  disk_latency: {mean: 0.004, noise: 0.05}
                  net_rx: {mean: 8MiB, noise: 0.1}
                  net_tx: {mean: 6MiB, noise: 0.1}
                  net_drops: {mean: 0.5, noise: 0.2}
              - name: clean-1
                clean: true
                vcpus: {baseline: 2, max: 4}
                memory: {baseline: 4GiB, max: 8GiB}
                load: *load
            incidents:
              - {workload: vm-1, kind: memory-leak, start: 24s, ramp: 40s, severity: 0.6, duration: 70s}
            """;
    static final long SEED = 5;
    static final int GUESTS_PORT = FreePorts.loopback();
    static final int HEADROOM_PORT = FreePorts.loopback();
    static final Instant HISTORY_END = Instant.now();

    @RegisterExtension
    static final PrometheusExtension PROMETHEUS = PrometheusExtension.builder()
            .backfill(history())
            .scrapeTarget("sim", "127.0.0.1:" + GUESTS_PORT)
            .scrapeTarget("headroom", "127.0.0.1:" + HEADROOM_PORT)
            .scrapeInterval(Duration.ofSeconds(2))
            .dockerFallback(false)
            .build();

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static String history() {
        try {
            Scenario s = ScenarioLoader.parse(SCENARIO);
            Instant end = RealClock.floor(HISTORY_END, s.step());
            StringWriter out = new StringWriter();
            HistoryWriter.write(RealClock.anchored(s, end, end), SEED,
                    Map.of("job", "sim", "instance", "127.0.0.1:" + GUESTS_PORT), out);
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static double query(String promql) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(PROMETHEUS.baseUrl() + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode result = JSON.readTree(r.body()).at("/data/result");
        return result.isEmpty() ? Double.NaN : result.get(0).at("/value/1").asDouble();
    }

    @Test
    void headroomScoresTheLeakAndRaisesMemoryThatTheGuestFeelsWhileTheCleanGuestIsLeftAlone() throws Exception {
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, SCENARIO);
        Path report = dir.resolve("report.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "simulate", "--clock", "real",
                "--scenario", scenario.toString(), "--seed", Long.toString(SEED),
                "--history-end", Long.toString(HISTORY_END.getEpochSecond()), "--prometheus", PROMETHEUS.baseUrl(),
                "--guests-listen", "127.0.0.1:" + GUESTS_PORT, "--listen", "127.0.0.1:" + HEADROOM_PORT, "--out",
                report.toString());
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("realclock-it policy=headroom clock=real");

        // The report: the fields, the leak flagged before the failure it would have had, the guest raised.
        JsonNode r = JSON.readTree(Files.readString(report));
        assertThat(r.path("clock").asText()).isEqualTo("real");
        assertThat(r.path("policy").asText()).isEqualTo("headroom");
        assertThat(r.path("steps_run").asDouble()).isEqualTo(r.path("simulated_hours").asDouble() * 3600 / 2);
        JsonNode leak = r.at("/incidents/0");
        assertThat(leak.path("kind").asText()).isEqualTo("memory-leak");
        assertThat(leak.path("failure_without_action_at").isTextual()).as(leak.toString()).isTrue();
        assertThat(leak.path("first_flag").isTextual()).as(leak.toString()).isTrue();
        assertThat(Instant.parse(leak.path("first_flag").asText()))
                .isBefore(Instant.parse(leak.path("failure_without_action_at").asText()));
        assertThat(leak.path("lead_seconds").asLong()).isPositive();
        for (String k : new String[] {"incidents", "flagged_before_failure", "median_lead_seconds", "failures",
                "failures_without_action", "false_actions", "extra_resource_hours_pct"}) {
            assertThat(r.path("summary").has(k)).as(k).isTrue();
        }
        assertThat(r.at("/summary/false_actions").asInt()).isZero();
        JsonNode vm = r.at("/guests/1");
        JsonNode clean = r.at("/guests/0");
        assertThat(vm.path("workload").asText()).isEqualTo("vm-1");
        assertThat(vm.path("peak_memory_bytes").asLong()).isGreaterThan(vm.path("baseline_memory_bytes").asLong());
        assertThat(vm.path("increases").asInt()).isPositive();
        assertThat(clean.path("workload").asText()).isEqualTo("clean-1");
        assertThat(clean.path("increases").asInt()).isZero();
        assertThat(clean.path("peak_memory_bytes").asLong()).isEqualTo(clean.path("baseline_memory_bytes").asLong());
        assertThat(clean.path("peak_vcpus").asInt()).isEqualTo(clean.path("baseline_vcpus").asInt());

        // Prometheus scraped the guests into the backfilled series (one series: history + live) and the daemon.
        assertThat(query("count(libvirt_domain_info_virtual_cpus{job=\"sim\"})")).isEqualTo(2);
        assertThat(query("count_over_time(libvirt_domain_info_memory_usage_bytes{job=\"sim\",domain=\"clean-1\"}[2h])"))
                .isGreaterThan(1800 + 30);
        assertThat(query("max_over_time(headroom_anomaly_score{workload=\"vm-1\"}[10m])")).isGreaterThan(70);
        // The clean guest was scored too (its raises, none, are asserted on the report above).
        assertThat(query("count_over_time(headroom_anomaly_score{workload=\"clean-1\"}[10m])")).isPositive();

        // Everything it started is gone: both ports are free again.
        for (int port : new int[] {GUESTS_PORT, HEADROOM_PORT}) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
    }
}
