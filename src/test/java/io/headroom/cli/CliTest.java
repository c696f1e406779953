package io.headroom.cli;

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
    @ValueSource(strings = {"check-config", "features", "score", "backtest", "run", "status"})
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
            assertThat(r.out()).contains(": OK", "prometheus:  http://prom:9090 (timeout 30s, 3 attempts, gzip, auth: bearer token from",
                    "headers: X-Scope-OrgID", "values of label domain on libvirt_domain_info_virtual_cpus",
                    "include /web-.*/", "every 1m, step 30s, lookback 2h, refetch 5m", "features:    8", "cpu_cores_used",
                    "server:      http://127.0.0.1:9464",
                    "detection:   isolation-forest, scope auto, trained on 7d (min 1000 rows) every 6h; failures: none",
                    "decide:      medium >=31 x1.1/x1.05, high >=71 x1.25/x1.15, critical >=91 x1.5/x1.3 (cpu/memory x "
                            + "baseline); cooldown 5m, decay after 30m\n",
                    "act:         observe (decisions recorded, guests unchanged)",
                    "notify:      alertmanager 0 url(s), webhook off, admission off");
            assertThat(r.out()).doesNotContain("very-secret-token");
            assertThat(r.out().lines().count()).as("fits on one screen").isLessThanOrEqualTo(24);
        }

        @Test
        void theDetectionDecideActAndNotifySectionsAreSummarized(@TempDir Path dir) throws Exception {
            Path cfg = dir.resolve("h.yaml");
            Files.writeString(cfg, """
                    detection: {model: one-class-svm, scope: global, training_window: 2d, retrain_every: 1h,
                                failure_query: 'max by (domain) (up{job="guest"} == 0)'}
                    decide: {tiers: {high: {min_score: 60, cpu: 1.3}}, cooldown: 1m, opt_out: 'legacy-.*'}
                    act: {mode: enforce}
                    notify: {alertmanager: {urls: ['http://am-1:9093', 'http://am-2:9093']}, webhook: {enabled: true}}
                    server: {enable_reload: true}
                    """);
            Run r = run("check-config", "--config", cfg.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains(
                    "detection:   one-class-svm, scope global, trained on 2d (min 1000 rows) every 1h; failures: "
                            + "max by (domain) (up{job=\"guest\"} == 0)\n",
                    "high >=60 x1.3/x1.15", "cooldown 1m", "; opt_out /legacy-.*/",
                    "act:         enforce (guests are resized live)",
                    "notify:      alertmanager 2 url(s), webhook on at /api/v1/alerts/webhook, admission off",
                    "/api/v1/workloads, POST /-/reload)");
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
        void credentialsInThePrometheusUrlAreRefusedAndNeverPrinted(@TempDir Path dir) throws Exception {
            Path cfg = dir.resolve("h.yaml");
            Files.writeString(cfg, "prometheus: {url: 'http://headroom:hunter2@prom:9090'}\n");
            Run r = run("check-config", "--config", cfg.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("prometheus.url: must not contain credentials");
            assertThat(r.out() + r.err()).doesNotContain("hunter2");

            Run start = run("run", "--config", cfg.toString());
            assertThat(start.exit()).as("the daemon refuses to start on it").isEqualTo(2);
            assertThat(start.err()).contains("prometheus.url: must not contain credentials");
            assertThat(start.out() + start.err()).doesNotContain("hunter2");
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

    @Nested
    class Backtest {
        Path config(Path dir, String yaml) throws Exception {
            Path cfg = dir.resolve("h.yaml");
            Files.writeString(cfg, yaml);
            return cfg;
        }

        @Test
        void toNotAfterFromIsAUsageError(@TempDir Path dir) throws Exception {
            Path out = dir.resolve("b.csv");
            Run r = run("backtest", "--config", config(dir, "").toString(), "--from", "1700000000", "--to", "1700000000",
                    "--out", out.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--to must be after --from");
            assertThat(out).doesNotExist();
        }

        @Test
        void badTimeIsAUsageError(@TempDir Path dir) throws Exception {
            Run r = run("backtest", "--config", config(dir, "").toString(), "--from", "last tuesday", "--to", "now",
                    "--out", "-");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("'last tuesday' is not a time");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0s", "1500ms", "soon"})
        void badStepIsAUsageError(String step, @TempDir Path dir) throws Exception {
            Run r = run("backtest", "--config", config(dir, "").toString(), "--from", "now-1h", "--to", "now",
                    "--step", step, "--out", "-");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--step: must be a whole number of seconds", step);
        }

        @Test
        void noThreadsIsAUsageError(@TempDir Path dir) throws Exception {
            Run r = run("backtest", "--config", config(dir, "").toString(), "--from", "now-1h", "--to", "now",
                    "--threads", "0", "--out", "-");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--threads: must be at least 1");
        }

        @Test
        void invalidConfigIsAUsageError(@TempDir Path dir) throws Exception {
            Path out = dir.resolve("b.csv");
            Run r = run("backtest", "--config", config(dir, "detection: {retrain_evry: 1h}\n").toString(),
                    "--from", "now-1h", "--to", "now", "--out", out.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("detection.retrain_evry: unknown key");
            assertThat(out).doesNotExist();
        }

        @Test
        void unreachablePrometheusIsARuntimeFailureAndLeavesTheOutputAlone(@TempDir Path dir) throws Exception {
            Path cfg = config(dir, """
                    prometheus: {url: 'http://127.0.0.1:%d', timeout: 1s, retry: {max_attempts: 2, initial_backoff: 10ms}}
                    workloads: {source: prometheus}
                    """.formatted(io.headroom.testing.FreePorts.loopback()));
            Path out = dir.resolve("b.csv");
            Files.writeString(out, "an earlier run\n");
            Run r = run("backtest", "--config", cfg.toString(), "--from", "now-2h", "--to", "now", "--out", out.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: ").contains("127.0.0.1");
            assertThat(out).hasContent("an earlier run");
            try (var files = Files.list(dir)) {
                assertThat(files).as("no temp file left behind")
                        .allMatch(p -> p.getFileName().toString().matches("h\\.yaml|b\\.csv"));
            }
        }
    }
}
