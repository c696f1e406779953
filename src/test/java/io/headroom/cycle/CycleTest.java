package io.headroom.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.act.ActuationService;
import io.headroom.act.InMemoryHypervisor;
import io.headroom.act.LibvirtActuator;
import io.headroom.act.StateStore;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.decide.Allocation;
import io.headroom.detect.ModelRegistry;
import io.headroom.detect.Scorer;
import io.headroom.feedback.Outcome;
import io.headroom.metrics.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one cycle against an in-memory host: decide, act, record what is held, and judge each episode when it ends,
 * exporting what the feedback stage sees.
 */
class CycleTest {

    static final long MIB = 1L << 20;
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final SortedSet<String> WEB = new TreeSet<>(Set.of("web-1"));

    @TempDir
    Path dir;
    HeadroomConfig cfg;
    Metrics metrics;
    InMemoryHypervisor host;
    ActingTracker acting;
    Cycle cycle;
    final io.headroom.feedback.Verdicts verdicts = io.headroom.feedback.Verdicts.inMemory();

    @BeforeEach
    void setUp() throws Exception {
        build("");
    }

    /** The cycle on a fresh in-memory host, with {@code extra} YAML added to the config. */
    void build(String extra) throws Exception {
        cfg = ConfigLoader.parse("decide: {cooldown: 1m, decay: {after: 10m, step: 1.0}}\n" + extra, null);
        metrics = Metrics.isolated();
        host = new InMemoryHypervisor(16, 32L << 30).guest("web-1", new Allocation(2, 2048 * MIB),
                new Allocation(8, 4096 * MIB));
        acting = new ActingTracker(T0.minus(Duration.ofDays(7)));
        ActuationService actuation = new ActuationService(cfg.decide(), cfg.act(), host, new LibvirtActuator(host),
                StateStore.under(Files.createTempDirectory(dir, "state")), metrics);
        cycle = new Cycle(cfg.features(), cfg.collection().step(),
                new Scorer(cfg.detection(), new ModelRegistry(dir), metrics), actuation, acting,
                new Cycle.Learning(io.headroom.feedback.Adaptations.inMemory(), cfg.feedback(),
                        cfg.decide().tiers().medium().minScore(), cfg.decide().tiers().high().minScore(), verdicts),
                metrics);
    }

    /** The first cycle time from {@code T0} on whose exploration draw for web-1 is {@code hold}. */
    static Instant drawing(boolean hold, double share) {
        Instant t = T0;
        while (io.headroom.feedback.Exploration.choose("web-1", t, share).hold() != hold) {
            t = t.plusSeconds(30);
        }
        return t;
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "drawn hold {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void explorationHoldsADrawnMediumEpisodeButNeverAHighScore(boolean hold) throws Exception {
        build("feedback: {explore: 0.5}");
        Instant t = drawing(hold, 0.5);
        cycle.act(WEB, score(60, 1.5, 0.55), t, Set.of());
        cycle.act(WEB, score(60, 1.5, 0.55), t.plusSeconds(30), Set.of());
        assertThat(host.current("web-1").vcpus() > 2).as("raised in the medium tier").isEqualTo(!hold);
        assertThat(metrics.registry().getSampleValue("headroom_feedback_explorations_total",
                new String[] {"choice"}, new String[] {hold ? "hold" : "raise"})).isEqualTo(1.0);
        // The score reaches the high tier: never held, whatever the draw.
        cycle.act(WEB, score(85, 1.9, 0.6), t.plusSeconds(60), Set.of());
        cycle.act(WEB, score(85, 1.9, 0.6), t.plusSeconds(90), Set.of());
        assertThat(host.current("web-1").vcpus()).isGreaterThan(2);
    }

    /**
     * A score for web-1: CPU and memory above normal when anomalous; the newest row uses {@code cores} and
     * {@code memoryShare} of the domain's 4 GiB maximum.
     */
    Map<String, Scorer.Result> score(double score, double cores, double memoryShare) {
        int nf = cfg.features().size();
        double[] attribution = new double[nf];
        double[] direction = new double[nf];
        attribution[0] = 0.5;
        attribution[1] = 0.5;
        direction[0] = score > 50 ? 1 : 0;
        direction[1] = score > 50 ? 1 : 0;
        double[] rows = new double[2 * nf];
        Arrays.fill(rows, 0.0);
        rows[0] = cores;
        rows[1] = memoryShare;
        rows[nf] = cores;
        rows[nf + 1] = memoryShare;
        return Map.of("web-1", new Scorer.Result("web-1", Optional.empty(), score, attribution, direction, rows));
    }

