package io.headroom.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.FeedbackConfig;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The adaptation rules as a table: a run of judged episodes, and the adaptation it leaves. */
class LearnerTest {

    static final FeedbackConfig CFG = new FeedbackConfig(true, 5, 15, 10, 3, 3);
    static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    static Judgement j(Outcome o, String kind) {
        return new Judgement("web-1", o, T, T.plusSeconds(600), "evidence", Optional.ofNullable(kind));
    }

    static final Outcome U = Outcome.UNNECESSARY;
    static final Outcome R = Outcome.RELIEVED;
    static final Outcome F = Outcome.FAILED;
    static final Outcome N = Outcome.NOT_RESOURCE;
    static final Outcome M = Outcome.MISSED;
    static final Outcome X = Outcome.UNJUDGED;

    static Stream<Arguments> runs() {
        return Stream.of(
                // outcomes (kind "cpu" unless a miss), floor shift after, kinds held back after
                Arguments.of(List.of(U, U), 0, Set.of()),
                Arguments.of(List.of(U, U, U), 5, Set.of()),
                Arguments.of(List.of(U, U, R, U, U), 0, Set.of()),
                Arguments.of(List.of(U, U, X, U), 5, Set.of()),
                Arguments.of(List.of(U, U, U, U, U, U, U, U, U, U, U, U, U, U, U), 15, Set.of()),
                Arguments.of(List.of(M), -5, Set.of()),
                Arguments.of(List.of(M, M, M, M), -10, Set.of()),
                Arguments.of(List.of(U, U, U, M), 0, Set.of()),
                Arguments.of(List.of(U, U, M, U), -5, Set.of()),
                Arguments.of(List.of(F, N), 0, Set.of()),
                Arguments.of(List.of(F, N, F), 0, Set.of("cpu")),
                Arguments.of(List.of(F, N, R, F), 0, Set.of()),
                Arguments.of(List.of(F, F, F, R), 0, Set.of()),
                Arguments.of(List.of(X, X, X), 0, Set.of()));
    }

    @ParameterizedTest
    @MethodSource("runs")
    void adaptsWithinBounds(List<Outcome> run, int shift, Set<String> held) {
        Adaptation a = Adaptation.NONE;
        for (Outcome o : run) {
            a = Learner.learn(a, j(o, o == M ? null : "cpu"), CFG);
            assertThat(a.floorShift()).as("never past the bounds").isBetween(-CFG.maxFloorDrop(), CFG.maxFloorRaise());
        }
        assertThat(a.floorShift()).isEqualTo(shift);
        assertThat(a.noResources()).isEqualTo(held);
        assertThat(a.inForce()).isEqualTo(shift != 0 || !held.isEmpty());
    }

    @org.junit.jupiter.api.Test
    void kindsAreCountedApartAndEachChangeCarriesItsEvidence() {
        Adaptation a = Adaptation.NONE;
        for (int i = 0; i < 2; i++) {
            a = Learner.learn(a, j(F, "cpu"), CFG);
            a = Learner.learn(a, j(N, "disk_read_bytes"), CFG);
        }
        assertThat(a.noResources()).isEmpty();
        a = Learner.learn(a, j(N, "disk_read_bytes"), CFG);
        assertThat(a.noResources()).containsExactly("disk_read_bytes");
        assertThat(a.futileStreaks()).containsEntry("cpu", 2);
        assertThat(a.lastChange()).hasValueSatisfying(c -> assertThat(c)
                .startsWith("no more resources for disk_read_bytes anomalies: 3 episodes in a row ended not_resource"));
        assertThat(a.changedAt()).hasValue(T.plusSeconds(600));
    }

    @org.junit.jupiter.api.Test
    void nothingToLearnLeavesTheSameAdaptation() {
        Adaptation a = Learner.learn(Adaptation.NONE, j(U, "cpu"), CFG);
        assertThat(Learner.learn(a, j(X, "cpu"), CFG)).isSameAs(a);
    }
}
