package io.headroom.feedback;

import java.time.Instant;

/**
 * An episode's outcome and the evidence for it, as logged and counted.
 *
 * @param workload the workload
 * @param outcome  the outcome
 * @param start    when the episode (or, for {@link Outcome#MISSED}, the failure) began
 * @param end      when it ended (for a miss, when the failure was first seen)
 * @param evidence what the outcome rests on, in words
 */
public record Judgement(String workload, Outcome outcome, Instant start, Instant end, String evidence) {}
