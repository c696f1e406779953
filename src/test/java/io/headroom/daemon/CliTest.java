package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line: exit codes, help, and what check-config prints. */
class CliTest {

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"check-config", "features", "score", "run"})
    void everyCommandHasHelp(String command) {
        Run r = run(command, "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: headroom " + command, "--config");
    }

    @Test
    void noCommandIsAUsageError() {
        Run r = run();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("a command is required");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = run("check-config", "--config", "x.yaml", "--colour");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--colour'");
    }

    @Test
    void versionIsPrinted() {
        Run r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("headroom ");
    }

    @Nested
    class CheckConfig {
        @Test
        void validConfigPrintsTheSummary(@TempDir Path dir) throws Exception {
            Path token = dir.resolve("token");
            Files.writeString(token, "very-secret-token");
            Path cfg = dir.resolve("h.yaml");
            Files.writeString(cfg, """
                    prometheus: {url: 'http://prom:9090', bearer_token_file: token, headers: {X-Scope-OrgID: t1}}
                    workloads: {source: prometheus, include: 'web-.*'}
                    collection: {interval: 1m}
                    """);
            Run r = run("check-config", "--config", cfg.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains(": OK", "prometheus:  http://prom:9090 (timeout 30s, 3 attempts, auth: bearer token from",
                    "headers: X-Scope-OrgID", "values of label domain on libvirt_domain_info_virtual_cpus",
                    "include /web-.*/", "every 1m, step 30s, lookback 15m", "features:    8", "cpu_utilisation",
                    "server:      http://127.0.0.1:9464");
            assertThat(r.out()).doesNotContain("very-secret-token");
            assertThat(r.out().lines().count()).as("fits on one screen").isLessThanOrEqualTo(24);
        }

        @Test
        void invalidConfigListsEveryProblemAndExits2(@TempDir Path dir) throws Exception {
            Path cfg = dir.resolve("h.yaml");
            Files.writeString(cfg, "prometheus: {url: 'nope', timeout: 0s}\ncolection: {}\n");
            Run r = run("check-config", "--config", cfg.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("3 problem(s)",
                    "prometheus.url: must be an http:// or https:// URL with a host (got \"nope\")",
                    "prometheus.timeout: must be a duration between 100ms and 10m (got \"0s\")",
                    "colection: unknown key");
        }

        @Test
        void missingFileExits2(@TempDir Path dir) {
            Run r = run("check-config", "--config", dir.resolve("absent.yaml").toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("does not exist");
        }
    }

    @Nested
    class Features {
        @Test
        void badTimeIsAUsageError(@TempDir Path dir) throws Exception {
            Path cfg = dir.resolve("h.yaml");
            Files.writeString(cfg, "");
            Run r = run("features", "--config", cfg.toString(), "--from", "yesterday", "--to", "now", "--out", "-");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("'yesterday' is not a time");
        }

        @Test
        void toBeforeFromIsAUsageError(@TempDir Path dir) throws Exception {
            Path cfg = dir.resolve("h.yaml");
            Files.writeString(cfg, "");
            Run r = run("features", "--config", cfg.toString(), "--from", "now", "--to", "now-1h", "--out", "-");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--to must be after --from");
        }

        @Test
        void unreachablePrometheusIsARuntimeFailureAndWritesNothing(@TempDir Path dir) throws Exception {
            Path cfg = dir.resolve("h.yaml");
            Files.writeString(cfg, """
                    prometheus: {url: 'http://127.0.0.1:%d', timeout: 1s, retry: {max_attempts: 2, initial_backoff: 10ms}}
                    workloads: {source: prometheus}
                    """.formatted(io.headroom.testing.FreePorts.loopback()));
            Path out = dir.resolve("features.csv");
            Run r = run("features", "--config", cfg.toString(), "--from", "now-1h", "--to", "now", "--out", out.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: ").contains("127.0.0.1");
            assertThat(out).doesNotExist();
            try (var files = Files.list(dir)) {
                assertThat(files).as("no temp file left behind").allMatch(p -> p.getFileName().toString().equals("h.yaml"));
            }
        }
    }
}
