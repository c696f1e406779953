package io.headroom.config;

/**
 * Size-based rotation of an append-only log: when an append would take the file past {@code maxBytes}, it is
 * renamed to {@code <name>.1} (older ones shift to {@code .2}, ...) and only the newest {@code keep} rotated files
 * are kept. So the log never takes more than about {@code (keep + 1) x maxBytes} of the state dir.
 *
 * @param maxBytes size at which the file is rotated
 * @param keep     rotated files kept besides the current one
 */
public record RotationConfig(long maxBytes, int keep) {

    /** Defaults of the audit log: years of changes on a busy host. */
    public static final RotationConfig AUDIT_DEFAULT = new RotationConfig(64L << 20, 5);
    /** Defaults of the failure log: far more failures than a training window holds. */
    public static final RotationConfig FAILURES_DEFAULT = new RotationConfig(16L << 20, 5);

    public RotationConfig {
        if (maxBytes < 1 || keep < 1) {
            throw new IllegalArgumentException("maxBytes and keep must be positive, got " + maxBytes + ", " + keep);
        }
    }
}
