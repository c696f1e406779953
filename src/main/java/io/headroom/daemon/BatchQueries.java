package io.headroom.daemon;

import io.headroom.config.FeatureSpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Feature queries narrowed to a batch of workloads, for a training that fetches a large fleet batch by batch.
 * A preset's query is narrowed in its selectors ({@link FeatureSpec#narrowable}: {@code label=~"w1|w2|..."}), so
 * Prometheus reads only the batch's series; a fleet of N guests in batches costs about what one whole query does.
 * A custom query is arbitrary PromQL, so the filter wraps the whole expression instead:
 * {@code (Q) and on(label) (label_replace(vector(1), "label", "w1", "", "") or ...)} keeps exactly the batch's
 * series of Q's result, which must already be aggregated by the workload label; Prometheus still evaluates Q for
 * every workload, once per batch.
 */
final class BatchQueries {

    private BatchQueries() {}

    /** Each feature's query, keeping only the series of {@code workloads}. */
    static List<FeatureSpec> only(List<FeatureSpec> features, List<String> workloads) {
        String filter = workloads.stream()
                .map(w -> "label_replace(vector(1), \"${label}\", " + replacement(w) + ", \"\", \"\")")
                .collect(Collectors.joining(" or "));
        String matcher = "${label}=~" + literal(workloads.stream().map(BatchQueries::quoteRegex)
                .collect(Collectors.joining("|")));
        return features.stream()
                .map(f -> new FeatureSpec(f.name(), f.narrowable()
                        .map(q -> q.replace(FeatureSpec.WORKLOADS, matcher))
                        .orElse("(" + f.query() + ") and on(${label}) (" + filter + ")"), f.kind(),
                        f.pressure(), f.direction(), f.usage()))
                .toList();
    }

    /**
     * A workload name as label_replace's replacement: a PromQL string literal in which {@code $} is doubled, since
     * a replacement expands {@code $1}-style references.
     */
    static String replacement(String workload) {
        return literal(workload.replace("$", "$$"));
    }

    /** A PromQL double-quoted string literal of {@code s}. */
    static String literal(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** {@code name} as an RE2 pattern that matches exactly it (PromQL's regex matchers are anchored). */
    static String quoteRegex(String name) {
        StringBuilder b = new StringBuilder(name.length() + 8);
        for (char c : name.toCharArray()) {
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
