package io.headroom.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.config.ConfigException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The physics, the report and determinism, on tiny inline scenarios without libvirt (policies none and threshold). */
class SimulatorTest {

    static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");

    /** A noiseless guest: 4 vCPUs, 8GiB, using 2 vCPUs and 4GiB; plus a clean twin. */
    static String scenario(String incidents) {
        return """
                name: tiny
                start: 2026-11-30T00:00:00Z
                duration: 4h
                step: 30s
                history: 1h
                workloads:
                  - name: app
                    vcpus: {baseline: 4, max: 8}
                    memory: {baseline: 8GiB, max: 16GiB}
                    load: {cpu: 2, memory: 4GiB}
                  - name: quiet
                    clean: true
                    vcpus: {baseline: 4, max: 8}
                    memory: {baseline: 8GiB, max: 16GiB}
                    load: {cpu: 2, memory: 4GiB}
                incidents:
                """ + incidents;
    }

    static Simulator.Run run(String yaml, Policy p, long seed) throws Exception {
        return Simulator.run(ScenarioLoader.parse(yaml), p, seed);
    }

    @Nested
    class Physics {

        @Test
        void aLeakWithNoActionFailsWhenUsedMemoryFirstExceedsTheAllocation() throws Exception {
            // used = 4GiB + 1.0 × 8GiB × (t - 1h) / 2h: exactly 8GiB at 2h00m (not above), above at the next step.
            Simulator.Run r = run(scenario(
                    "  - {workload: app, kind: memory-leak, start: 1h, ramp: 2h, severity: 1.0, duration: 2h30m}\n"),
                    Policy.NONE, 1);
            assertThat(r.failureAt()).containsExactly(Optional.of(T0.plusSeconds(2 * 3600 + 30)));
            assertThat(r.unattributed()).isZero();
        }

        @Test
        void aCpuSurgeFailsAfterTheSustainedSaturationNotBefore() throws Exception {
            // demand = 2 + 0.75 × 4 × (t - 1h) / 30m exceeds 4 vCPUs from 1h20m30s; 5m (10 steps) later it fails.
            Simulator.Run r = run(scenario(
                    "  - {workload: app, kind: cpu-surge, start: 1h, ramp: 30m, severity: 0.75, duration: 1h}\n"),
                    Policy.NONE, 1);
            assertThat(r.failureAt()).containsExactly(Optional.of(T0.plusSeconds(3600 + 20 * 60 + 30 + 9 * 30)));
        }

        @Test
        void aBenignBurstFailsNothingEvenAtFullStrengthAndIsNoIncident() throws Exception {
            // A guest already at 3.9 of its 4 vCPUs and 7.5 of its 8GiB: the burst adds up to half the free memory and
            // never lifts CPU past 0.9 of the baseline vCPUs, so nothing breaches however strong it is.
            String yaml = scenario("""
                      - {workload: app, kind: benign-burst, start: 1h, ramp: 5m, severity: 5, duration: 2h}
                    """).replace("load: {cpu: 2, memory: 4GiB}\n  - name: quiet", "load: {cpu: 3.9, memory: 7.5GiB}\n  - name: quiet");
            Simulator.Run none = run(yaml, Policy.NONE, 1);
            assertThat(none.failureAt()).containsExactly(Optional.empty());
            assertThat(none.unattributed()).isZero();
            Simulator.Run thr = run(yaml, Policy.THRESHOLD, 1);
            Report report = Report.of(thr, none);
            assertThat(report.incidents()).as("a benign event is not an incident").isEmpty();
            assertThat(report.falseActions()).as("the threshold rule raises the busy guest: every raise is false")
                    .hasSize(thr.increases().get(0).size()).isNotEmpty();
        }

        @Test
        void moreMemoryBuysALeakTimeButAnIoStormFailsTheSameWhateverTheSize() throws Exception {
            String yaml = scenario("""
                      - {workload: app, kind: memory-leak, start: 1h, ramp: 2h, severity: 0.6, duration: 2h30m}
                      - {workload: other, kind: io-storm, start: 1h, ramp: 10m, severity: 2, duration: 30m}
                    """).replace("  - name: quiet\n", "  - name: other\n    vcpus: {baseline: 4}\n    load: {cpu: 3.7}\n  - name: quiet\n");
            Simulator.Run none = run(yaml, Policy.NONE, 1);
            Simulator.Run thr = run(yaml, Policy.THRESHOLD, 1);
            // The threshold rule raises memory at 90% and so delays the OOM; it also adds vCPUs to "other" (busy
            // at 3.7 of 4), which does nothing for its disk latency.
            assertThat(thr.failureAt().get(0).orElseThrow()).isAfter(none.failureAt().get(0).orElseThrow());
            assertThat(thr.failureAt().get(1)).isPresent().isEqualTo(none.failureAt().get(1));
            assertThat(thr.increases().get(1)).isNotEmpty();
        }
    }

