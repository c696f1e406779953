package io.headroom.simulate;

import io.headroom.decide.Allocation;
import io.headroom.feedback.Outcome;
import java.util.Map;
import java.time.Instant;

/**
 * A policy inside the simulation loop. After the physics produced step {@code row} for every guest, the
 * controller looks at it, may change allocations (they take effect at the next step, like a live change that
 * lands between two scrapes) and marks the guests it flags.
 */
interface Controller extends AutoCloseable {

    /**
     * @param samples this step's physics, per workload in scenario order
     * @param alloc   current allocations, per workload; the controller replaces entries it changes
     * @param flagged set to true for each workload the policy considers anomalous at this step
     */
    void step(Instant now, int row, Physics.Sample[] samples, Allocation[] alloc, boolean[] flagged) throws Exception;

    /** Model trainings so far (the headroom policy's; 0 for policies without models). */
    default int trainings() {
        return 0;
    }

    /** Episodes the feedback stage judged, by outcome (the headroom policy's; empty for the others). */
    default Map<Outcome, Integer> outcomes() {
        return Map.of();
    }

    /** Adaptations the feedback stage made (the headroom policy's; 0 for the others). */
    default int adaptations() {
        return 0;
    }

    @Override
    default void close() throws Exception {}
}
