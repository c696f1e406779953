package io.headroom.decide;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which resources an anomaly strains, from its attribution: the share of the total attribution weight carried by
 * features that put pressure on the resource and deviate on their pressure side. CPU use far below normal is an
 * anomaly, but no reason to add vCPUs.
 */
final class PressureAnalysis {

    private final Map<Resource, Double> shares;
    private final Map<Resource, Double> anySide;

    private PressureAnalysis(Map<Resource, Double> shares, Map<Resource, Double> anySide) {
        this.shares = shares;
        this.anySide = anySide;
    }

    static PressureAnalysis of(List<FeatureAttribution> attribution) {
        double total = 0;
        Map<Resource, Double> sums = new EnumMap<>(Resource.class);
        Map<Resource, Double> anySums = new EnumMap<>(Resource.class);
        for (Resource r : Resource.values()) {
            sums.put(r, 0.0);
            anySums.put(r, 0.0);
        }
        for (FeatureAttribution a : attribution) {
            // A NaN or negative weight says nothing about pressure; ignoring it keeps shares within [0, 1].
            if (!(a.weight() > 0) || Double.isInfinite(a.weight())) {
                continue;
            }
            total += a.weight();
            for (Resource r : Resource.values()) {
                if (a.pressure() == r.pressure()) {
                    anySums.merge(r, a.weight(), Double::sum);
                    if (a.onPressureSide()) {
                        sums.merge(r, a.weight(), Double::sum);
                    }
                }
            }
        }
        Map<Resource, Double> shares = new EnumMap<>(Resource.class);
        Map<Resource, Double> anySide = new EnumMap<>(Resource.class);
        for (Resource r : Resource.values()) {
            shares.put(r, total > 0 ? sums.get(r) / total : 0.0);
            anySide.put(r, total > 0 ? anySums.get(r) / total : 0.0);
        }
        return new PressureAnalysis(shares, anySide);
    }

    /**
     * The share carried by features that strain {@code r}, on whichever side: what the anomaly is about. A censored
     * metric at its cap (cores used at the vCPU count) reads as inside its range exactly when demand is beyond it.
     */
    double shareAnySide(Resource r) {
        return anySide.get(r);
    }

    double share(Resource r) {
        return shares.get(r);
    }

    /** The resources whose share reaches {@code threshold}. */
    Set<Resource> pressured(double threshold) {
        Set<Resource> out = EnumSet.noneOf(Resource.class);
        for (Resource r : Resource.values()) {
            if (shares.get(r) >= threshold) {
                out.add(r);
            }
        }
        return out;
    }

    /** E.g. {@code pressure cpu 72%, memory 0% (raise at 30%)}. */
    String describe(double threshold) {
        return String.format(Locale.ROOT, "pressure cpu %.0f%%, memory %.0f%% (raise at %.0f%%)",
                share(Resource.CPU) * 100, share(Resource.MEMORY) * 100, threshold * 100);
    }
}