    @Nested
    class Reports {

        static final String LEAK = "  - {workload: app, kind: memory-leak, start: 1h, ramp: 2h, severity: 1.0, duration: 2h30m}\n";

        @Test
        void leadIsFromTheFirstFlagToTheFailureWithoutAction() throws Exception {
            Simulator.Run none = run(scenario(LEAK), Policy.NONE, 1);
            Simulator.Run thr = run(scenario(LEAK), Policy.THRESHOLD, 1);
            Report rep = Report.of(thr, none);
            // used/allocated first exceeds 90% (7.2GiB) when 8GiB × f > 3.2GiB, f > 0.4: 48 min in, the step after 1h48m.
            Instant flag = T0.plusSeconds(3600 + 48 * 60 + 30);
            Report.Incident i = rep.incidents().get(0);
            assertThat(i.firstFlag()).contains(flag);
            assertThat(i.failureWithoutAction()).contains(T0.plusSeconds(2 * 3600 + 30));
            assertThat(i.leadSeconds()).contains(2 * 3600 + 30 - (3600 + 48 * 60 + 30L));
            assertThat(rep.summary().flaggedBeforeFailure()).isEqualTo(1);
            assertThat(rep.summary().cleanWorkloadDays()).isEqualTo(4 / 24.0);
            assertThat(rep.summary().extraMemoryHoursPct()).isPositive();
            assertThat(rep.summary().extraVcpuHoursPct()).isCloseTo(0, org.assertj.core.api.Assertions.within(1e-9));

            JsonNode json = new ObjectMapper().readTree(rep.toJson());
            assertThat(json.get("policy").asText()).isEqualTo("threshold");
            assertThat(json.get("workloads").asInt()).isEqualTo(2);
            assertThat(json.get("simulated_hours").asDouble()).isEqualTo(4.0);
            JsonNode inc = json.get("incidents").get(0);
            assertThat(inc.get("kind").asText()).isEqualTo("memory-leak");
            assertThat(inc.get("preventable").asBoolean()).isTrue();
            assertThat(inc.get("first_flag").asText()).isEqualTo(flag.toString());
            assertThat(inc.get("lead_seconds").asLong()).isEqualTo(i.leadSeconds().get());
            assertThat(json.get("summary").fieldNames()).toIterable().contains("incidents", "preventable",
                    "flagged_before_failure", "median_lead_seconds", "failures", "preventable_failures",
                    "false_actions", "clean_workload_days", "extra_resource_hours_pct");
        }

        @Test
        void anIncreaseOutsideEveryIncidentIsAFalseAction() throws Exception {
            // Demand of 3.8 on 4 vCPUs keeps the threshold rule's CPU above 90% with no incident at all.
            String yaml = scenario("  []\n").replace("load: {cpu: 2, memory: 4GiB}\n  - name: quiet",
                    "load: {cpu: 3.8, memory: 4GiB}\n  - name: quiet");
            Simulator.Run r = run(yaml, Policy.THRESHOLD, 1);
            Report rep = Report.of(r, run(yaml, Policy.NONE, 1));
            int increases = r.increases().stream().mapToInt(java.util.List::size).sum();
            assertThat(increases).isPositive();
            assertThat(rep.summary().falseActions()).isEqualTo(increases);
            assertThat(rep.summary().incidents()).isZero();
        }
    }

