package io.headroom.act;

import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's default event loop, run on one daemon thread ({@code headroom-libvirt-events}) for the life of the
 * process.
 *
 * <p>Why: libvirt's keepalive ({@code virConnectSetKeepAlive}) pings the daemon from event-loop timers. Without a
 * registered loop, a libvirtd that stops answering (hung, SIGSTOPped, or a host whose socket is gone without a
 * reset) is only noticed when a call's own deadline passes; with one, the connection is closed after
 * {@code interval x count} of silence, and every call waiting on it fails at once as a lost connection. The loop
 * must be registered before the first connection is opened, so the gateway starts it before each open; starting
 * it again does nothing.
 */
final class LibvirtEvents {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtEvents.class);
    private static boolean started;
    private static boolean failed;

    private LibvirtEvents() {
    }

    /**
     * Registers and runs the loop unless that was done already. Returns false if libvirt refused to register it
     * (logged once), in which case connections work without keepalive.
     */
    static synchronized boolean ensureRunning() {
        if (started || failed) {
            return started;
        }
        try {
            Library.initEventLoop();
        } catch (LibvirtException | UnsatisfiedLinkError e) {
            failed = true;
            LOG.warn("libvirt event loop could not be registered; connections run without keepalive: {}",
                    e.getMessage());
            return false;
        }
        Thread t = new Thread(LibvirtEvents::run, "headroom-libvirt-events");
        t.setDaemon(true);
        t.start();
        started = true;
        return true;
    }

    private static void run() {
        while (true) {
            try {
                Library.runEventLoop();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (LibvirtException e) {
                // One failed iteration (a callback that threw) must not end keepalive for the process.
                LOG.warn("libvirt event loop iteration failed: {}", e.getMessage());
            }
        }
    }
}
