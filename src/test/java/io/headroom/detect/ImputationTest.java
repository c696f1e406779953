package io.headroom.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImputationTest {

    /** The median as it was computed before selection: sort, read the middle. */
    private static double sortedMedian(double[] a, int k) {
        double[] c = Arrays.copyOf(a, k);
        Arrays.sort(c);
        return k % 2 == 1 ? c[k / 2] : (c[k / 2 - 1] + c[k / 2]) / 2;
    }

    @Test
    void selectionGivesTheSortedMedianBitForBit() {
        SplittableRandom rng = new SplittableRandom(42);
        // Shapes that break naive selections: ties, constant, sorted, reversed, signed zeros and infinities.
        for (int k = 1; k <= 300; k++) {
            for (int shape = 0; shape < 6; shape++) {
                double[] a = new double[k];
                for (int i = 0; i < k; i++) {
                    a[i] = switch (shape) {
                        case 0 -> rng.nextGaussian();
                        case 1 -> rng.nextInt(3);
                        case 2 -> 7.5;
                        case 3 -> i;
                        case 4 -> k - i;
                        default -> new double[] {-0.0, 0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                                1e-300}[rng.nextInt(5)];
                    };
                }
                double expected = sortedMedian(a, k);
                double actual = Imputation.median(a.clone(), k);
                assertThat(Double.doubleToRawLongBits(actual))
                        .as("k=%d shape=%d", k, shape).isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }
    }

    @Test
    void aGapIsFilledWithItsColumnsMedianAndANeverSeenColumnWithZero() {
        double nan = Double.NaN;
        // Three columns over five rows: 1..5 with one gap, always missing, and an even count of values.
        double[] rows = {1, nan, 10, nan, nan, 40, 3, nan, 20, 5, nan, nan, 4, nan, 30};
        Imputation imp = Imputation.fit(rows, 5, 3);
        assertThat(imp.fill(0)).isEqualTo(3.5);
        assertThat(imp.fill(1)).isZero();
        assertThat(imp.fill(2)).isEqualTo(25.0);
        imp.apply(rows, 5);
        assertThat(rows[3]).isEqualTo(3.5);
        assertThat(rows[4]).isZero();
        assertThat(rows[11]).isEqualTo(25.0);
    }

    @Test
    void wideRowsGetEachColumnsOwnMedianWhateverBlockItIsGatheredIn() {
        // 19 columns: two whole blocks of gathered columns and a part one, with gaps, ties and a never-seen column.
        SplittableRandom rng = new SplittableRandom(7);
        int nRows = 301;
        int width = 19;
        double[] rows = new double[nRows * width];
        for (int i = 0; i < rows.length; i++) {
            int c = i % width;
            rows[i] = c == 11 || rng.nextInt(10) == 0 ? Double.NaN : c % 3 == 0 ? rng.nextInt(4) : rng.nextGaussian() * c;
        }
        Imputation imp = Imputation.fit(rows, nRows, width);
        for (int c = 0; c < width; c++) {
            double[] column = new double[nRows];
            int k = 0;
            for (int r = 0; r < nRows; r++) {
                double v = rows[r * width + c];
                if (!Double.isNaN(v)) {
                    column[k++] = v;
                }
            }
            double expected = k == 0 ? 0 : sortedMedian(column, k);
            assertThat(Double.doubleToRawLongBits(imp.fill(c))).as("column %d", c)
                    .isEqualTo(Double.doubleToRawLongBits(expected));
        }
        assertThat(imp.fill(11)).isZero();
    }
}
