package io.headroom.decide;

import io.headroom.config.FeatureSpec;

/**
 * How much one feature contributed to a workload's score, and on which side of normal it was.
 *
 * @param feature   feature name
 * @param pressure  the resource the feature's pressure side strains (from its {@link FeatureSpec})
 * @param direction which side of normal is the feature's pressure side
 * @param deviation on which side of normal the feature was when scored
 * @param weight    the feature's contribution, any non-negative scale (only shares matter)
 * @param imputed   the feature had no value in the scored (newest) row: the model saw its training median there, so
 *                  the score says nothing about the resource it measures
 */
public record FeatureAttribution(String feature, FeatureSpec.Pressure pressure, FeatureSpec.Direction direction,
                                 Side deviation, double weight, boolean imputed) {

    /** A feature that had a value in the scored row. */
    public FeatureAttribution(String feature, FeatureSpec.Pressure pressure, FeatureSpec.Direction direction,
                              Side deviation, double weight) {
        this(feature, pressure, direction, deviation, weight, false);
    }

    /**
     * Which side of its normal range a value lies on; {@code INSIDE} when it is within it (or unknown): such a
     * feature still carries its share of the score but strains nothing.
     */
    public enum Side { ABOVE, BELOW, INSIDE }

    /** True if the deviation is on the side that strains the resource (e.g. CPU use above normal, not idle). */
    public boolean onPressureSide() {
        if (deviation == Side.INSIDE) {
            return false;
        }
        return switch (direction) {
            case ABOVE -> deviation == Side.ABOVE;
            case BELOW -> deviation == Side.BELOW;
            case BOTH -> true;
        };
    }
}
