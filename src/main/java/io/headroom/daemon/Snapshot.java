package io.headroom.daemon;

import io.headroom.act.WorkloadRecord;
import io.headroom.act.WorkloadReport;
import io.headroom.collect.FeatureMatrix;
import io.headroom.detect.Scorer;
import io.headroom.feedback.Adaptation;
import io.headroom.feedback.Judgement;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * The latest good cycle: when it ran, what it saw and what it did.
 *
 * @param takenAt   when the cycle started, on the daemon's monotonic clock ({@link MonotonicClock}): what
 *                  the policy's timers and readiness measure from
 * @param wallAt    when the cycle started on the wall clock: what its queries and data are stamped with
 * @param cycle     how many cycles have finished, this one included ({@code headroom_cycle_completed_total})
 * @param workloads the workloads discovered
 * @param matrix    the collected feature matrix
 * @param failing   the workloads failed at the cycle's time (failure query, webhook), for judging episodes
 * @param scores    detection results by workload
 * @param reports   what actuation did, one per workload it reached; empty without actuation
 * @param records   the actuation state after the cycle (baselines, policy state)
 * @param changes   the last change per workload, carried across cycles
 * @param episodes  the feedback stage's open episodes after the cycle: when each began, by workload
 * @param judged    the last judged episode (or miss) per workload, carried across cycles
 */
public record Snapshot(Instant takenAt, Instant wallAt, long cycle, SortedSet<String> workloads, FeatureMatrix matrix,
                       Set<String> failing, Map<String, Scorer.Result> scores, List<WorkloadReport> reports,
                       SortedMap<String, WorkloadRecord> records, SortedMap<String, LastChange> changes,
                       Map<String, Instant> episodes, SortedMap<String, Judgement> judged,
                       SortedMap<String, Adaptation> adaptations) {

    public Snapshot {
        reports = List.copyOf(reports);
        records = Collections.unmodifiableSortedMap(new TreeMap<>(records));
        changes = Collections.unmodifiableSortedMap(new TreeMap<>(changes));
        episodes = Map.copyOf(episodes);
        judged = Collections.unmodifiableSortedMap(new TreeMap<>(judged));
        adaptations = Collections.unmodifiableSortedMap(new TreeMap<>(adaptations));
    }

    Snapshot withActuation(List<WorkloadReport> r, SortedMap<String, WorkloadRecord> rec,
                           SortedMap<String, LastChange> ch, Map<String, Instant> open, List<Judgement> newly,
                           SortedMap<String, Adaptation> adapted) {
        SortedMap<String, Judgement> next = new TreeMap<>(judged);
        newly.forEach(j -> next.put(j.workload(), j));
        next.keySet().retainAll(rec.keySet());
        return new Snapshot(takenAt, wallAt, cycle, workloads, matrix, failing, scores, r, rec, ch, open, next, adapted);
    }
}
