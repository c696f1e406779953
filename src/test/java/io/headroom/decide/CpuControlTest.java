package io.headroom.decide;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.ActConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a guest's CPU is controlled, as a table. */
class CpuControlTest {

    @ParameterizedTest(name = "strategy {0}, quota {1}, capped {2}, unplug failed {3} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            VCPUS | false | false | false | VCPUS
            QUOTA | false | false | false | VCPUS
            AUTO  | false | true  | true  | VCPUS
            VCPUS | true  | false | false | VCPUS
            VCPUS | true  | true  | false | VCPUS
            QUOTA | true  | false | false | QUOTA
            AUTO  | true  | false | false | VCPUS
            AUTO  | true  | true  | false | QUOTA
            VCPUS | true  | false | true  | QUOTA
            AUTO  | true  | false | true  | QUOTA
            """)
    void choose(ActConfig.CpuStrategy strategy, boolean hasQuota, boolean capped, boolean unplugFailed,
                CpuControl expected) {
        assertThat(CpuControl.choose(strategy, hasQuota, capped, unplugFailed)).isEqualTo(expected);
    }
}
