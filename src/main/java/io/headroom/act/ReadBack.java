package io.headroom.act;

import io.headroom.decide.Allocation;
import io.headroom.decide.Resource;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What a change libvirt accepted turned into, read back from the guest: always APPLIED (libvirt took it), with the
 * value observed, or a note when it differs or cannot be read. A failed read is handed to {@code failed}, which
 * counts it and drops a broken connection.
 */
final class ReadBack {

    /** Pause between two reads of a moving balloon. */
    private static final long POLL_MILLIS = 100;

    private ReadBack() {}

    /** The read-back after a change that libvirt accepted: APPLIED, with the observed value if it can be read. */
    static ActuationResult once(String name, Resource r, long requested, Consumer<LibvirtFailure> failed,
                                LongSupplier read) {
        try {
            long observed = read.getAsLong();
            String note = observed == requested ? "" : "read back " + Allocation.format(r, observed) + " after asking for "
                    + Allocation.format(r, requested);
            return ActuationResult.applied(name, r, requested, OptionalLong.of(observed), note);
        } catch (LibvirtFailure f) {
            failed.accept(f);
            return ActuationResult.applied(name, r, requested, OptionalLong.empty(),
                    "applied, but reading it back failed: " + f.getMessage());
        }
    }

    /**
     * The read-back of a memory change: polls until the balloon shows {@code requested} or the timeout passes, and
     * is APPLIED either way (libvirt accepted the target; the guest may still be giving or taking pages).
     */
    static ActuationResult polled(String name, long requested, Duration timeout, Consumer<LibvirtFailure> failed,
                                  LongSupplier read) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long start = System.nanoTime();
        try {
            long observed = read.getAsLong();
            while (observed != requested && System.nanoTime() - deadline < 0) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                observed = read.getAsLong();
            }
            long took = (System.nanoTime() - start) / 1_000_000;
            String note = observed == requested ? "" : "balloon at " + Allocation.format(Resource.MEMORY, observed)
                    + " after " + took + "ms, still moving toward " + Allocation.format(Resource.MEMORY, requested);
            return ActuationResult.applied(name, Resource.MEMORY, requested, OptionalLong.of(observed), note);
        } catch (LibvirtFailure f) {
            failed.accept(f);
            return ActuationResult.applied(name, Resource.MEMORY, requested, OptionalLong.empty(),
                    "applied, but reading it back failed: " + f.getMessage());
        }
    }
}
