package io.headroom.act;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CFS cap read from libvirt's scheduler parameters, and the reconnect backoff, as tables. */
class CpuQuotaTest {

    @ParameterizedTest(name = "vcpu {0}/{1}, global {2}/{3} -> {4}")
    @CsvSource(nullValues = "-", textBlock = """
            -,      -,      -,      -,      -
            0,      -1,     -,      -,      -
            100000, -1,     -1,     100000, VCPU 100000 0 100000
            100000, 50000,  -1,     100000, VCPU 100000 50000 100000
            100000, -1,     300000, 100000, GLOBAL 100000 300000 400000
            100000, 50000,  300000, 100000, VCPU 100000 50000 100000
            100000, -1,     300000, 0,      VCPU 100000 0 100000
            """)
    void fromSchedulerParameters(Long vcpuPeriod, Long vcpuQuota, Long globalQuota, Long globalPeriod, String want) {
        Map<String, Long> p = new HashMap<>();
        put(p, "vcpu_period", vcpuPeriod);
        put(p, "vcpu_quota", vcpuQuota);
        put(p, "global_quota", globalQuota);
        put(p, "global_period", globalPeriod);

        var q = CpuQuota.fromSchedulerParameters(p, 4);

        if (want == null) {
            assertThat(q).isEmpty();
            return;
        }
        String[] w = want.split(" ");
        assertThat(q).contains(new CpuQuota(CpuQuota.Param.valueOf(w[0]), Long.parseLong(w[1]), Long.parseLong(w[2]),
                Long.parseLong(w[3])));
    }

    private static void put(Map<String, Long> p, String k, Long v) {
        if (v != null) {
            p.put(k, v);
        }
    }

    @ParameterizedTest(name = "after {0} failures: {1}s")
    @CsvSource({"1, 1", "2, 2", "3, 4", "6, 32", "7, 60", "40, 60"})
    void reconnectBackoffDoublesUpToItsBound(int failures, long seconds) {
        assertThat(Backoff.after(failures, Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .isEqualTo(Duration.ofSeconds(seconds));
    }
}
