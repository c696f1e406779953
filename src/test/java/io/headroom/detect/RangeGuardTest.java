package io.headroom.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RangeGuardTest {

    /** Three columns over four rows: one spanning 2..6, one always 0, one always 5. */
    static final double[] TRAINING = {2, 0, 5, 6, 0, 5, 3, 0, 5, 4, 0, 5};

    @Test
    void exceedanceCountsWholeTrainingRangeWidthsBeyondTheExtremes() {
        RangeGuard g = RangeGuard.fit(TRAINING, 4, 3);
        assertThat(g.exceedance(0, 4)).isZero();
        assertThat(g.exceedance(0, 6)).isZero();
        assertThat(g.exceedance(0, 8)).isEqualTo(0.5);
        assertThat(g.exceedance(0, -6)).isEqualTo(2.0);
    }

    @Test
    void eachColumnOfWideRowsGetsItsOwnRange() {
        // Column c of row r is (r - 3) * (c + 1): its range is [-3 (c + 1), 3 (c + 1)] over seven rows.
        int width = 11;
        double[] rows = new double[7 * width];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (i / width - 3) * (i % width + 1);
        }
        RangeGuard g = RangeGuard.fit(rows, 7, width);
        for (int c = 0; c < width; c++) {
            double edge = 3.0 * (c + 1);
            assertThat(g.exceedance(c, edge)).as("column %d", c).isZero();
            assertThat(g.exceedance(c, -edge)).as("column %d", c).isZero();
            assertThat(g.exceedance(c, 2 * edge)).as("column %d", c).isEqualTo(0.5);
        }
    }

    @Test
    void aColumnThatNeverLeftZeroIsLeftToTheForest() {
        // Its first tick would otherwise be infinitely many widths out: a critical score for one dropped packet.
        RangeGuard g = RangeGuard.fit(TRAINING, 4, 3);
        assertThat(g.exceedance(1, 1e9)).isZero();
    }

    @Test
    void aConstantColumnIsMeasuredAgainstItsMagnitude() {
        RangeGuard g = RangeGuard.fit(TRAINING, 4, 3);
        assertThat(g.exceedance(2, 7.5)).isEqualTo(0.5);
        assertThat(g.exceedance(2, 5)).isZero();
    }

    @Test
    void scoreHitsItsKnotsAndIsMonotone() {
        assertThat(RangeGuard.score(0)).isZero();
        assertThat(RangeGuard.score(0.5)).isEqualTo(30);
        assertThat(RangeGuard.score(2)).isEqualTo(71);
        assertThat(RangeGuard.score(6)).isEqualTo(100);
        assertThat(RangeGuard.score(1e9)).isEqualTo(100);
        assertThat(RangeGuard.score(1.25)).isCloseTo(50.5, within(1e-12));
        double previous = 0;
        for (int i = 0; i <= 10_000; i++) {
            double s = RangeGuard.score(i / 1000.0);
            assertThat(s).isGreaterThanOrEqualTo(previous).isBetween(0.0, 100.0);
            previous = s;
        }
    }
}
