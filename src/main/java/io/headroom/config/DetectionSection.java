package io.headroom.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code detection}; defaults are those of {@code daemon/headroom.yaml}. */
final class DetectionSection {

    /** Every transform the engineering knows. */
    static final List<String> TRANSFORMS = List.of("level", "deviation", "variability", "rate", "seasonal", "shift");
    /** The default transforms. */
    static final List<String> DEFAULT_TRANSFORMS = List.of("level", "deviation", "variability", "rate", "seasonal",
            "shift");

    private DetectionSection() {}

    static DetectionConfig read(ConfigNode n, List<FeatureSpec> features) {
        n.expectMapping();
        DetectionConfig.Model model = n.child("model").enumValue(DetectionConfig.Model.class, DetectionConfig.Model.ISOLATION_FOREST);
        DetectionConfig.Scope scope = n.child("scope").enumValue(DetectionConfig.Scope.class, DetectionConfig.Scope.AUTO);
        ConfigNode groupNode = n.child("group_label");
        String group = groupNode.string("");
        if (!group.isEmpty() && !group.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
            groupNode.problem("must be a Prometheus label name or empty (got \"" + group + "\")");
        }
        if (scope == DetectionConfig.Scope.GROUP && group.isEmpty()) {
            groupNode.problem("is required when detection.scope is group (got nothing)");
        }
        Duration window = n.child("training_window").duration(Duration.ofDays(7), Duration.ofHours(1), Duration.ofDays(90));
        int minRows = n.child("min_training_rows").integer(1000, 50, 10_000_000);
        Duration retrain = n.child("retrain_every").duration(Duration.ofHours(6), Duration.ofMinutes(1), Duration.ofDays(30));
        Duration maxAge = n.child("max_model_age").duration(Duration.ofDays(2), Duration.ofMinutes(1), Duration.ofDays(365));
        if (maxAge.compareTo(retrain) < 0) {
            n.child("max_model_age").problem("must be at least detection.retrain_every " + Durations.format(retrain)
                    + " (got " + Durations.format(maxAge) + ")");
        }
        String failure = n.child("failure_query").string("");
        Duration margin = n.child("failure_margin").duration(Duration.ofMinutes(30), Duration.ZERO, Duration.ofDays(1));
        boolean historyCache = n.child("history_cache").bool(true);
        DetectionConfig.Forest forest = forest(n.child("forest"));
        DetectionConfig.Svm svm = svm(n.child("svm"));
        DetectionConfig.Calibration calibration = calibration(n.child("calibration"));
        DetectionConfig.Engineering engineering = engineering(n.child("engineering"), features);
        n.rejectUnknownKeys();
        return new DetectionConfig(model, scope, group, window, minRows, retrain, maxAge, failure, margin,
                historyCache, forest, svm, calibration, engineering);
    }

    private static DetectionConfig.Forest forest(ConfigNode n) {
        n.expectMapping();
        int trees = n.child("trees").integer(100, 1, 10_000);
        int sample = n.child("sample_size").integer(256, 2, 1 << 20);
        int depth = n.child("max_depth").integer(0, 0, 64);
        double fraction = n.child("feature_fraction").number(1.0, 0.01, 1.0);
        int seed = n.child("seed").integer(1, 0, Integer.MAX_VALUE);
        n.rejectUnknownKeys();
        return new DetectionConfig.Forest(trees, sample, depth, fraction, seed);
    }

    private static DetectionConfig.Svm svm(ConfigNode n) {
        n.expectMapping();
        double nu = n.child("nu").number(0.05, 0.001, 1.0);
        double gamma = n.child("gamma").number(0.0, 0.0, 1e6);
        n.rejectUnknownKeys();
        return new DetectionConfig.Svm(nu, gamma);
    }

    private static DetectionConfig.Calibration calibration(ConfigNode n) {
        n.expectMapping();
        double q = n.child("quantile").number(0.995, 0.5, 0.99999);
        double margin = n.child("margin").number(0.0, 0.0, 0.99);
        n.rejectUnknownKeys();
        return new DetectionConfig.Calibration(q, margin);
    }

    private static DetectionConfig.Engineering engineering(ConfigNode n, List<FeatureSpec> features) {
        n.expectMapping();
        List<String> transforms = transforms(n.child("transforms"), DEFAULT_TRANSFORMS);
        Duration window = n.child("window").duration(Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofDays(1));
        Map<String, List<String>> per = new LinkedHashMap<>();
        ConfigNode perNode = n.child("per_feature");
        if (perNode.present() && perNode.expectMapping()) {
            Set<String> names = new java.util.HashSet<>();
            features.forEach(f -> names.add(f.name()));
            for (String name : perNode.keys()) {
                ConfigNode item = perNode.child(name);
                if (!names.contains(name)) {
                    item.problem("names no configured feature (got \"" + name + "\")");
                }
                per.put(name, transforms(item, List.of()));
            }
        }
        n.rejectUnknownKeys();
        return new DetectionConfig.Engineering(transforms, window, per);
    }

    private static List<String> transforms(ConfigNode n, List<String> def) {
        if (!n.present()) {
            return def;
        }
        List<String> out = new java.util.ArrayList<>();
        for (ConfigNode item : n.list()) {
            String t = item.string("");
            if (!TRANSFORMS.contains(t)) {
                item.problem("must be one of " + String.join(", ", TRANSFORMS) + " (got \"" + t + "\")");
            } else if (out.contains(t)) {
                item.problem("is listed twice (got \"" + t + "\")");
            } else {
                out.add(t);
            }
        }
        if (out.isEmpty() && n.present()) {
            n.problem("must list at least one of " + String.join(", ", TRANSFORMS) + " (got none)");
        }
        return out;
    }
}
