/**
 * Feedback (planned, not built yet): will track whether each action lowered the score and avoided
 * failure, and adapt thresholds and strategy. Until then the audit log and the
 * {@code headroom_decisions_total}, {@code headroom_actuation_changes_total} and score metrics are what an operator has to judge actions by.
 */
package io.headroom.feedback;