    @Test
    void theSameSeedGivesTheSameReportAndAnotherSeedAnotherOne() throws Exception {
        String yaml = scenario(Reports.LEAK).replace("load: {cpu: 2, memory: 4GiB}",
                "load: {cpu: {mean: 2, noise: 0.2}, memory: {mean: 4GiB, noise: 0.05}}");
        String a = Report.of(run(yaml, Policy.THRESHOLD, 7), run(yaml, Policy.NONE, 7)).toJson();
        String b = Report.of(run(yaml, Policy.THRESHOLD, 7), run(yaml, Policy.NONE, 7)).toJson();
        String c = Report.of(run(yaml, Policy.THRESHOLD, 8), run(yaml, Policy.NONE, 8)).toJson();
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Nested
    class Validation {

        @Test
        void reportsEveryProblemWithItsKeyPath() {
            String yaml = """
                    duration: 2x
                    workloads:
                      - name: a
                        vcpus: {baseline: 4, max: 2}
                        load: {cpu: {mean: 1, daly: 0.2}}
                      - pattern: "b-"
                      - name: c
                        clean: true
                    incidents:
                      - {workload: a, kind: memory-burst, start: 1h, severity: 1, duration: 1h}
                      - {workload: nope, kind: cpu-surge, start: 1h, severity: -1, duration: 1h}
                      - {workload: c, kind: io-storm, start: 1h, severity: 1, duration: 1h, ramp: 2h}
                    surprise: 1
                    """;
            assertThatThrownBy(() -> ScenarioLoader.parse(yaml)).isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(ConfigException.Problem::keyPath)
                            .containsExactlyInAnyOrder("duration", "workloads[0].vcpus.max", "workloads[0].load.cpu.daly",
                                    "workloads[1].pattern", "incidents[0].kind", "incidents[1].workload",
                                    "incidents[1].severity", "incidents[2].workload", "incidents[2].ramp", "surprise"))
                    .hasMessageContaining("workloads[0].vcpus.max: must be ≥ vcpus.baseline (4) (got \"2\")")
                    .hasMessageContaining("incidents[0].kind: must be one of memory-leak, runaway-leak, cpu-surge, io-storm,"
                            + " net-degradation, software-fault, benign-burst");
        }

        @Test
        void aLoadThatIsNotAMappingIsAnErrorNotTheDefaults() {
            String yaml = "workloads:\n  - {name: a, vcpus: {baseline: 2, max: 4}, load: busy}\n";
            assertThatThrownBy(() -> ScenarioLoader.parse(yaml)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("workloads[0].load: must be a mapping (got \"busy\")");
        }

        @Test
        void aLoadProfileCanBeSharedWithAnAnchor() throws Exception {
            Scenario s = ScenarioLoader.parse("""
                    duration: 1h
                    workloads:
                      - name: a
                        load: &load {cpu: {mean: 1.5, daily: 0.2, noise: 0.05}}
                      - name: b
                        load: *load
                    """);
            assertThat(s.workloads().get(1).load()).isEqualTo(s.workloads().get(0).load());
            assertThat(s.workloads().get(1).load().cpu().noise()).isEqualTo(0.05);
        }

        @Test
        void theShippedScenariosAreValid() throws Exception {
            Scenario bench = ScenarioLoader.load(java.nio.file.Path.of("daemon/scenarios/benchmark.yaml"));
            assertThat(bench.workloads()).hasSizeGreaterThanOrEqualTo(40);
            assertThat(bench.duration()).isEqualTo(java.time.Duration.ofHours(48));
            // Every kind but the runaway leak, which only the feedback scenario needs.
            assertThat(bench.incidents()).hasSizeGreaterThanOrEqualTo(20)
                    .extracting(Scenario.Incident::kind).contains(java.util.Arrays.stream(Scenario.Kind.values())
                            .filter(k -> k != Scenario.Kind.RUNAWAY_LEAK && !k.benign()).toArray(Scenario.Kind[]::new));
            assertThat(ScenarioLoader.load(java.nio.file.Path.of("daemon/scenarios/quick.yaml")).incidents()).hasSize(5);
            Scenario futile = ScenarioLoader.load(java.nio.file.Path.of("daemon/scenarios/feedback-futile.yaml"));
            assertThat(futile.incidents()).extracting(Scenario.Incident::kind).contains(Scenario.Kind.RUNAWAY_LEAK,
                    Scenario.Kind.MEMORY_LEAK, Scenario.Kind.CPU_SURGE);
            assertThat(futile.config()).as("feedback as shipped; the bench script adds adapt: false").doesNotContain("feedback");
            Scenario benign = ScenarioLoader.load(java.nio.file.Path.of("daemon/scenarios/feedback-benign.yaml"));
            assertThat(benign.incidents()).extracting(Scenario.Incident::kind).contains(Scenario.Kind.BENIGN_BURST,
                    Scenario.Kind.MEMORY_LEAK, Scenario.Kind.CPU_SURGE);
        }
    }
}
