package io.headroom.act;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything the actuation stage persists: one record per workload, and the host's recent changes for the rate
 * limit (so a restart cannot reset it).
 *
 * @param workloads     records by workload name
 * @param recentChanges times of the host's changes within the rate-limit window
 */
public record ActuationState(SortedMap<String, WorkloadRecord> workloads, List<Instant> recentChanges) {

    public ActuationState {
        workloads = Collections.unmodifiableSortedMap(new TreeMap<>(workloads));
        recentChanges = List.copyOf(recentChanges);
    }

    /** Nothing known yet: a first start. */
    public static ActuationState empty() {
        return new ActuationState(new TreeMap<>(), List.of());
    }
}
