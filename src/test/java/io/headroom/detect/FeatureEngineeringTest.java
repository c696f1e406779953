package io.headroom.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.headroom.detect.FeatureEngineering.Settings;
import io.headroom.detect.FeatureEngineering.Transform;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeatureEngineeringTest {

    static final Settings ALL = new Settings(List.of(Transform.LEVEL, Transform.DEVIATION, Transform.VARIABILITY,
            Transform.RATE, Transform.SEASONAL), 4, 2, 2, 6, 0);

    @Test
    void namesOneColumnPerFeatureAndTransform() {
        assertThat(FeatureEngineering.columnNames(List.of("cpu", "mem"), ALL)).containsExactly(
                "cpu", "cpu:deviation", "cpu:variability", "cpu:rate", "cpu:seasonal",
                "mem", "mem:deviation", "mem:variability", "mem:rate", "mem:seasonal");
        assertThat(FeatureEngineering.sourceFeature(7, ALL)).isEqualTo(1);
    }

    @Test
    void exactValuesOnAShortSeries() {
        double[] x = {1, 2, 3, 4, 10, Double.NaN, 6, 7};
        double[] out = FeatureEngineering.apply(x, x.length, 1, ALL);
        int w = 5;
        // level
        assertThat(col(out, w, 0)).containsExactly(x);
        // deviation at t=4: trailing {1,2,3,4}: mean 2.5; 10 - 2.5
        assertThat(out[4 * w + 1]).isCloseTo(7.5, within(1e-12));
        assertThat(out[0 * w + 1]).isNaN(); // no history
        assertThat(out[1 * w + 1]).isNaN(); // one sample < minSamples
        assertThat(out[5 * w + 1]).isNaN(); // missing input
        // variability at t=3 over {1,2,3,4}
        assertThat(out[3 * w + 2]).isCloseTo(Math.sqrt(1.25), within(1e-12));
        // rate, lag 2: (x[t]-x[t-2])/2
        assertThat(out[4 * w + 3]).isEqualTo(3.5);
        assertThat(out[1 * w + 3]).isNaN();
        assertThat(out[7 * w + 3]).isNaN(); // x[5] missing
        // seasonal with a 6-step "day": x[6] - x[0], x[7] - x[1]
        assertThat(out[6 * w + 4]).isEqualTo(5);
        assertThat(out[7 * w + 4]).isEqualTo(5);
        assertThat(out[5 * w + 4]).isNaN();
    }

    @Test
    void shiftIsTheRecentMeanMinusTheWindowBeforeIt() {
        // window 6 steps, so the recent mean covers 6 / 6 -> at least 2 steps
        Settings s = new Settings(List.of(Transform.SHIFT), 6, 2, 1, 0, 0);
        assertThat(s.shortWindow()).isEqualTo(2);
        assertThat(s.lookback()).isEqualTo(7);
        double[] x = {1, 1, 1, 1, 1, 1, 1, 4, 4, Double.NaN, 4};
        double[] out = FeatureEngineering.apply(x, x.length, 1, s);
        assertThat(out[6]).isNaN(); // the window before the recent rows is not complete yet
        assertThat(out[7]).isEqualTo(1.5); // mean{1, 4} - mean{rows 0-5}
        assertThat(out[8]).isEqualTo(3.0); // mean{4, 4} - mean{rows 1-6}
        assertThat(out[9]).isNaN(); // missing input
        // rows 9-10: one of two recent rows valid (half is enough); window rows 3-8 hold 1,1,1,1,4,4
        assertThat(out[10]).isCloseTo(4 - 2.0, within(1e-12));
        assertThat(new Settings(List.of(Transform.SHIFT), 120, 30, 1, 0, 0).shortWindow()).isEqualTo(20);
    }

    @Test
    void aTickAfterAFlatBaselineIsItsSizeNotInfinitelyFar() {
        double[] x = {0, 0, 0, 0, 0, 1, 0};
        double[] out = FeatureEngineering.apply(x, x.length, 1, new Settings(List.of(Transform.DEVIATION), 3, 2, 1, 0, 0));
        assertThat(out[4]).isZero();
        assertThat(out[5]).isEqualTo(1.0);
        assertThat(out[6]).isCloseTo(-1.0 / 3, within(1e-12));
    }

    /** Causality: changing the future never changes the past. */
    @Test
    void outputAtTDependsOnlyOnInputUpToT() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 500;
        int f = 3;
        double[] x = new double[n * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        Settings s = new Settings(List.of(Transform.values()), 20, 5, 3, 50, 120);
        double[] base = FeatureEngineering.apply(x, n, f, s);
        int cut = 300;
        double[] y = x.clone();
        for (int i = (cut + 1) * f; i < y.length; i++) {
            y[i] = rng.nextGaussian() * 100;
        }
        double[] changed = FeatureEngineering.apply(y, n, f, s);
        int width = s.outputWidth(f);
        for (int i = 0; i < (cut + 1) * width; i++) {
            assertThat(Double.doubleToLongBits(changed[i])).as("cell %d", i).isEqualTo(Double.doubleToLongBits(base[i]));
        }
        assertThat(changed[(cut + 1) * width]).isNotEqualTo(base[(cut + 1) * width]);
    }

    /**
     * {@code lookback} is what lets the score command shorten long gaps: once a gap has that many missing rows, more
     * of them change nothing after it.
     */
    @Test
    void aGapOfLookbackRowsHidesEverythingBeforeIt() {
        SplittableRandom rng = new SplittableRandom(11);
        double[] before = new double[200];
        double[] after = new double[200];
        for (int i = 0; i < 200; i++) {
            before[i] = 5 + rng.nextGaussian();
            after[i] = 5 + rng.nextGaussian();
        }
        for (Transform t : Transform.values()) {
            Settings s = new Settings(List.of(t), 20, 5, 3, 50, 120);
            int lookback = s.lookback();
            double[] atLookback = afterGap(before, lookback, after, s);
            assertThat(afterGap(before, lookback + 50, after, s)).as("%s", t).containsExactly(atLookback);
            // The window transforms' bound is conservative: a lone pre-gap row is fewer than minSamples.
            if (t == Transform.RATE || t == Transform.SEASONAL) {
                assertThat(afterGap(before, lookback - 1, after, s)).as("%s", t).isNotEqualTo(atLookback);
            }
        }
        assertThat(new Settings(List.of(Transform.LEVEL, Transform.RATE, Transform.DEVIATION), 20, 5, 3, 50, 120)
                .lookback()).isEqualTo(20);
    }

    /** Output rows of {@code after}, following {@code before} and a gap of {@code gap} missing rows. */
    private static double[] afterGap(double[] before, int gap, double[] after, Settings s) {
        int n = before.length + gap + after.length;
        double[] x = new double[n];
        java.util.Arrays.fill(x, Double.NaN);
        System.arraycopy(before, 0, x, 0, before.length);
        System.arraycopy(after, 0, x, before.length + gap, after.length);
        double[] out = FeatureEngineering.apply(x, n, 1, s);
        return java.util.Arrays.copyOfRange(out, before.length + gap, n);
    }

    @Test
    void imputationFillsWithTrainingMedians() {
        double[] train = {1, Double.NaN, 3, Double.NaN, 2, Double.NaN};
        Imputation imp = Imputation.fit(train, 3, 2);
        double[] rows = {Double.NaN, Double.NaN};
        imp.apply(rows, 1);
        assertThat(rows).containsExactly(2, 0);
    }

    static double[] col(double[] out, int width, int c) {
        double[] v = new double[out.length / width];
        for (int i = 0; i < v.length; i++) {
            v[i] = out[i * width + c];
        }
        return v;
    }

    /** Into a wider matrix: the same columns, bit for bit, where they go, and nothing else written. */
    @Test
    void applyIntoAWiderMatrixWritesTheSameColumnsInPlace() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 400;
        int f = 2;
        double[] x = new double[n * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 37 == 0 ? Double.NaN : rng.nextGaussian();
        }
        Settings s = new Settings(List.of(Transform.values()), 20, 5, 3, 50, 120);
        int width = s.outputWidth(f);
        double[] alone = FeatureEngineering.apply(x, n, f, s);
        int outWidth = width + 5;
        double[] wide = new double[n * outWidth];
        Arrays.fill(wide, -7.5);
        int nt = s.transforms().size();
        for (int j = 0; j < f; j++) {
            FeatureEngineering.apply(x, n, f, j, s, wide, 3 + j * nt, outWidth, null);
        }
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < outWidth; c++) {
                double expected = c >= 3 && c < 3 + width ? alone[r * width + c - 3] : -7.5;
                assertThat(Double.doubleToLongBits(wide[r * outWidth + c])).as("row %d column %d", r, c)
                        .isEqualTo(Double.doubleToLongBits(expected));
            }
        }
        assertThatThrownBy(() -> FeatureEngineering.apply(x, n, f, 1, s, wide, outWidth - nt + 1, outWidth, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit");
    }
}
