package io.headroom.detect;

import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.anomaly.Event;

import java.util.Arrays;

/**
 * Converts Tribuo examples to the dense row-major layout of {@link IsolationForest}: column {@code j}
 * is the feature with id {@code j} in the model's feature map. A feature an example lacks is 0, which
 * is what a sparse Tribuo example means by leaving it out.
 */
final class TribuoRows {
    private TribuoRows() {
    }

    static double[] fromDataset(Dataset<Event> dataset, ImmutableFeatureMap featureMap) {
        int nf = featureMap.size();
        double[] rows = new double[Math.multiplyExact(dataset.size(), nf)];
        int r = 0;
        for (Example<Event> example : dataset) {
            fill(example, featureMap, rows, r * nf);
            r++;
        }
        return rows;
    }

    /**
     * Writes one example into {@code rows[offset, offset + featureMap.size())}.
     *
     * @return how many of the example's features the map knows
     */
    static int fill(Example<Event> example, ImmutableFeatureMap featureMap, double[] rows, int offset) {
        Arrays.fill(rows, offset, offset + featureMap.size(), 0.0);
        int known = 0;
        for (Feature feature : example) {
            int id = featureMap.getID(feature.getName());
            if (id >= 0) {
                rows[offset + id] = feature.getValue();
                known++;
            }
        }
        return known;
    }
}
