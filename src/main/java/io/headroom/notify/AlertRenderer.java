package io.headroom.notify;

import io.headroom.config.UrlTemplate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Turns an {@link ActiveAlert} into Alertmanager labels, annotations and a dashboard link. */
final class AlertRenderer {

    private final String host;
    private final Optional<UrlTemplate> dashboard;

    AlertRenderer(String host, Optional<UrlTemplate> dashboard) {
        this.host = host;
        this.dashboard = dashboard;
    }

    /** Identifying labels; empty values are left out because Alertmanager treats them as absent anyway. */
    Map<String, String> labels(ActiveAlert a) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("alertname", a.alertname());
        putIfNotEmpty(labels, "workload", a.workload());
        putIfNotEmpty(labels, "host", host);
        labels.put("severity", a.severity().label());
        putIfNotEmpty(labels, "tier", a.tier());
        return labels;
    }

    Map<String, String> annotations(ActiveAlert a) {
        Map<String, String> ann = new LinkedHashMap<>();
        String who = a.workload().isEmpty() ? "host " + host : a.workload();
        String score = a.score().isPresent() ? String.format(Locale.ROOT, "%.1f", a.score().getAsDouble()) : "";
        ann.put("summary", a.score().isPresent()
                ? who + " is " + (a.tier().isEmpty() ? "anomalous" : a.tier()) + ": anomaly score " + score
                : a.alertname() + " on " + who);
        ann.put("description", a.description().isEmpty() ? describe(a, who, score) : a.description());
        putIfNotEmpty(ann, "score", score);
        putIfNotEmpty(ann, "top_features", String.join(", ", a.topFeatures()));
        putIfNotEmpty(ann, "changes", changes(a));
        link(a).ifPresent(l -> ann.put("dashboard", l));
        return ann;
    }

    Optional<String> link(ActiveAlert a) {
        return dashboard.map(t -> t.expand(Map.of("workload", a.workload(), "host", host, "alertname", a.alertname())));
    }

    private static String describe(ActiveAlert a, String who, String score) {
        String what = score.isEmpty()
                ? "Headroom reports " + a.alertname() + " on " + who + "."
                : "Headroom scores " + who + " " + score + "/100"
                        + (a.topFeatures().isEmpty() ? "" : ", mostly from " + String.join(", ", a.topFeatures())) + ".";
        return what + (a.changes().isEmpty() ? " Headroom changed nothing." : " Headroom changed " + changes(a) + ".");
    }

    private static String changes(ActiveAlert a) {
        return String.join("; ", a.changes().stream().map(ActiveAlert.Change::toString).toList());
    }

    private static void putIfNotEmpty(Map<String, String> map, String key, String value) {
        if (!value.isEmpty()) {
            map.put(key, value);
        }
    }
}
