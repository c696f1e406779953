package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.testing.OpenMetricsWriter;
import io.headroom.testing.Poll;
import io.headroom.testing.PrometheusExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, as systemd runs it: starts, becomes ready, and stops cleanly on SIGTERM. */
class RunCommandIT {

    static final long END = Instant.now().getEpochSecond() / 15 * 15;

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder().backfill(RunCommandIT::history).build();

    static void history(OpenMetricsWriter out) {
        OpenMetricsWriter.Family vcpus = out.gauge("libvirt_domain_info_virtual_cpus", "vCPUs.");
        for (long t = END - 900; t <= END; t += 15) {
            vcpus.sample(Map.of("domain", "web-1"), 2, t);
        }
    }

    @Test
    void sigtermStopsTheDaemonCleanly(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("headroom.yaml");
        Files.writeString(cfg, """
                prometheus: {url: '%s'}
                workloads: {source: prometheus}
                collection: {interval: 1s, step: 15s, lookback: 5m}
                server: {listen: '127.0.0.1:0'}
                state_dir: %s
                """.formatted(prometheus.baseUrl(), dir.resolve("state")));
        String jar = System.getProperty("headroom.jar", "target/headroom.jar");
        Process p = new ProcessBuilder("java", "-jar", jar, "run", "--config", cfg.toString())
                .redirectError(dir.resolve("stderr.log").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("first stdout line").isNotNull();
            Matcher m = Pattern.compile("headroom listening on http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            int port = Integer.parseInt(m.group(1));
            HttpClient http = HttpClient.newHttpClient();
            Poll.until(Duration.ofSeconds(60), "/-/ready", () -> http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), s -> s == 200);

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(45, TimeUnit.SECONDS)).as("stopped within systemd's TimeoutStopSec").isTrue();
            // 143 = 128 + SIGTERM; the systemd unit declares it a success.
            assertThat(p.exitValue()).isEqualTo(143);
            String log = Files.readString(dir.resolve("stderr.log"));
            assertThat(log).contains("msg=\"stopping\"", "msg=\"stopped\"").doesNotContain("Exception");
        } finally {
            p.destroyForcibly();
        }
    }
}
