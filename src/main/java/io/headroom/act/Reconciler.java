package io.headroom.act;

import io.headroom.decide.Allocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compares what libvirt shows with what Headroom remembers, before each decision. Pure, so every case is a
 * table row in its test.
 *
 * <ul>
 *   <li>A guest seen for the first time: what it has is its baseline.</li>
 *   <li>A change that was written down but whose outcome is unknown (a crash or a lost connection between the
 *       write and libvirt's answer): whatever the guest shows decides, per resource, whether it landed. This is
 *       what keeps a restart from applying the same step twice, or from taking a raised size for a baseline.</li>
 *   <li>The guest has what Headroom gave it (memory anywhere between the old and the new balloon target, since
 *       QEMU's balloon moves gradually): in sync.</li>
 *   <li>The guest is back at its baseline although Headroom had raised it: it restarted (live changes do not
 *       survive a reboot) or was reset; Headroom's change is gone. A baseline cap Headroom derived counts as gone
 *       too when the guest shows no cap at all.</li>
 *   <li>The guest changed while Headroom held no change on it: someone resized it; that is its new baseline.</li>
 *   <li>The guest changed while Headroom held a change on it: someone else is managing it. It is left alone and
 *       reported until it is back at Headroom's value or at its baseline.</li>
 * </ul>
 */
final class Reconciler {

    /** How the guest relates to Headroom's record. */
    enum Kind { NEW, IN_SYNC, RESET_TO_BASELINE, REBASELINED, LEFT_ALONE, RESUMED }

    /**
     * @param kind      the case
     * @param record    the updated record
     * @param effective the allocation to decide from: Headroom's value while a balloon is still moving toward it
     * @param notes     what was found, for the log and the audit trail (empty when in sync)
     */
    record Result(Kind kind, WorkloadRecord record, Allocation effective, List<String> notes) {}

    private Reconciler() {}

    static Result reconcile(Optional<WorkloadRecord> previous, Allocation observed, Instant now) {
        if (previous.isEmpty()) {
            return new Result(Kind.NEW, WorkloadRecord.adopt(observed, now), observed,
                    List.of("first seen with " + observed + "; that is its baseline"));
        }
        List<String> notes = new ArrayList<>();
        WorkloadRecord r = previous.get().seen(now);
        boolean settledNow = r.pending().isPresent();
        if (settledNow) {
            r = resolvePending(r, observed, notes);
        }
        boolean ours = observed.vcpus() == r.applied().vcpus() && observed.cpuQuota() == r.applied().cpuQuota()
                && between(observed.memoryBytes(), r.applied().memoryBytes(), r.memoryFrom());
        if (ours) {
            // A change settled just now may still start moving the balloon, so its range is kept one more cycle.
            long from = !settledNow && observed.memoryBytes() == r.applied().memoryBytes()
                    ? r.applied().memoryBytes() : r.memoryFrom();
            Kind kind = r.leftAlone().isPresent() ? Kind.RESUMED : Kind.IN_SYNC;
            if (kind == Kind.RESUMED) {
                notes.add("back at Headroom's " + r.applied() + "; Headroom manages it again");
            }
            return new Result(kind, r.withApplied(r.applied(), from).withLeftAlone(Optional.empty()), r.applied(), notes);
        }
        if (r.atBaseline(observed)) {
            notes.add("back at its baseline " + r.baseline() + " although Headroom had given it " + r.applied()
                    + " (restarted?); Headroom's change is gone");
            Kind kind = r.leftAlone().isPresent() ? Kind.RESUMED : Kind.RESET_TO_BASELINE;
            return new Result(kind, r.withBaseline(r.baseline()).withApplied(observed, observed.memoryBytes()), observed, notes);
        }
        if (!r.raised() && r.leftAlone().isEmpty()) {
            notes.add("resized from " + r.baseline() + " to " + observed + " while Headroom held no change; "
                    + "that is its new baseline");
            return new Result(Kind.REBASELINED, r.withBaseline(observed), observed, notes);
        }
        if (!r.leftAlone().equals(Optional.of(observed))) {
            notes.add("changed to " + observed + " by someone else after Headroom gave it " + r.applied()
                    + "; left alone until it is back at " + r.applied() + " or at its baseline " + r.baseline());
        }
        return new Result(Kind.LEFT_ALONE, r.withLeftAlone(Optional.of(observed)), observed, notes);
    }

    /** Settles a change whose outcome was unknown from what the guest shows now. */
    private static WorkloadRecord resolvePending(WorkloadRecord r, Allocation observed, List<String> notes) {
        WorkloadRecord.PendingChange p = r.pending().get();
        int vcpus = observed.vcpus() == p.to().vcpus() ? p.to().vcpus() : p.from().vcpus();
        long quota = observed.cpuQuota() == p.to().cpuQuota() ? p.to().cpuQuota() : p.from().cpuQuota();
        long fromMem = p.from().memoryBytes();
        long toMem = p.to().memoryBytes();
        long mem;
        long memFrom;
        if (observed.memoryBytes() == toMem) {
            mem = toMem;
            memFrom = toMem;
        } else if (observed.memoryBytes() == fromMem) {
            // Either never sent, or sent and the balloon has not moved yet: keep the old value, accept movement.
            mem = fromMem;
            memFrom = toMem;
        } else if (between(observed.memoryBytes(), fromMem, toMem)) {
            mem = toMem;
            memFrom = fromMem;
        } else {
            mem = fromMem;
            memFrom = fromMem;
        }
        Allocation landed = new Allocation(vcpus, mem, quota);
        notes.add("an interrupted change " + p.from() + " -> " + p.to() + " from " + p.at() + " is settled as "
                + landed + " (the guest shows " + observed + ")");
        // The attempt was made, landed or not; its cooldown must survive the crash that hid its outcome.
        return r.withApplied(landed, memFrom).withPending(Optional.empty())
                .withPolicy(r.policy().withLastChange(p.at()));
    }

    private static boolean between(long v, long a, long b) {
        return v >= Math.min(a, b) && v <= Math.max(a, b);
    }
}
