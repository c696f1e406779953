/**
 * Feedback: judges every episode of Headroom's help by its effects ({@link io.headroom.feedback.EpisodeTracker},
 * {@link io.headroom.feedback.Outcomes}): failed, relieved, unnecessary, not a resource problem, missed. The
 * classification is pure and tested as a table. Adapting thresholds and strategy per workload from these outcomes,
 * and operators' verdicts, are not built yet. Depends on {@code decide} (value types) only.
 */
package io.headroom.feedback;
