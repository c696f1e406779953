package io.headroom.decide;

import static io.headroom.decide.Inputs.MIB;
import static io.headroom.decide.Inputs.T0;
import static io.headroom.decide.Inputs.feature;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.DecideConfig;
import io.headroom.config.FeatureSpec.Direction;
import io.headroom.config.FeatureSpec.Pressure;
import io.headroom.decide.Clamp.Reason;
import io.headroom.decide.Decision.Action;
import io.headroom.decide.FeatureAttribution.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Tables of (score, state) to decision. Baseline 4 vCPUs / 4096 MiB unless a row says otherwise. */
class TierPolicyTest {

    static final DecideConfig DEFAULTS = Inputs.config("");
    static final DecideConfig AT_ONCE = Inputs.config("{hysteresis: {escalate_after_cycles: 1}}");

    static Decision decide(DecideConfig cfg, Inputs in) {
        return new TierPolicy(cfg).decide(in.build()).decision();
    }

    static Allocation alloc(int vcpus, long memMib) {
        return new Allocation(vcpus, memMib * MIB);
    }

    @Nested
    class TierBoundaries {
        @ParameterizedTest(name = "score {0} -> {1}: {2} vCPUs, {3} MiB")
        @CsvSource({
                "0,     NONE,     8, 4096, false, false",
                "30,    NONE,     8, 4096, false, false",
                "30.9,  NONE,     8, 4096, false, false",
                "31,    MEDIUM,   9, 4301, false, false",
                "70,    MEDIUM,   9, 4301, false, false",
                "70.9,  MEDIUM,   9, 4301, false, false",
                "71,    HIGH,    10, 4711, true,  false",
                "90,    HIGH,    10, 4711, true,  false",
                "91,    CRITICAL,12, 5325, true,  true",
                "100,   CRITICAL,12, 5325, true,  true"})
        void eachTierGivesItsMultipleOfTheBaseline(double score, Tier tier, int vcpus, long memMib,
                                                   boolean logEvent, boolean notify) {
            Decision d = decide(AT_ONCE, Inputs.guest().baseline(8, 4096).score(score));
            assertThat(d.tier()).isEqualTo(tier);
            assertThat(d.target()).isEqualTo(alloc(vcpus, memMib));
            assertThat(d.isChange()).isEqualTo(tier != Tier.NONE);
            assertThat(d.action()).isEqualTo(tier == Tier.NONE ? Action.HOLD : Action.RAISE);
            assertThat(d.logEvent()).isEqualTo(logEvent);
            assertThat(d.notifyOperators()).isEqualTo(notify);
            assertThat(d.pauseRequests()).isEqualTo(notify);
            assertThat(d.clamps()).isEmpty();
        }

        @ParameterizedTest(name = "floors {0}: score {1} -> {2}")
        @CsvSource({
                "'{tiers: {medium: {min_score: 50}}}', 49, NONE",
                "'{tiers: {medium: {min_score: 50}}}', 50, MEDIUM",
                "'{tiers: {critical: {min_score: 99}}}', 98, HIGH",
                "'{tiers: {critical: {min_score: 99}}}', 99, CRITICAL"})
        void floorsComeFromTheConfig(String yaml, double score, Tier tier) {
            DecideConfig cfg = Inputs.config(yaml.replace("}}}", "}}, hysteresis: {escalate_after_cycles: 1}}"));
            assertThat(decide(cfg, Inputs.guest().score(score)).tier()).isEqualTo(tier);
        }
    }

    @Nested
    class Rounding {
        @ParameterizedTest(name = "{0} {1} x{2} = {3}")
        @CsvSource({
                "CPU,    2,          1.10, 3",
                "CPU,    10,         1.10, 11",
                "CPU,    1,          1.10, 2",
                "CPU,    4,          1.25, 5",
                "CPU,    3,          1.50, 5",
                "CPU,    8,          1.00, 8",
                "MEMORY, 2147483648, 1.05, 2255486976",
                "MEMORY, 4294967296, 1.30, 5583667200",
                "MEMORY, 1024000000, 1.05, 1075838976",
                "MEMORY, 1024000000, 1.00, 1024000000"})
        void vcpusRoundUpAndMemoryRoundsUpToWholeMib(Resource r, long baseline, double multiplier, long expected) {
            assertThat(Targets.scaled(r, baseline, multiplier)).isEqualTo(expected);
        }

        @Test
        void aMediumAnomalyOnTwoVcpusGivesThree() {
            Decision d = decide(AT_ONCE, Inputs.guest().baseline(2, 2048).score(50));
            assertThat(d.target()).isEqualTo(alloc(3, 2151));
            assertThat(d.reason()).contains("cpu 2 -> 3 (medium x1.1 of baseline 2)");
        }

