package io.headroom.decide;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@link TierPolicy} needs to decide for one workload in one cycle. Built by the actuation stage from
 * the detection output, what libvirt reports and the persisted state.
 *
 * @param workload         workload (domain) name
 * @param score            the latest score, or empty when no model covers the workload (then nothing changes)
 * @param state            what the policy remembered from the previous cycle
 * @param baseline         the allocation before Headroom touched the guest; under {@link CpuControl#QUOTA} its
 *                         quota is the cap the tier multipliers apply to (never 0)
 * @param current          the allocation now
 * @param domainMax        the domain's maximum vCPUs and memory, and the quota that caps nothing
 * @param host             what the host can still give
 * @param recentChanges    when this host's recent changes were made (older than a minute are ignored)
 * @param now              the decision time
 * @param cpuControl       whether CPU changes go through vCPUs or the quota
 * @param memoryFloorBytes memory is never ballooned below this (it may stay above the baseline for it)
 * @param domainOptOut     the domain's own metadata opts it out (as {@code decide.opt_out} does by name)
 * @param coresPerQuotaUnit host cores one microsecond of the CFS quota gives the whole guest (1/period per vCPU for a
 *                         per-vCPU quota, 1/period for a global one): how measured cores compare with a quota; 0 when
 *                         the guest has no quota
 * @param hold             what feedback holds back this cycle: every raise (resources did not help this workload's kind
 *                         of anomaly) or raises past what its earlier episodes used, while use stays inside it; decay and
 *                         the tier, so alerts, are unaffected
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
        CpuControl cpuControl,
        long memoryFloorBytes,
        boolean domainOptOut,
        double coresPerQuotaUnit,
        Optional<FeedbackHold> hold) {

    public PolicyInput {
        recentChanges = List.copyOf(recentChanges);
        if (cpuControl == CpuControl.QUOTA && baseline.cpuQuota() <= 0) {
            throw new IllegalArgumentException("quota control needs a baseline quota (got " + baseline + ")");
        }
    }

    /** No hold from feedback. */
    public PolicyInput(String workload, Optional<WorkloadScore> score, WorkloadState state, Allocation baseline,
                       Allocation current, Allocation domainMax, HostCapacity host, List<Instant> recentChanges,
                       Instant now, CpuControl cpuControl, long memoryFloorBytes, boolean domainOptOut,
                       double coresPerQuotaUnit) {
        this(workload, score, state, baseline, current, domainMax, host, recentChanges, now, cpuControl,
                memoryFloorBytes, domainOptOut, coresPerQuotaUnit, Optional.empty());
    }

    /** A guest whose quota, if any, is not compared with measured cores. */
    public PolicyInput(String workload, Optional<WorkloadScore> score, WorkloadState state, Allocation baseline,
                       Allocation current, Allocation domainMax, HostCapacity host, List<Instant> recentChanges,
                       Instant now, CpuControl cpuControl, long memoryFloorBytes, boolean domainOptOut) {
        this(workload, score, state, baseline, current, domainMax, host, recentChanges, now, cpuControl,
                memoryFloorBytes, domainOptOut, 0);
    }

    /** vCPU control and no memory floor beyond the baseline. */
    public PolicyInput(String workload, Optional<WorkloadScore> score, WorkloadState state, Allocation baseline,
                       Allocation current, Allocation domainMax, HostCapacity host, List<Instant> recentChanges,
                       Instant now) {
        this(workload, score, state, baseline, current, domainMax, host, recentChanges, now, CpuControl.VCPUS, 0, false);
    }

    /** A domain whose metadata does not opt it out. */
    public PolicyInput(String workload, Optional<WorkloadScore> score, WorkloadState state, Allocation baseline,
                       Allocation current, Allocation domainMax, HostCapacity host, List<Instant> recentChanges,
                       Instant now, CpuControl cpuControl, long memoryFloorBytes) {
        this(workload, score, state, baseline, current, domainMax, host, recentChanges, now, cpuControl,
                memoryFloorBytes, false);
    }

    /** vCPU control, no memory floor, and the domain's own opt-out. */
    public PolicyInput(String workload, Optional<WorkloadScore> score, WorkloadState state, Allocation baseline,
                       Allocation current, Allocation domainMax, HostCapacity host, List<Instant> recentChanges,
                       Instant now, boolean domainOptOut) {
        this(workload, score, state, baseline, current, domainMax, host, recentChanges, now, CpuControl.VCPUS, 0,
                domainOptOut);
    }
}
