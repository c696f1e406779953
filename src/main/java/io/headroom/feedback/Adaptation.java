package io.headroom.feedback;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What feedback has changed in one workload's policy, and the counts that lead to the next change.
 *
 * @param floorShift        score points added to the medium tier's floor for this workload: positive after
 *                          repeated unnecessary raises (too eager), negative after misses
 * @param unnecessaryStreak consecutive unnecessary episodes since the floor last moved
 * @param futileStreaks     per kind (top feature), consecutive episodes that ended failed or not_resource
 * @param noResources       kinds whose anomalies get alerts but no more resources
 * @param envelopes         per kind, what its judged episodes used; raises are right-sized inside those in force
 * @param lastChange        what the newest adaptation was, with its evidence; empty before the first
 * @param changedAt         when it was made
 */
public record Adaptation(int floorShift, int unnecessaryStreak, Map<String, Integer> futileStreaks,
                         Set<String> noResources, Map<String, Envelope> envelopes, Optional<String> lastChange,
                         Optional<Instant> changedAt) {

    /** Nothing learnt yet. */
    public static final Adaptation NONE = new Adaptation(0, 0, Map.of(), Set.of(), Map.of(), Optional.empty(),
            Optional.empty());

    public Adaptation {
        futileStreaks = Map.copyOf(new TreeMap<>(futileStreaks));
        noResources = Set.copyOf(new TreeSet<>(noResources));
        envelopes = Map.copyOf(new TreeMap<>(envelopes));
    }

    /** True if this changes the workload's policy at all (the counts alone do not). */
    public boolean inForce() {
        return floorShift != 0 || !noResources.isEmpty() || !heldKinds().isEmpty();
    }

    /** The kinds whose raises are held inside their envelope, sorted. */
    public Set<String> heldKinds() {
        Set<String> out = new TreeSet<>();
        envelopes.forEach((k, e) -> {
            if (e.inForce()) {
                out.add(k);
            }
        });
        return out;
    }
}
