package io.headroom.feedback;

import java.util.Locale;

/**
 * How an episode ended, judged on its effects rather than on the score: more vCPUs or memory lower the
 * utilisation features by themselves, so "the score fell" proves nothing.
 */
public enum Outcome {
    /** The guest failed anyway while Headroom was helping it. */
    FAILED,
    /** The raised resource was used beyond the guest's baseline allocation, and no failure followed. */
    RELIEVED,
    /** Use never passed the baseline allocation: the raise was not needed. */
    UNNECESSARY,
    /** The anomaly was in I/O, the network or a fall in activity, which more CPU or memory does not fix. */
    NOT_RESOURCE,
    /** The guest failed with no flag before it. */
    MISSED,
    /**
     * Nothing measured the use of the resources under pressure (no feature with a {@code usage}), so neither
     * relief nor waste can be told; such an episode is counted but never adapts anything.
     */
    UNJUDGED;

    /** The label value in metrics, logs and reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
