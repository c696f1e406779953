package io.headroom.daemon;

import io.headroom.act.ActuationResult;
import io.headroom.act.WorkloadRecord;
import io.headroom.act.WorkloadReport;
import io.headroom.decide.Allocation;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The last change Headroom made to a workload (or, in observe mode, would have made), for the status API. A
 * cycle's report only says what that cycle did, so the daemon carries these from one cycle's snapshot to the next.
 *
 * @param at      when the change was decided
 * @param from    the allocation before it; empty when only the time is known (a change made before a restart,
 *                whose time the persisted policy state keeps)
 * @param to      the allocation asked for; empty likewise
 * @param results one per changed resource, in the order tried; empty likewise
 */
public record LastChange(Instant at, Optional<Allocation> from, Optional<Allocation> to, List<ActuationResult> results) {

    public LastChange {
        results = List.copyOf(results);
    }

    /**
     * The last changes after a cycle: this cycle's changes replace the earlier ones; workloads the actuation
     * state no longer holds are dropped, so the map does not outgrow {@code act.forget_after}.
     *
     * @param previous the last changes after the previous cycle
     * @param reports  this cycle's reports
     * @param records  the actuation state after this cycle
     */
    static SortedMap<String, LastChange> next(Map<String, LastChange> previous, Collection<WorkloadReport> reports,
                                              Map<String, WorkloadRecord> records) {
        SortedMap<String, LastChange> out = new TreeMap<>();
        records.forEach((w, record) -> {
            LastChange known = previous.get(w);
            if (known != null) {
                out.put(w, known);
            } else {
                record.policy().lastChangeAt().ifPresent(at -> out.put(w,
                        new LastChange(at, Optional.empty(), Optional.empty(), List.of())));
            }
        });
        for (WorkloadReport r : reports) {
            if (!r.results().isEmpty() && r.decision().isPresent()) {
                out.put(r.workload(), new LastChange(r.at(), Optional.of(r.decision().get().current()),
                        Optional.of(r.decision().get().target()), r.results()));
            }
        }
        return out;
    }
}