        @ParameterizedTest(name = "decay step {0} of {1} x{2} = {3}")
        @CsvSource({
                "CPU,    4,          0.10, 1",
                "CPU,    16,         0.10, 2",
                "CPU,    4,          0.50, 2",
                "MEMORY, 4294967296, 0.10, 429916160",
                "MEMORY, 10485760,   0.01, 1048576"})
        void decayStepsAreAtLeastOneUnit(Resource r, long baseline, double share, long expected) {
            assertThat(Targets.decayStep(r, baseline, share)).isEqualTo(expected);
        }
    }

    @Nested
    class NonCompounding {
        @ParameterizedTest(name = "score {0} held for 12 cycles -> {1} vCPUs, {2} MiB, one change")
        @CsvSource({"40, 5, 4301", "80, 5, 4711", "95, 6, 5325"})
        void aSteadyScoreRaisesOnceFromTheBaseline(double score, int vcpus, long memMib) {
            TierPolicy policy = new TierPolicy(DEFAULTS);
            Inputs in = Inputs.guest().score(score);
            int changes = 0;
            for (int cycle = 0; cycle < 12; cycle++) {
                PolicyOutcome out = policy.decide(in.build());
                changes += out.decision().isChange() ? 1 : 0;
                in = in.after(out, in.now().plus(Duration.ofMinutes(3)));
            }
            assertThat(in.current()).isEqualTo(alloc(vcpus, memMib));
            assertThat(changes).isEqualTo(1);
        }
    }

