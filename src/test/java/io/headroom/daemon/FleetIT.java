package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.headroom.testing.GuestFleet;
import io.headroom.testing.Poll;
import io.headroom.testing.PrometheusExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default config on a host of 50 guests with a week of history, through the launcher with its default JVM
 * options (daemon/headroom's: a 384 MiB ceiling, the serial collector, exit on OutOfMemoryError): the first training
 * fits every guest's own model from its whole week, every guest is scored by it, and the cycles keep completing
 * without the JVM dying of memory (exit 3).
 * Before training went batch by batch, 30 guests on a week's history did. The history is one sample a minute (the
 * exporter's live series are scraped every 15 s), which keeps the backfill small enough for CI.
 */
class FleetIT {

    static final int GUESTS = 50;
    static final long NOW = Instant.now().getEpochSecond() / 60 * 60;
    static final GuestFleet FLEET = new GuestFleet(GUESTS);
    static final HttpServer EXPORTER = exporter();

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder()
            .backfill(out -> FLEET.history(out, NOW - 7 * 86_400 - 3600, NOW, 60))
            .scrapeTarget("libvirt", "127.0.0.1:" + EXPORTER.getAddress().getPort())
            .startupTimeout(Duration.ofMinutes(5)).build();

    static HttpServer exporter() {
        try {
            return FLEET.exporter();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopExporter() {
        EXPORTER.stop(0);
    }

    @Test
    void fiftyGuestsOnAWeekOfHistoryUnderTheLaunchersDefaultHeap(@TempDir Path dir) throws Exception {
        Path node = dir.resolve("node.xml");
        Files.writeString(node, FLEET.nodeXml());
        Path cfg = dir.resolve("headroom.yaml");
        // The default config but for the addresses and a shorter interval, for the test's time.
        Files.writeString(cfg, """
                prometheus: {url: '%s'}
                workloads: {libvirt_uri: 'test://%s'}
                collection: {interval: 10s}
                server: {listen: '127.0.0.1:0'}
                state_dir: %s
                """.formatted(prometheus.baseUrl(), node.toAbsolutePath(), dir.resolve("state")));
        RunningDaemon.Started daemon = RunningDaemon.startWithLauncher(cfg, dir);
        try {
            String base = daemon.base();
            Map<String, Double> m = Poll.until(Duration.ofMinutes(10), "every guest scored by its own model",
                    () -> RunningDaemon.metrics(base),
                    x -> count(x, "headroom_workload_scored{", 1) == GUESTS
                            && count(x, "headroom_workload_model_info{", 1, "scope=\"workload\"") == GUESTS);
            assertThat(m.get("headroom_training_skipped_models")).isZero();
            assertThat(m.get("headroom_training_models_over_budget")).isZero();
            assertThat(count(m, "headroom_model_training_rows{scope=\"workload", v -> v > 15_000))
                    .as("own models of a week at 30 s each (20,160 rows, less those the engineering cannot fill)")
                    .isEqualTo(GUESTS);
            double cycles = m.get("headroom_cycle_completed_total");
            Poll.until(Duration.ofMinutes(2), "three more cycles", () -> RunningDaemon.metrics(base),
                    x -> x.get("headroom_cycle_completed_total") >= cycles + 3);
            Map<String, Double> after = RunningDaemon.metrics(base);
            assertThat(after.get("headroom_collection_fetches_total{range=\"recent\"}")).isPositive();
            assertThat(count(after, "headroom_workload_scored{", 1)).isEqualTo(GUESTS);
            assertThat(daemon.process().isAlive()).as("no OutOfMemoryError (exit 3)").isTrue();
            // The week was fetched whole, and kept for the next training.
            assertThat(after.get("headroom_training_history_rows{source=\"prometheus\"}")).isEqualTo(GUESTS * WEEK_ROWS);
            assertThat(after.get("headroom_training_history_rows{source=\"cache\"}")).isZero();
            try (var files = Files.list(dir.resolve("state").resolve("history"))) {
                assertThat(files.filter(f -> f.toString().endsWith(".history")).count()).isEqualTo(GUESTS);
            }
        } catch (Throwable e) {
            throw daemon.failed(e);
        } finally {
            daemon.stop();
        }
        // Restarted to retrain every minute, so it trains again at once (the models it loads are older than that):
        // from the kept week, but for its newest hour and what came since. The cache is kept across the change, as
        // it depends on the queries and the step only.
        Path second = Files.createDirectories(dir.resolve("second"));
        Path often = second.resolve("headroom.yaml");
        Files.writeString(often, Files.readString(cfg) + "detection: {retrain_every: 1m}\n");
        RunningDaemon.Started again = RunningDaemon.startWithLauncher(often, second);
        try {
            Map<String, Double> m = Poll.until(Duration.ofMinutes(10), "the restarted daemon's training",
                    () -> RunningDaemon.metrics(again.base()),
                    x -> x.getOrDefault("headroom_training_history_rows{source=\"cache\"}", 0.0) > 0);
            double cached = m.get("headroom_training_history_rows{source=\"cache\"}");
            double fetched = m.get("headroom_training_history_rows{source=\"prometheus\"}");
            assertThat(cached + fetched).isEqualTo(GUESTS * WEEK_ROWS);
            assertThat(cached).as("all but the last hour and the minutes since").isGreaterThan(GUESTS * (WEEK_ROWS - 200.0));
            assertThat(m.get("headroom_training_history_cache_errors_total")).isZero();
            assertThat(m.get("headroom_training_skipped_models")).isZero();
            assertThat(count(m, "headroom_model_training_rows{scope=\"workload", v -> v > 15_000)).isEqualTo(GUESTS);
        } catch (Throwable e) {
            throw again.failed(e);
        } finally {
            again.stop();
        }
    }

    /** Rows of the default 7-day training window at 30 s. */
    static final double WEEK_ROWS = 7 * 2880 + 1;

    /** Samples whose name and labels start with {@code prefix}, contain every of {@code parts} and equal {@code v}. */
    static long count(Map<String, Double> metrics, String prefix, double v, String... parts) {
        return count(metrics, prefix, x -> x == v, parts);
    }

    static long count(Map<String, Double> metrics, String prefix, java.util.function.DoublePredicate value,
                      String... parts) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && value.test(e.getValue()))
                .filter(e -> java.util.Arrays.stream(parts).allMatch(p -> e.getKey().contains(p)))
                .count();
    }
}
