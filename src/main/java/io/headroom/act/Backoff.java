package io.headroom.act;

import java.time.Duration;

/** How long the gateway waits before reopening a libvirt connection that failed to open. Pure. */
final class Backoff {

    private Backoff() {}

    /** {@code initial} after the first failure, doubling with each further one, never above {@code max}. */
    static Duration after(int failures, Duration initial, Duration max) {
        Duration d = initial.multipliedBy(1L << Math.min(30, Math.max(0, failures - 1)));
        return d.compareTo(max) > 0 ? max : d;
    }
}