    @Nested
    class Clamps {
        static Stream<Arguments> rows() {
            Inputs high = Inputs.guest().score(80).inTier(Tier.HIGH);
            List<Instant> sixInAMinute = List.of(T0.minusSeconds(50), T0.minusSeconds(40), T0.minusSeconds(30),
                    T0.minusSeconds(20), T0.minusSeconds(10), T0);
            List<Instant> sixButOneIsOld = List.of(T0.minusSeconds(60), T0.minusSeconds(40), T0.minusSeconds(30),
                    T0.minusSeconds(20), T0.minusSeconds(10), T0);
            Inputs calmAnHour = Inputs.guest().score(10).current(5, 4096).state(new WorkloadState(Tier.NONE,
                    WorkloadState.Streaks.NONE, java.util.Optional.empty(), java.util.Optional.of(T0.minusSeconds(3600)),
                    java.util.Optional.empty()));
            return Stream.of(
                    Arguments.of("none: high raises both", "", high, alloc(5, 4711), List.of()),
                    Arguments.of("domain max", "", high.domainMax(4, 16384), alloc(4, 4711),
                            List.of(new Clamp(Resource.CPU, 5, 4, Reason.DOMAIN_MAX))),
                    Arguments.of("domain max below current never shrinks", "", high.current(6, 4096).domainMax(4, 16384),
                            alloc(6, 4711), List.of()),
                    Arguments.of("workload cap", "{caps: [{match: 'web-.*', max_memory: 4500MiB}]}", high,
                            alloc(5, 4500), List.of(new Clamp(Resource.MEMORY, 4711 * MIB, 4500 * MIB, Reason.WORKLOAD_CAP))),
                    Arguments.of("a cap that is no whole MiB is floored to one", "{caps: [{match: '.*', max_memory: 4.5GB}]}",
                            high, alloc(5, 4291), List.of(new Clamp(Resource.MEMORY, 4711 * MIB, 4291 * MIB,
                                    Reason.WORKLOAD_CAP))),
                    Arguments.of("cap of another workload", "{caps: [{match: 'db-.*', max_vcpus: 4}]}", high,
                            alloc(5, 4711), List.of()),
                    Arguments.of("host memory reserve", "", high.host(32, 8, 2048 + 300), alloc(5, 4396),
                            List.of(new Clamp(Resource.MEMORY, 4711 * MIB, 4396 * MIB, Reason.HOST_MEMORY_RESERVE))),
                    Arguments.of("host memory already below reserve", "", high.host(32, 8, 1024), alloc(5, 4096),
                            List.of(new Clamp(Resource.MEMORY, 4711 * MIB, 4096 * MIB, Reason.HOST_MEMORY_RESERVE))),
                    Arguments.of("host vcpu overcommit", "", high.host(4, 16, 65536), alloc(4, 4711),
                            List.of(new Clamp(Resource.CPU, 5, 4, Reason.HOST_VCPU_OVERCOMMIT))),
                    Arguments.of("min change", "{min_change: {memory: 1GiB}}", high, alloc(5, 4096),
                            List.of(new Clamp(Resource.MEMORY, 4711 * MIB, 4096 * MIB, Reason.MIN_CHANGE))),
                    Arguments.of("min change of vcpus", "{min_change: {vcpus: 2}}", high, alloc(4, 4711),
                            List.of(new Clamp(Resource.CPU, 5, 4, Reason.MIN_CHANGE))),
                    Arguments.of("hysteresis: first cycle at high", "", Inputs.guest().score(80), alloc(4, 4096),
                            List.of(new Clamp(Resource.CPU, 5, 4, Reason.HYSTERESIS),
                                    new Clamp(Resource.MEMORY, 4711 * MIB, 4096 * MIB, Reason.HYSTERESIS))),
                    Arguments.of("cooldown", "", high.lastChange(T0.minusSeconds(60)), alloc(4, 4096),
                            List.of(new Clamp(Resource.CPU, 5, 4, Reason.COOLDOWN),
                                    new Clamp(Resource.MEMORY, 4711 * MIB, 4096 * MIB, Reason.COOLDOWN))),
                    Arguments.of("cooldown just over", "", high.lastChange(T0.minus(Duration.ofMinutes(5))),
                            alloc(5, 4711), List.of()),
                    Arguments.of("rate limit", "", high.recent(sixInAMinute), alloc(4, 4096),
                            List.of(new Clamp(Resource.CPU, 5, 4, Reason.RATE_LIMIT),
                                    new Clamp(Resource.MEMORY, 4711 * MIB, 4096 * MIB, Reason.RATE_LIMIT))),
                    Arguments.of("rate limit window is one minute", "", high.recent(sixButOneIsOld), alloc(5, 4711),
                            List.of()),
                    Arguments.of("opted out", "{opt_out: 'web-.*'}", high, alloc(4, 4096),
                            List.of(new Clamp(Resource.CPU, 5, 4, Reason.OPTED_OUT),
                                    new Clamp(Resource.MEMORY, 4711 * MIB, 4096 * MIB, Reason.OPTED_OUT))),
                    Arguments.of("never below baseline", "{decay: {step: 0.5}}", calmAnHour, alloc(4, 4096),
                            List.of(new Clamp(Resource.CPU, 3, 4, Reason.NEVER_BELOW_BASELINE))),
                    Arguments.of("clamps stack in order", "{caps: [{match: '.*', max_vcpus: 5}]}",
                            Inputs.guest().score(95).inTier(Tier.CRITICAL).domainMax(5, 16384).host(32, 8, 2048 + 500),
                            alloc(5, 4596), List.of(
                                    new Clamp(Resource.CPU, 6, 5, Reason.DOMAIN_MAX),
                                    new Clamp(Resource.MEMORY, 5325 * MIB, 4596 * MIB, Reason.HOST_MEMORY_RESERVE))));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("rows")
        void eachGuardrailIsRecorded(String name, String yaml, Inputs in, Allocation target, List<Clamp> clamps) {
            Decision d = decide(Inputs.config(yaml), in);
            assertThat(d.clamps()).containsExactlyElementsOf(clamps);
            assertThat(d.target()).isEqualTo(target);
        }

        @Test
        void domainMetadataOptsOutLikeTheConfig() {
            PolicyInput in = Inputs.guest().score(95).inTier(Tier.CRITICAL).build();
            TierPolicy policy = new TierPolicy(Inputs.config(""));
            assertThat(policy.decide(in).decision().action()).as("without the metadata").isEqualTo(Action.RAISE);

            Decision d = policy.decide(new PolicyInput(in.workload(), in.score(), in.state(), in.baseline(), in.current(),
                    in.domainMax(), in.host(), in.recentChanges(), in.now(), true)).decision();
            assertThat(d.action()).isEqualTo(Action.OPTED_OUT);
            assertThat(d.tier()).isEqualTo(Tier.CRITICAL);
            assertThat(d.target()).isEqualTo(in.current());
            assertThat(d.clamps()).containsExactly(new Clamp(Resource.CPU, 6, 4, Reason.OPTED_OUT),
                    new Clamp(Resource.MEMORY, 5325 * MIB, 4096 * MIB, Reason.OPTED_OUT));
            assertThat(d.reason()).contains("opted out by the domain's metadata");
        }

        static PolicyInput holding(PolicyInput in, String why) {
            return new PolicyInput(in.workload(), in.score(), in.state(), in.baseline(), in.current(), in.domainMax(),
                    in.host(), in.recentChanges(), in.now(), in.cpuControl(), in.memoryFloorBytes(), in.domainOptOut(),
                    in.coresPerQuotaUnit(), Optional.of(FeedbackHold.always(why)));
        }

        @Test
        void feedbacksHoldKeepsTheTierAndAlertsButRaisesNothing() {
            TierPolicy policy = new TierPolicy(Inputs.config(""));
            Decision d = policy.decide(holding(Inputs.guest().score(95).inTier(Tier.CRITICAL).build(),
                    "feedback: more resources did not help")).decision();
            assertThat(d.tier()).isEqualTo(Tier.CRITICAL);
            assertThat(d.notifyOperators()).as("alerts go on").isTrue();
            assertThat(d.isChange()).isFalse();
            assertThat(d.clamps()).containsExactly(new Clamp(Resource.CPU, 6, 4, Reason.FEEDBACK),
                    new Clamp(Resource.MEMORY, 5325 * MIB, 4096 * MIB, Reason.FEEDBACK));
            assertThat(d.reason()).contains("no raise: feedback: more resources did not help");
        }

        @Test
        void feedbacksHoldLetsARaisedGuestDecay() {
            TierPolicy policy = new TierPolicy(DEFAULTS);
            Inputs in = Inputs.guest().inTier(Tier.HIGH).current(5, 4711).lastChange(T0.minusSeconds(3600)).score(10);
            PolicyOutcome calm = policy.decide(holding(in.build(), "held"));
            Instant t = T0.plus(Duration.ofMinutes(30));
            Decision d = policy.decide(holding(in.at(t).after(calm, t).build(), "held")).decision();
            assertThat(d.action()).isEqualTo(Action.DECAY);
            assertThat(d.target()).isEqualTo(alloc(4, 4301));
        }

        static PolicyInput holding(PolicyInput in, FeedbackHold hold) {
            return new PolicyInput(in.workload(), in.score(), in.state(), in.baseline(), in.current(), in.domainMax(),
                    in.host(), in.recentChanges(), in.now(), in.cpuControl(), in.memoryFloorBytes(), in.domainOptOut(),
                    in.coresPerQuotaUnit(), Optional.of(hold));
        }

        /**
         * Raises held inside what this kind of anomaly used before (3.0 cores, 3000 MiB on a 4 vCPU / 4096 MiB
         * baseline): a resource is held only while its measured use stays inside its bound, away from the allocation
         * and not heading for it.
         */
        @ParameterizedTest(name = "cpu {0} cores, memory {1} MiB rising {2} MiB a row -> {3} vCPUs, {4} MiB")
        @CsvSource({
                // inside both bounds: nothing raised
                "2.9, 2900, 0, 4, 4096",
                // CPU past its bound: CPU raised (critical x1.5), memory still held
                "3.2, 2900, 0, 6, 4096",
                // memory past its bound: memory raised (critical x1.3), CPU held
                "2.9, 3100, 0, 4, 5325",
                // memory inside the bound but its trend reaches the allocation within the horizon: raised
                "2.9, 2990, 20, 4, 5325"})
        void aHoldWithinBoundsHoldsOnlyTheResourcesInsideThem(double cpu, double memMib, double memPerRow, int vcpus,
                                                              long mib) {
            TierPolicy policy = new TierPolicy(Inputs.config(""));
            PolicyInput in = Inputs.guest().score(95).inTier(Tier.CRITICAL)
                    .usage(Inputs.flat(120, cpu), Inputs.rising(120, memMib * MIB, memPerRow * MIB)).build();
            Decision d = policy.decide(holding(in, FeedbackHold.within("feedback: earlier bursts needed nothing", 3.0,
                    3000.0 * MIB))).decision();
            assertThat(d.target()).isEqualTo(alloc(vcpus, mib));
            assertThat(d.tier()).as("the tier, so alerts, stay").isEqualTo(Tier.CRITICAL);
            if (vcpus == 4 || mib == 4096) {
                assertThat(d.reason()).contains("no raise: feedback: earlier bursts needed nothing");
                assertThat(d.clamps()).extracting(Clamp::reason).containsOnly(Reason.FEEDBACK);
            }
        }

        @Test
        void boundsPastTheBaselineRightSizeToTheTierStepThatHoldsThem() {
            // Earlier episodes of this kind peaked at 4.3 cores and 4400 MiB: with the 5% margin, 4.5 cores and
            // 4620 MiB, which the high step's 5 vCPUs and 4711 MiB hold; the score asks for the
            // critical tier's 6 vCPUs and 5325 MiB.
            TierPolicy policy = new TierPolicy(Inputs.config(""));
            PolicyInput in = Inputs.guest().score(95).inTier(Tier.CRITICAL)
                    .usage(Inputs.flat(120, 2.9), Inputs.flat(120, 2900.0 * MIB)).build();
            Decision d = policy.decide(holding(in, FeedbackHold.within("feedback: earlier episodes", 4.3,
                    4400.0 * MIB))).decision();
            assertThat(d.target()).isEqualTo(alloc(5, 4711));
            assertThat(d.clamps()).containsExactly(new Clamp(Resource.CPU, 6, 5, Reason.FEEDBACK),
                    new Clamp(Resource.MEMORY, 5325 * MIB, 4711 * MIB, Reason.FEEDBACK));
            assertThat(d.reason()).contains("right-sized: feedback: earlier episodes (cpu use within 4.30 cores), "
                    + "sized to high x1.25");
        }

        @Test
        void aHoldWithinBoundsNeverHoldsSaturatedCpu() {
            // Cores used cannot pass the vCPUs: at the allocation, use says nothing of the demand behind it.
            TierPolicy policy = new TierPolicy(Inputs.config(""));
            PolicyInput in = Inputs.guest().score(95).inTier(Tier.CRITICAL)
                    .usage(Inputs.flat(120, 4.0), Inputs.flat(120, 2000.0 * MIB)).build();
            Decision d = policy.decide(holding(in, FeedbackHold.within("held", 4.0, 3000.0 * MIB))).decision();
            assertThat(d.target().vcpus()).isEqualTo(6);
            assertThat(d.target().memoryBytes()).isEqualTo(4096 * MIB);
        }

        @Test
        void aHoldWithinBoundsWithoutAMeasureOfUseHoldsNothing() {
            TierPolicy policy = new TierPolicy(Inputs.config(""));
            Decision d = policy.decide(holding(Inputs.guest().score(95).inTier(Tier.CRITICAL).build(),
                    FeedbackHold.within("held", 3.0, 3000.0 * MIB))).decision();
            assertThat(d.target()).isEqualTo(alloc(6, 5325));
        }

        @Test
        void optedOutWorkloadsAreStillScoredAndTiered() {
            Decision d = decide(Inputs.config("{opt_out: 'web-.*'}"), Inputs.guest().score(95).inTier(Tier.CRITICAL));
            assertThat(d.action()).isEqualTo(Action.OPTED_OUT);
            assertThat(d.tier()).isEqualTo(Tier.CRITICAL);
            assertThat(d.notifyOperators()).isTrue();
            assertThat(d.isChange()).isFalse();
        }
    }

