package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SystemdTest {

    @ParameterizedTest(name = "WATCHDOG_USEC={0} WATCHDOG_PID={1} -> {2}")
    @CsvSource(nullValues = "-", textBlock = """
            -,        -,   -
            2000000,  -,   2000
            2000000,  42,  2000
            2000000,  43,  -
            0,        -,   -
            soon,     -,   -
            """)
    void theWatchdogIsForThisProcessOnly(String usec, String pid, Long millis) {
        Map<String, String> env = new HashMap<>();
        if (usec != null) {
            env.put("WATCHDOG_USEC", usec);
        }
        if (pid != null) {
            env.put("WATCHDOG_PID", pid);
        }
        assertThat(Systemd.watchdog(env, 42)).isEqualTo(
                millis == null ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofMillis(millis)));
    }

    @Test
    void withoutANotifySocketNothingIsSentAndNoWatchdogIsFed() {
        Systemd s = Systemd.of(Map.of("WATCHDOG_USEC", "2000000"), 42);
        assertThat(s.notify("READY=1")).isFalse();
        assertThat(s.watchdog()).isEmpty();
    }
}
