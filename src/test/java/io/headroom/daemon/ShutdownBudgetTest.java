package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ShutdownBudgetTest {

    @Test
    @Timeout(30)
    void aCloserThatHangsIsLeftBehindAtTheDeadlineAndTheOthersStillRun() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean resumed = new AtomicBoolean();
        Map<String, AutoCloseable> closers = new LinkedHashMap<>();
        closers.put("alertmanager", never::await);
        closers.put("admission", () -> resumed.set(true));

        List<String> late = ShutdownBudget.closeAll(Duration.ofMillis(300), closers);

        assertThat(late).containsExactly("alertmanager");
        assertThat(resumed).as("closed side by side, not after the hung one").isTrue();
    }

    @Test
    void closersThatFinishOrFailAreNotLate() {
        Map<String, AutoCloseable> closers = new LinkedHashMap<>();
        closers.put("ok", () -> { });
        closers.put("failing", () -> {
            throw new IllegalStateException("boom");
        });
        assertThat(ShutdownBudget.closeAll(Duration.ofSeconds(10), closers)).isEmpty();
    }

    @Test
    void theBudgetFitsTheUnitsStopTimeout() throws Exception {
        String unit = Files.readString(Path.of("systemd/headroom.service"));
        String line = unit.lines().filter(l -> l.startsWith("TimeoutStopSec=")).findFirst().orElseThrow();
        Duration stop = Duration.ofSeconds(Long.parseLong(line.substring("TimeoutStopSec=".length()).replace("s", "")));

        assertThat(Daemon.STOP_BUDGET).isLessThan(stop.minusSeconds(5));
        assertThat(Daemon.VERTX_STOP).isLessThan(Daemon.STOP_BUDGET);
    }
}
