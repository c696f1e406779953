package io.headroom.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.UrlTemplate;
import io.headroom.notify.ActiveAlert.Change;
import io.headroom.notify.ActiveAlert.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The diff from one cycle's active conditions to the alerts posted: a table of cycles and expected posts. */
class AlertTrackerTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Duration RESEND = Duration.ofMinutes(1);

    final AlertTracker tracker = new AlertTracker(RESEND, new AlertRenderer("kvm-01",
            Optional.of(new UrlTemplate("https://grafana.example/d/w?var-workload={workload}&host={host}"))));

    static ActiveAlert critical(String workload, double score, Change... changes) {
        return ActiveAlert.anomaly("HeadroomWorkloadCritical", workload, Severity.CRITICAL, "critical", score,
                List.of("cpu_utilisation 41%", "memory_used_ratio 22%"), List.of(changes));
    }

    @Test
    void aNewConditionIsPostedWithLabelsAnnotationsAndAValidityOfFourResendIntervals() {
        List<PostableAlert> out = tracker.update(List.of(critical("web-1", 93.44, new Change("vcpus", "2", "4"))), T0);

        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.labels()).isEqualTo(Map.of("alertname", "HeadroomWorkloadCritical", "workload", "web-1",
                    "host", "kvm-01", "severity", "critical", "tier", "critical"));
            assertThat(a.annotations()).containsEntry("score", "93.4")
                    .containsEntry("top_features", "cpu_utilisation 41%, memory_used_ratio 22%")
                    .containsEntry("changes", "vcpus 2 -> 4")
                    .containsEntry("summary", "web-1 is critical: anomaly score 93.4")
                    .containsEntry("description", "Headroom scores web-1 93.4/100, mostly from cpu_utilisation 41%,"
                            + " memory_used_ratio 22%. Headroom changed vcpus 2 -> 4.")
                    .containsEntry("dashboard", "https://grafana.example/d/w?var-workload=web-1&host=kvm-01");
            assertThat(a.startsAt()).isEqualTo(T0);
            assertThat(a.endsAt()).isEqualTo(T0.plus(RESEND.multipliedBy(4)));
            assertThat(a.generatorUrl()).contains("https://grafana.example/d/w?var-workload=web-1&host=kvm-01");
        });
        assertThat(tracker.activeCount()).isEqualTo(1);
    }

    @Test
    void aHoldingConditionIsRepostedOnlyOnceTheResendIntervalHasPassedAndKeepsItsStart() {
        tracker.update(List.of(critical("web-1", 90)), T0);

        assertThat(tracker.update(List.of(critical("web-1", 91)), T0.plusSeconds(30))).isEmpty();
        List<PostableAlert> repost = tracker.update(List.of(critical("web-1", 92)), T0.plusSeconds(60));

        assertThat(repost).singleElement().satisfies(a -> {
            assertThat(a.startsAt()).isEqualTo(T0);
            assertThat(a.endsAt()).isEqualTo(T0.plusSeconds(60).plus(RESEND.multipliedBy(4)));
            assertThat(a.annotations()).containsEntry("score", "92.0");
        });
    }

    @Test
    void aNewChangeIsPostedAtOnceWithoutWaitingForTheResendInterval() {
        tracker.update(List.of(critical("web-1", 90)), T0);

        List<PostableAlert> out = tracker.update(List.of(critical("web-1", 90, new Change("memory", "4GiB", "6GiB"))),
                T0.plusSeconds(30));

        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.annotations()).containsEntry("changes", "memory 4GiB -> 6GiB");
            assertThat(a.startsAt()).isEqualTo(T0);
        });
    }

    @Test
    void aConditionThatIsGoneIsResolvedNowWithItsLastAnnotations() {
        tracker.update(List.of(critical("web-1", 90), critical("db-1", 95)), T0);

        List<PostableAlert> out = tracker.update(List.of(critical("db-1", 96)), T0.plusSeconds(30));

        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.labels()).containsEntry("workload", "web-1");
            assertThat(a.startsAt()).isEqualTo(T0);
            assertThat(a.endsAt()).isEqualTo(T0.plusSeconds(30));
            assertThat(a.annotations()).containsEntry("score", "90.0");
        });
        assertThat(tracker.activeCount()).isEqualTo(1);
        assertThat(tracker.update(List.of(critical("db-1", 96)), T0.plusSeconds(40))).as("resolved once").isEmpty();
    }

    @Test
    void aChangeOfLabelsResolvesTheOldAlertAndStartsANewOne() {
        tracker.update(List.of(critical("web-1", 90)), T0);
        ActiveAlert high = ActiveAlert.anomaly("HeadroomWorkloadCritical", "web-1", Severity.WARNING, "high", 70,
                List.of(), List.of());

        List<PostableAlert> out = tracker.update(List.of(high), T0.plusSeconds(30));

        assertThat(out).hasSize(2);
        assertThat(out).filteredOn(a -> a.labels().get("tier").equals("high")).singleElement()
                .satisfies(a -> assertThat(a.startsAt()).isEqualTo(T0.plusSeconds(30)));
        assertThat(out).filteredOn(a -> a.labels().get("tier").equals("critical")).singleElement()
                .satisfies(a -> assertThat(a.endsAt()).isEqualTo(T0.plusSeconds(30)));
    }

    @Test
    void cyclesSlowerThanTheResendIntervalStretchTheValidity() {
        tracker.update(List.of(critical("web-1", 90)), T0);

        List<PostableAlert> out = tracker.update(List.of(critical("web-1", 90)), T0.plus(Duration.ofMinutes(5)));

        assertThat(out).singleElement().satisfies(a ->
                assertThat(a.endsAt()).isEqualTo(T0.plus(Duration.ofMinutes(5 + 4 * 5))));
    }

    @Test
    void aHostWideEventHasNoWorkloadOrTierLabelAndKeepsItsDescription() {
        List<PostableAlert> out = tracker.update(List.of(ActiveAlert.event("HeadroomPrometheusUnreachable", "",
                Severity.WARNING, "connect refused by http://127.0.0.1:9090")), T0);

        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.labels()).isEqualTo(Map.of("alertname", "HeadroomPrometheusUnreachable", "host", "kvm-01",
                    "severity", "warning"));
            assertThat(a.annotations()).containsEntry("summary", "HeadroomPrometheusUnreachable on host kvm-01")
                    .containsEntry("description", "connect refused by http://127.0.0.1:9090")
                    .doesNotContainKeys("score", "top_features", "changes");
        });
    }

    @Test
    void theSameLabelsTwiceInOneCycleAreOneAlert() {
        assertThat(tracker.update(List.of(critical("web-1", 90), critical("web-1", 95)), T0)).singleElement()
                .satisfies(a -> assertThat(a.annotations()).containsEntry("score", "95.0"));
    }

    @Test
    void anEmptyCycleResolvesEverything() {
        tracker.update(List.of(critical("web-1", 90), critical("db-1", 95)), T0);

        assertThat(tracker.update(List.of(), T0.plusSeconds(1)))
                .hasSize(2).allSatisfy(a -> assertThat(a.endsAt()).isEqualTo(T0.plusSeconds(1)));
        assertThat(tracker.activeCount()).isZero();
    }
}
