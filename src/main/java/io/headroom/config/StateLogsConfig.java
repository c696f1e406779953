package io.headroom.config;

/**
 * Rotation of the append-only logs under {@code state_dir}.
 *
 * @param audit    {@code actuation/audit.jsonl}: every change attempt, for people; never read back
 * @param failures {@code failures.jsonl}: failures received by the webhook, replayed at start to keep them out of
 *                 training; what rotates out of it is forgotten, so it should hold a training window's worth
 */
public record StateLogsConfig(RotationConfig audit, RotationConfig failures) {

    /** The documented defaults. */
    public static final StateLogsConfig DEFAULT =
            new StateLogsConfig(RotationConfig.AUDIT_DEFAULT, RotationConfig.FAILURES_DEFAULT);
}
