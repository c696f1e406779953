package io.headroom.feedback;

import io.headroom.config.FeedbackConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The adaptation rules: a judged episode and a workload's adaptation so far give its next adaptation. Pure, and
 * bounded by {@link FeedbackConfig}; tested as a table.
 *
 * <ul>
 *   <li>{@code unnecessary} {@code unnecessary_to_raise} times in a row raises the medium floor one
 *       {@code floor_step}, up to {@code max_floor_raise}.</li>
 *   <li>{@code missed} lowers it one step, down to {@code max_floor_drop} below the configured floor, and clears
 *       the unnecessary count: a miss outweighs any number of raises that were not needed.</li>
 *   <li>{@code failed} or {@code not_resource} {@code futile_to_stop} times in a row for one kind (the top
 *       feature) stops resources for that kind. {@code relieved} clears that kind's count, and the kind's stop if
 *       one was in force (resources helped after all, as an operator's reset or verdict shows).</li>
 *   <li>Right-sizing: each {@code unnecessary} or {@code relieved} episode of a kind widens that kind's
 *       {@link Envelope} to the peak use it measured; {@code unnecessary_to_raise} of them put it in force, and while
 *       use stays inside it that kind's raises go no further than the tier step that holds it (none, if it stayed
 *       within the baseline). {@code failed} for the kind drops it: what the kind used was not a safe measure.</li>
 * </ul>
 */
public final class Learner {

    private Learner() {
    }

    /** The adaptation after {@code j}; the same object if nothing changed. */
    public static Adaptation learn(Adaptation a, Judgement j, FeedbackConfig cfg) {
        int shift = a.floorShift();
        int unnecessary = a.unnecessaryStreak();
        Map<String, Integer> futile = new HashMap<>(a.futileStreaks());
        Set<String> stopped = new HashSet<>(a.noResources());
        Map<String, Envelope> envelopes = new HashMap<>(a.envelopes());
        List<String> changes = new ArrayList<>();
        Optional<String> change = Optional.empty();
        Optional<String> kind = j.topFeature();
        switch (j.outcome()) {
            case UNNECESSARY -> {
                kind.flatMap(k -> widen(k, envelopes, j, cfg)).ifPresent(changes::add);
                unnecessary++;
                if (unnecessary >= cfg.unnecessaryToRaise()) {
                    unnecessary = 0;
                    int next = Math.min(shift + cfg.floorStep(), cfg.maxFloorRaise());
                    if (next != shift) {
                        change = Optional.of("medium floor " + signed(shift) + " -> " + signed(next) + " after "
                                + cfg.unnecessaryToRaise() + " unnecessary episodes in a row (last: " + j.evidence()
                                + ")");
                        shift = next;
                    }
                }
            }
            case MISSED -> {
                unnecessary = 0;
                int next = Math.max(shift - cfg.floorStep(), -cfg.maxFloorDrop());
                if (next != shift) {
                    change = Optional.of("medium floor " + signed(shift) + " -> " + signed(next) + " after a missed "
                            + "failure at " + j.end());
                    shift = next;
                }
            }
            case RELIEVED -> {
                unnecessary = 0;
                kind.flatMap(k -> widen(k, envelopes, j, cfg)).ifPresent(changes::add);
                if (kind.isPresent()) {
                    futile.remove(kind.get());
                    if (stopped.remove(kind.get())) {
                        change = Optional.of("resources for " + kind.get() + " anomalies again: relieved ("
                                + j.evidence() + ")");
                    }
                }
            }
            case FAILED, NOT_RESOURCE -> {
                if (j.outcome() == Outcome.FAILED) {
                    kind.flatMap(k -> drop(k, envelopes, j)).ifPresent(changes::add);
                }
                if (kind.isPresent() && !stopped.contains(kind.get())) {
                    int n = futile.merge(kind.get(), 1, Integer::sum);
                    if (n >= cfg.futileToStop()) {
                        futile.remove(kind.get());
                        stopped.add(kind.get());
                        change = Optional.of("no more resources for " + kind.get() + " anomalies: " + n
                                + " episodes in a row ended " + j.outcome().label() + " (last: " + j.evidence() + ")");
                    }
                }
            }
            case UNJUDGED -> {
                return a;
            }
            default -> throw new IllegalStateException("unhandled outcome " + j.outcome());
        }
        change.ifPresent(changes::add);
        Optional<String> made = changes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", changes));
        return new Adaptation(shift, unnecessary, futile, stopped, envelopes, made.or(a::lastChange),
                made.isPresent() ? Optional.of(j.end()) : a.changedAt());
    }

    /** Widens {@code kind}'s envelope by {@code j}'s peaks; the change if that put it in force. */
    private static Optional<String> widen(String kind, Map<String, Envelope> envelopes, Judgement j,
                                          FeedbackConfig cfg) {
        if (!Double.isFinite(j.peakCpu()) && !Double.isFinite(j.peakMemory())) {
            return Optional.empty();
        }
        Envelope before = envelopes.getOrDefault(kind, Envelope.NONE);
        int n = before.episodes() + 1;
        boolean force = n >= cfg.unnecessaryToRaise();
        Envelope after = before.with(j.peakCpu(), j.peakMemory(), force);
        envelopes.put(kind, after);
        if (!force || before.inForce()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "raises for %s anomalies sized to what %d episodes used while use "
                + "stays within %s (last: %s, %s)", kind, n, bounds(after), j.outcome().label(), j.evidence()));
    }

    /** Drops {@code kind}'s envelope; the change if it was in force. */
    private static Optional<String> drop(String kind, Map<String, Envelope> envelopes, Judgement j) {
        Envelope e = envelopes.remove(kind);
        if (e == null || !e.inForce()) {
            return Optional.empty();
        }
        return Optional.of("raises for " + kind + " anomalies no longer held: " + j.outcome().label() + " ("
                + j.evidence() + ")");
    }

    /** E.g. {@code 3.60 cores, 6.50 GiB}. */
    static String bounds(Envelope e) {
        List<String> parts = new ArrayList<>();
        if (Double.isFinite(e.cpuCores())) {
            parts.add(String.format(Locale.ROOT, "%.2f cores", e.cpuCores()));
        }
        if (Double.isFinite(e.memoryBytes())) {
            parts.add(String.format(Locale.ROOT, "%.2f GiB", e.memoryBytes() / (1L << 30)));
        }
        return String.join(", ", parts);
    }

    private static String signed(int v) {
        return v > 0 ? "+" + v : Integer.toString(v);
    }
}
