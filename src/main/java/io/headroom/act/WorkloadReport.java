package io.headroom.act;

import io.headroom.decide.Allocation;
import io.headroom.decide.Decision;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one cycle did for one workload, for the API, {@code headroom status} and tests.
 *
 * @param workload     workload (domain) name
 * @param at           the cycle time
 * @param outcome      how far the cycle got for this workload
 * @param baseline     the guest's baseline, once known
 * @param current      the allocation libvirt showed this cycle
 * @param decision     the policy's decision, when one was made
 * @param results      one per changed resource, when a change was attempted
 * @param lastChangeAt when Headroom last changed (or, in observe mode, would have changed) the guest
 * @param notes        what reconciliation found (first seen, resized, left alone, ...)
 * @param maximum      the most the guest can have without a restart (its domain maximum), when a decision was made:
 *                     what a share-of-maximum memory measure is a share of
 */
public record WorkloadReport(String workload, Instant at, Outcome outcome, Optional<Allocation> baseline,
                             Optional<Allocation> current, Optional<Decision> decision, List<ActuationResult> results,
                             Optional<Instant> lastChangeAt, List<String> notes, Optional<Allocation> maximum) {

    public WorkloadReport {
        results = List.copyOf(results);
        notes = List.copyOf(notes);
    }

    /** A report without the domain maximum. */
    public WorkloadReport(String workload, Instant at, Outcome outcome, Optional<Allocation> baseline,
                          Optional<Allocation> current, Optional<Decision> decision, List<ActuationResult> results,
                          Optional<Instant> lastChangeAt, List<String> notes) {
        this(workload, at, outcome, baseline, current, decision, results, lastChangeAt, notes, Optional.empty());
    }

    /** How far the cycle got for a workload. */
    public enum Outcome {
        /** A decision was made (and carried out if it was a change). */
        DECIDED,
        /** Someone else changed the guest after Headroom did; nothing was decided. */
        LEFT_ALONE,
        /** The domain does not run any more. */
        DOMAIN_GONE,
        /** libvirt could not be reached for this workload. */
        CONNECTION_LOST
    }
}
