package io.headroom.notify;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One failure alert as Alertmanager reported it to the webhook: firing (no end yet) or resolved.
 *
 * @param fingerprint Alertmanager's fingerprint of the alert's labels; with {@code start}, it identifies one firing
 * @param workload    the workload, from the configured label
 * @param alertname   the alert's name (empty if it had none)
 * @param start       when the failure began
 * @param end         when it ended, for a resolved alert
 */
public record FailureSignal(String fingerprint, String workload, String alertname, Instant start, Optional<Instant> end) {

    public FailureSignal {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(alertname, "alertname");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    /** The identity used to recognise repeats: the same alert firing from the same start. */
    String key() {
        return fingerprint + "@" + start;
    }
}
