package io.headroom.feedback;

import java.time.Instant;
import java.util.Optional;

/**
 * An episode's outcome and the evidence for it, as logged and counted.
 *
 * @param workload   the workload
 * @param outcome    the outcome
 * @param start      when the episode (or, for {@link Outcome#MISSED}, the failure) began
 * @param end        when it ended (for a miss, when the failure was first seen)
 * @param evidence   what the outcome rests on, in words
 * @param topFeature the episode's kind: its top feature when it began; empty for a miss
 * @param peakCpu    the most CPU the guest used during the episode, in cores; NaN if not measured
 * @param peakMemory the most memory it used, in bytes; NaN if not measured
 */
public record Judgement(String workload, Outcome outcome, Instant start, Instant end, String evidence,
                        Optional<String> topFeature, double peakCpu, double peakMemory) {

    /** A judgement without a measure of use. */
    public Judgement(String workload, Outcome outcome, Instant start, Instant end, String evidence,
                     Optional<String> topFeature) {
        this(workload, outcome, start, end, evidence, topFeature, Double.NaN, Double.NaN);
    }

    /** A judgement without a kind. */
    public Judgement(String workload, Outcome outcome, Instant start, Instant end, String evidence) {
        this(workload, outcome, start, end, evidence, Optional.empty());
    }
}
