package io.headroom.act;

import org.libvirt.Error;
import org.libvirt.LibvirtException;

/**
 * A libvirt call that did not succeed, classified so that callers can react without parsing messages.
 */
public final class LibvirtFailure extends RuntimeException {

    /** What kind of failure this is, as far as the caller is concerned. */
    public enum Kind {
        /** The hypervisor understood the request and said no (limits, unsupported operation, bad argument). */
        REFUSED,
        /** The domain no longer exists. */
        DOMAIN_GONE,
        /** The connection to libvirt is broken or could not be opened; reconnecting may help. */
        CONNECTION_LOST
    }

    private final Kind kind;

    public LibvirtFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Classifies a libvirt exception raised while doing {@code what}. */
    static LibvirtFailure classify(String what, LibvirtException e) {
        Error err = e.getError();
        Error.ErrorNumber code = err == null ? null : err.getCode();
        Kind kind;
        if (code == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
            kind = Kind.DOMAIN_GONE;
        } else if (code == null || code == Error.ErrorNumber.VIR_ERR_NO_CONNECT
                || code == Error.ErrorNumber.VIR_ERR_INVALID_CONN || code == Error.ErrorNumber.VIR_ERR_SYSTEM_ERROR
                || code == Error.ErrorNumber.VIR_ERR_RPC || code == Error.ErrorNumber.VIR_ERR_AUTH_FAILED) {
            kind = Kind.CONNECTION_LOST;
        } else {
            kind = Kind.REFUSED;
        }
        String reason = err == null ? e.getMessage() : err.getMessage();
        return new LibvirtFailure(kind, what + ": " + reason + (code == null ? "" : " [" + code + "]"), e);
    }
}
