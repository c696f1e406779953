package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.testing.Poll;
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
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon takes SIGHUP as a reload, not as a reason to exit: a valid new config is applied (and a
 * changed listen address reported as needing a restart), an invalid one is refused while the daemon keeps running,
 * and /metrics says which happened. POST /-/reload does the same when enabled.
 */
class ConfigReloadIT {

    static final Duration WAIT = Duration.ofSeconds(60);

    final HttpClient http = HttpClient.newHttpClient();
    int port;

    /** Prometheus is unreachable on purpose: cycles fail, but a reload needs only the HTTP server and the file. */
    static String config(Path dir, String timeout, String listen) {
        return """
                prometheus: {url: 'http://127.0.0.1:9', timeout: %s, bearer_token_file: token}
                workloads: {source: prometheus}
                collection: {interval: 1m}
                server: {listen: '%s', enable_reload: true}
                state_dir: %s
                """.formatted(timeout, listen, dir.resolve("state"));
    }

    OptionalDouble metric(String name) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("^" + name + " (\\S+)$", Pattern.MULTILINE).matcher(body);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    static void sighup(Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    @Test
    void sighupAppliesAValidConfigAndRefusesAnInvalidOneWhileTheDaemonRuns(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("headroom.yaml");
        Files.writeString(dir.resolve("token"), "first-token\n");
        Files.writeString(cfg, config(dir, "5s", "127.0.0.1:0"));
        String jar = System.getProperty("headroom.jar", "target/headroom.jar");
        Path stderr = dir.resolve("stderr.log");
        // SIGHUP back to its default first: a test JVM started under nohup passes SIGHUP on ignored, and a JVM that
        // starts with SIGHUP ignored keeps it ignored, as nohup means. exec keeps the pid the test signals.
        Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                "import os, signal, sys; signal.signal(signal.SIGHUP, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])",
                "java", "-jar", jar, "run", "--config", cfg.toString())
                .redirectError(stderr.toFile()).start();
        try {
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(line).as("first stdout line; stderr: %s", stderr).isNotNull();
            Matcher m = Pattern.compile("headroom listening on http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            port = Integer.parseInt(m.group(1));
            double started = Poll.until(WAIT, "the start's load in /metrics",
                    () -> metric("headroom_config_last_reload_success_timestamp_seconds"), OptionalDouble::isPresent)
                    .getAsDouble();
            assertThat(metric("headroom_config_last_reload_successful")).hasValue(1);

            // Over HTTP, enabled: nothing changed yet.
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/-/reload")).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
            assertThat(post.body()).contains("applied: nothing changed");

            // A valid change: the token rotated, the timeout and the listen address changed.
            Files.writeString(dir.resolve("token"), "second-token\n");
            Files.writeString(cfg, config(dir, "7s", "127.0.0.1:1"));
            sighup(p);
            try {
                Poll.until(WAIT, "the listen change flagged as needing a restart",
                        () -> metric("headroom_config_restart_required"), v -> v.isPresent() && v.getAsDouble() == 1);
            } catch (AssertionError e) {
                // What the daemon did with the signal is in its log; without it a failure here says nothing.
                throw new AssertionError(e.getMessage() + "; alive: " + p.isAlive() + "\n--- daemon stderr ---\n"
                        + Files.readString(stderr), e);
            }
            assertThat(metric("headroom_config_last_reload_successful")).hasValue(1);
            double reloaded = metric("headroom_config_last_reload_success_timestamp_seconds").getAsDouble();
            assertThat(reloaded).isGreaterThan(started);
            assertThat(p.isAlive()).as("SIGHUP no longer exits with 129").isTrue();

            // An invalid file: refused, the daemon keeps running on the config it has.
            Files.writeString(cfg, config(dir, "0s", "127.0.0.1:1"));
            sighup(p);
            Poll.until(WAIT, "the refused reload in /metrics", () -> metric("headroom_config_last_reload_successful"),
                    v -> v.isPresent() && v.getAsDouble() == 0);
            assertThat(metric("headroom_config_last_reload_success_timestamp_seconds")).hasValue(reloaded);
            assertThat(p.isAlive()).isTrue();
            assertThat(Files.readString(stderr)).contains("config reload refused, keeping the running config",
                    "prometheus.timeout: must be a duration between 100ms and 10m").doesNotContain("second-token");

            p.destroy();
            assertThat(p.waitFor(45, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
        } finally {
            p.destroyForcibly();
        }
    }
}