    @Nested
    class Hysteresis {
        @ParameterizedTest(name = "escalate after {0}, margin {1}: {2} -> {3}")
        @CsvSource({
                "2, 5, 80 80 75 68 65 40 20, NONE HIGH HIGH HIGH MEDIUM MEDIUM NONE",
                "2, 5, 35 95 95,             NONE MEDIUM CRITICAL",
                "2, 5, 72 69 72 69,          NONE MEDIUM MEDIUM MEDIUM",
                "3, 5, 95 95 95,             NONE NONE CRITICAL",
                "1, 0, 95 90 30 31,          CRITICAL HIGH NONE MEDIUM",
                "1, 10, 95 85 81 80,         CRITICAL CRITICAL CRITICAL HIGH"})
        void tiersHoldBeforeEscalatingAndStepDownBelowTheMargin(int cycles, int margin, String scores, String tiers) {
            TierPolicy policy = new TierPolicy(Inputs.config(
                    "{hysteresis: {escalate_after_cycles: " + cycles + ", step_down_margin: " + margin + "}}"));
            Inputs in = Inputs.guest();
            List<Tier> seen = new ArrayList<>();
            for (String s : scores.trim().split("\\s+")) {
                PolicyOutcome out = policy.decide(in.score(Double.parseDouble(s)).build());
                seen.add(out.decision().tier());
                in = in.after(out, in.now().plus(Duration.ofMinutes(10)));
            }
            assertThat(seen).containsExactlyElementsOf(Arrays.stream(tiers.trim().split("\\s+")).map(Tier::valueOf).toList());
        }

