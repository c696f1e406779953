package io.headroom.act;

import io.headroom.config.ActConfig;
import io.headroom.decide.Decision;
import io.headroom.decide.Resource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Observe mode: records what would be done and changes nothing. The service still logs, audits and counts each
 * such change (result {@code dry_run}) and still starts the cooldown, so an operator reading observe mode sees the
 * cadence enforce mode would have.
 */
public final class DryRunActuator implements Actuator {

    /** Enough to inspect a day of decisions on a small host; older ones are in the audit log. */
    static final int KEPT = 1000;

    private final Deque<Decision> recorded = new ArrayDeque<>();

    @Override
    public ActConfig.Mode mode() {
        return ActConfig.Mode.OBSERVE;
    }

    @Override
    public synchronized List<ActuationResult> apply(Decision decision, Optional<CpuQuota> quota) {
        if (recorded.size() == KEPT) {
            recorded.removeFirst();
        }
        recorded.addLast(decision);
        List<ActuationResult> results = new ArrayList<>();
        for (Resource r : Resource.values()) {
            if (decision.changes(r)) {
                results.add(new ActuationResult(decision.workload(), r, ActuationResult.Status.DRY_RUN,
                        decision.target().get(r), OptionalLong.empty(), "observe mode: not applied"));
            }
        }
        return results;
    }

    /** The decisions it would have carried out, oldest first (the last {@value #KEPT}). */
    public synchronized List<Decision> recorded() {
        return List.copyOf(recorded);
    }
}
