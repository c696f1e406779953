package io.headroom.notify;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A condition Headroom wants Alertmanager to know about for as long as it holds: a workload on the critical tier,
 * or an event such as a failed actuation or an unreachable Prometheus. The labels it produces ({@code alertname},
 * {@code workload}, {@code host}, {@code severity}, {@code tier}) identify it; everything else is an annotation, so
 * a new score does not make a new alert.
 *
 * @param alertname   the alert's name, e.g. {@code HeadroomWorkloadCritical}
 * @param workload    the workload (libvirt domain), or empty for a host-wide condition
 * @param severity    routing severity
 * @param tier        the workload's tier (e.g. {@code critical}), or empty when not about a tier
 * @param score       the anomaly score 0-100, if the condition comes from scoring
 * @param topFeatures the features contributing most to the score, most first, already formatted
 *                    (e.g. {@code cpu_cores_used 41%})
 * @param changes     what Headroom changed for the workload, oldest first
 * @param description free text for the {@code description} annotation; empty = generated from the fields
 */
public record ActiveAlert(
        String alertname,
        String workload,
        Severity severity,
        String tier,
        OptionalDouble score,
        List<String> topFeatures,
        List<Change> changes,
        String description) {

    public ActiveAlert {
        Objects.requireNonNull(alertname, "alertname");
        if (alertname.isBlank()) {
            throw new IllegalArgumentException("alertname must not be blank");
        }
        Objects.requireNonNull(workload, "workload (use \"\" for a host-wide alert)");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(tier, "tier (use \"\" when not about a tier)");
        Objects.requireNonNull(score, "score");
        if (score.isPresent() && !Double.isFinite(score.getAsDouble())) {
            throw new IllegalArgumentException("score must be finite, got " + score.getAsDouble());
        }
        topFeatures = List.copyOf(topFeatures);
        changes = List.copyOf(changes);
        Objects.requireNonNull(description, "description (use \"\" to generate one)");
    }

    /** A workload's anomaly on a tier, with its score, the features behind it and what Headroom changed. */
    public static ActiveAlert anomaly(String alertname, String workload, Severity severity, String tier, double score,
                                      List<String> topFeatures, List<Change> changes) {
        return new ActiveAlert(alertname, workload, severity, tier, OptionalDouble.of(score), topFeatures, changes, "");
    }

    /** An event that is not a score, e.g. "actuation failed"; {@code workload} may be empty. */
    public static ActiveAlert event(String alertname, String workload, Severity severity, String description) {
        return new ActiveAlert(alertname, workload, severity, "", OptionalDouble.empty(), List.of(), List.of(),
                description);
    }

    /** Alert severity, sent as the lower-case {@code severity} label that routes use. */
    public enum Severity {
        CRITICAL, WARNING, INFO;

        /** The label value. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One change Headroom made, rendered as {@code resource from -> to}.
     *
     * @param resource what changed, e.g. {@code vcpus} or {@code memory}
     * @param from     the value before, formatted (e.g. {@code 4GiB})
     * @param to       the value after, formatted
     */
    public record Change(String resource, String from, String to) {
        public Change {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public String toString() {
            return resource + " " + from + " -> " + to;
        }
    }
}
