package io.headroom.daemon;

import static io.headroom.daemon.RunningDaemon.metrics;
import static io.headroom.daemon.RunningDaemon.workload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.testing.OpenMetricsWriter;
import io.headroom.testing.Poll;
import io.headroom.testing.PrometheusExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sustained saturation on the packaged daemon: {@code headroom run} in enforce mode against a real Prometheus and
 * libvirt's test driver ({@code strain-node.xml}, two guests of 2 vCPUs).
 *
 * <p>Prometheus holds two hours of libvirt-exporter history, backfilled, running on past the test's start (the
 * samples after "now" stand in for live scrapes). Both guests use about 1.3 cores and are pinned at their 2 vCPUs
 * for 30 seconds every five minutes, as a busy guest's peaks touch its vCPUs now and then: pinned rows are nothing
 * new to the model. From {@link #SURGE} to {@link #SURGE_END} surging is pinned all the time, which the censored
 * metric shows only as pinning that lasts. The tiers' floors are out of the score's reach (98 and up), so anything
 * raised is raised by strain: surging must be raised, at the medium tier, with a reason that says so, only after
 * the surge has pinned most of half the strain window, and given back after it; steady is never changed.
 */
class StrainIT {

    static final long STEP = 5;
    static final long END = Instant.now().getEpochSecond() / STEP * STEP;
    static final long START = END - 2 * 3600;
    /** Long enough after the start for training and the first cycles, even on a loaded machine. */
    static final long SURGE = END + 60;
    static final long SURGE_END = END + 360;
    static final long LAST = END + 900;
    static final long MIB = RunningDaemon.MIB;

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder().backfill(StrainIT::history).build();

    static double coresUsed(String domain, long t) {
        if (domain.equals("surging") && t >= SURGE && t < SURGE_END) {
            return 2.0;
        }
        return t % 300 < 30 ? 2.0 : 1.3 + 0.1 * Math.sin(2 * Math.PI * t / 900.0);
    }

    static void history(OpenMetricsWriter out) {
        ExporterHistory.write(out, List.of("surging", "steady"), START, LAST, STEP, StrainIT::coresUsed,
                (d, t) -> 700 * MIB, 4096 * MIB);
    }

    final SeenCycles cycles = new SeenCycles();

    @Test
    void aGuestPinnedAtItsVcpusMostOfTheStrainWindowIsRaisedWhateverTheScoreAndGivenBackAfter(@TempDir Path dir)
            throws Exception {
        Path node = Path.of(getClass().getResource("/io/headroom/daemon/strain-node.xml").toURI());
        // Level only, at 5 s steps, as in EscalationIT. The shortest strain window, half of 2 minutes (12 rows),
        // holds at most 6 rows of an ordinary peak, pinned 30 s; the lookback of 10 minutes gives the rows before
        // it to compare with (pinned a tenth of the time).
        Path cfg = RunningDaemon.enforceConfig(dir, prometheus.baseUrl(), node, "", """
                {cooldown: 5s, decay: {after: 1m, step: 1.0},
                 tiers: {medium: {min_score: 98}, high: {min_score: 99}, critical: {min_score: 100}},
                 sizing: {window: 5m, saturation_after: 10s, strain_window: 2m}}""");
        RunningDaemon.Started daemon = RunningDaemon.start(cfg, dir);
        try {
            String base = daemon.base();
            JsonNode raised = Poll.until(Duration.ofSeconds(SURGE_END - Instant.now().getEpochSecond()),
                    "surging raised above its 2 vCPUs", () -> cycles.observe(base),
                    s -> workload(s, "surging").path("current").path("vcpus").asInt() > 2);
            JsonNode change = workload(raised, "surging").path("last_change");
            assertThat(Instant.parse(change.path("at").asText()))
                    .as("not before the surge has pinned most of the shortest window, half of the 2-minute one")
                    .isAfter(Instant.ofEpochSecond(SURGE + 45));
            JsonNode decision = cycles.values().stream().map(s -> workload(s, "surging").path("last_decision"))
                    .filter(d -> d.path("action").asText().equals("raise")).findFirst().orElseThrow();
            assertThat(decision.path("tier").asText()).isEqualTo("medium");
            assertThat(decision.path("reason").asText()).as("the score alone asked for nothing")
                    .contains("(score alone says none; strained)").contains("cpu strained: ");
            assertThat(metrics(base).get("headroom_decision_strained_total{resource=\"cpu\"}"))
                    .isGreaterThanOrEqualTo(1.0);

            // Given back once the surge is over and use has left room for decide.decay.after.
            Poll.until(Duration.ofSeconds(SURGE_END - Instant.now().getEpochSecond() + 240),
                    "surging back at its 2 vCPUs", () -> cycles.observe(base),
                    s -> workload(s, "surging").path("current").path("vcpus").asInt() == 2);
            assertThat(cycles.values()).as("steady, pinned now and then as ever, is never changed")
                    .allSatisfy(s -> assertThat(workload(s, "steady").path("last_change").isNull()).isTrue());
        } catch (AssertionError | Exception e) {
            throw daemon.failed(e);
        } finally {
            daemon.stop();
        }
    }

}
