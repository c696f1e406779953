package io.headroom.feedback;

import io.headroom.config.FeedbackConfig;
import java.util.HashMap;
import java.util.HashSet;
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
        Optional<String> change = Optional.empty();
        Optional<String> kind = j.topFeature();
        switch (j.outcome()) {
            case UNNECESSARY -> {
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
                if (kind.isPresent()) {
                    futile.remove(kind.get());
                    if (stopped.remove(kind.get())) {
                        change = Optional.of("resources for " + kind.get() + " anomalies again: relieved ("
                                + j.evidence() + ")");
                    }
                }
            }
            case FAILED, NOT_RESOURCE -> {
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
        return new Adaptation(shift, unnecessary, futile, stopped, change.or(a::lastChange),
                change.isPresent() ? Optional.of(j.end()) : a.changedAt());
    }

    private static String signed(int v) {
        return v > 0 ? "+" + v : Integer.toString(v);
    }
}
