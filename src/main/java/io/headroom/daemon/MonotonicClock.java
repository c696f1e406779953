package io.headroom.daemon;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.LongSupplier;

/**
 * The daemon's time for durations: cooldowns, decay and hold timers, readiness and data age. It reads the wall
 * clock once, at start, and from then on advances with {@link System#nanoTime()}, so an NTP step or an operator's
 * {@code date -s} neither holds every change (a step back) nor decays them early (a step forward). Data times
 * (the query grid, the training window, the intervals training leaves out) stay on the wall clock, the clock
 * Prometheus stamps samples with. After a restart it re-anchors to the wall clock: a step taken while running
 * shows once, as a jump between the persisted state's times and the new ones.
 */
final class MonotonicClock extends Clock {

    private final Instant anchor;
    private final long anchorNanos;
    private final LongSupplier nanos;
    private final ZoneId zone;

    /** Anchored to {@code wall}'s instant now, advancing with {@code nanos} (in production {@code System::nanoTime}). */
    MonotonicClock(Clock wall, LongSupplier nanos) {
        this(wall.instant(), nanos.getAsLong(), nanos, wall.getZone());
    }

    private MonotonicClock(Instant anchor, long anchorNanos, LongSupplier nanos, ZoneId zone) {
        this.anchor = anchor;
        this.anchorNanos = anchorNanos;
        this.nanos = nanos;
        this.zone = zone;
    }

    /** Anchored to the system clock now. */
    static MonotonicClock system() {
        return new MonotonicClock(Clock.systemUTC(), System::nanoTime);
    }

    @Override
    public Instant instant() {
        // nanoTime differences are exact even across its overflow; only their sign matters for ordering.
        return anchor.plusNanos(nanos.getAsLong() - anchorNanos);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new MonotonicClock(anchor, anchorNanos, nanos, z);
    }
}
