package io.headroom.collect;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An evaluation grid: the timestamps {@code start + k*step} that are {@code <= end}, at millisecond precision
 * (the precision of Prometheus' evaluation timestamps).
 *
 * <p>Grids built with {@link #aligned} start on a multiple of the step since the epoch, so the grids of two
 * collection cycles share their timestamps and their rows can be compared.
 *
 * @param start first timestamp (truncated to milliseconds)
 * @param end   no timestamp is after this one; it need not be on the grid (truncated to milliseconds)
 * @param step  distance between timestamps; a positive whole number of milliseconds
 */
public record StepGrid(Instant start, Instant end, Duration step) {

    public StepGrid {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(step, "step");
        if (step.isNegative() || step.isZero() || step.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("step must be a positive whole number of milliseconds, got " + step);
        }
        start = start.truncatedTo(ChronoUnit.MILLIS);
        end = end.truncatedTo(ChronoUnit.MILLIS);
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
        long points = (end.toEpochMilli() - start.toEpochMilli()) / step.toMillis() + 1;
        if (points > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("grid of " + points + " points is too large");
        }
    }

    /** The grid from {@code from} to {@code to}, both floored to a multiple of {@code step} since the epoch. */
    public static StepGrid aligned(Instant from, Instant to, Duration step) {
        long stepMs = step.toMillis();
        if (stepMs <= 0) {
            throw new IllegalArgumentException("step must be at least 1ms, got " + step);
        }
        return new StepGrid(
                Instant.ofEpochMilli(Math.floorDiv(from.toEpochMilli(), stepMs) * stepMs),
                Instant.ofEpochMilli(Math.floorDiv(to.toEpochMilli(), stepMs) * stepMs),
                step);
    }

    /** Number of timestamps on the grid (at least 1). */
    public int size() {
        return (int) ((end.toEpochMilli() - start.toEpochMilli()) / step.toMillis() + 1);
    }

    /** The {@code i}-th timestamp in epoch milliseconds. */
    public long timestampAt(int i) {
        Objects.checkIndex(i, size());
        return start.toEpochMilli() + i * step.toMillis();
    }

    /** The {@code i}-th timestamp. */
    public Instant instantAt(int i) {
        return Instant.ofEpochMilli(timestampAt(i));
    }

    /** The last timestamp on the grid (which may be before {@link #end()}). */
    public Instant last() {
        return instantAt(size() - 1);
    }

    /** The index of {@code epochMillis} on the grid, or -1 if it is outside the grid or between two steps. */
    public int indexOf(long epochMillis) {
        long offset = epochMillis - start.toEpochMilli();
        long stepMs = step.toMillis();
        if (offset < 0 || offset % stepMs != 0) {
            return -1;
        }
        long index = offset / stepMs;
        return index < size() ? (int) index : -1;
    }

    /** The step in seconds, for rates. */
    public double stepSeconds() {
        return step.toMillis() / 1000.0;
    }

    /**
     * Consecutive sub-grids of at most {@code maxPoints} timestamps each, together holding exactly this grid's
     * timestamps once each; each chunk ends on its own last timestamp.
     */
    public List<StepGrid> split(int maxPoints) {
        if (maxPoints < 1) {
            throw new IllegalArgumentException("maxPoints must be >= 1, got " + maxPoints);
        }
        int size = size();
        List<StepGrid> chunks = new ArrayList<>(size / maxPoints + 1);
        for (int first = 0; first < size; first += maxPoints) {
            int lastIndex = (int) Math.min((long) first + maxPoints - 1, size - 1L);
            chunks.add(new StepGrid(instantAt(first), instantAt(lastIndex), step));
        }
        return chunks;
    }
}
