/**
 * Feedback (planned, not built yet): will track whether each action lowered the score and avoided
 * failure, and adapt thresholds and strategy. Until then the audit log, {@code headroom_decisions_total},
 * {@code headroom_actuation_changes_total} and the score metrics are what an operator judges actions by.
 */
package io.headroom.feedback;