        @Test
        void reasonSaysWhenHysteresisHolds() {
            Decision d = decide(DEFAULTS, Inputs.guest().score(80));
            assertThat(d.reason()).startsWith("score 80 none (score alone says high; hysteresis)");
        }
    }

    @Nested
    class Cooldown {
        @Test
        void anEscalationWithinTheCooldownWaitsForIt() {
            TierPolicy policy = new TierPolicy(DEFAULTS);
            Inputs in = Inputs.guest().score(80).inTier(Tier.HIGH);
            // minute -> (vCPUs, MiB, the clamp holding it back or null)
            Object[][] table = {
                    {0, 5, 4711L, null},
                    {1, 5, 4711L, Reason.HYSTERESIS},
                    {2, 5, 4711L, Reason.COOLDOWN},
                    {4, 5, 4711L, Reason.COOLDOWN},
                    {5, 6, 5325L, null},
                    {6, 6, 5325L, null}};
            for (Object[] row : table) {
                Instant t = T0.plus(Duration.ofMinutes((int) row[0]));
                in = in.at(t).score((int) row[0] == 0 ? 80 : 95);
                PolicyOutcome out = policy.decide(in.build());
                Decision d = out.decision();
                in = in.after(out, t);
                assertThat(in.current()).as("minute %s", row[0]).isEqualTo(alloc((int) row[1], (long) row[2]));
                assertThat(d.clamps().stream().map(Clamp::reason).distinct().toList()).as("minute %s", row[0])
                        .isEqualTo(row[3] == null ? List.of() : List.of(row[3]));
            }
        }
    }

