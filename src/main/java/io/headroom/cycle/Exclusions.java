package io.headroom.cycle;

import io.headroom.detect.Interval;
import io.headroom.feedback.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training leaves out, per workload: the intervals where a guest was failed (from the failure query, the
 * webhook's failure log or the simulator's failure signal) and those where Headroom held a change on it, so that
 * models learn neither failures nor Headroom's own interventions as normal; and operators' verdicts on both
 * ({@link #verdicts}). Built in one place for the daemon and the simulator; the order of intervals does not matter
 * ({@link Interval#trainable} masks rows).
 */
public final class Exclusions {

    private final Map<String, List<Interval>> failures = new HashMap<>();
    private final Map<String, List<Interval>> acting = new HashMap<>();
    private final Map<String, List<Instant>> normal = new HashMap<>();

    /** Adds failure intervals, per workload. */
    public Exclusions failures(Map<String, List<Interval>> byWorkload) {
        byWorkload.forEach((w, l) -> failures.computeIfAbsent(w, k -> new ArrayList<>()).addAll(l));
        return this;
    }

    /** Adds one failure interval. */
    public Exclusions failure(String workload, Interval interval) {
        failures.computeIfAbsent(workload, k -> new ArrayList<>()).add(interval);
        return this;
    }

    /** Adds the intervals where Headroom held a change, open ones ending at {@code now}. */
    public Exclusions acting(ActingTracker tracker, Instant now) {
        tracker.intervals(now).forEach((w, l) -> acting.computeIfAbsent(w, k -> new ArrayList<>()).addAll(l));
        return this;
    }

    /**
     * Applies operators' verdicts: a {@link Verdict.Call#FALSE_POSITIVE} says the behaviour at its time was normal,
     * so a held change around it is learnt from after all; a {@link Verdict.Call#TRUE_POSITIVE} is an incident, left
     * out from its start to its time like a failure (the failure margin widens it as it does failures).
     */
    public Exclusions verdicts(List<Verdict> verdicts) {
        for (Verdict v : verdicts) {
            switch (v.call()) {
                case FALSE_POSITIVE -> normal.computeIfAbsent(v.workload(), k -> new ArrayList<>()).add(v.at());
                case TRUE_POSITIVE -> failure(v.workload(), new Interval(v.incidentStart().orElseThrow(), v.at()));
                case NOT_RESOURCE -> {
                    // An anomaly all the same: whatever already leaves it out still does.
                }
                default -> throw new IllegalStateException("unhandled verdict " + v.call());
            }
        }
        return this;
    }

    /** Intervals per workload, for {@link io.headroom.detect.Retrainer}. */
    public Map<String, List<Interval>> build() {
        Map<String, List<Interval>> out = new HashMap<>();
        failures.forEach((w, l) -> out.computeIfAbsent(w, k -> new ArrayList<>()).addAll(l));
        acting.forEach((w, l) -> {
            List<Instant> marked = normal.getOrDefault(w, List.of());
            for (Interval iv : l) {
                if (marked.stream().noneMatch(iv::contains)) {
                    out.computeIfAbsent(w, k -> new ArrayList<>()).add(iv);
                }
            }
        });
        out.replaceAll((w, l) -> List.copyOf(l));
        return out;
    }
}
