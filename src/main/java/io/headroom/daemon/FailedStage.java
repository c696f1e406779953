package io.headroom.daemon;

import io.headroom.act.LibvirtFailure;
import io.headroom.collect.CollectionException;
import io.headroom.collect.PrometheusException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Predicate;

/**
 * What a failed cycle failed on, from its exception, so that the alert names the part to look at: "Prometheus
 * unreachable" for a full disk sent operators to the wrong server.
 */
enum FailedStage {
    /** A query failed after its retries (the collection, or discovery from Prometheus). */
    PROMETHEUS("HeadroomPrometheusUnreachable", "collection from Prometheus failed"),
    /** libvirt could not be reached (discovery from libvirt). */
    LIBVIRT("HeadroomLibvirtUnreachable", "libvirt could not be reached"),
    /** A file in the state dir could not be read or written (actuation state, audit log). */
    STATE("HeadroomStateUnwritable", "the state dir could not be written"),
    /** Anything else, e.g. a bug while scoring. */
    OTHER("HeadroomCycleFailed", "the cycle failed");

    final String alertname;
    final String summary;

    FailedStage(String alertname, String summary) {
        this.alertname = alertname;
        this.summary = summary;
    }

    /**
     * The stage behind {@code cause}, looking through its whole cause chain: a Prometheus or libvirt error is what
     * went wrong even when it arrives wrapped, and an I/O error counts as the state dir's only when neither is there
     * (the clients wrap their own socket errors).
     */
    static FailedStage of(Throwable cause) {
        if (anyCause(cause, t -> t instanceof PrometheusException || t instanceof CollectionException)) {
            return PROMETHEUS;
        }
        if (anyCause(cause, t -> t instanceof LibvirtFailure)) {
            return LIBVIRT;
        }
        if (anyCause(cause, t -> t instanceof IOException || t instanceof UncheckedIOException)) {
            return STATE;
        }
        return OTHER;
    }

    private static boolean anyCause(Throwable t, Predicate<Throwable> test) {
        for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }
}