    @Nested
    class Decay {
        @Test
        void aCalmGuestStepsBackToItsBaselineAfterTheDecayTime() {
            TierPolicy policy = new TierPolicy(DEFAULTS);
            Inputs in = Inputs.guest().inTier(Tier.HIGH).current(5, 4711).lastChange(T0.minusSeconds(3600)).score(10);
            // minute -> (vCPUs, MiB, action)
            Object[][] table = {
                    {0, 5, 4711L, Action.HOLD},
                    {25, 5, 4711L, Action.HOLD},
                    {29, 5, 4711L, Action.HOLD},
                    {30, 4, 4301L, Action.DECAY},
                    {31, 4, 4301L, Action.HOLD},
                    {35, 4, 4096L, Action.DECAY},
                    {40, 4, 4096L, Action.HOLD},
                    {90, 4, 4096L, Action.HOLD}};
            for (Object[] row : table) {
                Instant t = T0.plus(Duration.ofMinutes((int) row[0]));
                PolicyOutcome out = policy.decide(in.at(t).build());
                in = in.at(t).after(out, t);
                assertThat(out.decision().action()).as("minute %s", row[0]).isEqualTo(row[3]);
                assertThat(in.current()).as("minute %s", row[0]).isEqualTo(alloc((int) row[1], (long) row[2]));
                assertThat(out.decision().tier()).isEqualTo(Tier.NONE);
            }
        }

        @Test
        void aRenewedAnomalyRestartsTheDecayTimer() {
            TierPolicy policy = new TierPolicy(DEFAULTS);
            Inputs in = Inputs.guest().inTier(Tier.HIGH).current(5, 4711).lastChange(T0.minusSeconds(3600));
            PolicyOutcome calm = policy.decide(in.score(10).build());
            assertThat(calm.next().cpuCalmSince()).contains(T0);
            Inputs later = in.state(calm.next()).at(T0.plus(Duration.ofMinutes(20)));
            PolicyOutcome again = policy.decide(later.score(80).build());
            assertThat(again.decision().tier()).isEqualTo(Tier.NONE);
            assertThat(again.next().cpuCalmSince()).contains(T0);
            // Back at high for two cycles: no longer above need, so the calm timer is cleared.
            PolicyOutcome high = policy.decide(later.state(again.next()).at(T0.plus(Duration.ofMinutes(21))).score(80).build());
            assertThat(high.decision().tier()).isEqualTo(Tier.HIGH);
            assertThat(high.next().cpuCalmSince()).isEmpty();
            assertThat(high.decision().isChange()).isFalse();
        }

        @Test
        void aResourceNoLongerUnderPressureDecaysWhileTheOtherStaysRaised() {
            TierPolicy policy = new TierPolicy(DEFAULTS);
            List<FeatureAttribution> cpuOnly = List.of(
                    feature("cpu_utilisation", Pressure.CPU, Direction.ABOVE, Side.ABOVE, 1.0));
            Inputs in = Inputs.guest().inTier(Tier.HIGH).current(5, 4711).lastChange(T0.minusSeconds(3600))
                    .score(80, cpuOnly);
            PolicyOutcome first = policy.decide(in.build());
            Decision d = policy.decide(in.state(first.next()).at(T0.plus(Duration.ofMinutes(30))).build()).decision();
            assertThat(d.target()).isEqualTo(alloc(5, 4301));
            assertThat(d.action()).isEqualTo(Action.DECAY);
        }
    }

