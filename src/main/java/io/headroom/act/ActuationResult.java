package io.headroom.act;

import io.headroom.decide.Resource;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The outcome of changing one resource of one domain. libvirt errors become a status instead of an
 * exception, so that no caller can overlook a failed change.
 *
 * @param workload  domain name
 * @param resource  what was changed
 * @param status    what happened
 * @param requested the amount asked for (vCPUs, or bytes)
 * @param observed  the amount read back right after the change; empty when not applied or not readable
 * @param detail    libvirt's reason for a failure, or a note; empty when there is nothing to add
 */
public record ActuationResult(String workload, Resource resource, Status status, long requested,
                              OptionalLong observed, String detail) {

    /** What happened to a change. */
    public enum Status {
        /** libvirt made the change; {@code observed} holds the value read back. */
        APPLIED,
        /** libvirt said no (beyond the domain's maximum, unsupported, read-only connection); see {@code detail}. */
        REFUSED,
        /** The domain no longer exists or no longer runs. */
        DOMAIN_GONE,
        /**
         * A vCPU removal libvirt gave up on (QEMU 7.2 never confirms the unplug): libvirt still counts the vCPU,
         * and {@code observed} holds that count. Retrying does not help; the guest's CPU is capped by quota instead.
         */
        UNPLUG_FAILED,
        /** libvirt could not be reached; the gateway reconnects with backoff. Whether the change happened is unknown. */
        CONNECTION_LOST,
        /** Observe mode: recorded, not made. */
        DRY_RUN;

        /** Lower-case name for logs and metric labels. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static ActuationResult applied(String workload, Resource r, long requested, OptionalLong observed, String detail) {
        return new ActuationResult(workload, r, Status.APPLIED, requested, observed, detail);
    }

    static ActuationResult failed(String workload, Resource r, long requested, LibvirtFailure f) {
        Status s = switch (f.kind()) {
            case REFUSED -> Status.REFUSED;
            case DOMAIN_GONE -> Status.DOMAIN_GONE;
            case CONNECTION_LOST -> Status.CONNECTION_LOST;
        };
        return new ActuationResult(workload, r, s, requested, OptionalLong.empty(), f.getMessage());
    }
}
