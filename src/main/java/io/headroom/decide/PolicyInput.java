package io.headroom.decide;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@link TierPolicy} needs to decide for one workload in one cycle. Built by the actuation stage from
 * the detection output, what libvirt reports and the persisted state.
 *
 * @param workload      workload (domain) name
 * @param score         the latest score, or empty when no model covers the workload (then nothing changes)
 * @param state         what the policy remembered from the previous cycle
 * @param baseline      the allocation before Headroom touched the guest
 * @param current       the allocation now
 * @param domainMax     the domain's maximum vCPUs and memory
 * @param host          what the host can still give
 * @param recentChanges when this host's recent changes were made (older than a minute are ignored)
 * @param now           the decision time
 * @param domainOptOut  the domain's own metadata opts it out (as {@code decide.opt_out} does by name)
 */
public record PolicyInput(
        String workload,
        Optional<WorkloadScore> score,
        WorkloadState state,
        Allocation baseline,
        Allocation current,
        Allocation domainMax,
        HostCapacity host,
        List<Instant> recentChanges,
        Instant now,
        boolean domainOptOut) {

    public PolicyInput {
        recentChanges = List.copyOf(recentChanges);
    }

    /** An input for a domain whose metadata does not opt it out. */
    public PolicyInput(String workload, Optional<WorkloadScore> score, WorkloadState state, Allocation baseline,
                       Allocation current, Allocation domainMax, HostCapacity host, List<Instant> recentChanges,
                       Instant now) {
        this(workload, score, state, baseline, current, domainMax, host, recentChanges, now, false);
    }
}
