package io.headroom.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.act.WorkloadRecord;
import io.headroom.decide.Allocation;
import io.headroom.decide.WorkloadState;
import io.headroom.detect.Interval;
import io.headroom.feedback.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExclusionsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Interval hours(int from, int to) {
        return new Interval(T0.plusSeconds(3600L * from), T0.plusSeconds(3600L * to));
    }

    @Test
    void failuresFromEverySourceAndHeldChangesAddUpPerWorkload() {
        ActingTracker acting = new ActingTracker(T0);
        acting.update(Map.of("web-1", raised(false)), T0);
        acting.update(Map.of("web-1", raised(true)), T0.plusSeconds(3600 * 5));
        Map<String, List<Interval>> out = new Exclusions()
                .failures(Map.of("web-1", List.of(hours(1, 2)), "db-1", List.of(hours(3, 4))))
                .failure("web-1", hours(2, 3))
                .acting(acting, T0.plusSeconds(3600 * 6))
                .build();
        assertThat(out).containsOnlyKeys("web-1", "db-1");
        // The change held since 05:00 is still open: it ends at the training's "now".
        assertThat(out.get("web-1")).containsExactlyInAnyOrder(hours(1, 2), hours(2, 3), hours(5, 6));
        assertThat(out.get("db-1")).containsExactly(hours(3, 4));
    }

    static Verdict verdict(String w, Verdict.Call call, int atHour, Integer fromHour) {
        return new Verdict(w, call, T0.plusSeconds(3600L * atHour),
                Optional.ofNullable(fromHour).map(h -> T0.plusSeconds(3600L * h)), Optional.empty(), "",
                T0.plusSeconds(3600L * 48));
    }

    @Test
    void verdictsLearnAFalsePositivesHeldChangeAndLeaveOutATruePositivesIncident() {
        ActingTracker acting = new ActingTracker(T0);
        acting.update(Map.of("web-1", raised(false), "db-1", raised(false)), T0);
        acting.update(Map.of("web-1", raised(true), "db-1", raised(true)), T0.plusSeconds(3600 * 2));
        acting.update(Map.of("web-1", raised(false), "db-1", raised(false)), T0.plusSeconds(3600 * 3));
        acting.update(Map.of("web-1", raised(true), "db-1", raised(false)), T0.plusSeconds(3600 * 5));
        Map<String, List<Interval>> out = new Exclusions()
                .acting(acting, T0.plusSeconds(3600 * 6))
                .verdicts(List.of(
                        // web-1's change held 02:00-03:00 was for normal behaviour: learnt from after all
                        verdict("web-1", Verdict.Call.FALSE_POSITIVE, 2, null),
                        // an incident Headroom missed on db-1, 08:00-10:00, and one given no start (the hour before)
                        verdict("db-1", Verdict.Call.TRUE_POSITIVE, 10, 8),
                        verdict("db-1", Verdict.Call.TRUE_POSITIVE, 20, null),
                        // not_resource changes nothing training leaves out
                        verdict("web-2", Verdict.Call.NOT_RESOURCE, 1, null)))
                .build();
        assertThat(out.get("web-1")).containsExactly(hours(5, 6));
        assertThat(out.get("db-1")).containsExactlyInAnyOrder(hours(2, 3), hours(8, 10), hours(19, 20));
        assertThat(out).doesNotContainKey("web-2");
    }

    @Test
    void nothingToLeaveOutIsAnEmptyMap() {
        assertThat(new Exclusions().acting(new ActingTracker(T0), T0).build()).isEmpty();
    }

    private static WorkloadRecord raised(boolean raised) {
        Allocation baseline = new Allocation(2, 4L << 30);
        Allocation applied = raised ? new Allocation(3, 4L << 30) : baseline;
        return new WorkloadRecord(baseline, applied, baseline.memoryBytes(), Optional.empty(), Optional.empty(),
                WorkloadState.initial(), T0);
    }
}
