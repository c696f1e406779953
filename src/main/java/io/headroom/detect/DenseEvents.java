package io.headroom.detect;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.MutableFeatureMap;
import org.tribuo.MutableOutputInfo;
import org.tribuo.OutputInfo;
import org.tribuo.RealInfo;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.DatasetProto;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Failure-free training rows as a Tribuo dataset that is a view of one flat row-major array, not a list of
 * examples. A {@link MutableDataset} holds each row as its own example (a copy of the values and of the name
 * array, about 700 bytes a row at 48 columns), which made it the largest allocation of a global model's
 * training (140 MB at 200,000 rows) and a third of a per-workload training's CPU. Here the rows stay where they
 * are: {@link IsolationForestTrainer} reads them directly, and any other consumer iterates examples made on demand.
 *
 * <p>Column {@code j} is the feature {@link TribuoData#name(int)}, so the feature ids are the column indices. Every
 * column is in the feature map, as in a {@link MutableDataset} of the same rows; each is a {@link RealInfo} with
 * Tribuo's statistics over its non-zero values. The caller must not change the rows while the dataset is in use.
 */
final class DenseEvents extends Dataset<Event> {

    private static final long serialVersionUID = 1L;

    private final double[] rows;
    private final int nRows;
    private final int width;
    private final String[] names;
    private final ImmutableFeatureMap featureMap;
    private final MutableOutputInfo<Event> outputInfo;

    DenseEvents(double[] rows, int nRows, int width, String description) {
        super(new SimpleDataSourceProvenance(description, OffsetDateTime.now(ZoneOffset.UTC), new AnomalyFactory()),
                new AnomalyFactory());
        if (nRows < 0 || width <= 0 || (long) nRows * width > rows.length) {
            throw new IllegalArgumentException(nRows + " rows of " + width + " do not fit in " + rows.length + " values");
        }
        this.rows = rows;
        this.nRows = nRows;
        this.width = width;
        this.names = new String[width];
        for (int j = 0; j < width; j++) {
            names[j] = TribuoData.name(j);
        }
        this.featureMap = columnInfos(rows, nRows, width, names);
        this.outputInfo = outputFactory.generateInfo();
        Event expected = new Event(Event.EventType.EXPECTED);
        for (int r = 0; r < nRows; r++) {
            outputInfo.observe(expected);
        }
    }

    /**
     * What Tribuo's {@code RealInfo} would record column by column, over the non-zero values (it ignores zeros).
     * Two passes in row order (sums, then squared deviations from the mean) rather than Welford's update per value:
     * a column-by-column walk of row-major rows misses the cache on every value.
     */
    private static ImmutableFeatureMap columnInfos(double[] rows, int nRows, int width, String[] names) {
        int[] count = new int[width];
        double[] max = new double[width];
        double[] min = new double[width];
        double[] sum = new double[width];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        for (int r = 0, base = 0; r < nRows; r++, base += width) {
            for (int j = 0; j < width; j++) {
                double v = rows[base + j];
                if (v != 0) {
                    count[j]++;
                    max[j] = Math.max(max[j], v);
                    min[j] = Math.min(min[j], v);
                    sum[j] += v;
                }
            }
        }
        double[] mean = new double[width];
        for (int j = 0; j < width; j++) {
            // Within [min, max], as RealInfo requires: the sum's rounding can put the mean of equal values below them.
            mean[j] = count[j] == 0 ? 0 : Math.min(max[j], Math.max(min[j], sum[j] / count[j]));
        }
        double[] sumSquares = new double[width];
        for (int r = 0, base = 0; r < nRows; r++, base += width) {
            for (int j = 0; j < width; j++) {
                double v = rows[base + j];
                if (v != 0) {
                    double d = v - mean[j];
                    sumSquares[j] += d * d;
                }
            }
        }
        MutableFeatureMap map = new MutableFeatureMap();
        for (int j = 0; j < width; j++) {
            // A column never non-zero is kept, with no observation, as Tribuo keeps it.
            map.put(count[j] == 0 ? new RealInfo(names[j])
                    : new RealInfo(names[j], count[j], max[j], min[j], mean[j], sumSquares[j]));
        }
        return new ImmutableFeatureMap(map);
    }

    /** The backing rows, row-major, as many values a row as the feature map has features; not a copy. */
    double[] rows() {
        return rows;
    }

    @Override
    public int size() {
        return nRows;
    }

    @Override
    public Example<Event> getExample(int index) {
        if (index < 0 || index >= nRows) {
            throw new IndexOutOfBoundsException("example " + index + " of " + nRows);
        }
        double[] values = new double[width];
        System.arraycopy(rows, index * width, values, 0, width);
        return new ArrayExample<>(new Event(Event.EventType.EXPECTED), names, values);
    }

    @Override
    public List<Example<Event>> getData() {
        return new AbstractList<>() {
            @Override
            public Example<Event> get(int index) {
                return getExample(index);
            }

            @Override
            public int size() {
                return nRows;
            }
        };
    }

    @Override
    public synchronized Iterator<Example<Event>> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < nRows;
            }

            @Override
            public Example<Event> next() {
                if (next >= nRows) {
                    throw new NoSuchElementException();
                }
                return getExample(next++);
            }
        };
    }

    /** A view of a flat array keeps its rows in their order: it is a training sample, already drawn at random. */
    @Override
    public synchronized void shuffle(boolean shuffle) {
        throw new UnsupportedOperationException("a dense training view keeps its row order; copy it into a MutableDataset to shuffle");
    }

    @Override
    public Set<Event> getOutputs() {
        return outputInfo.getDomain();
    }

    @Override
    public ImmutableOutputInfo<Event> getOutputIDInfo() {
        return outputInfo.generateImmutableOutputInfo();
    }

    @Override
    public OutputInfo<Event> getOutputInfo() {
        return outputInfo;
    }

    @Override
    public ImmutableFeatureMap getFeatureIDMap() {
        return featureMap;
    }

    @Override
    public ImmutableFeatureMap getFeatureMap() {
        return featureMap;
    }

    @Override
    public DatasetProvenance getProvenance() {
        return new DatasetProvenance(sourceProvenance, new ListProvenance<>(), this);
    }

    /** Stored as the {@link MutableDataset} of the same rows: a view has no format of its own. */
    @Override
    public DatasetProto serialize() {
        MutableDataset<Event> copy = new MutableDataset<>(sourceProvenance, outputFactory);
        for (Example<Event> example : this) {
            copy.add(example);
        }
        return copy.serialize();
    }

    @Override
    public String toString() {
        return "DenseEvents(source=" + sourceProvenance + ",rows=" + nRows + ",width=" + width + ")";
    }
}
