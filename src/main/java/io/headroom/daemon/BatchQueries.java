package io.headroom.daemon;

import io.headroom.config.FeatureSpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Feature queries narrowed to a batch of workloads, for a training that fetches a large fleet batch by batch.
 * Custom queries are arbitrary PromQL, so the filter wraps the whole expression rather than editing its
 * selectors: {@code (Q) and on(label) (label_replace(vector(1), "label", "w1", "", "") or ...)} keeps exactly
 * the batch's series of Q's result, which must already be aggregated by the workload label.
 */
final class BatchQueries {

    private BatchQueries() {}

    /** Each feature's query, keeping only the series of {@code workloads}. */
    static List<FeatureSpec> only(List<FeatureSpec> features, List<String> workloads) {
        String filter = workloads.stream()
                .map(w -> "label_replace(vector(1), \"${label}\", " + replacement(w) + ", \"\", \"\")")
                .collect(Collectors.joining(" or "));
        return features.stream()
                .map(f -> new FeatureSpec(f.name(), "(" + f.query() + ") and on(${label}) (" + filter + ")", f.kind(),
                        f.pressure(), f.direction(), f.usage()))
                .toList();
    }

    /**
     * A workload name as label_replace's replacement: a PromQL string literal in which {@code $} is doubled, since
     * a replacement expands {@code $1}-style references.
     */
    static String replacement(String workload) {
        return "\"" + workload.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "$$") + "\"";
    }
}
