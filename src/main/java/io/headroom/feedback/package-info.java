/**
 * Feedback: judges every episode of Headroom's help by its effects ({@link io.headroom.feedback.EpisodeTracker},
 * {@link io.headroom.feedback.Outcomes}): failed, relieved, unnecessary, not a resource problem, missed; and adapts
 * each workload's policy from them within bounds ({@link io.headroom.feedback.Learner}): a medium floor moved up
 * after unnecessary raises and down after misses, no more resources for a kind of anomaly they do not help, and
 * raises right-sized to what a kind's judged episodes used while use stays inside it (its
 * {@link io.headroom.feedback.Envelope}).
 * Adaptations are persisted in the state dir and undone per workload ({@link io.headroom.feedback.Adaptations}).
 * The rules are pure and tested as tables. Depends on {@code config}, {@code decide} (value types) and
 * {@code journal} (the durable file).
 */
package io.headroom.feedback;
