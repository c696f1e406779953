package io.headroom.daemon;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's service protocol, sd_notify(3), through libsystemd: {@code READY=1} once the daemon serves,
 * {@code WATCHDOG=1} while its cycles keep finishing, {@code STOPPING=1} when it stops. Only when systemd asked for it
 * ({@code NOTIFY_SOCKET} set, as under {@code Type=notify}); elsewhere, and where libsystemd cannot be loaded, every
 * call does nothing.
 */
final class Systemd {

    private static final Logger LOG = LoggerFactory.getLogger(Systemd.class);

    /** The one function used. */
    interface LibSystemd extends Library {
        int sd_notify(int unsetEnvironment, String state);
    }

    private final Optional<LibSystemd> lib;
    private final Optional<Duration> watchdog;

    private Systemd(Optional<LibSystemd> lib, Optional<Duration> watchdog) {
        this.lib = lib;
        this.watchdog = watchdog;
    }

    /** What the process environment asks for. */
    static Systemd fromEnvironment() {
        return of(System.getenv(), ProcessHandle.current().pid());
    }

    static Systemd of(Map<String, String> env, long pid) {
        if (env.getOrDefault("NOTIFY_SOCKET", "").isEmpty()) {
            return new Systemd(Optional.empty(), Optional.empty());
        }
        Optional<LibSystemd> lib;
        try {
            lib = Optional.of(Native.load("systemd", LibSystemd.class));
        } catch (UnsatisfiedLinkError e) {
            LOG.warn("systemd asked for notifications (NOTIFY_SOCKET) but libsystemd cannot be loaded: {}", e.getMessage());
            lib = Optional.empty();
        }
        return new Systemd(lib, watchdog(env, pid));
    }

    /**
     * {@code WATCHDOG_USEC} when it is meant for this process ({@code WATCHDOG_PID} absent or equal to its pid): how
     * often systemd must hear {@code WATCHDOG=1}.
     */
    static Optional<Duration> watchdog(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        String forPid = env.get("WATCHDOG_PID");
        if (usec == null || (forPid != null && !forPid.equals(Long.toString(pid)))) {
            return Optional.empty();
        }
        try {
            long v = Long.parseLong(usec.trim());
            return v > 0 ? Optional.of(Duration.ofNanos(v * 1000)) : Optional.empty();
        } catch (NumberFormatException e) {
            LOG.warn("ignoring WATCHDOG_USEC={}: not a number of microseconds", usec);
            return Optional.empty();
        }
    }

    /** The watchdog timeout systemd set, if any. */
    Optional<Duration> watchdog() {
        return watchdog;
    }

    /** Sends {@code state} (newline-separated assignments); false when nothing was sent. */
    boolean notify(String state) {
        return lib.map(l -> l.sd_notify(0, state) > 0).orElse(false);
    }
}
