package io.headroom.detect;

import java.time.OffsetDateTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableDataset;
import org.tribuo.RealIDInfo;
import org.tribuo.VariableIDInfo;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.AnomalyInfo;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DenseEventsTest {

    private static final int ROWS = 3_000;
    private static final int WIDTH = 6;

    /**
     * Columns: a Gaussian, a shifted uniform, all zeros, zero one row in three, a wide-range column, and a constant
     * whose summed mean rounds below it.
     */
    private static double[] rows() {
        SplittableRandom rng = new SplittableRandom(17);
        double[] rows = new double[ROWS * WIDTH];
        for (int r = 0; r < ROWS; r++) {
            rows[r * WIDTH] = rng.nextGaussian();
            rows[r * WIDTH + 1] = 10 + rng.nextDouble();
            rows[r * WIDTH + 2] = 0;
            rows[r * WIDTH + 3] = r % 3 == 0 ? 0 : rng.nextDouble(-5, 5);
            rows[r * WIDTH + 4] = rng.nextDouble() * 1e6;
            rows[r * WIDTH + 5] = 0.1;
        }
        return rows;
    }

    /** The same rows as Tribuo's own dataset: one example per row. */
    private static MutableDataset<Event> examples(double[] rows) {
        MutableDataset<Event> d = new MutableDataset<>(new SimpleDataSourceProvenance("rows", OffsetDateTime.now(),
                new AnomalyFactory()), new AnomalyFactory());
        String[] names = new String[WIDTH];
        for (int j = 0; j < WIDTH; j++) {
            names[j] = TribuoData.name(j);
        }
        for (int r = 0; r < ROWS; r++) {
            double[] v = new double[WIDTH];
            System.arraycopy(rows, r * WIDTH, v, 0, WIDTH);
            d.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), names, v));
        }
        return d;
    }

    @Test
    void featureMapHasTribuosIdsAndStatistics() {
        double[] rows = rows();
        ImmutableFeatureMap dense = new DenseEvents(rows, ROWS, WIDTH, "dense").getFeatureIDMap();
        ImmutableFeatureMap tribuo = examples(rows).getFeatureIDMap();

        assertThat(dense.size()).isEqualTo(tribuo.size()).isEqualTo(WIDTH);
        for (int j = 0; j < WIDTH; j++) {
            VariableIDInfo d = dense.get(j);
            VariableIDInfo t = tribuo.get(j);
            assertThat(d.getName()).isEqualTo(t.getName()).isEqualTo(TribuoData.name(j));
            assertThat(d.getCount()).as("non-zero values of column %d", j).isEqualTo(t.getCount());
            if (t instanceof RealIDInfo real) {
                RealIDInfo ours = (RealIDInfo) d;
                assertThat(ours.getMin()).isEqualTo(real.getMin());
                assertThat(ours.getMax()).isEqualTo(real.getMax());
                assertThat(ours.getMean()).isCloseTo(real.getMean(), within(1e-9 * Math.max(1, Math.abs(real.getMean()))));
                assertThat(ours.getVariance()).isCloseTo(real.getVariance(), within(1e-9 * Math.max(1, real.getVariance())));
            }
        }
        assertThat(dense.get(2).getCount()).as("an all-zero column is kept, with no observation").isZero();
    }

    @Test
    void examplesAreTheRowsInOrder() {
        double[] rows = rows();
        DenseEvents dense = new DenseEvents(rows, ROWS, WIDTH, "dense");

        int r = 0;
        for (Example<Event> example : dense) {
            assertThat(example.getOutput().getType()).isEqualTo(Event.EventType.EXPECTED);
            int j = 0;
            for (Feature f : example) {
                assertThat(f.getName()).isEqualTo(TribuoData.name(j));
                assertThat(f.getValue()).isEqualTo(rows[r * WIDTH + j]);
                j++;
            }
            assertThat(j).isEqualTo(WIDTH);
            r++;
        }
        assertThat(r).isEqualTo(ROWS).isEqualTo(dense.size()).isEqualTo(dense.getData().size());
        assertThat(dense.getData().get(7).lookup(TribuoData.name(4)).getValue()).isEqualTo(rows[7 * WIDTH + 4]);
        assertThat(((AnomalyInfo) dense.getOutputInfo()).getExpectedCount()).isEqualTo(ROWS);
        assertThat(((AnomalyInfo) dense.getOutputInfo()).getAnomalyCount()).isZero();
        assertThatThrownBy(() -> dense.getExample(ROWS)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("example 3000 of 3000");
    }

    @Test
    void forestIsTheSameAsFromTribuosDataset() {
        double[] rows = rows();
        IsolationForestModel fromDense = new IsolationForestTrainer(7).train(new DenseEvents(rows, ROWS, WIDTH, "dense"));
        IsolationForestModel fromExamples = new IsolationForestTrainer(7).train(examples(rows));

        double[] probe = rows();
        probe[4 * WIDTH] = 40; // one far outlier among ordinary rows
        double[] dense = fromDense.forest().scoreBatch(probe, ROWS, WIDTH);
        assertThat(dense).containsExactly(fromExamples.forest().scoreBatch(probe, ROWS, WIDTH));
        assertThat(fromDense.threshold()).isEqualTo(fromExamples.threshold());
        assertThat(dense[4]).isGreaterThan(fromDense.threshold());
    }

    @Test
    void storedAsTheEquivalentMutableDataset() {
        double[] rows = rows();
        Dataset<?> back = Dataset.deserialize(new DenseEvents(rows, ROWS, WIDTH, "dense").serialize());

        assertThat(back).isInstanceOf(MutableDataset.class);
        assertThat(back.size()).isEqualTo(ROWS);
        assertThat(back.getExample(ROWS - 1).lookup(TribuoData.name(1)).getValue()).isEqualTo(rows[(ROWS - 1) * WIDTH + 1]);
    }

    @Test
    void rowsThatDoNotFitAreRefused() {
        assertThatThrownBy(() -> new DenseEvents(new double[9], 2, WIDTH, "short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("2 rows of 6 do not fit in 9 values");
        assertThatThrownBy(() -> new DenseEvents(rows(), ROWS, WIDTH, "dense").shuffle(true))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("row order");
    }
}
