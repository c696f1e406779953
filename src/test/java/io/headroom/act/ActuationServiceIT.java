package io.headroom.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.act.ActuationResult.Status;
import io.headroom.config.ActConfig;
import io.headroom.config.ConfigLoader;
import io.headroom.config.DecideConfig;
import io.headroom.decide.Allocation;
import io.headroom.decide.Clamp;
import io.headroom.decide.Decision;
import io.headroom.decide.WorkloadScore;
import io.headroom.metrics.Metrics;
import io.headroom.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * The whole decide-and-act cycle against libvirt's test driver: web-1, web-2 and db-1 can grow, batch-full is at
 * its maximum. Every check reads libvirt back through the service's own gateway (the driver's state lives in it).
 */
class ActuationServiceIT {

    static final long MIB = 1L << 20;
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final String DECIDE = "decide: {cooldown: 1m, decay: {after: 10m, step: 0.5}}";

    @TempDir
    Path stateDir;
    Metrics metrics;
    LibvirtGateway gateway;

    @BeforeEach
    void open() {
        metrics = Metrics.isolated();
        gateway = new LibvirtGateway(TestDriver.uri("actuation-node.xml"), false,
                new LibvirtGateway.Settings(Duration.ofSeconds(1), Duration.ofSeconds(8), new MutableClock(T0)), metrics);
    }

    @AfterEach
    void close() {
        gateway.close();
    }

    static DecideConfig decide(String yaml) throws Exception {
        return ConfigLoader.parse(yaml, null).decide();
    }

    ActuationService service(String yaml, Actuator actuator) throws Exception {
        return new ActuationService(decide(yaml), ConfigLoader.parse(yaml, null).act(), gateway, actuator,
                StateStore.under(stateDir), metrics);
    }

    List<WorkloadReport> cycle(ActuationService s, Instant at, Map<String, WorkloadScore> scores) {
        SortedSet<String> running = gateway.runningDomainNames();
        Map<String, WorkloadScore> all = new HashMap<>();
        running.forEach(w -> all.put(w, Scores.calm()));
        all.putAll(scores);
        return s.cycle(running, all, at);
    }

    double metric(String name, String[] labels, String[] values) {
        Double v = metrics.registry().getSampleValue(name, labels, values);
        return v == null ? 0 : v;
    }

    double changes(String workload, String resource, String tier, String result) {
        return metric("headroom_actuation_changes_total", new String[] {"workload", "resource", "tier", "result"},
                new String[] {workload, resource, tier, result});
    }

    double gauge(String name, String workload) {
        return metric(name, new String[] {"workload"}, new String[] {workload});
    }

    static Allocation a(int vcpus, long mib) {
        return new Allocation(vcpus, mib * MIB);
    }

