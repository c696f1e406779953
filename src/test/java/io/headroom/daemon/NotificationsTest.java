package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.act.ActuationResult;
import io.headroom.act.WorkloadReport;
import io.headroom.config.ConfigLoader;
import io.headroom.decide.Allocation;
import io.headroom.decide.Decision;
import io.headroom.decide.Resource;
import io.headroom.decide.Tier;
import io.headroom.detect.Scorer;
import io.headroom.metrics.Metrics;
import io.headroom.notify.ActiveAlert;
import io.headroom.notify.AdmissionGate;
import io.headroom.notify.AlertSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the alerts of a cycle say about the changes Headroom made. */
class NotificationsTest {

    static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
    static final long GIB = 1L << 30;
    static final Allocation TWO = new Allocation(2, 2 * GIB);
    static final Allocation THREE = new Allocation(3, 2 * GIB);

    final List<ActiveAlert> posted = new ArrayList<>();
    final Notifications notifications = new Notifications(new AlertSink() {
        @Override
        public void update(Collection<ActiveAlert> active, Instant now) {
            posted.clear();
            posted.addAll(active);
        }

        @Override
        public void close() {}
    }, gate(), List.of("cpu_utilisation", "memory_usage_ratio"));

    static AdmissionGate gate() {
        try {
            return new AdmissionGate(ConfigLoader.parse("", null).notifications().admission(), Metrics.isolated());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static WorkloadReport critical(Allocation shown, List<ActuationResult> results) {
        Decision d = new Decision("web-2", T, OptionalDouble.of(97.5), Tier.CRITICAL, Decision.Action.RAISE, TWO, shown,
                THREE, Set.of(Resource.CPU), "score 97.5 critical", List.of());
        return new WorkloadReport("web-2", T, WorkloadReport.Outcome.DECIDED, Optional.of(TWO), Optional.of(shown),
                Optional.of(d), results, Optional.of(T), List.of());
    }

    static Map<String, Scorer.Result> score() {
        return Map.of("web-2", new Scorer.Result("web-2", Optional.empty(), 97.5, new double[] {0.9, 0.1},
                new double[] {1, 0}));
    }

    @Test
    void theCycleThatRaisesTheGuestReportsTheRaise() {
        ActuationResult applied = new ActuationResult("web-2", Resource.CPU, ActuationResult.Status.APPLIED, 3,
                OptionalLong.of(3), "");

        notifications.afterCycle(score(), List.of(critical(TWO, List.of(applied))), T);

        assertThat(posted).singleElement().satisfies(a -> {
            assertThat(a.alertname()).isEqualTo(Notifications.CRITICAL_ANOMALY);
            assertThat(a.changes()).containsExactly(new ActiveAlert.Change("cpu", "2", "3"));
            assertThat(a.topFeatures()).containsExactly("cpu_utilisation 90%", "memory_usage_ratio 10%");
        });
    }

    @Test
    void laterCyclesReportTheRaiseFromWhatLibvirtShows() {
        notifications.afterCycle(score(), List.of(critical(THREE, List.of())), T);

        assertThat(posted).singleElement().satisfies(a ->
                assertThat(a.changes()).containsExactly(new ActiveAlert.Change("cpu", "2", "3")));
    }

    @Test
    void aRefusedChangeIsNotReportedAsMadeButAsFailed() {
        ActuationResult refused = new ActuationResult("web-2", Resource.CPU, ActuationResult.Status.REFUSED, 3,
                OptionalLong.empty(), "above the domain's maximum");

        notifications.afterCycle(score(), List.of(critical(TWO, List.of(refused))), T);

        assertThat(posted).extracting(ActiveAlert::alertname)
                .containsExactly(Notifications.CRITICAL_ANOMALY, Notifications.ACTUATION_FAILED);
        assertThat(posted.get(0).changes()).isEmpty();
    }

    static WorkloadReport calm(String workload) {
        Decision d = new Decision(workload, T, OptionalDouble.of(12), Tier.NONE, Decision.Action.HOLD, TWO, TWO, TWO,
                Set.of(), "score 12", List.of());
        return new WorkloadReport(workload, T, WorkloadReport.Outcome.DECIDED, Optional.of(TWO), Optional.of(TWO),
                Optional.of(d), List.of(), Optional.empty(), List.of());
    }

    static List<String> names(List<ActiveAlert> alerts) {
        return alerts.stream().map(a -> a.alertname() + "/" + a.workload()).toList();
    }

    @Test
    void aCriticalAnomalyOutlivesAFailedCycleAndClearsOnlyWhenAGoodCycleSaysSo() {
        notifications.afterCycle(score(), List.of(critical(THREE, List.of())), T);
        ActiveAlert anomaly = posted.get(0);

        notifications.afterFailedCycle(new java.io.UncheckedIOException("cannot save state.json",
                new java.io.IOException("No space left on device")), T.plusSeconds(30));
        assertThat(names(posted)).containsExactly("HeadroomCriticalAnomaly/web-2", "HeadroomStateUnwritable/");
        assertThat(posted.get(0)).as("the same alert, so its startsAt stays").isEqualTo(anomaly);

        notifications.afterFailedCycle(new io.headroom.collect.PrometheusException(
                io.headroom.collect.PrometheusException.Reason.CONNECT, "query_range", "up", 0, "refused", null),
                T.plusSeconds(60));
        assertThat(names(posted)).containsExactly("HeadroomCriticalAnomaly/web-2", "HeadroomPrometheusUnreachable/");

        notifications.afterCycle(score(), List.of(calm("web-2")), T.plusSeconds(90));
        assertThat(posted).as("a good cycle without the anomaly resolves it, and the failure").isEmpty();
    }

    @Test
    void aCycleTooLateToActKeepsEveryAlertAndPauseAsTheLastCycleLeftThem() {
        ActuationResult refused = new ActuationResult("web-2", Resource.CPU, ActuationResult.Status.REFUSED, 3,
                OptionalLong.empty(), "above the domain's maximum");
        notifications.afterCycle(score(), List.of(critical(TWO, List.of(refused))), T);
        List<ActiveAlert> before = List.copyOf(posted);

        notifications.afterStaleCycle(T.plusSeconds(90));

        assertThat(posted).as("the same alerts, so their startsAt stay").isEqualTo(before);
        assertThat(names(posted)).containsExactly("HeadroomCriticalAnomaly/web-2", "HeadroomActuationFailed/web-2");
    }

    @Test
    void theFailureAlertIsNamedForTheStageThatFailed() {
        notifications.afterFailedCycle(new io.headroom.act.LibvirtFailure(
                io.headroom.act.LibvirtFailure.Kind.CONNECTION_LOST, "cannot connect to qemu:///system", null), T);
        assertThat(posted).singleElement().satisfies(a -> {
            assertThat(a.alertname()).isEqualTo("HeadroomLibvirtUnreachable");
            assertThat(a.description()).isEqualTo("libvirt could not be reached: cannot connect to qemu:///system");
        });

        notifications.afterFailedCycle(new io.headroom.collect.CollectionException("cpu_cores_used",
                new io.headroom.collect.PrometheusException(io.headroom.collect.PrometheusException.Reason.HTTP_5XX,
                        "query_range", "q", 503, "unavailable", null)), T);
        assertThat(names(posted)).containsExactly("HeadroomPrometheusUnreachable/");

        notifications.afterFailedCycle(new IllegalStateException("model has 7 columns, matrix has 8"), T);
        assertThat(names(posted)).containsExactly("HeadroomCycleFailed/");
    }

}
