package io.headroom.detect;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Flat rows as a Tribuo dataset. Column {@code j} is named {@link #name(int)}, zero-padded so that Tribuo's
 * name-sorted feature ids equal column indices and the fast path can score the same flat rows.
 */
final class TribuoData {

    private TribuoData() {}

    static String name(int j) {
        return String.format("c%05d", j);
    }

    /** {@code nRows} rows of {@code width} values as EXPECTED events (training data is failure-free). */
    static MutableDataset<Event> expected(double[] rows, int nRows, int width, String description) {
        SimpleDataSourceProvenance provenance = new SimpleDataSourceProvenance(description,
                OffsetDateTime.now(ZoneOffset.UTC), new AnomalyFactory());
        MutableDataset<Event> dataset = new MutableDataset<>(provenance, new AnomalyFactory());
        String[] names = new String[width];
        for (int j = 0; j < width; j++) {
            names[j] = name(j);
        }
        for (int r = 0; r < nRows; r++) {
            double[] values = new double[width];
            System.arraycopy(rows, r * width, values, 0, width);
            dataset.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), names, values));
        }
        return dataset;
    }
}
