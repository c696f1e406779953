package io.headroom.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RowSampleTest {

    /** Rows {@code 0..n-1} of width 2, row {@code r} being {@code (r, -r)}. */
    private static double[] rows(int n) {
        double[] x = new double[2 * n];
        for (int r = 0; r < n; r++) {
            x[2 * r] = r;
            x[2 * r + 1] = -r;
        }
        return x;
    }

    private static RowSample offered(int n, int bound, long seed) {
        RowSample s = new RowSample(2, bound, seed);
        double[] x = rows(n);
        for (int r = 0; r < n; r++) {
            s.offer(x, r);
        }
        return s;
    }

    @Test
    void belowTheBoundKeepsEveryRowInArrivalOrder() {
        RowSample s = offered(300, 1000, 1);
        assertThat(s.size()).isEqualTo(300);
        assertThat(s.seen()).isEqualTo(300);
        assertThat(s.rows()).containsExactly(rows(300));
    }

    @Test
    void pastTheBoundHoldsExactlyTheBoundOfRowsOffered() {
        RowSample s = offered(20_000, 1000, 1);
        assertThat(s.seen()).isEqualTo(20_000);
        assertThat(s.size()).isEqualTo(1000);
        double[] kept = s.rows();
        assertThat(kept).hasSize(2000);
        long late = 0;
        for (int i = 0; i < 1000; i++) {
            // Each kept row is a whole row that was offered, never a mix of two.
            assertThat(kept[2 * i + 1]).isEqualTo(-kept[2 * i]);
            assertThat(kept[2 * i]).isBetween(0.0, 19_999.0);
            late += kept[2 * i] >= 10_000 ? 1 : 0;
        }
        // Uniform over everything offered, not the first rows kept: about half from the second half.
        assertThat(late).isBetween(400L, 600L);
    }

    @Test
    void theSameSeedKeepsTheSameRowsAnotherSeedOthers() {
        assertThat(offered(5000, 100, 7).rows()).containsExactly(offered(5000, 100, 7).rows());
        assertThat(offered(5000, 100, 7).rows()).isNotEqualTo(offered(5000, 100, 8).rows());
    }

    @Test
    void takeHandsTheRowsOverAndEmptiesTheSample() {
        RowSample s = offered(300, 1000, 1);
        assertThat(s.take()).containsExactly(rows(300));
        assertThat(s.size()).isZero();
        assertThat(s.rows()).isEmpty();
    }

    @Test
    void aReservedSampleIsAllocatedOnceAtItsSize() {
        RowSample s = new RowSample(2, 1000, 1);
        double[] x = rows(300);
        s.reserve(300);
        for (int r = 0; r < 300; r++) {
            s.offer(x, r);
        }
        // At its size already: the rows are handed over as they are, not cut to size (a new array each time).
        assertThat(s.rows()).isSameAs(s.rows()).containsExactly(x);

        RowSample capped = new RowSample(2, 100, 1);
        capped.reserve(300);
        for (int r = 0; r < 300; r++) {
            capped.offer(x, r);
        }
        assertThat(capped.size()).isEqualTo(100);
        assertThat(capped.rows()).isSameAs(capped.rows()).hasSize(200);
    }

    @Test
    void anAdoptedArrayIsKeptAsIsAndLeftAloneByLaterOffers() {
        double[] x = rows(300);
        double[] before = x.clone();
        RowSample s = new RowSample(2, 1000, 1);
        assertThat(s.adopt(x, 300)).isTrue();
        // As offering every row: the same rows, counted the same, in the very array given.
        assertThat(s.seen()).isEqualTo(300);
        assertThat(s.size()).isEqualTo(300);
        assertThat(s.rows()).isSameAs(x).containsExactly(offered(300, 1000, 1).rows());
        double[] more = rows(5);
        for (int r = 0; r < 5; r++) {
            s.offer(more, r);
        }
        assertThat(s.size()).isEqualTo(305);
        assertThat(x).containsExactly(before);
    }

    @Test
    void onlyAnEmptySampleAdoptsAndOnlyBelowItsBound() {
        RowSample started = offered(1, 1000, 1);
        assertThat(started.adopt(rows(300), 300)).isFalse();
        assertThat(started.size()).isEqualTo(1);
        // At the bound a later offer would draw a slot and write into the caller's array: copied instead.
        RowSample full = new RowSample(2, 300, 1);
        assertThat(full.adopt(rows(300), 300)).isFalse();
        assertThat(full.size()).isZero();
        // An array longer than its rows is not taken either: the sample's rows are exactly its size.
        assertThat(new RowSample(2, 1000, 1).adopt(rows(301), 300)).isFalse();
    }

    @Test
    void aSingleSampleKeepsTheSameRowsRoundedToFloats() {
        double[] x = new double[2 * 5000];
        for (int r = 0; r < 5000; r++) {
            x[2 * r] = r + 0.1;
            x[2 * r + 1] = -r / 3.0;
        }
        RowSample doubles = new RowSample(2, 100, 7);
        RowSample singles = new RowSample(2, 100, 7, true);
        for (int r = 0; r < 5000; r++) {
            doubles.offer(x, r);
            singles.offer(x, r);
        }
        double[] wide = doubles.rows();
        double[] rounded = new double[wide.length];
        for (int i = 0; i < wide.length; i++) {
            rounded[i] = (float) wide[i];
        }
        // The same reservoir draws, so the same rows; each value the float nearest to it, and not the value itself.
        assertThat(singles.seen()).isEqualTo(5000);
        assertThat(singles.size()).isEqualTo(100);
        assertThat(singles.rows()).containsExactly(rounded).isNotEqualTo(wide);
        assertThat(singles.take()).containsExactly(rounded);
        assertThat(singles.size()).isZero();
        assertThat(singles.rows()).isEmpty();
    }

    @Test
    void aSingleSampleNeverAdoptsTheCallersDoubles() {
        RowSample s = new RowSample(2, 1000, 1, true);
        double[] x = rows(300);
        assertThat(s.adopt(x, 300)).isFalse();
        assertThat(s.seen()).isZero();
    }
}
