package io.headroom.config;

/**
 * How outcomes adapt each workload's policy ({@code feedback}). Outcomes are judged and counted either way.
 *
 * @param adapt              apply adaptations; off, outcomes are still judged, counted and logged
 * @param floorStep          score points one adaptation moves a workload's medium-tier floor
 * @param maxFloorRaise      the most the floor rises above {@code decide.tiers.medium.min_score} (too eager)
 * @param maxFloorDrop       the most it falls below it (misses)
 * @param unnecessaryToRaise consecutive {@code unnecessary} episodes that raise the floor one step; also the
 *                           judged episodes ({@code unnecessary} or {@code relieved}) of one kind that put its
 *                           envelope (right-sizing) in force
 * @param futileToStop       consecutive {@code failed} or {@code not_resource} episodes of one kind (top feature)
 *                           after which that kind gets no more resources, only alerts
 * @param explore            the share of episodes that begin in the medium tier whose raises are held back as a
 *                           no-action baseline (0, the default, never); the high and critical tiers are never held
 */
public record FeedbackConfig(boolean adapt, int floorStep, int maxFloorRaise, int maxFloorDrop, int unnecessaryToRaise,
                             int futileToStop, double explore) {

    /** The defaults. */
    public static final FeedbackConfig DEFAULT = new FeedbackConfig(true, 5, 15, 10, 3, 3, 0);

    /** No exploration. */
    public FeedbackConfig(boolean adapt, int floorStep, int maxFloorRaise, int maxFloorDrop, int unnecessaryToRaise,
                          int futileToStop) {
        this(adapt, floorStep, maxFloorRaise, maxFloorDrop, unnecessaryToRaise, futileToStop, 0);
    }
}
