package io.headroom.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The baseline CFS quota of a guest under quota control, as a table: period 100 ms, max 1 s per period. */
class QuotaBaselineTest {

    static final long PERIOD = 100_000;
    static final long MAX = 1_000_000;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            kept and valid                  | 60000   | true  | 0      | 2 | 2 | false | 0.5  | -      | -
            kept above the maximum          | 2000000 | true  | 0      | 2 | 2 | false | 0.5  | 50000  | quota_baseline_share 0.5
            uncapped: the configured share  | 0       | true  | 0      | 2 | 2 | false | 0.55 | 55000  | quota_baseline_share 0.55
            capped: its own cap             | 0       | true  | 40000  | 2 | 2 | false | 0.5  | 40000  | the cap it came with
            own cap rounded down to 1 ms    | 0       | false | 123456 | 2 | 2 | false | 0.5  | 123000 | the cap it came with
            unplug failed, per vCPU         | 0       | true  | 0      | 2 | 3 | true  | 0.5  | 66000  | 2 baseline vCPUs' share of the 3
            unplug failed, whole guest      | 0       | false | 0      | 2 | 3 | true  | 0.5  | 200000 | 2 baseline vCPUs' share
            unplug failed but capped        | 0       | true  | 30000  | 2 | 3 | true  | 0.5  | 30000  | the cap it came with
            tiny share: at least 1 ms       | 0       | true  | 0      | 1 | 1 | false | 0.001| 1000   | quota_baseline_share
            """)
    void derive(String what, long kept, boolean perVcpu, long current, int baselineVcpus, int countedVcpus,
                boolean unplugFailed, double share, String quota, String why) {
        var b = QuotaBaseline.derive(kept, perVcpu, PERIOD, current, MAX, baselineVcpus, countedVcpus, unplugFailed,
                share);
        if (quota.equals("-")) {
            assertThat(b).as(what).isEmpty();
            return;
        }
        assertThat(b).as(what).hasValueSatisfying(v -> {
            assertThat(v.quota()).isEqualTo(Long.parseLong(quota));
            assertThat(v.why()).contains(why);
        });
    }

    @ParameterizedTest(name = "in use {0}, floor {1} -> {2}")
    @CsvSource({"-1, 268435456, 268435456", "1073741824, 268435456, 1342177280", "0, 0, 0"})
    void memoryFloorIsWhatTheGuestUsesPlusTheFloor(long inUse, long floor, long expected) {
        OptionalLong use = inUse < 0 ? OptionalLong.empty() : OptionalLong.of(inUse);
        assertThat(QuotaBaseline.memoryFloor(use, floor)).isEqualTo(expected);
    }
}
