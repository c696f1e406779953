package io.headroom.decide;

/**
 * The result of one policy step.
 *
 * @param decision what to do
 * @param next     the state to remember; it does not record the change itself, because only the actuation
 *                 stage knows whether one was attempted (it then applies {@link WorkloadState#withLastChange})
 */
public record PolicyOutcome(Decision decision, WorkloadState next) {}
