package io.headroom.act;

import io.headroom.decide.Allocation;
import io.headroom.decide.WorkloadState;
import java.time.Instant;
import java.util.Optional;

/**
 * What Headroom keeps about one workload across cycles and restarts.
 *
 * @param baseline   the allocation before Headroom touched the guest; the policy's multipliers apply to it
 * @param applied    the allocation Headroom last gave the guest (the baseline when it holds no change)
 * @param memoryFrom the other end of the range the guest's memory may be in while a balloon moves toward
 *                   {@code applied}; equal to {@code applied.memoryBytes()} once it got there
 * @param pending    a change written down before it was sent to libvirt and not yet known to have landed or
 *                   failed; a restart resolves it by looking at the guest
 * @param leftAlone  the allocation someone else gave the guest after Headroom changed it; while present the
 *                   guest is left alone
 * @param policy     the policy's state (tier, hysteresis, cooldown, decay timers)
 * @param lastSeen   when the workload was last seen running
 */
public record WorkloadRecord(Allocation baseline, Allocation applied, long memoryFrom, Optional<PendingChange> pending,
                             Optional<Allocation> leftAlone, WorkloadState policy, Instant lastSeen) {

    /** A guest seen for the first time: what it has is its baseline. */
    static WorkloadRecord adopt(Allocation observed, Instant now) {
        return new WorkloadRecord(observed, observed, observed.memoryBytes(), Optional.empty(), Optional.empty(),
                WorkloadState.initial(), now);
    }

    /** True if Headroom holds a change on the guest. */
    public boolean raised() {
        return !applied.equals(baseline);
    }

    WorkloadRecord withApplied(Allocation a, long from) {
        return new WorkloadRecord(baseline, a, from, pending, leftAlone, policy, lastSeen);
    }

    WorkloadRecord withBaseline(Allocation b) {
        return new WorkloadRecord(b, b, b.memoryBytes(), pending, Optional.empty(), policy, lastSeen);
    }

    WorkloadRecord withPending(Optional<PendingChange> p) {
        return new WorkloadRecord(baseline, applied, memoryFrom, p, leftAlone, policy, lastSeen);
    }

    WorkloadRecord withLeftAlone(Optional<Allocation> observed) {
        return new WorkloadRecord(baseline, applied, memoryFrom, pending, observed, policy, lastSeen);
    }

    WorkloadRecord withPolicy(WorkloadState s) {
        return new WorkloadRecord(baseline, applied, memoryFrom, pending, leftAlone, s, lastSeen);
    }

    WorkloadRecord seen(Instant at) {
        return new WorkloadRecord(baseline, applied, memoryFrom, pending, leftAlone, policy, at);
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
