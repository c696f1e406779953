package io.headroom.detect;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * Maps a model's raw isolation scores onto 0-100, anchored on the scores the model gave its own
 * (clean) training rows, so that one scale means the same thing for every workload.
 *
 * <p>Raw scores are not comparable between workloads: a workload with smooth, low-dimensional metrics
 * has ordinary rows scoring 0.40, a noisy one 0.55. The map is piecewise linear through four knots
 * taken from the training score distribution {@code S} (out-of-bag scores, see
 * {@link IsolationForestTrainer}):
 * <table>
 *   <caption>Calibration knots</caption>
 *   <tr><th>raw score</th><th>calibrated</th><th>meaning</th></tr>
 *   <tr><td>{@code min(S)}</td><td>0</td><td>the most ordinary training row</td></tr>
 *   <tr><td>{@code quantile(S, q)}, q = {@value #DEFAULT_QUANTILE} by default</td><td>30</td>
 *       <td>top of normal: about {@code 1 - q} of clean rows land above</td></tr>
 *   <tr><td>{@code max(S) + margin * (1 - max(S))}, margin = {@value #DEFAULT_MARGIN} by default</td>
 *       <td>{@value #BEYOND_TRAINING}</td><td>as strange as the strangest clean training row: the high tier's
 *       default floor</td></tr>
 *   <tr><td>1.0</td><td>100</td><td>the largest raw score possible</td></tr>
 * </table>
 * Scores below the first knot map to 0 and above the last to 100. Knots that coincide (e.g. constant
 * training scores) are moved up by one ulp so the map stays a function; it is monotone non-decreasing
 * in the raw score everywhere. Quantiles interpolate linearly between order statistics, as numpy does.
 *
 * <p>Because {@code q} sits above the 0.99 that the "99% of clean points at or below 30" promise needs,
 * the sampling error of the quantile estimate (a few hundred training rows put about {@code n(1-q)}
 * rows above it) still leaves clean held-out data of the same workload at or below 30 at least 99% of
 * the time.
 */
public final class Calibration implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Training-score quantile mapped to 30. */
    public static final double DEFAULT_QUANTILE = 0.995;
    /**
     * Fraction of the gap between the training maximum and 1.0 added before mapping to {@value #BEYOND_TRAINING}.
     * None: a row stranger than every clean row the model learned from is new to it, which is what the high tier means. A quarter of the
     * gap (the default until 2026-12) left most of NAB's labelled anomalies, which are not stranger than that by a
     * quarter, in the medium tier: 8 of the dev set's 61 windows reached 71.
     */
    public static final double DEFAULT_MARGIN = 0.0;
    /** The calibrated score that clean data of the training workload stays at or below (99% of rows). */
    public static final double NORMAL_CEILING = 30.0;

    /**
     * The calibrated score of the training maximum (with the default margin): the high tier's default floor
     * ({@code decide.tiers.high.min_score}), so that a row as strange as every clean row the model learned from,
     * or stranger, is in the high tier. At 70 such a row scored 70.0 to 70.9, the medium tier's top: a forest's raw
     * scores crowd together just past its data, so on NAB's dev set most labelled anomalies peaked there, and
     * the standard score at the high tier's floor (0.71) was 34 where at 0.70 it was 53.
     */
    public static final double BEYOND_TRAINING = 71.0;

    private static final double[] CALIBRATED = {0.0, NORMAL_CEILING, BEYOND_TRAINING, 100.0};

    /** Raw scores that map to 0, 30, 71 and 100; strictly increasing. */
    private final double[] rawKnots;

    private Calibration(double[] rawKnots) {
        this.rawKnots = rawKnots;
    }

    /**
     * Builds the map from the raw scores of a model's training rows.
     *
     * @param trainingScores raw scores in (0, 1], at least one, no NaN
     * @param quantile       training quantile mapped to 30, in (0, 1)
     * @param margin         in [0, 1): where between the training maximum and 1.0 the score 71 sits
     * @return the calibration
     */
    public static Calibration fromTrainingScores(double[] trainingScores, double quantile, double margin) {
        Objects.requireNonNull(trainingScores, "trainingScores");
        if (!(quantile > 0.0 && quantile < 1.0)) {
            throw new IllegalArgumentException("quantile must be in (0, 1), got " + quantile);
        }
        if (!(margin >= 0.0 && margin < 1.0)) {
            throw new IllegalArgumentException("margin must be in [0, 1), got " + margin);
        }
        double[] sorted = Quantiles.sortedCopy(trainingScores);
        double min = Quantiles.ofSorted(sorted, 0.0);
        double max = Quantiles.ofSorted(sorted, 1.0);
        double[] knots = {min, Quantiles.ofSorted(sorted, quantile), max + margin * (1.0 - max), 1.0};
        for (int i = 1; i < knots.length; i++) {
            knots[i] = Math.max(knots[i], Math.nextUp(knots[i - 1]));
        }
        return new Calibration(knots);
    }

    /**
     * @param raw a raw isolation score
     * @return the calibrated score in [0, 100]; NaN stays NaN
     */
    public double apply(double raw) {
        if (Double.isNaN(raw)) {
            return raw;
        }
        if (raw <= rawKnots[0]) {
            return CALIBRATED[0];
        }
        for (int i = 1; i < rawKnots.length; i++) {
            if (raw < rawKnots[i]) {
                double fraction = (raw - rawKnots[i - 1]) / (rawKnots[i] - rawKnots[i - 1]);
                return CALIBRATED[i - 1] + fraction * (CALIBRATED[i] - CALIBRATED[i - 1]);
            }
        }
        return CALIBRATED[CALIBRATED.length - 1];
    }

    /**
     * Calibrates a batch without allocating.
     *
     * @param raw raw scores
     * @param n   number of scores to convert
     * @param out receives the calibrated scores; may be {@code raw} itself
     */
    public void apply(double[] raw, int n, double[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = apply(raw[i]);
        }
    }

    /** @return the raw scores that map to 0, 30, 71 and 100, ascending */
    public double[] rawKnots() {
        return rawKnots.clone();
    }

    @Override
    public String toString() {
        return "Calibration" + Arrays.toString(rawKnots) + " -> " + Arrays.toString(CALIBRATED);
    }
}
