package io.headroom.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.act.ActuationResult.Status;
import io.headroom.config.ConfigLoader;
import io.headroom.decide.Allocation;
import io.headroom.decide.Decision;
import io.headroom.decide.WorkloadScore;
import io.headroom.metrics.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The actuation service's orchestration against an in-memory host: what it changes, records, counts and forgets,
 * in milliseconds. The same behaviours against libvirt are in {@code ActuationServiceIT}.
 */
class ActuationServiceTest {

    static final long MIB = 1L << 20;
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final String CONFIG = "decide: {cooldown: 1m, decay: {after: 10m, step: 0.5}}";

    @TempDir
    Path stateDir;
    Metrics metrics;
    InMemoryHypervisor host;

    @BeforeEach
    void setUp() {
        metrics = Metrics.isolated();
        host = new InMemoryHypervisor(16, 32L << 30)
                .guest("web-1", a(2, 2048), a(8, 4096))
                .guest("web-2", a(2, 2048), a(8, 4096))
                .guest("full", a(4, 4096), a(4, 4096));
    }

    static Allocation a(int vcpus, long mib) {
        return new Allocation(vcpus, mib * MIB);
    }

    ActuationService service(Actuator actuator) throws Exception {
        return new ActuationService(ConfigLoader.parse(CONFIG, null).decide(), ConfigLoader.parse(CONFIG, null).act(),
                host, actuator, StateStore.under(stateDir), metrics);
    }

    List<WorkloadReport> cycle(ActuationService s, Instant at, Map<String, WorkloadScore> scores) {
        SortedSet<String> running = host.runningDomainNames();
        Map<String, WorkloadScore> all = new HashMap<>();
        running.forEach(w -> all.put(w, Scores.calm()));
        all.putAll(scores);
        return s.cycle(running, all, at);
    }

    static WorkloadReport byName(List<WorkloadReport> reports, String w) {
        return reports.stream().filter(r -> r.workload().equals(w)).findFirst().orElseThrow();
    }

    double metric(String name, String[] labels, String[] values) {
        Double v = metrics.registry().getSampleValue(name, labels, values);
        return v == null ? 0 : v;
    }

    @Test
    void raisesTheAnomalousGuestOnceAfterHysteresisAndDecaysItToItsBaseline() throws Exception {
        ActuationService s = service(new LibvirtActuator(host));
        Map<String, WorkloadScore> critical = Map.of("web-1", Scores.pressure(95));

        assertThat(byName(cycle(s, T0, critical), "web-1").results()).as("hysteresis holds the first cycle").isEmpty();
        WorkloadReport raise = byName(cycle(s, T0.plusSeconds(30), critical), "web-1");
        assertThat(raise.results()).extracting(ActuationResult::status).containsExactly(Status.APPLIED, Status.APPLIED);
        assertThat(host.current("web-1")).isEqualTo(a(3, 2663));
        for (int i = 2; i < 6; i++) {
            cycle(s, T0.plusSeconds(30L * i), critical);
        }
        assertThat(host.current("web-1")).as("a steady score does not compound").isEqualTo(a(3, 2663));
        assertThat(host.current("web-2")).isEqualTo(a(2, 2048));
        assertThat(s.records().get("web-1").raised()).isTrue();

        Instant calm = T0.plus(Duration.ofMinutes(5));
        cycle(s, calm, Map.of());
        assertThat(host.current("web-1")).as("decay waits decide.decay.after").isEqualTo(a(3, 2663));
        WorkloadReport decay = byName(cycle(s, calm.plus(Duration.ofMinutes(10)), Map.of()), "web-1");

        assertThat(decay.decision().orElseThrow().action()).isEqualTo(Decision.Action.DECAY);
        assertThat(host.current("web-1")).isEqualTo(a(2, 2048));
        assertThat(s.records().get("web-1").raised()).isFalse();
        assertThat(metric("headroom_actuation_changes_total", new String[] {"workload", "resource", "tier", "result"},
                new String[] {"web-1", "cpu", "critical", "applied"})).isEqualTo(1);
    }

    @Test
    void observeModeRecordsTheDecisionAndChangesNothing() throws Exception {
        DryRunActuator dry = new DryRunActuator();
        ActuationService s = service(dry);
        Map<String, WorkloadScore> critical = Map.of("web-1", Scores.pressure(95));

        cycle(s, T0, critical);
        WorkloadReport r = byName(cycle(s, T0.plusSeconds(30), critical), "web-1");

        assertThat(r.results()).extracting(ActuationResult::status).containsOnly(Status.DRY_RUN);
        assertThat(dry.recorded()).extracting(Decision::workload).containsExactly("web-1");
        assertThat(host.changes).isEmpty();
        assertThat(host.current("web-1")).isEqualTo(a(2, 2048));
    }

    @Test
    void aLostConnectionSavesTheStateAndThrowsAndTheNextCycleGoesOn() throws Exception {
        ActuationService s = service(new LibvirtActuator(host));
        cycle(s, T0, Map.of());
        SortedSet<String> running = host.runningDomainNames();
        host.loseConnection();

        assertThatThrownBy(() -> s.cycle(running, Map.of(), T0.plusSeconds(30))).isInstanceOf(LibvirtFailure.class)
                .satisfies(e -> assertThat(((LibvirtFailure) e).kind()).isEqualTo(LibvirtFailure.Kind.CONNECTION_LOST));
        assertThat(StateStore.under(stateDir).load().workloads()).as("baselines kept across the failure")
                .containsOnlyKeys("full", "web-1", "web-2");

        host.reconnect();
        assertThat(cycle(s, T0.plusSeconds(60), Map.of())).extracting(WorkloadReport::outcome)
                .containsOnly(WorkloadReport.Outcome.DECIDED);
    }

    @Test
    void aGuestThatStoppedIsReportedGoneAndItsAllocationSeriesAreRetired() throws Exception {
        ActuationService s = service(new LibvirtActuator(host));
        cycle(s, T0, Map.of());
        assertThat(metric("headroom_workload_vcpus", new String[] {"workload"}, new String[] {"web-2"})).isEqualTo(2);
        SortedSet<String> before = host.runningDomainNames();
        host.stop("web-2");

        List<WorkloadReport> reports = s.cycle(before, Map.of(), T0.plusSeconds(30));

        assertThat(byName(reports, "web-2").outcome()).isEqualTo(WorkloadReport.Outcome.DOMAIN_GONE);
        assertThat(metrics.registry().getSampleValue("headroom_workload_vcpus", new String[] {"workload"},
                new String[] {"web-2"})).isNull();
        assertThat(metrics.registry().getSampleValue("headroom_workload_vcpus", new String[] {"workload"},
                new String[] {"web-1"})).isEqualTo(2.0);
    }

    @Test
    void aGuestAtItsMaximumIsNotAskedForMore() throws Exception {
        ActuationService s = service(new LibvirtActuator(host));
        Map<String, WorkloadScore> critical = Map.of("full", Scores.pressure(95));

        cycle(s, T0, critical);
        WorkloadReport r = byName(cycle(s, T0.plusSeconds(30), critical), "full");

        assertThat(r.decision().orElseThrow().isChange()).isFalse();
        assertThat(host.changes).isEmpty();
        assertThat(host.current("full")).isEqualTo(a(4, 4096));
    }
}