    @Test
    void raisesOnlyTheAnomalousGuestAndDecaysItBackToItsBaseline() throws Exception {
        ActuationService s = service(DECIDE, new LibvirtActuator(gateway));
        Map<String, WorkloadScore> critical = Map.of("web-1", Scores.pressure(95));

        WorkloadReport first = byName(cycle(s, T0, critical), "web-1");
        assertThat(first.decision().orElseThrow().isChange()).as("hysteresis holds the first cycle").isFalse();

        WorkloadReport raise = byName(cycle(s, T0.plusSeconds(30), critical), "web-1");
        assertThat(raise.results()).extracting(ActuationResult::status).containsExactly(Status.APPLIED, Status.APPLIED);
        assertThat(gateway.allocation("web-1").current()).isEqualTo(a(3, 2663));

        for (int i = 2; i < 8; i++) {
            assertThat(byName(cycle(s, T0.plusSeconds(30L * i), critical), "web-1").results()).isEmpty();
        }
        assertThat(gateway.allocation("web-1").current()).as("a steady score does not compound").isEqualTo(a(3, 2663));
        assertThat(gateway.allocation("web-2").current()).isEqualTo(a(2, 2048));
        assertThat(gateway.allocation("db-1").current()).isEqualTo(a(4, 4096));
        assertThat(gateway.allocation("batch-full").current()).isEqualTo(a(4, 4096));
        assertThat(gauge("headroom_workload_vcpus", "web-1")).isEqualTo(3);
        assertThat(gauge("headroom_workload_memory_bytes", "web-1")).isEqualTo(2663 * MIB);
        assertThat(gauge("headroom_workload_baseline_vcpus", "web-1")).isEqualTo(2);
        assertThat(gauge("headroom_workload_baseline_memory_bytes", "web-1")).isEqualTo(2048 * MIB);
        assertThat(gauge("headroom_workload_tier", "web-1")).isEqualTo(3);

        Instant calmFrom = T0.plus(Duration.ofMinutes(5));
        assertThat(byName(cycle(s, calmFrom, Map.of()), "web-1").results()).isEmpty();
        assertThat(byName(cycle(s, calmFrom.plus(Duration.ofMinutes(9)), Map.of()), "web-1").results()).isEmpty();
        WorkloadReport decay = byName(cycle(s, calmFrom.plus(Duration.ofMinutes(10)), Map.of()), "web-1");
        Decision d = decay.decision().orElseThrow();
        assertThat(d.action()).isEqualTo(Decision.Action.DECAY);
        assertThat(d.clamps()).extracting(Clamp::reason).containsExactly(Clamp.Reason.NEVER_BELOW_BASELINE);
        assertThat(gateway.allocation("web-1").current()).isEqualTo(a(2, 2048));

        assertThat(changes("web-1", "cpu", "critical", "applied")).isEqualTo(1);
        assertThat(changes("web-1", "memory", "critical", "applied")).isEqualTo(1);
        assertThat(changes("web-1", "cpu", "none", "applied")).isEqualTo(1);
        assertThat(changes("web-2", "cpu", "none", "applied")).isZero();
        assertThat(s.records().get("web-1").baseline()).isEqualTo(a(2, 2048));
        assertThat(s.records().get("web-1").raised()).isFalse();

        List<String> audit = Files.readAllLines(StateStore.under(stateDir).auditFile());
        assertThat(audit).filteredOn(l -> l.contains("\"event\":\"intent\"")).hasSize(2);
        assertThat(audit).filteredOn(l -> l.contains("\"event\":\"result\"") && l.contains("\"result\":\"applied\""))
                .hasSize(4);
        assertThat(audit).filteredOn(l -> l.contains("\"event\":\"new\"")).hasSize(4);
    }

    @Test
    void withoutCfsQuotaTheQuotaStrategyFallsBackToVcpus() throws Exception {
        // The test driver has no CFS bandwidth control: there is no cap to raise, so vCPUs carry the change.
        ActuationService s = service(DECIDE + "\nact: {cpu_strategy: quota}", new LibvirtActuator(gateway));
        Map<String, WorkloadScore> critical = Map.of("web-1", Scores.pressure(95));
        cycle(s, T0, critical);
        WorkloadReport raise = byName(cycle(s, T0.plusSeconds(30), critical), "web-1");
        assertThat(raise.results()).extracting(ActuationResult::resource)
                .containsExactly(io.headroom.decide.Resource.CPU, io.headroom.decide.Resource.MEMORY);
        assertThat(gateway.allocation("web-1").current()).isEqualTo(a(3, 2663));
        assertThat(gateway.allocation("web-1").quota()).isEmpty();
        assertThat(gauge("headroom_vcpu_unplug_failed", "web-1")).isZero();
        assertThat(metrics.registry().getSampleValue("headroom_workload_cpu_quota_cores", new String[] {"workload"},
                new String[] {"web-1"})).isNull();
        // CPU time and memory are exported for every guest even where the driver has no balloon statistics, as
        // read at the start of the cycle (before this cycle's change).
        assertThat(metrics.registry().getSampleValue("headroom_domain_memory_bytes", new String[] {"domain"},
                new String[] {"web-1"})).isEqualTo(2048.0 * MIB);
        assertThat(metrics.registry().getSampleValue("headroom_domain_memory_usable_bytes", new String[] {"domain"},
                new String[] {"web-1"})).isNull();
    }

