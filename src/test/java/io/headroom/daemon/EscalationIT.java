package io.headroom.daemon;

import static io.headroom.daemon.RunningDaemon.MIB;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closed-loop sizing on the packaged daemon: {@code headroom run} in enforce mode against a real Prometheus and
 * libvirt's test driver ({@code escalation-node.xml}, two guests of 1400 MiB).
 *
 * <p>Prometheus holds two hours of libvirt-exporter history, backfilled, running on past the test's start (the
 * samples after "now" stand in for live scrapes). leaky's memory in use is about 1 GiB until {@link #JUMP}, when
 * it steps up to 1.2 GiB; it then creeps up, 0.3 GiB a minute, to a plateau of 1.7 GiB, which it holds until
 * {@link #PLATEAU_END}, then drops back. The tiers are configured so that the score alone never asks for more than
 * the medium tier (1470 MiB): the step raises leaky to it, and from then on only the use says the step was not
 * enough. leaky must be escalated, tier step by tier step, to the critical tier (1820 MiB, the only size that holds
 * 1.7 GiB), kept there while the plateau lasts, and given back once the use has dropped.
 */
class EscalationIT {

    static final long STEP = 5;
    static final long END = Instant.now().getEpochSecond() / STEP * STEP;
    static final long START = END - 2 * 3600;
    /** Long enough after the start for training and the first cycles, even on a loaded machine. */
    static final long JUMP = END + 45;
    static final long CREEP = JUMP + 30;
    static final double CREEP_GIB_PER_SECOND = 0.3 / 60;
    static final long PLATEAU_END = END + 270;
    static final long LAST = END + 900;
    static final double GIB = 1L << 30;
    static final long MAX = 4096 * MIB;

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder()
            .backfill(EscalationIT::history).build();

    static double memoryInUse(String domain, long t) {
        double normal = GIB * (1.0 + 0.05 * Math.sin(2 * Math.PI * t / 1800.0));
        if (!domain.equals("leaky") || t < JUMP || t >= PLATEAU_END) {
            return normal;
        }
        return Math.min(1.7 * GIB, 1.2 * GIB + Math.max(0, t - CREEP) * CREEP_GIB_PER_SECOND * GIB);
    }

    static void history(OpenMetricsWriter out) {
        // CPU repeats every hour and never changes: only memory is anomalous.
        ExporterHistory.write(out, List.of("leaky", "steady"), START, LAST, STEP,
                (d, t) -> 2 * (0.3 + 0.04 * Math.sin(2 * Math.PI * t / 3600.0)), EscalationIT::memoryInUse, MAX);
    }

    final SeenCycles cycles = new SeenCycles();

    @Test
    void escalatesWhilePressurePersistsAfterARaiseAndHoldsUntilUseDrops(@TempDir Path dir) throws Exception {
        Path node = Path.of(getClass().getResource("/io/headroom/daemon/escalation-node.xml").toURI());
        // Level only, at 5 s steps, as in EndToEndActuationIT, so the step shows at once. Scores stay below the
        // high tier's floor (99 here), so the score never asks for more than the medium tier. A short horizon sizes
        // the first raise for the next seconds; every cycle of pressure on a raised resource escalates; decay after
        // a minute of room, in one step.
        Path cfg = RunningDaemon.enforceConfig(dir, prometheus.baseUrl(), node, "", """
                {cooldown: 5s, horizon: 10s, decay: {after: 1m, step: 1.0},
                 tiers: {high: {min_score: 99}, critical: {min_score: 100}},
                 sizing: {window: 5m, saturation_after: 10s, escalate_after_cycles: 1}}""");
        RunningDaemon.Started daemon = RunningDaemon.start(cfg, dir);
        try {
            String base = daemon.base();
            JsonNode atCritical = Poll.until(Duration.ofSeconds(PLATEAU_END - Instant.now().getEpochSecond()),
                    "leaky at the critical tier's 1820 MiB", () -> cycles.observe(base),
                    s -> workload(s, "leaky").path("current").path("memory_bytes").asLong() == 1820 * MIB);
            List<JsonNode> raises = changes();
            assertThat(raises).as("a first raise below the critical size, then escalations up to it").hasSizeGreaterThan(1);
            assertThat(raises.get(0).path("to").path("memory_bytes").asLong()).isEqualTo(1470 * MIB);
            List<String> escalations = cycles.values().stream().map(s -> workload(s, "leaky").path("last_decision"))
                    .filter(d -> d.path("reason").asText().contains("memory escalated: "))
                    .map(d -> d.path("tier").asText() + ": " + d.path("reason").asText()).toList();
            assertThat(escalations).as("decisions explain the escalations").isNotEmpty()
                    .as("the score said medium all along").allMatch(e -> e.startsWith("medium: "));
            assertThat(metrics(base).get("headroom_decision_escalations_total{resource=\"memory\"}"))
                    .isGreaterThanOrEqualTo(1.0);

            // Held for the plateau: in use at 1.7 GiB of 1820 MiB there is no room to give anything back, whatever
            // the score does meanwhile.
            long held = atCritical.path("cycle").path("number").asLong();
            Poll.until(Duration.ofSeconds(PLATEAU_END - Instant.now().getEpochSecond() + 30), "the plateau's end",
                    () -> cycles.observe(base), s -> Instant.parse(s.path("cycle").path("at").asText())
                            .isAfter(Instant.ofEpochSecond(PLATEAU_END + STEP)));
            assertThat(cycles.tailMap(held).values()).as("no decay while the use holds")
                    .filteredOn(s -> Instant.parse(s.path("cycle").path("at").asText())
                            .isBefore(Instant.ofEpochSecond(PLATEAU_END - 2 * STEP)))
                    .isNotEmpty()
                    .allSatisfy(s -> assertThat(workload(s, "leaky").path("current").path("memory_bytes").asLong())
                            .isEqualTo(1820 * MIB));

            // Given back once use has dropped and stayed down for decide.decay.after.
            Poll.until(Duration.ofSeconds(150), "leaky back at its baseline", () -> cycles.observe(base),
                    s -> workload(s, "leaky").path("current").path("memory_bytes").asLong() == 1400 * MIB);
            assertThat(cycles.values()).as("steady is never changed").allSatisfy(s ->
                    assertThat(workload(s, "steady").path("last_change").isNull()).isTrue());
        } catch (AssertionError | Exception e) {
            throw daemon.failed(e);
        } finally {
            daemon.stop();
        }
    }


    /** leaky's changes in order, as its last_change showed them from cycle to cycle. */
    List<JsonNode> changes() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : cycles.values()) {
            JsonNode c = workload(s, "leaky").path("last_change");
            if (c.isObject() && (out.isEmpty() || !out.get(out.size() - 1).equals(c))) {
                out.add(c);
            }
        }
        return out;
    }

}
