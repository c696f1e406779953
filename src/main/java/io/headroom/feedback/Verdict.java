package io.headroom.feedback;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An operator's verdict on what Headroom saw at one time on one workload ({@code headroom feedback mark}).
 *
 * @param workload   the workload
 * @param call       what the operator says it was
 * @param at         the time it is about
 * @param from       for {@link Call#TRUE_POSITIVE}, when the incident began (default: {@link #INCIDENT} before
 *                   {@code at}); absent otherwise
 * @param kind       the kind of anomaly (a feature name) it is about, if the operator names one
 * @param note       free text, kept with the verdict
 * @param recordedAt when it was recorded
 */
public record Verdict(String workload, Call call, Instant at, Optional<Instant> from, Optional<String> kind,
                      String note, Instant recordedAt) {

    /** How far back a true positive's incident reaches when the operator gives no start. */
    public static final java.time.Duration INCIDENT = java.time.Duration.ofHours(1);
    /** The longest note kept. */
    public static final int MAX_NOTE = 1000;

    /** What the operator says the anomaly (or the failure) at {@code at} was. */
    public enum Call {
        /** Normal behaviour: flagging it, or raising for it, was a mistake. */
        FALSE_POSITIVE,
        /** A real incident, whether or not Headroom flagged it. */
        TRUE_POSITIVE,
        /** A real anomaly that more CPU or memory does not fix (I/O, network, the application). */
        NOT_RESOURCE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The call named {@code s}, or an error listing the names. */
        public static Call parse(String s) {
            return Arrays.stream(values()).filter(c -> c.label().equals(s)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("unknown verdict \"" + s + "\": use false_positive, true_positive or"
                            + " not_resource"));
        }
    }

    public Verdict {
        if (workload.isBlank()) {
            throw new IllegalArgumentException("a verdict needs a workload");
        }
        if (from.isPresent() && call != Call.TRUE_POSITIVE) {
            throw new IllegalArgumentException("from is only for a true_positive (the incident's start)");
        }
        if (from.isPresent() && from.get().isAfter(at)) {
            throw new IllegalArgumentException("from " + from.get() + " is after at " + at);
        }
        if (at.isAfter(recordedAt)) {
            throw new IllegalArgumentException("at " + at + " is in the future (now " + recordedAt + ")");
        }
        if (note.length() > MAX_NOTE) {
            throw new IllegalArgumentException("note longer than " + MAX_NOTE + " characters");
        }
        if (kind.isPresent() && kind.get().isBlank()) {
            kind = Optional.empty();
        }
    }

    /** For a true positive, the incident training must leave out: from its start to {@code at}. */
    public Optional<Instant> incidentStart() {
        return call == Call.TRUE_POSITIVE ? Optional.of(from.orElse(at.minus(INCIDENT))) : Optional.empty();
    }

    /**
     * The judgement this verdict feeds to the {@link Learner}, so that verdicts adapt the policy the way judged
     * episodes do: a false positive counts as an unnecessary episode, a not_resource as a not_resource episode of
     * its kind, and a true positive at a time Headroom held no change as a missed failure. A true positive Headroom
     * acted on confirms the policy: nothing to learn.
     *
     * @param headroomActed Headroom held a change on the workload at {@code at}
     */
    public Optional<Judgement> judgement(boolean headroomActed) {
        String evidence = "operator verdict " + call.label() + " at " + at + (note.isBlank() ? "" : ": " + note);
        return switch (call) {
            case FALSE_POSITIVE -> Optional.of(new Judgement(workload, Outcome.UNNECESSARY, at, at, evidence, kind));
            case NOT_RESOURCE -> Optional.of(new Judgement(workload, Outcome.NOT_RESOURCE, at, at, evidence, kind));
            case TRUE_POSITIVE -> headroomActed ? Optional.empty()
                    : Optional.of(new Judgement(workload, Outcome.MISSED, incidentStart().orElse(at), at, evidence));
        };
    }
}