    @Test
    void observeModeRecordsWhatItWouldDoAndChangesNothing() throws Exception {
        DryRunActuator dryRun = new DryRunActuator();
        ActuationService s = service(DECIDE, dryRun);
        Map<String, WorkloadScore> critical = Map.of("web-1", Scores.pressure(95));
        cycle(s, T0, critical);
        WorkloadReport wouldRaise = byName(cycle(s, T0.plusSeconds(30), critical), "web-1");
        assertThat(wouldRaise.results()).extracting(ActuationResult::status).containsExactly(Status.DRY_RUN, Status.DRY_RUN);
        assertThat(wouldRaise.decision().orElseThrow().target()).isEqualTo(a(3, 2663));
        assertThat(gateway.allocation("web-1").current()).isEqualTo(a(2, 2048));
        assertThat(dryRun.recorded()).singleElement().extracting(Decision::workload).isEqualTo("web-1");

        WorkloadReport cooling = byName(cycle(s, T0.plusSeconds(60), critical), "web-1");
        assertThat(cooling.results()).isEmpty();
        assertThat(cooling.decision().orElseThrow().clamps()).extracting(Clamp::reason).containsOnly(Clamp.Reason.COOLDOWN);
        assertThat(changes("web-1", "cpu", "critical", "dry_run")).isEqualTo(1);
        assertThat(metric("headroom_actuation_mode", new String[] {"mode"}, new String[] {"observe"})).isEqualTo(1);
        assertThat(Files.readString(StateStore.under(stateDir).auditFile())).contains("\"result\":\"dry_run\"",
                "\"mode\":\"observe\"");
        assertThat(s.records().get("web-1").raised()).isFalse();
    }

    @Test
    void aGuestChangedBySomeoneElseIsLeftAloneAndReported() throws Exception {
        ActuationService s = service(DECIDE, new LibvirtActuator(gateway));
        Map<String, WorkloadScore> critical = Map.of("web-1", Scores.pressure(95));
        cycle(s, T0, critical);
        cycle(s, T0.plusSeconds(30), critical);
        assertThat(gateway.allocation("web-1").current().vcpus()).isEqualTo(3);

        assertThat(gateway.setVcpus("web-1", 6).status()).isEqualTo(Status.APPLIED);
        WorkloadReport alone = byName(cycle(s, T0.plus(Duration.ofHours(2)), Map.of()), "web-1");
        assertThat(alone.outcome()).isEqualTo(WorkloadReport.Outcome.LEFT_ALONE);
        assertThat(alone.decision()).isEmpty();
        assertThat(alone.notes()).singleElement().asString().contains("by someone else");
        assertThat(gauge("headroom_workload_left_alone", "web-1")).isEqualTo(1);
        // Long calm, yet no decay: the guest is not Headroom's to shrink any more.
        cycle(s, T0.plus(Duration.ofHours(3)), Map.of());
        assertThat(gateway.allocation("web-1").current().vcpus()).isEqualTo(6);
        assertThat(Files.readString(StateStore.under(stateDir).auditFile())).contains("\"event\":\"left_alone\"");

        gateway.setVcpus("web-1", 3);
        WorkloadReport back = byName(cycle(s, T0.plus(Duration.ofHours(4)), Map.of()), "web-1");
        assertThat(back.outcome()).isEqualTo(WorkloadReport.Outcome.DECIDED);
        assertThat(gauge("headroom_workload_left_alone", "web-1")).isZero();
    }

