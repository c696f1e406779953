package io.headroom.cycle;

import io.headroom.detect.Interval;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training leaves out, per workload: the intervals where a guest was failed (from the failure query, the
 * webhook's failure log or the simulator's failure signal) and those where Headroom held a change on it, so that
 * models learn neither failures nor Headroom's own interventions as normal. Built in one place for the daemon and
 * the simulator; the order of intervals does not matter ({@link Interval#trainable} masks rows).
 */
public final class Exclusions {

    private final Map<String, List<Interval>> byWorkload = new HashMap<>();

    /** Adds failure intervals, per workload. */
    public Exclusions failures(Map<String, List<Interval>> failures) {
        failures.forEach((w, l) -> byWorkload.computeIfAbsent(w, k -> new ArrayList<>()).addAll(l));
        return this;
    }

    /** Adds one failure interval. */
    public Exclusions failure(String workload, Interval interval) {
        byWorkload.computeIfAbsent(workload, k -> new ArrayList<>()).add(interval);
        return this;
    }

    /** Adds the intervals where Headroom held a change, open ones ending at {@code now}. */
    public Exclusions acting(ActingTracker acting, Instant now) {
        return failures(acting.intervals(now));
    }

    /** Intervals per workload, for {@link io.headroom.detect.Retrainer}. */
    public Map<String, List<Interval>> build() {
        Map<String, List<Interval>> out = new HashMap<>();
        byWorkload.forEach((w, l) -> out.put(w, List.copyOf(l)));
        return out;
    }
}
