package io.headroom.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.decide.Allocation;
import io.headroom.decide.Resource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EpisodeTrackerTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final long GIB = 1L << 30;
    static final Allocation BASE = new Allocation(2, 8 * GIB);

    final EpisodeTracker tracker = new EpisodeTracker();

    static Observation obs(int minute, boolean flagged, boolean raised, double memGib, boolean failing) {
        return new Observation("web-1", T0.plusSeconds(60L * minute), flagged, raised,
                flagged ? Set.of(Resource.MEMORY) : Set.of(), Optional.of("memory_usage_ratio"), Optional.of(BASE),
                1.0, memGib * GIB, failing);
    }

    @Test
    void anEpisodeRunsFromTheFirstFlagUntilCalmAndAtBaselineAndIsJudgedOnItsPeak() {
        assertThat(tracker.observe(List.of(obs(0, false, false, 6, false)))).isEmpty();
        assertThat(tracker.observe(List.of(obs(1, true, false, 7.5, false)))).isEmpty();
        assertThat(tracker.observe(List.of(obs(2, true, true, 9.2, false)))).isEmpty();
        // Calm again but still raised: the episode goes on until decay.
        assertThat(tracker.observe(List.of(obs(3, false, true, 7, false)))).isEmpty();
        assertThat(tracker.openEpisodes()).containsExactly("web-1");

        List<Judgement> done = tracker.observe(List.of(obs(4, false, false, 6, false)));

        assertThat(done).singleElement().satisfies(j -> {
            assertThat(j.outcome()).isEqualTo(Outcome.RELIEVED);
            assertThat(j.start()).isEqualTo(T0.plusSeconds(60));
            assertThat(j.end()).isEqualTo(T0.plusSeconds(240));
            assertThat(j.evidence()).contains("peak memory 9.20 GiB");
        });
        assertThat(tracker.openEpisodes()).isEmpty();
    }

    @Test
    void aRaiseThatWasNeverUsedIsUnnecessary() {
        tracker.observe(List.of(obs(0, true, true, 5, false)));
        assertThat(tracker.observe(List.of(obs(1, false, false, 5, false))))
                .extracting(Judgement::outcome).containsExactly(Outcome.UNNECESSARY);
    }

    @Test
    void aFailureDuringAnEpisodeIsFailedAndTheEpisodeEndsOnlyWhenTheGuestRunsAgain() {
        tracker.observe(List.of(obs(0, true, true, 9, false)));
        assertThat(tracker.observe(List.of(obs(1, false, false, Double.NaN, true)))).isEmpty();
        assertThat(tracker.observe(List.of(obs(2, false, false, 4, false))))
                .extracting(Judgement::outcome).containsExactly(Outcome.FAILED);
    }

    @Test
    void aFailureOutsideAnyEpisodeIsMissedOnceNotEveryCycle() {
        tracker.observe(List.of(obs(0, false, false, 6, false)));
        assertThat(tracker.observe(List.of(obs(1, false, false, Double.NaN, true))))
                .extracting(Judgement::outcome).containsExactly(Outcome.MISSED);
        assertThat(tracker.observe(List.of(obs(2, false, false, Double.NaN, true)))).isEmpty();
        assertThat(tracker.observe(List.of(obs(3, false, false, 6, false)))).isEmpty();
    }

    @Test
    void forgottenWorkloadsLoseTheirOpenEpisode() {
        tracker.observe(List.of(obs(0, true, true, 9, false)));
        tracker.forget(Set.of("db-1"));
        assertThat(tracker.openEpisodes()).isEmpty();
    }
}
