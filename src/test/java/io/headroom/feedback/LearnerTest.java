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

    static final double GIB = 1L << 30;

    static Judgement used(Outcome o, String kind, double cores, double memory) {
        return new Judgement("web-1", o, T, T.plusSeconds(600), "evidence", Optional.ofNullable(kind), cores, memory);
    }

    static Stream<Arguments> envelopes() {
        Judgement u1 = used(U, "cpu", 3.2, 5 * GIB);
        Judgement u2 = used(U, "cpu", 3.6, 6 * GIB);
        Judgement u3 = used(U, "cpu", 3.4, Double.NaN);
        return Stream.of(
                // judged episodes, the cpu kind's envelope after (null: none), in force
                Arguments.of(List.of(u1, u2), new Envelope(2, 3.6, 6 * GIB, false)),
                Arguments.of(List.of(u1, u2, u3), new Envelope(3, 3.6, 6 * GIB, true)),
                Arguments.of(List.of(u3, u3, u3, u1), new Envelope(4, 3.4, 5 * GIB, true)),
                // an episode without a measure of use says nothing of the envelope
                Arguments.of(List.of(u1, u2, used(U, "cpu", Double.NaN, Double.NaN)), new Envelope(2, 3.6, 6 * GIB, false)),
                // another kind's episodes count apart
                Arguments.of(List.of(u1, u2, used(U, "disk_read_bytes", 1, GIB)), new Envelope(2, 3.6, 6 * GIB, false)),
                // a relieved episode's peak widens it past the baseline: raises are then sized to that peak
                Arguments.of(List.of(u1, u2, u3, used(R, "cpu", 4.5, 6 * GIB)), new Envelope(4, 4.5, 6 * GIB, true)),
                Arguments.of(List.of(u1, u2, used(R, "cpu", 4.5, 6.5 * GIB)), new Envelope(3, 4.5, 6.5 * GIB, true)),
                // a failure: what the kind used is no safe measure
                Arguments.of(List.of(u1, u2, u3, used(F, "cpu", 3.9, 6 * GIB)), null),
                Arguments.of(List.of(u1, u2, used(F, "cpu", 4.5, 6 * GIB), u3), new Envelope(1, 3.4, Double.NaN, false)),
                // neither an I/O episode of the kind nor a miss says the kind needed resources
                Arguments.of(List.of(u1, u2, u3, used(N, "cpu", 1, GIB), j(M, null)), new Envelope(3, 3.6, 6 * GIB, true)));
    }

    @ParameterizedTest
    @MethodSource("envelopes")
    void unnecessaryEpisodesOfAKindBoundWhereItsRaisesAreHeld(List<Judgement> run, Envelope expected) {
        Adaptation a = Adaptation.NONE;
        for (Judgement j : run) {
            a = Learner.learn(a, j, CFG);
        }
        assertThat(a.envelopes().get("cpu")).isEqualTo(expected);
        assertThat(a.heldKinds()).isEqualTo(expected != null && expected.inForce() ? Set.of("cpu") : Set.of());
    }

    @org.junit.jupiter.api.Test
    void anEnvelopeComingIntoForceAndLeavingItAreChangesWithTheirEvidence() {
        Adaptation a = Adaptation.NONE;
        for (double cores : new double[] {3.2, 3.6, 3.4}) {
            a = Learner.learn(a, used(U, "cpu", cores, 5 * GIB), CFG);
        }
        assertThat(a.lastChange()).hasValueSatisfying(c -> assertThat(c).contains(
                "raises for cpu anomalies sized to what 3 episodes used while use stays within 3.60 cores, 5.00 GiB "
                        + "(last: unnecessary, evidence)"));
        assertThat(a.inForce()).isTrue();
        a = Learner.learn(a, used(F, "cpu", 4.5, 5 * GIB), CFG);
        assertThat(a.lastChange()).hasValueSatisfying(c -> assertThat(c).startsWith(
                "raises for cpu anomalies no longer held: failed"));
        assertThat(a.heldKinds()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void nothingToLearnLeavesTheSameAdaptation() {
        Adaptation a = Learner.learn(Adaptation.NONE, j(U, "cpu"), CFG);
        assertThat(Learner.learn(a, j(X, "cpu"), CFG)).isSameAs(a);
    }
}
