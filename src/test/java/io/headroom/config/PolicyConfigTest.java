package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.decide.Tier;
import io.headroom.detect.Calibration;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The {@code decide} and {@code act} sections: one nested class per key, YAML inline. */
class PolicyConfigTest {

    static DecideConfig decide(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, null).decide();
    }

    static ActConfig act(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, null).act();
    }

    static List<String> problems(String yaml) {
        return ConfigLoaderTest.problems(yaml);
    }

    @Nested
    class Defaults {
        @Test
        void emptyDocumentGivesTheSpecifiedTiersAndObserveMode() throws Exception {
            DecideConfig d = decide("");
            assertThat(d.tiers()).isEqualTo(new DecideConfig.Tiers(
                    new DecideConfig.TierSpec(31, 1.10, 1.05),
                    new DecideConfig.TierSpec(71, 1.25, 1.15),
                    new DecideConfig.TierSpec(91, 1.50, 1.30)));
            assertThat(d.optOut()).isEmpty();
            assertThat(d.caps()).isEmpty();
            assertThat(act("").mode()).isEqualTo(ActConfig.Mode.OBSERVE);
        }

        @Test
        void theHighTiersDefaultFloorIsWhereTheCalibrationPutsTheTrainingMaximum() throws Exception {
            // A row as strange as every clean row its model learned from must reach the high tier, not stop just
            // under it: the two numbers live in different stages and must move together.
            DecideConfig.Tiers tiers = decide("").tiers();
            assertThat((double) tiers.high().minScore()).isEqualTo(Calibration.BEYOND_TRAINING);
            double[] training = {0.40, 0.45, 0.50, 0.55, 0.60};
            Calibration c = Calibration.fromTrainingScores(training, 0.995, Calibration.DEFAULT_MARGIN);
            assertThat(Tier.forScore(c.apply(0.60), tiers)).isEqualTo(Tier.HIGH);
            assertThat(Tier.forScore(c.apply(0.5999), tiers)).isEqualTo(Tier.MEDIUM);
        }

        @Test
        void unknownKeysAreErrorsAtEveryLevel() {
            assertThat(problems("""
                    decide: {cooldwn: 1m, tiers: {hihg: {}}, decay: {every: 1m}}
                    act: {reconnect: {tries: 3}}
                    """)).extracting(p -> p.substring(0, p.indexOf(':'))).containsExactlyInAnyOrder(
                    "decide.cooldwn", "decide.tiers.hihg", "decide.decay.every", "act.reconnect.tries");
        }
    }

    @Nested
    class Tiers {
        @Test
        void readsEveryTier() throws Exception {
            DecideConfig.Tiers t = decide("""
                    decide:
                      tiers:
                        medium: {min_score: 40, cpu: 1.2, memory: 1.1}
                        high: {min_score: 60, cpu: 1.5, memory: 1.2}
                        critical: {min_score: 80, cpu: 2, memory: 1.5}
                    """).tiers();
            assertThat(t.medium()).isEqualTo(new DecideConfig.TierSpec(40, 1.2, 1.1));
            assertThat(t.critical()).isEqualTo(new DecideConfig.TierSpec(80, 2.0, 1.5));
        }

        @Test
        void floorsMustIncrease() {
            assertThat(problems("decide: {tiers: {high: {min_score: 31}}}")).containsExactly(
                    "decide.tiers.high.min_score: must be greater than decide.tiers.medium.min_score 31 (got 31)");
        }

        @Test
        void aHigherTierNeverGivesLess() {
            assertThat(problems("decide: {tiers: {critical: {cpu: 1.2, memory: 1.1}}}")).containsExactly(
                    "decide.tiers.critical.cpu: must be at least decide.tiers.high.cpu 1.25 (got 1.2)",
                    "decide.tiers.critical.memory: must be at least decide.tiers.high.memory 1.15 (got 1.1)");
        }

        @Test
        void multipliersNeverShrinkAGuest() {
            assertThat(problems("decide: {tiers: {medium: {cpu: 0.9}}}")).containsExactly(
                    "decide.tiers.medium.cpu: must be a number between 1.0 and 4.0 (got 0.9)");
        }

        @Test
        void noTierStartsAtZero() {
            assertThat(problems("decide: {tiers: {medium: {min_score: 0}}}")).containsExactly(
                    "decide.tiers.medium.min_score: must be a whole number between 1 and 100 (got 0)");
        }
    }

    @Nested
    class PressureShare {
        @Test
        void readsAShare() throws Exception {
            assertThat(decide("decide: {pressure_share: 0.5}").pressureShare()).isEqualTo(0.5);
        }

        @Test
        void zeroWouldRaiseOnAnyAnomaly() {
            assertThat(problems("decide: {pressure_share: 0}")).containsExactly(
                    "decide.pressure_share: must be a number between 0.01 and 1.0 (got 0)");
        }
    }

    @Nested
    class Hysteresis {
        @Test
        void readsBoth() throws Exception {
            DecideConfig d = decide("decide: {hysteresis: {escalate_after_cycles: 1, step_down_margin: 0}}");
            assertThat(d.escalateAfterCycles()).isEqualTo(1);
            assertThat(d.stepDownMargin()).isZero();
        }

        @Test
        void atLeastOneCycle() {
            assertThat(problems("decide: {hysteresis: {escalate_after_cycles: 0}}")).containsExactly(
                    "decide.hysteresis.escalate_after_cycles: must be a whole number between 1 and 100 (got 0)");
        }
    }

    @Nested
    class Cooldown {
        @Test
        void zeroIsAllowed() throws Exception {
            assertThat(decide("decide: {cooldown: 0s}").cooldown()).isZero();
        }

        @Test
        void mustBeADuration() {
            assertThat(problems("decide: {cooldown: 300}")).containsExactly(
                    "decide.cooldown: must be a duration such as 500ms, 30s, 5m, 1h or 7d (got \"300\")");
        }
    }

    @Nested
    class MinChange {
        @Test
        void readsSizes() throws Exception {
            DecideConfig d = decide("decide: {min_change: {vcpus: 2, memory: 128MiB}}");
            assertThat(d.minChangeVcpus()).isEqualTo(2);
            assertThat(d.minChangeMemory()).isEqualTo(128L << 20);
        }

        @Test
        void memoryMustBeASize() {
            assertThat(problems("decide: {min_change: {memory: lots}}")).containsExactly(
                    "decide.min_change.memory: must be a size between 0B and 64GiB such as 512MiB (got \"lots\")");
        }
    }

    @Nested
    class MaxChangesPerMinute {
        @Test
        void atLeastOne() {
            assertThat(problems("decide: {max_changes_per_minute: 0}")).containsExactly(
                    "decide.max_changes_per_minute: must be a whole number between 1 and 1000 (got 0)");
        }
    }

    @Nested
    class Decay {
        @Test
        void readsBoth() throws Exception {
            DecideConfig d = decide("decide: {decay: {after: 1h, step: 0.5}}");
            assertThat(d.decayAfter()).isEqualTo(Duration.ofHours(1));
            assertThat(d.decayStep()).isEqualTo(0.5);
        }

        @Test
        void stepIsAShareOfTheBaseline() {
            assertThat(problems("decide: {decay: {step: 2}}")).containsExactly(
                    "decide.decay.step: must be a number between 0.01 and 1.0 (got 2)");
        }
    }

    @Nested
    class Sizing {
        @Test
        void defaults() throws Exception {
            DecideConfig.Sizing s = decide("").sizing();
            assertThat(s).isEqualTo(new DecideConfig.Sizing(Duration.ofHours(1), Duration.ofHours(1), 0.05, 0.95,
                    Duration.ofMinutes(2), 2, 0.1, Duration.ofMinutes(10), 0.85));
        }

        @Test
        void readsEveryKey() throws Exception {
            DecideConfig.Sizing s = decide("""
                    decide:
                      horizon: 30m
                      decay: {margin: 0.2}
                      sizing: {window: 2h, margin: 0.1, near: 0.9, saturation_after: 5m, escalate_after_cycles: 4,
                               strain_window: 15m, strain_share: 0.9}
                    """).sizing();
            assertThat(s).isEqualTo(new DecideConfig.Sizing(Duration.ofMinutes(30), Duration.ofHours(2), 0.1, 0.9,
                    Duration.ofMinutes(5), 4, 0.2, Duration.ofMinutes(15), 0.9));
        }

        @Test
        void badValuesNameTheirKey() {
            assertThat(problems("decide: {horizon: 1s, sizing: {near: 1.5, escalate_after_cycles: 0, window: 1m, "
                    + "strain_window: 30s, strain_share: 0.4}, decay: {margin: 0.9}}")).containsExactlyInAnyOrder(
                    "decide.sizing.strain_window: must be a duration between 1m and 1h (got \"30s\")",
                    "decide.sizing.strain_share: must be a number between 0.5 and 1.0 (got 0.4)",
                    "decide.horizon: must be a duration between 10s and 7d (got \"1s\")",
                    "decide.sizing.near: must be a number between 0.5 and 1.0 (got 1.5)",
                    "decide.sizing.escalate_after_cycles: must be a whole number between 1 and 100 (got 0)",
                    "decide.sizing.window: must be a duration between 5m and 7d (got \"1m\")",
                    "decide.decay.margin: must be a number between 0.0 and 0.5 (got 0.9)");
        }
    }

    @Nested
    class Host {
        @Test
        void readsBoth() throws Exception {
            DecideConfig d = decide("decide: {host: {memory_reserve: 4GiB, max_vcpu_overcommit: 2.5}}");
            assertThat(d.hostMemoryReserve()).isEqualTo(4L << 30);
            assertThat(d.maxVcpuOvercommit()).isEqualTo(2.5);
        }

        @Test
        void overcommitBelowOneWouldShrinkTheHost() {
            assertThat(problems("decide: {host: {max_vcpu_overcommit: 0.5}}")).containsExactly(
                    "decide.host.max_vcpu_overcommit: must be a number between 1.0 and 64.0 (got 0.5)");
        }
    }

    @Nested
    class Caps {
        @Test
        void firstMatchingCapApplies() throws Exception {
            DecideConfig d = decide("""
                    decide:
                      caps:
                        - {match: 'db-.*', max_vcpus: 16}
                        - {match: '.*', max_memory: 8GiB}
                    """);
            assertThat(d.capFor("db-1")).hasValueSatisfying(c -> {
                assertThat(c.maxVcpus()).hasValue(16);
                assertThat(c.maxMemory()).isEmpty();
            });
            assertThat(d.capFor("web-1")).hasValueSatisfying(c -> assertThat(c.maxMemory()).hasValue(8L << 30));
        }

        @Test
        void aCapMustMatchAndBound() {
            assertThat(problems("decide: {caps: [{max_vcpus: 4}, {match: 'x'}, {match: 'y(', max_vcpus: 2}]}"))
                    .containsExactly(
                            "decide.caps[0].match: is required: a regular expression on the workload name (got nothing)",
                            "decide.caps[1]: must set max_vcpus, max_memory or both (got neither)",
                            "decide.caps[2].match: must be a valid regular expression: Unclosed group (got \"y(\")");
        }
    }

    @Nested
    class OptOut {
        @Test
        void matchesWholeNames() throws Exception {
            DecideConfig d = decide("decide: {opt_out: 'legacy-.*'}");
            assertThat(d.optedOut("legacy-db")).isTrue();
            assertThat(d.optedOut("web-legacy-1")).isFalse();
        }
    }

    @Nested
    class Mode {
        @Test
        void enforce() throws Exception {
            assertThat(act("act: {mode: enforce}").mode()).isEqualTo(ActConfig.Mode.ENFORCE);
        }

        @Test
        void onlyTwoModes() {
            assertThat(problems("act: {mode: dry-run}")).containsExactly(
                    "act.mode: must be one of observe, enforce (got \"dry-run\")");
        }
    }

    @Nested
    class Reconnect {
        @Test
        void backoffOrder() {
            assertThat(problems("act: {reconnect: {initial_backoff: 10s, max_backoff: 1s}}")).containsExactly(
                    "act.reconnect.max_backoff: must be at least initial_backoff 10s (got 1s)");
        }
    }

    @Nested
    class ForgetAfter {
        @Test
        void readsADuration() throws Exception {
            assertThat(act("act: {forget_after: 2d}").forgetAfter()).isEqualTo(Duration.ofDays(2));
        }
    }
    @Nested
    class CpuStrategy {
        @Test
        void vcpusByDefaultAndTheOthersByName() throws Exception {
            assertThat(act("").cpuStrategy()).isEqualTo(ActConfig.CpuStrategy.VCPUS);
            assertThat(act("act: {cpu_strategy: quota}").cpuStrategy()).isEqualTo(ActConfig.CpuStrategy.QUOTA);
            assertThat(act("act: {cpu_strategy: auto}").cpuStrategy()).isEqualTo(ActConfig.CpuStrategy.AUTO);
        }

        @Test
        void onlyThreeStrategies() {
            assertThat(problems("act: {cpu_strategy: shares}")).containsExactly(
                    "act.cpu_strategy: must be one of vcpus, quota, auto (got \"shares\")");
        }
    }

    @Nested
    class QuotaBaselineShare {
        @Test
        void halfOfEachVcpuByDefault() throws Exception {
            assertThat(act("").quotaBaselineShare()).isEqualTo(0.5);
            assertThat(act("act: {quota_baseline_share: 0.8}").quotaBaselineShare()).isEqualTo(0.8);
        }

        @Test
        void aShareOfOneVcpuAtMost() {
            assertThat(problems("act: {quota_baseline_share: 1.5}")).containsExactly(
                    "act.quota_baseline_share: must be a number between 0.05 and 1.0 (got 1.5)");
        }
    }

    @Nested
    class MemoryFloor {
        @Test
        void readsASize() throws Exception {
            assertThat(act("").memoryFloor()).isEqualTo(256L << 20);
            assertThat(act("act: {memory_floor: 1GiB}").memoryFloor()).isEqualTo(1L << 30);
        }

        @Test
        void mustBeASize() {
            assertThat(problems("act: {memory_floor: half}")).singleElement().asString()
                    .startsWith("act.memory_floor: must be a size");
        }
    }

    @Nested
    class LibvirtCallTimeout {
        @Test
        void defaultsPastLibvirtsOwnJobWait() throws Exception {
            assertThat(act("").libvirtCallTimeout()).isEqualTo(Duration.ofSeconds(45));
            assertThat(act("act: {libvirt_call_timeout: 10s}").libvirtCallTimeout()).isEqualTo(Duration.ofSeconds(10));
        }

        @Test
        void betweenASecondAndTenMinutes() {
            assertThat(problems("act: {libvirt_call_timeout: 0s}")).singleElement().asString()
                    .startsWith("act.libvirt_call_timeout: must be a duration");
            assertThat(problems("act: {libvirt_call_timeout: 1h}")).singleElement().asString()
                    .startsWith("act.libvirt_call_timeout: must be a duration");
        }
    }

    @Nested
    class LibvirtKeepalive {
        @Test
        void defaultsToLibvirtdsOwnAndTurnsOffWithZero() throws Exception {
            assertThat(act("").libvirtKeepaliveInterval()).isEqualTo(Duration.ofSeconds(5));
            assertThat(act("").libvirtKeepaliveCount()).isEqualTo(5);
            assertThat(act("act: {libvirt_keepalive_interval: 0s}").libvirtKeepaliveInterval()).isZero();
            assertThat(act("act: {libvirt_keepalive_interval: 2s, libvirt_keepalive_count: 3}").libvirtKeepaliveCount())
                    .isEqualTo(3);
        }

        @Test
        void refusesSubSecondIntervalsAndCountsOutOfRange() {
            assertThat(problems("act: {libvirt_keepalive_interval: 500ms}")).singleElement().asString()
                    .startsWith("act.libvirt_keepalive_interval: must be 0s (off) or at least 1s");
            assertThat(problems("act: {libvirt_keepalive_count: 0}")).singleElement().asString()
                    .startsWith("act.libvirt_keepalive_count: must be");
        }
    }

    @Nested
    class MemoryReadbackTimeout {
        @Test
        void readsADuration() throws Exception {
            assertThat(act("").memoryReadbackTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(act("act: {memory_readback_timeout: 0s}").memoryReadbackTimeout()).isEqualTo(Duration.ZERO);
        }

        @Test
        void atMostAMinute() {
            assertThat(problems("act: {memory_readback_timeout: 2m}")).singleElement().asString()
                    .startsWith("act.memory_readback_timeout: must be a duration");
        }
    }

    @Nested
    class MaxDataAge {
        @Test
        void twoCollectionIntervalsByDefault() throws Exception {
            assertThat(act("").maxDataAge()).isEqualTo(Duration.ofSeconds(60));
            assertThat(act("collection: {interval: 1m}").maxDataAge()).isEqualTo(Duration.ofMinutes(2));
            assertThat(act("collection: {interval: 2s}").maxDataAge()).as("never under 10s by default")
                    .isEqualTo(Duration.ofSeconds(10));
            assertThat(act("collection: {interval: 2s}\nact: {max_data_age: 2s}").maxDataAge()).isEqualTo(Duration.ofSeconds(2));
            assertThat(act("act: {max_data_age: 45s}").maxDataAge()).isEqualTo(Duration.ofSeconds(45));
        }

        @Test
        void neverLessThanOneInterval() {
            assertThat(problems("collection: {interval: 1m}\nact: {max_data_age: 30s}")).containsExactly(
                    "act.max_data_age: must be at least collection.interval 1m (got 30s)");
        }

        @Test
        void mustBeADuration() {
            assertThat(problems("act: {max_data_age: soon}")).singleElement().asString()
                    .startsWith("act.max_data_age: must be a duration");
        }
    }

    @Nested
    class MinChangeCpuQuota {
        @Test
        void aShareOfTheBaselineQuota() throws Exception {
            assertThat(decide("").minChangeCpuQuota()).isEqualTo(0.05);
            assertThat(decide("decide: {min_change: {cpu_quota: 0.1}}").minChangeCpuQuota()).isEqualTo(0.1);
            assertThat(problems("decide: {min_change: {cpu_quota: 2}}")).containsExactly(
                    "decide.min_change.cpu_quota: must be a number between 0.0 and 1.0 (got 2)");
        }
    }
}
