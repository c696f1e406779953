package io.headroom.decide;

import static io.headroom.decide.Inputs.MIB;
import static io.headroom.decide.Inputs.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.config.DecideConfig;
import io.headroom.decide.Clamp.Reason;
import io.headroom.decide.Decision.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CPU through the CFS quota, and the memory floor. A guest with 4 vCPUs and 4096 MiB whose baseline cap is 50000 us
 * per 100000 us period of each vCPU (half of each), on a roomy host; the quota that caps nothing is one period.
 */
class QuotaPolicyTest {

    static final DecideConfig AT_ONCE = Inputs.config("{hysteresis: {escalate_after_cycles: 1}}");
    static final DecideConfig DEFAULTS = Inputs.config("");
    static final long PERIOD = 100_000;
    static final Allocation BASELINE = new Allocation(4, 4096 * MIB, 50_000);
    static final Allocation MAX = new Allocation(16, 16384 * MIB, PERIOD);
    static final HostCapacity HOST = new HostCapacity(32, 8, 65536 * MIB);

    static PolicyInput quota(Optional<WorkloadScore> score, WorkloadState state, Allocation baseline, Allocation current,
                             Instant now, long floor) {
        return new PolicyInput("web-1", score, state, baseline, current, MAX, HOST, List.of(), now, CpuControl.QUOTA, floor);
    }

    static Optional<WorkloadScore> score(double s) {
        return Optional.of(new WorkloadScore(s, Inputs.cpuAndMemoryPressure()));
    }

    static Decision decide(DecideConfig cfg, PolicyInput in) {
        return new TierPolicy(cfg).decide(in).decision();
    }

    @Nested
    class Tiers {
        @ParameterizedTest(name = "score {0} -> quota {1} us, {2} MiB")
        @CsvSource({
                "10, 50000, 4096",
                "31, 55000, 4301",
                "71, 63000, 4711",
                "91, 75000, 5325"})
        void eachTierMultipliesTheBaselineQuotaAndLeavesTheVcpusAlone(double s, long quota, long memMib) {
            Decision d = decide(AT_ONCE, quota(score(s), WorkloadState.initial(), BASELINE, BASELINE, T0, 0));
            assertThat(d.target()).isEqualTo(new Allocation(4, memMib * MIB, quota));
            assertThat(d.changes(Resource.CPU)).isFalse();
        }

        @Test
        void theVcpuStrategyLeavesTheQuotaAlone() {
            PolicyInput in = new PolicyInput("web-1", score(95), WorkloadState.initial(), BASELINE, BASELINE, MAX, HOST,
                    List.of(), T0, CpuControl.VCPUS, 0);
            Decision d = decide(AT_ONCE, in);
            assertThat(d.target()).isEqualTo(new Allocation(6, 5325 * MIB, 50_000));
        }

