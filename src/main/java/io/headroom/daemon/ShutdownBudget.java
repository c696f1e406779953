package io.headroom.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what must be closed at shutdown (resuming admission pauses, a last post to Alertmanager) side by side
 * within one budget, so that stopping fits the unit's {@code TimeoutStopSec} instead of adding up each part's own
 * bound. What has not finished by the deadline is logged and left to the JVM's exit.
 */
final class ShutdownBudget {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownBudget.class);

    private ShutdownBudget() {}

    /**
     * Runs every closer on its own thread and waits for all of them, at most until {@code budget} has passed.
     *
     * @return the names of the closers still running at the deadline (empty when all finished)
     */
    static List<String> closeAll(Duration budget, Map<String, AutoCloseable> closers) {
        long deadline = System.nanoTime() + budget.toNanos();
        Map<String, Thread> threads = new LinkedHashMap<>();
        closers.forEach((name, c) -> {
            Thread t = new Thread(() -> {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing {} failed: {}", name, e.toString());
                }
            }, "headroom-stop-" + name);
            t.setDaemon(true);
            t.start();
            threads.put(name, t);
        });
        List<String> late = new ArrayList<>();
        for (Map.Entry<String, Thread> e : threads.entrySet()) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    e.getValue().join(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            if (e.getValue().isAlive()) {
                late.add(e.getKey());
            }
        }
        if (!late.isEmpty()) {
            LOG.warn("stopping: {} did not finish within the shutdown budget of {}s; exiting without them", late,
                    budget.toSeconds());
        }
        return late;
    }
}
