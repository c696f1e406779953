package io.headroom.notify;

import java.time.Instant;
import java.util.Optional;

/**
 * A stretch of time during which a workload was failing, for excluding it from training and for judging outcomes.
 *
 * @param workload  the workload
 * @param alertname the failure alert's name
 * @param start     when the failure began
 * @param end       when it ended; empty while it is still open
 */
public record FailureInterval(String workload, String alertname, Instant start, Optional<Instant> end) {

    /** Whether no resolution has been received yet. */
    public boolean open() {
        return end.isEmpty();
    }

    /** Whether any part of this interval lies within {@code [from, to]}; an open interval extends to the future. */
    public boolean overlaps(Instant from, Instant to) {
        return !start.isAfter(to) && end.map(e -> !e.isBefore(from)).orElse(true);
    }
}