        @Test
        void quotaControlNeedsABaselineCap() {
            assertThatThrownBy(() -> quota(score(95), WorkloadState.initial(), new Allocation(4, 4096 * MIB),
                    new Allocation(4, 4096 * MIB), T0, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs a baseline quota");
        }
    }

    @Nested
    class Uncapped {
        @ParameterizedTest(name = "score {0}: uncapped -> {1} us at once")
        @CsvSource({
                "10, 50000",
                "50, 55000",
                "95, 75000"})
        void anUncappedGuestIsCappedAtOnceAtWhatItsTierNeeds(double s, long quota) {
            Allocation uncapped = BASELINE.with(Resource.CPU_QUOTA, 0);
            Decision d = decide(AT_ONCE, quota(score(s), WorkloadState.initial(), BASELINE, uncapped, T0, 0));
            assertThat(d.target().cpuQuota()).isEqualTo(quota);
            // Capping takes CPU away, whatever the tier: uncapped is more than any tier gives.
            assertThat(d.action()).isEqualTo(s >= 31 ? Action.RAISE : Action.DECAY);
            assertThat(d.reason()).contains("cpu_quota uncapped -> " + quota + "us");
        }
    }

    @Nested
    class Clamps {
        @Test
        void aQuotaNeverExceedsWhatCapsNothing() {
            Allocation high = new Allocation(4, 4096 * MIB, 80_000);
            Decision d = decide(AT_ONCE, quota(score(95), WorkloadState.initial(), high, high, T0, 0));
            assertThat(d.target().cpuQuota()).isEqualTo(PERIOD);
            assertThat(d.clamps()).contains(new Clamp(Resource.CPU_QUOTA, 120_000, PERIOD, Reason.DOMAIN_MAX));
        }

        @ParameterizedTest(name = "min_change.cpu_quota {0}: medium gives {1}")
        @CsvSource({
                "0.05, 55000",
                "0.2,  50000"})
        void smallQuotaChangesAreSkipped(double share, long quota) {
            DecideConfig cfg = Inputs.config("{hysteresis: {escalate_after_cycles: 1}, min_change: {cpu_quota: " + share + "}}");
            Decision d = decide(cfg, quota(score(50), WorkloadState.initial(), BASELINE, BASELINE, T0, 0));
            assertThat(d.target().cpuQuota()).isEqualTo(quota);
        }

        @Test
        void quotaIgnoresTheHostVcpuGuard() {
            // Raising a cap hands out no vCPUs: a host already at its overcommit limit still lets the quota rise.
            PolicyInput in = new PolicyInput("web-1", score(95), WorkloadState.initial(), BASELINE, BASELINE, MAX,
                    new HostCapacity(2, 8, 65536 * MIB), List.of(), T0, CpuControl.QUOTA, 0);
            assertThat(decide(AT_ONCE, in).target().cpuQuota()).isEqualTo(75_000);
        }
    }

    @Nested
    class Decay {
        @Test
        void aRaisedQuotaStepsBackToItsBaseline() {
            TierPolicy policy = new TierPolicy(DEFAULTS);
            WorkloadState state = new WorkloadState(Tier.HIGH, WorkloadState.Streaks.NONE, Optional.of(T0.minusSeconds(3600)),
                    Optional.empty(), Optional.empty());
            Allocation current = new Allocation(4, 4096 * MIB, 63_000);
            // minute -> quota after the cycle; decay.after 30m, step 10% of the baseline (5000 us)
            long[][] table = {{0, 63_000}, {29, 63_000}, {30, 58_000}, {31, 58_000}, {35, 53_000}, {40, 50_000},
                {90, 50_000}};
            for (long[] row : table) {
                Instant t = T0.plus(Duration.ofMinutes(row[0]));
                PolicyOutcome out = policy.decide(quota(score(10), state, BASELINE, current, t, 0));
                state = out.next();
                if (out.decision().isChange()) {
                    state = state.withLastChange(t);
                    current = out.decision().target();
                }
                assertThat(current.cpuQuota()).as("minute %s", row[0]).isEqualTo(row[1]);
                assertThat(current.vcpus()).isEqualTo(4);
            }
        }
    }

    @Nested
    class MemoryFloor {
        @ParameterizedTest(name = "floor {0} MiB: {1} MiB -> {2} MiB")
        @CsvSource({
                "0,    4711, 4096, false",
                "4500, 4711, 4500, true",
                "4800, 4711, 4711, true",
                "4095, 4711, 4096, false"})
        void ballooningDownStopsAtTheFloor(long floorMib, long fromMib, long toMib, boolean clamped) {
            Allocation current = new Allocation(4, fromMib * MIB, 50_000);
            WorkloadState calmLongAgo = new WorkloadState(Tier.NONE, WorkloadState.Streaks.NONE, Optional.empty(),
                    Optional.empty(), Optional.of(T0.minus(Duration.ofHours(1))));
            DecideConfig stepAll = Inputs.config("{decay: {step: 1.0}}");
            Decision d = decide(stepAll, quota(score(10), calmLongAgo, BASELINE, current, T0, floorMib * MIB));
            assertThat(d.target().memoryBytes()).isEqualTo(toMib * MIB);
            assertThat(d.clamps().stream().anyMatch(c -> c.reason() == Reason.MEMORY_FLOOR)).isEqualTo(clamped);
        }
    }

    @Nested
    class Rounding {
        @ParameterizedTest(name = "{0} x{1} = {2}")
        @CsvSource({
                "50000, 1.10, 55000",
                "50000, 1.25, 63000",
                "33333, 1.10, 37000",
                "33333, 1.00, 33333"})
        void quotasRoundUpToWholeMilliseconds(long baseline, double multiplier, long expected) {
            assertThat(Targets.scaled(Resource.CPU_QUOTA, baseline, multiplier)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "decay step of {0} x{1} = {2}")
        @CsvSource({
                "50000, 0.10, 5000",
                "5000,  0.01, 1000"})
        void quotaDecayStepsAreAtLeastOneMillisecond(long baseline, double share, long expected) {
            assertThat(Targets.decayStep(Resource.CPU_QUOTA, baseline, share)).isEqualTo(expected);
        }
    }
}