    /**
     * A feature with no value in the newest row was scored as its training median: the score cannot say that the
     * resource it measures needs more. That resource is held, the others are decided as ever, decay goes on.
     */
    @Nested
    class ImputedFeatures {
        /** CPU, memory and disk all above normal; {@code missing} names the features the newest row lacked. */
        List<FeatureAttribution> attribution(String missing) {
            List<String> gone = List.of(missing.split(" "));
            return List.of(
                    new FeatureAttribution("cpu_utilisation", Pressure.CPU, Direction.ABOVE, Side.ABOVE, 0.4,
                            gone.contains("cpu_utilisation")),
                    new FeatureAttribution("memory_usage_ratio", Pressure.MEMORY, Direction.ABOVE, Side.ABOVE, 0.4,
                            gone.contains("memory_usage_ratio")),
                    new FeatureAttribution("disk_read_bytes_rate", Pressure.IO, Direction.ABOVE, Side.ABOVE, 0.2,
                            gone.contains("disk_read_bytes_rate")));
        }

        @ParameterizedTest(name = "score 95, missing [{0}] -> {1} vCPUs, {2} MiB, {3}, held [{4}]")
        @CsvSource({
                "'',                                 6, 5325, RAISE, ''",
                // a gap in a feature that measures no resource holds nothing
                "disk_read_bytes_rate,               6, 5325, RAISE, ''",
                "cpu_utilisation,                    4, 5325, RAISE, cpu",
                "memory_usage_ratio,                 6, 4096, RAISE, memory",
                "cpu_utilisation memory_usage_ratio, 4, 4096, HOLD,  cpu memory"})
        void aResourceWhoseOwnMeasureIsMissingIsNeverRaised(String missing, int vcpus, long mib, Action action,
                                                             String held) {
            Decision d = decide(AT_ONCE, Inputs.guest().score(95, attribution(missing)));
            assertThat(d.target()).isEqualTo(alloc(vcpus, mib));
            assertThat(d.action()).isEqualTo(action);
            List<String> clamped = d.clamps().stream().filter(c -> c.reason() == Reason.IMPUTED)
                    .map(c -> c.resource().label()).toList();
            assertThat(String.join(" ", clamped)).isEqualTo(held);
            if (held.contains("cpu")) {
                assertThat(d.clamps()).contains(new Clamp(Resource.CPU, 6, 4, Reason.IMPUTED));
                assertThat(d.reason()).contains(
                        "cpu held: cpu_utilisation missing in the newest row (imputed to the training median)");
            }
        }

        @Test
        void underQuotaControlTheQuotaIsHeldLikeVcpus() {
            Inputs in = Inputs.guest().score(95, attribution("cpu_utilisation"));
            PolicyInput quota = new PolicyInput(in.workload(), in.score(), in.state(), new Allocation(4, 4096 * MIB, 200_000),
                    new Allocation(4, 4096 * MIB, 200_000), in.domainMax(), in.host(), in.recent(), in.now(),
                    CpuControl.QUOTA, 0);
            Decision d = new TierPolicy(AT_ONCE).decide(quota).decision();
            assertThat(d.target().cpuQuota()).isEqualTo(200_000);
            assertThat(d.clamps()).extracting(Clamp::reason).contains(Reason.IMPUTED);
            assertThat(d.target().memoryBytes()).isEqualTo(5325 * MIB);
        }

        @Test
        void aRaisedResourceStillDecaysWhileItsMeasureIsMissing() {
            TierPolicy policy = new TierPolicy(DEFAULTS);
            Inputs in = Inputs.guest().inTier(Tier.HIGH).current(5, 4711).lastChange(T0.minusSeconds(3600))
                    .score(10, attribution("cpu_utilisation memory_usage_ratio"));
            PolicyOutcome first = policy.decide(in.build());
            assertThat(first.decision().action()).isEqualTo(Action.HOLD);
            Decision d = policy.decide(in.state(first.next()).at(T0.plus(Duration.ofMinutes(30))).build()).decision();
            assertThat(d.action()).isEqualTo(Action.DECAY);
            assertThat(d.target()).isEqualTo(alloc(4, 4301));
            assertThat(d.clamps()).extracting(Clamp::reason).doesNotContain(Reason.IMPUTED);
        }
    }

