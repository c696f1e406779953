package io.headroom.act;

import java.util.Locale;
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
        /** The domain no longer exists, or no longer runs. */
        DOMAIN_GONE,
        /** The connection to libvirt is broken or could not be opened; reconnecting may help. */
        CONNECTION_LOST;

        /** Lower-case name for logs and metric labels. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code VIR_ERR_OPERATION_TIMEOUT} in libvirt's {@code virErrorNumber}. libvirt-java 0.5.2's
     * {@link Error.ErrorNumber} lacks the four nwfilter/firewall codes 60-63, so from 60 on its names are shifted by
     * four (68 reads as {@code VIR_ERR_NO_DOMAIN_SNAPSHOT}): codes from there on are compared as numbers.
     */
    static final int OPERATION_TIMEOUT = 68;
    /** The first libvirt error code libvirt-java 0.5.2 names wrongly. */
    private static final int FIRST_MISNAMED = 60;

    private final Kind kind;
    private final Error.ErrorNumber code;
    private final int number;

    public LibvirtFailure(Kind kind, String message, Throwable cause) {
        this(kind, message, null, -1, cause);
    }

    private LibvirtFailure(Kind kind, String message, Error.ErrorNumber code, int number, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.code = code;
        this.number = number;
    }

    /** libvirt's error number ({@code virErrorNumber}), or -1 when libvirt gave none or it is not known here. */
    public int number() {
        return number;
    }

    public Kind kind() {
        return kind;
    }

    /** libvirt's error code, when libvirt gave one. */
    public java.util.Optional<Error.ErrorNumber> code() {
        return java.util.Optional.ofNullable(code);
    }

    /** Classifies a libvirt exception raised while doing {@code what}. */
    static LibvirtFailure classify(String what, LibvirtException e) {
        return classify(what, e.getError(), -1, e);
    }

    /**
     * Classifies libvirt's error {@code err} (from {@code virGetLastError}, possibly null) raised while doing
     * {@code what}; {@code number} is its raw {@code virErrorNumber}, or -1 if not known.
     */
    static LibvirtFailure classify(String what, Error err, int number, Throwable cause) {
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
        String reason = err == null ? (cause == null ? "no error reported" : cause.getMessage()) : err.getMessage();
        String name = code == null ? "" : number >= FIRST_MISNAMED ? " [libvirt error " + number + "]" : " [" + code + "]";
        return new LibvirtFailure(kind, what + ": " + reason + name, code, number, cause);
    }

    /**
     * A connection that could not be opened. Whatever libvirt's code (a missing socket, an unreadable test-driver
     * file, refused authentication), nothing can be done until a reconnect succeeds.
     */
    static LibvirtFailure cannotConnect(String what, LibvirtException e, String next) {
        Error err = e.getError();
        Error.ErrorNumber code = err == null ? null : err.getCode();
        String reason = err == null ? e.getMessage() : err.getMessage();
        return new LibvirtFailure(Kind.CONNECTION_LOST, what + ": " + reason + (code == null ? "" : " [" + code + "]")
                + "; " + next, code, -1, e);
    }

    /** The same failure, reclassified (e.g. "not running" from a set call means the domain is gone). */
    LibvirtFailure as(Kind other) {
        return new LibvirtFailure(other, getMessage(), code, number, getCause());
    }
}