    double gauge(String name, String workload) {
        Double v = metrics.registry().getSampleValue(name, new String[] {"workload"}, new String[] {workload});
        return v == null ? Double.NaN : v;
    }

    double outcomes(Outcome o) {
        return metrics.registry().getSampleValue("headroom_feedback_outcomes_total", new String[] {"outcome"},
                new String[] {o.label()});
    }

    @Test
    void anEpisodeIsExportedWhileOpenAndJudgedRelievedWhenTheRaisedMemoryWasUsed() {
        assertThat(outcomes(Outcome.RELIEVED)).as("every outcome exported from the start").isZero();
        cycle.act(WEB, score(95, 1.5, 0.55), T0, Set.of());
        assertThat(gauge("headroom_feedback_episode_open", "web-1")).as("hysteresis holds the first cycle's tier")
                .isZero();
        cycle.act(WEB, score(95, 1.5, 0.6), T0.plusSeconds(30), Set.of());
        assertThat(host.current("web-1").vcpus()).as("raised after hysteresis").isGreaterThan(2);
        assertThat(gauge("headroom_feedback_episode_open", "web-1")).isEqualTo(1);
        assertThat(acting.intervals(T0.plusSeconds(60))).containsKey("web-1");

        Instant calm = T0.plus(Duration.ofMinutes(5));
        cycle.act(WEB, score(5, 1.0, 0.4), calm, Set.of());
        Cycle.Acted decayed = cycle.act(WEB, score(5, 1.0, 0.4), calm.plus(Duration.ofMinutes(10)), Set.of());

        assertThat(host.current("web-1")).isEqualTo(new Allocation(2, 2048 * MIB));
        // 0.6 of the 4 GiB maximum is 2.4 GiB, beyond the 2 GiB baseline: the memory given was used.
        assertThat(decayed.judgements()).singleElement().satisfies(j -> {
            assertThat(j.outcome()).isEqualTo(Outcome.RELIEVED);
            assertThat(j.evidence()).contains("peak memory 2.40 GiB over the baseline 2.00 GiB");
        });
        assertThat(outcomes(Outcome.RELIEVED)).isEqualTo(1);
        assertThat(gauge("headroom_feedback_episode_open", "web-1")).isZero();
        assertThat(decayed.episodes()).isEmpty();
    }

    @Test
    void aFailureWithNoFlagInForceIsMissed() {
        cycle.act(WEB, score(5, 1.0, 0.4), T0, Set.of());
        Cycle.Acted failed = cycle.act(WEB, score(5, 1.0, 0.4), T0.plusSeconds(30), Set.of("web-1"));

        assertThat(failed.judgements()).extracting(j -> j.outcome()).containsExactly(Outcome.MISSED);
        assertThat(outcomes(Outcome.MISSED)).isEqualTo(1);
        // The run-up is left out of training from now on, and a training is asked for at once.
        assertThat(failed.retrain()).isTrue();
        assertThat(verdicts.all()).singleElement().satisfies(v -> {
            assertThat(v.call()).isEqualTo(io.headroom.feedback.Verdict.Call.TRUE_POSITIVE);
            assertThat(v.at()).isEqualTo(T0.plusSeconds(30));
            assertThat(v.note()).isEqualTo(io.headroom.feedback.Verdicts.MISSED_NOTE);
        });
        Cycle.Acted still = cycle.act(WEB, score(5, 1.0, 0.4), T0.plusSeconds(60), Set.of("web-1"));
        assertThat(still.retrain()).as("once per failure").isFalse();
    }

    @Test
    void aLostHostEndsActuationForTheCycleWithoutFailingIt() {
        cycle.act(WEB, score(5, 1.0, 0.4), T0, Set.of());
        host.loseConnection();

        Cycle.Acted acted = cycle.act(WEB, score(95, 2.0, 0.6), T0.plusSeconds(30), Set.of());

        assertThat(acted.reports()).isEmpty();
        assertThat(acted.records()).containsKey("web-1");
        host.reconnect();
        assertThat(cycle.act(WEB, score(5, 1.0, 0.4), T0.plusSeconds(60), Set.of()).reports()).hasSize(1);
    }
}
