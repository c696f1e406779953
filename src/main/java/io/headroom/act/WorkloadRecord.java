package io.headroom.act;

import io.headroom.decide.Allocation;
import io.headroom.decide.Resource;
import io.headroom.decide.WorkloadState;
import java.time.Instant;
import java.util.Optional;

/**
 * What Headroom keeps about one workload across cycles and restarts.
 *
 * @param baseline     the allocation before Headroom touched the guest; the policy's multipliers apply to it. Its
 *                     quota is the cap the guest came with or, under quota control, the cap Headroom derived for it
 *                     ({@code act.quota_baseline_share}, or its vCPU share after a failed unplug)
 * @param applied      the allocation Headroom last gave the guest (the baseline when it holds no change)
 * @param memoryFrom   the other end of the range the guest's memory may be in while a balloon moves toward
 *                     {@code applied}; equal to {@code applied.memoryBytes()} once it got there
 * @param pending      a change written down before it was sent to libvirt and not yet known to have landed or
 *                     failed; a restart resolves it by looking at the guest
 * @param leftAlone    the allocation someone else gave the guest after Headroom changed it; while present the
 *                     guest is left alone
 * @param policy       the policy's state (tier, hysteresis, cooldown, decay timers)
 * @param lastSeen     when the workload was last seen running
 * @param unplugFailed when a vCPU unplug of this guest failed (libvirt kept counting the vCPU); while present
 *                     Headroom never changes its vCPUs again and caps its CPU by quota instead. Cleared when the
 *                     guest is back at its baseline (restarted) or resized by someone else
 */
public record WorkloadRecord(Allocation baseline, Allocation applied, long memoryFrom, Optional<PendingChange> pending,
                             Optional<Allocation> leftAlone, WorkloadState policy, Instant lastSeen,
                             Optional<Instant> unplugFailed) {

    /** A record without a failed unplug. */
    public WorkloadRecord(Allocation baseline, Allocation applied, long memoryFrom, Optional<PendingChange> pending,
                          Optional<Allocation> leftAlone, WorkloadState policy, Instant lastSeen) {
        this(baseline, applied, memoryFrom, pending, leftAlone, policy, lastSeen, Optional.empty());
    }

    /** A guest seen for the first time: what it has is its baseline. */
    static WorkloadRecord adopt(Allocation observed, Instant now) {
        return new WorkloadRecord(observed, observed, observed.memoryBytes(), Optional.empty(), Optional.empty(),
                WorkloadState.initial(), now);
    }

    /**
     * True if Headroom holds a change on the guest: vCPUs or memory not at the baseline, or a quota above the
     * baseline quota. An uncapped guest (quota 0) under a derived baseline cap holds nothing of Headroom's.
     */
    public boolean raised() {
        return applied.vcpus() != baseline.vcpus() || applied.memoryBytes() != baseline.memoryBytes()
                || (baseline.cpuQuota() > 0 && applied.cpuQuota() > baseline.cpuQuota());
    }

    /**
     * True if {@code observed} is the baseline, or the baseline without its cap: a restart brings back the defined
     * vCPUs and memory and drops live scheduler changes, so an uncapped definition comes back uncapped.
     */
    boolean atBaseline(Allocation observed) {
        return observed.equals(baseline) || (observed.cpuQuota() == 0 && observed.equals(baseline.with(Resource.CPU_QUOTA, 0)));
    }

    WorkloadRecord withApplied(Allocation a, long from) {
        return new WorkloadRecord(baseline, a, from, pending, leftAlone, policy, lastSeen, unplugFailed);
    }

    /** A new baseline; Headroom's change, the left-alone state and a failed unplug are over. */
    WorkloadRecord withBaseline(Allocation b) {
        return new WorkloadRecord(b, b, b.memoryBytes(), pending, Optional.empty(), policy, lastSeen, Optional.empty());
    }

    /** The baseline with the cap quota control works from; nothing else changes. */
    WorkloadRecord withBaselineQuota(long quota) {
        return new WorkloadRecord(baseline.with(Resource.CPU_QUOTA, quota), applied, memoryFrom, pending, leftAlone,
                policy, lastSeen, unplugFailed);
    }

    WorkloadRecord withPending(Optional<PendingChange> p) {
        return new WorkloadRecord(baseline, applied, memoryFrom, p, leftAlone, policy, lastSeen, unplugFailed);
    }

    WorkloadRecord withLeftAlone(Optional<Allocation> observed) {
        return new WorkloadRecord(baseline, applied, memoryFrom, pending, observed, policy, lastSeen, unplugFailed);
    }

    WorkloadRecord withPolicy(WorkloadState s) {
        return new WorkloadRecord(baseline, applied, memoryFrom, pending, leftAlone, s, lastSeen, unplugFailed);
    }

    WorkloadRecord withUnplugFailed(Optional<Instant> at) {
        return new WorkloadRecord(baseline, applied, memoryFrom, pending, leftAlone, policy, lastSeen, at);
    }

    WorkloadRecord seen(Instant at) {
        return new WorkloadRecord(baseline, applied, memoryFrom, pending, leftAlone, policy, at, unplugFailed);
    }

    /**
     * A change about to be sent to libvirt.
     *
     * @param from the allocation before it
     * @param to   the allocation asked for
     * @param at   when it was decided
     */
    public record PendingChange(Allocation from, Allocation to, Instant at) {}
}