    @Test
    void aDomainDestroyedBetweenDecisionAndActionIsReportedGone() throws Exception {
        LibvirtActuator real = new LibvirtActuator(gateway);
        Actuator destroyFirst = new Actuator() {
            @Override
            public ActConfig.Mode mode() {
                return ActConfig.Mode.ENFORCE;
            }

            @Override
            public List<ActuationResult> apply(Decision decision, Optional<CpuQuota> quota) {
                try {
                    gateway.withConnect(c -> {
                        Domain d = c.domainLookupByName(decision.workload());
                        d.destroy();
                        return d.free();
                    });
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return real.apply(decision, quota);
            }
        };
        ActuationService s = service(DECIDE, destroyFirst);
        Map<String, WorkloadScore> critical = Map.of("web-1", Scores.pressure(95));
        cycle(s, T0, critical);
        WorkloadReport gone = byName(cycle(s, T0.plusSeconds(30), critical), "web-1");
        assertThat(gone.results()).extracting(ActuationResult::status).containsExactly(Status.DOMAIN_GONE);
        assertThat(s.records().get("web-1").pending()).isEmpty();
        assertThat(s.records().get("web-1").applied()).isEqualTo(a(2, 2048));
        assertThat(changes("web-1", "cpu", "critical", "domain_gone")).isEqualTo(1);

        List<WorkloadReport> next = s.cycle(new TreeSet<>(List.of("web-1", "web-2")), Map.of(), T0.plusSeconds(60));
        assertThat(byName(next, "web-1").outcome()).isEqualTo(WorkloadReport.Outcome.DOMAIN_GONE);
        assertThat(byName(next, "web-1").baseline()).contains(a(2, 2048));
        assertThat(gauge("headroom_workload_vcpus", "web-1")).as("no stale gauge for a gone guest").isZero();
        assertThat(metrics.registry().getSampleValue("headroom_workload_vcpus", new String[] {"workload"},
                new String[] {"web-1"})).isNull();
    }

    @Test
    void aConnectionLostMidChangeIsSettledFromTheGuestOnTheNextCycle() throws Exception {
        LibvirtActuator real = new LibvirtActuator(gateway);
        Actuator dropFirst = new Actuator() {
            @Override
            public ActConfig.Mode mode() {
                return ActConfig.Mode.ENFORCE;
            }

            @Override
            public List<ActuationResult> apply(Decision decision, Optional<CpuQuota> quota) {
                try {
                    gateway.withConnect(Connect::close);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return real.apply(decision, quota);
            }
        };
        ActuationService s = service(DECIDE, dropFirst);
        Map<String, WorkloadScore> critical = Map.of("web-1", Scores.pressure(95));
        cycle(s, T0, critical);
        assertThatThrownBy(() -> cycle(s, T0.plusSeconds(30), critical)).isInstanceOfSatisfying(LibvirtFailure.class,
                f -> assertThat(f.kind()).isEqualTo(LibvirtFailure.Kind.CONNECTION_LOST));
        assertThat(s.lastReports().get("web-1").results()).extracting(ActuationResult::status)
                .containsExactly(Status.CONNECTION_LOST);
        assertThat(s.lastReports().get("web-2").outcome()).isEqualTo(WorkloadReport.Outcome.CONNECTION_LOST);
        // Outcome unknown: the written-down change survives in the snapshot.
        assertThat(StateStore.under(stateDir).load().workloads().get("web-1").pending()).isPresent();
        assertThat(metric("headroom_stage_success", new String[] {"stage"}, new String[] {"actuate"})).isZero();

        WorkloadReport settled = byName(cycle(s, T0.plusSeconds(60), critical), "web-1");
        assertThat(settled.notes()).singleElement().asString().startsWith("an interrupted change");
        assertThat(s.records().get("web-1").pending()).isEmpty();
        assertThat(s.records().get("web-1").baseline()).isEqualTo(a(2, 2048));
        assertThat(metric("headroom_stage_success", new String[] {"stage"}, new String[] {"actuate"})).isEqualTo(1);
    }

    @Test
    void hostGuardsUseWhatTheRunningGuestsHold() throws Exception {
        // The node has 32 GiB and its running guests hold 12 GiB: a 20 GiB reserve leaves no room for memory.
        ActuationService s = service("decide: {host: {memory_reserve: 20GiB}, hysteresis: {escalate_after_cycles: 1}}",
                new LibvirtActuator(gateway));
        Decision d = byName(cycle(s, T0, Map.of("web-1", Scores.pressure(95))), "web-1").decision().orElseThrow();
        assertThat(d.clamps()).containsExactly(new Clamp(io.headroom.decide.Resource.MEMORY, 2663 * MIB, 2048 * MIB,
                Clamp.Reason.HOST_MEMORY_RESERVE));
        assertThat(gateway.allocation("web-1").current()).isEqualTo(a(3, 2048));
    }

    @Test
    void aGuestAtItsLimitIsClampedToItsMaximumInsteadOfRefused() throws Exception {
        ActuationService s = service("decide: {hysteresis: {escalate_after_cycles: 1}}", new LibvirtActuator(gateway));
        WorkloadReport r = byName(cycle(s, T0, Map.of("batch-full", Scores.pressure(95))), "batch-full");
        assertThat(r.decision().orElseThrow().clamps()).extracting(Clamp::reason)
                .containsExactly(Clamp.Reason.DOMAIN_MAX, Clamp.Reason.DOMAIN_MAX);
        assertThat(r.results()).isEmpty();
        assertThat(metric("headroom_decision_clamps_total", new String[] {"resource", "reason"},
                new String[] {"cpu", "domain_max"})).isEqualTo(1);
    }

    static WorkloadReport byName(List<WorkloadReport> reports, String w) {
        return reports.stream().filter(r -> r.workload().equals(w)).findFirst().orElseThrow();
    }
}
