package io.headroom.collect;

import io.headroom.config.WorkloadsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Discovers workloads as the values of the workload label on the configured selector, over a lookback window
 * (so a workload that paused for a scrape or two is not dropped), filtered by {@link WorkloadsConfig#accepts}.
 *
 * <p>Blocking; a failure is thrown as {@link PrometheusException}.
 */
public final class PrometheusWorkloadDiscovery implements WorkloadDiscovery {

    private final PrometheusClient client;
    private final WorkloadsConfig workloads;
    private final Duration lookback;

    /**
     * @param lookback how far back a series must have existed for its workload to count, e.g. the collection
     *                 lookback
     */
    public PrometheusWorkloadDiscovery(PrometheusClient client, WorkloadsConfig workloads, Duration lookback) {
        this.client = Objects.requireNonNull(client, "client");
        this.workloads = Objects.requireNonNull(workloads, "workloads");
        if (lookback.isNegative() || lookback.isZero()) {
            throw new IllegalArgumentException("lookback must be positive, got " + lookback);
        }
        this.lookback = lookback;
    }

    @Override
    public SortedSet<String> discover(Instant now) {
        String selector = workloads.selector();
        List<String> matchers = selector == null || selector.isBlank() ? List.of() : List.of(selector);
        SortedSet<String> found = new TreeSet<>();
        for (String name : client.labelValues(workloads.label(), matchers, now.minus(lookback), now)) {
            if (workloads.accepts(name)) {
                found.add(name);
            }
        }
        return Collections.unmodifiableSortedSet(found);
    }
}
