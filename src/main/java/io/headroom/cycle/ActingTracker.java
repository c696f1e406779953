package io.headroom.cycle;

import io.headroom.act.WorkloadRecord;
import io.headroom.detect.Interval;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When Headroom held a change on each guest, so training leaves those rows out and models do not learn
 * Headroom's own interventions as normal. Kept in memory: a guest found raised at start-up is treated as raised
 * since {@code since}, which the daemon sets to the start of the training window (the conservative choice).
 */
public final class ActingTracker {

    private final Map<String, Instant> open = new HashMap<>();
    private final Map<String, List<Interval>> closed = new HashMap<>();
    private final Instant since;
    private boolean first = true;

    public ActingTracker(Instant since) {
        this.since = since;
    }

    /** Updates from the actuation records after a cycle. */
    public synchronized void update(Map<String, WorkloadRecord> records, Instant now) {
        for (Map.Entry<String, WorkloadRecord> e : records.entrySet()) {
            String w = e.getKey();
            boolean raised = e.getValue().raised();
            if (raised && !open.containsKey(w)) {
                open.put(w, first ? since : now);
            } else if (!raised && open.containsKey(w)) {
                closed.computeIfAbsent(w, k -> new ArrayList<>()).add(new Interval(open.remove(w), now));
            }
        }
        first = false;
    }

    /** Intervals per workload, open ones ending at {@code now}. */
    public synchronized Map<String, List<Interval>> intervals(Instant now) {
        Map<String, List<Interval>> out = new HashMap<>();
        closed.forEach((w, l) -> out.put(w, new ArrayList<>(l)));
        open.forEach((w, start) -> out.computeIfAbsent(w, k -> new ArrayList<>()).add(new Interval(start, now)));
        return out;
    }
}
