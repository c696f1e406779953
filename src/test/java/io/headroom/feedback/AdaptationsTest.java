package io.headroom.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.FeedbackConfig;
import io.headroom.config.FeatureSpec;
import io.headroom.decide.FeatureAttribution;
import io.headroom.decide.WorkloadScore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The adaptation store: applied to scores, kept in the state dir, read back, reset, and a bad file set aside. */
class AdaptationsTest {

    static final FeedbackConfig CFG = new FeedbackConfig(true, 5, 15, 10, 3, 3);
    static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    static Judgement j(String w, Outcome o, String kind) {
        return new Judgement(w, o, T, T.plusSeconds(600), "evidence", Optional.ofNullable(kind));
    }

    static WorkloadScore score(double v, String top) {
        return new WorkloadScore(v, List.of(
                new FeatureAttribution(top, FeatureSpec.Pressure.CPU, FeatureSpec.Direction.ABOVE,
                        FeatureAttribution.Side.ABOVE, 0.7, false),
                new FeatureAttribution("other", FeatureSpec.Pressure.NONE, FeatureSpec.Direction.ABOVE,
                        FeatureAttribution.Side.ABOVE, 0.3, false)));
    }

    @ParameterizedTest(name = "score {0}, shift {1} -> {2}")
    @CsvSource({
            "36.5, 5, 36.5", "31, 5, 30.999999999999996", "35.9, 5, 30.999999999999996", "36, 5, 36", "30, 5, 30",
            "95, 15, 95", "26, -5, 31", "30.5, -5, 31", "25.9, -5, 25.9", "31, -5, 31", "50, 0, 50"})
    void movesOnlyScoresBetweenTheTwoFloors(double in, int shift, double out) {
        assertThat(Adaptations.shifted(score(in, "cpu"), 31, shift).score()).isEqualTo(out);
    }

    @Test
    void holdsRaisesOnlyForTheKindsResourcesDidNotHelp() {
        Adaptations s = Adaptations.inMemory();
        s.learn(List.of(j("a", Outcome.FAILED, "cpu"), j("a", Outcome.FAILED, "cpu"), j("a", Outcome.FAILED, "cpu")),
                CFG);
        Adaptations.Applied applied = s.apply(Map.of("a", score(80, "cpu"), "b", score(80, "cpu")), 31);
        assertThat(applied.holds()).containsOnlyKeys("a");
        assertThat(applied.holds().get("a").always()).isTrue();
        assertThat(applied.holds().get("a").reason()).contains("cpu anomalies", "headroom feedback reset a");
        assertThat(s.apply(Map.of("a", score(80, "memory")), 31).holds()).as("another kind").isEmpty();
        assertThat(applied.scores().get("a").score()).as("the score, so the tier and alerts, stay").isEqualTo(80);
    }

    @Test
    void holdsRaisesInsideAKindsEnvelopeAndKeepsItAcrossARestart() throws Exception {
        Adaptations s = Adaptations.open(dir);
        for (double cores : new double[] {3.1, 3.5, 3.3}) {
            s.learn(List.of(new Judgement("a", Outcome.UNNECESSARY, T, T.plusSeconds(600), "within", Optional.of("cpu"),
                    cores, 6.5 * (1L << 30))), CFG);
        }
        io.headroom.decide.FeedbackHold hold = s.apply(Map.of("a", score(95, "cpu")), 31).holds().get("a");
        assertThat(hold.always()).isFalse();
        assertThat(hold.cpuCoresUpTo()).hasValue(3.5);
        assertThat(hold.memoryBytesUpTo()).hasValue(6.5 * (1L << 30));
        assertThat(hold.reason()).contains("3 earlier cpu anomalies used at most 3.50 cores, 6.50 GiB",
                "headroom feedback reset a");
        assertThat(s.apply(Map.of("a", score(95, "memory")), 31).holds()).as("another kind").isEmpty();
        assertThat(Adaptations.open(dir).of("a")).isEqualTo(s.of("a"));
    }

    @Test
    void survivesARestartAndResetUndoesIt() throws Exception {
        Adaptations s = Adaptations.open(dir);
        List<Adaptations.Change> changes = s.learn(List.of(j("a", Outcome.UNNECESSARY, "cpu"),
                j("a", Outcome.UNNECESSARY, "cpu"), j("a", Outcome.UNNECESSARY, "cpu"), j("b", Outcome.MISSED, null)),
                CFG);
        assertThat(changes).extracting(Adaptations.Change::workload).containsExactly("a", "b");
        // What a hard kill leaves is what was last replaced whole: a new store reads it as it was.
        Adaptations again = Adaptations.open(dir);
        assertThat(again.all()).isEqualTo(s.all());
        assertThat(again.of("a").floorShift()).isEqualTo(5);
        assertThat(Adaptations.read(dir).get("b").floorShift()).isEqualTo(-5);
        assertThat(again.reset("a")).isTrue();
        assertThat(again.reset("a")).isFalse();
        assertThat(Adaptations.open(dir).all()).containsOnlyKeys("b");
    }

    @Test
    void anUnreadableFileIsSetAsideAndLearningStartsAgain() throws Exception {
        Files.writeString(dir.resolve(Adaptations.FILE_NAME), "{\"workloads\": {\"a\": {\"changed_at\": \"yesterday\"}}}");
        Adaptations s = Adaptations.open(dir);
        assertThat(s.all()).isEmpty();
        assertThat(dir.resolve(Adaptations.FILE_NAME + ".unreadable")).exists();
    }
}
