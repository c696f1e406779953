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
        Ids ids = new Ids(featureMap);
        int r = 0;
        for (Example<Event> example : dataset) {
            fill(example, ids, rows, r * nf);
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
        return fill(example, new Ids(featureMap), rows, offset);
    }

    private static int fill(Example<Event> example, Ids ids, double[] rows, int offset) {
        Arrays.fill(rows, offset, offset + ids.map.size(), 0.0);
        int known = 0;
        int position = 0;
        for (Feature feature : example) {
            int id = ids.of(position++, feature.getName());
            if (id >= 0) {
                rows[offset + id] = feature.getValue();
                known++;
            }
        }
        return known;
    }

    /**
     * Feature ids by name, remembered by position: the examples of one dataset share their name strings, so the
     * feature at a position is most often the very string seen there before, and its id needs no hash lookup
     * (which took a third of a training's CPU). Any other string is looked up.
     */
    private static final class Ids {
        final ImmutableFeatureMap map;
        String[] names = new String[0];
        int[] ids = new int[0];

        Ids(ImmutableFeatureMap map) {
            this.map = map;
        }

        int of(int position, String name) {
            if (position < names.length && names[position] == name) {
                return ids[position];
            }
            int id = map.getID(name);
            if (position >= names.length) {
                int size = Math.max(position + 1, names.length * 2);
                names = Arrays.copyOf(names, size);
                ids = Arrays.copyOf(ids, size);
            }
            names[position] = name;
            ids[position] = id;
            return id;
        }
    }
}
