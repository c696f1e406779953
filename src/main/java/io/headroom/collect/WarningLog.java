package io.headroom.collect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides which Prometheus warnings are worth a WARN line: each distinct text at most once per {@code every}. A
 * partial answer (a Thanos store down, a series limit hit) repeats on every query of every cycle, and a line each
 * time would bury everything else; once in a while is enough to be seen, the counter says how often.
 */
final class WarningLog {

    /** Distinct texts remembered; beyond it the memory starts over, so that odd texts cannot grow it forever. */
    private static final int MAX_REMEMBERED = 256;

    private final Clock clock;
    private final Duration every;
    private final Map<String, Instant> lastLogged = new HashMap<>();

    WarningLog(Clock clock, Duration every) {
        this.clock = clock;
        this.every = every;
    }

    /** True if {@code warning} has not been logged within {@code every}; then it counts as logged now. */
    synchronized boolean due(String warning) {
        Instant now = clock.instant();
        Instant last = lastLogged.get(warning);
        if (last != null && now.isBefore(last.plus(every))) {
            return false;
        }
        if (last == null && lastLogged.size() >= MAX_REMEMBERED) {
            lastLogged.clear();
        }
        lastLogged.put(warning, now);
        return true;
    }
}
