package io.headroom.decide;

import java.util.Set;

/**
 * The result of one policy step.
 *
 * @param decision  what to do
 * @param next      the state to remember; it does not record the change itself, because only the actuation
 *                  stage knows whether one was attempted (it then applies {@link WorkloadState#withLastChange})
 * @param escalated the resources stepped to the next tier because their pressure outlasted a raise
 * @param strained  the resources near their allocation most of a trailing window, far more than usual
 *                  ({@code decide.sizing.strain_window})
 */
public record PolicyOutcome(Decision decision, WorkloadState next, Set<Resource> escalated, Set<Resource> strained) {

    public PolicyOutcome {
        escalated = Set.copyOf(escalated);
        strained = Set.copyOf(strained);
    }

    /** An outcome with no escalation and no strain. */
    public PolicyOutcome(Decision decision, WorkloadState next) {
        this(decision, next, Set.of(), Set.of());
    }
}