    @Nested
    class PressureOnly {
        @ParameterizedTest(name = "{0} {1} deviating {2}: raise cpu {3}, memory {4}")
        @CsvSource({
                "CPU,     ABOVE, ABOVE, true,  false",
                "CPU,     ABOVE, BELOW, false, false",
                "CPU,     BELOW, BELOW, true,  false",
                "CPU,     BOTH,  BELOW, true,  false",
                "MEMORY,  BELOW, BELOW, false, true",
                "MEMORY,  BELOW, ABOVE, false, false",
                "MEMORY,  ABOVE, ABOVE, false, true",
                "IO,      ABOVE, ABOVE, false, false",
                "NETWORK, BOTH,  ABOVE, false, false",
                "CPU,     ABOVE, INSIDE, false, false",
                "CPU,     BOTH,  INSIDE, false, false",
                "MEMORY,  BELOW, INSIDE, false, false",
                "NONE,    ABOVE, ABOVE, false, false"})
        void onlyPressureOnAResourceRaisesIt(Pressure p, Direction dir, Side side, boolean cpu, boolean memory) {
            Decision d = decide(DEFAULTS, Inputs.guest().inTier(Tier.CRITICAL)
                    .score(95, List.of(feature("f", p, dir, side, 1.0))));
            assertThat(d.changes(Resource.CPU)).isEqualTo(cpu);
            assertThat(d.changes(Resource.MEMORY)).isEqualTo(memory);
            assertThat(d.tier()).isEqualTo(Tier.CRITICAL);
        }

        @Test
        void anIdleCpuAnomalyRaisesNothingButIsStillReported() {
            Decision d = decide(DEFAULTS, Inputs.guest().inTier(Tier.CRITICAL).score(97, List.of(
                    feature("cpu_utilisation", Pressure.CPU, Direction.ABOVE, Side.BELOW, 0.9),
                    feature("net_rx_bytes_rate", Pressure.NETWORK, Direction.ABOVE, Side.BELOW, 0.1))));
            assertThat(d.isChange()).isFalse();
            assertThat(d.action()).isEqualTo(Action.HOLD);
            assertThat(d.pressure()).isEmpty();
            assertThat(d.tier()).isEqualTo(Tier.CRITICAL);
            assertThat(d.notifyOperators()).isTrue();
            assertThat(d.reason()).isEqualTo("score 97 critical; pressure cpu 0%, memory 0% (raise at 30%)");
        }

        @ParameterizedTest(name = "cpu share {0}: raised {1}")
        @CsvSource({"0.29, false", "0.30, true", "1.0, true", "0.0, false"})
        void theShareThresholdDecides(double cpuShare, boolean raised) {
            Decision d = decide(DEFAULTS, Inputs.guest().inTier(Tier.HIGH).score(80, List.of(
                    feature("cpu_utilisation", Pressure.CPU, Direction.ABOVE, Side.ABOVE, cpuShare),
                    feature("disk_latency_seconds", Pressure.IO, Direction.ABOVE, Side.ABOVE, 1.0 - cpuShare))));
            assertThat(d.changes(Resource.CPU)).isEqualTo(raised);
        }

        @Test
        void aFeatureInsideItsRangeDilutesThePressureShareWithoutAskingForAnything() {
            // cpu above carries 0.25 of the score, memory inside its range 0.75: cpu's share is 25%, below 30%.
            Decision d = decide(DEFAULTS, Inputs.guest().inTier(Tier.HIGH).score(80, List.of(
                    feature("cpu_cores_used", Pressure.CPU, Direction.ABOVE, Side.ABOVE, 0.25),
                    feature("memory_usage_ratio", Pressure.MEMORY, Direction.ABOVE, Side.INSIDE, 0.75))));
            assertThat(d.isChange()).isFalse();
            assertThat(d.reason()).isEqualTo("score 80 high; pressure cpu 25%, memory 0% (raise at 30%)");
        }

        @Test
        void badWeightsAreIgnored() {
            Decision d = decide(DEFAULTS, Inputs.guest().inTier(Tier.HIGH).score(80, List.of(
                    feature("a", Pressure.CPU, Direction.ABOVE, Side.ABOVE, Double.NaN),
                    feature("b", Pressure.CPU, Direction.ABOVE, Side.ABOVE, -1),
                    feature("c", Pressure.IO, Direction.ABOVE, Side.ABOVE, 1))));
            assertThat(d.isChange()).isFalse();
        }
    }

    @Nested
    class NoModel {
        @Test
        void withoutAScoreNothingChangesAndTheStateIsKept() {
            WorkloadState kept = new WorkloadState(Tier.HIGH, new WorkloadState.Streaks(3, 3, 0),
                    java.util.Optional.of(T0.minusSeconds(10)), java.util.Optional.of(T0.minusSeconds(7200)),
                    java.util.Optional.empty());
            PolicyOutcome out = new TierPolicy(DEFAULTS).decide(Inputs.guest().current(5, 4711).state(kept).noScore().build());
            assertThat(out.decision().action()).isEqualTo(Action.NO_MODEL);
            assertThat(out.decision().isChange()).isFalse();
            assertThat(out.decision().score()).isEmpty();
            assertThat(out.next()).isEqualTo(kept);
        }
    }
}
