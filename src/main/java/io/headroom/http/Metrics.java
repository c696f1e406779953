package io.headroom.http;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;

/**
 * Every metric Headroom exports, in one place, registered into an injected registry
 * (tests build a fresh one; production passes {@link CollectorRegistry#defaultRegistry}).
 *
 * <p>Naming follows Prometheus conventions: base units in the name ({@code _seconds}, {@code _bytes}),
 * {@code _total} only on counters.
 */
public final class Metrics {

    public static final String NAMESPACE = "headroom";

    /** Wall time of one HTTP call to the Prometheus API, by API endpoint (query_range, query, series, label_values). */
    public final Histogram prometheusRequestDuration;
    /** HTTP calls sent to the Prometheus API, by endpoint; retries count as separate calls. */
    public final Counter prometheusRequests;
    /** Failed HTTP calls to the Prometheus API, by endpoint and reason (connect, timeout, http_5xx, http_4xx, bad_response, api_error). */
    public final Counter prometheusRequestErrors;
    /** Duration of the last run of each pipeline stage. */
    public final Gauge stageDuration;
    /** 1 if the last run of the stage succeeded, else 0. */
    public final Gauge stageSuccess;
    /** Unix time of the last successful run of each stage. */
    public final Gauge stageLastSuccess;
    /** Stage runs that failed, by stage. */
    public final Counter stageFailures;
    /** Workloads found by the last discovery. */
    public final Gauge workloads;
    /** Series returned for each feature in the last collection. */
    public final Gauge featureSeries;
    /** Matrix cells with no usable value (missing, NaN, Inf) in the last collection, by feature. */
    public final Gauge featureMissingPoints;
    /** Collection cycles skipped because the previous one was still running. */
    public final Counter cyclesSkipped;
    /** Static build information. */
    public final Gauge buildInfo;

    private final CollectorRegistry registry;

    public Metrics(CollectorRegistry registry) {
        this.registry = registry;
        prometheusRequestDuration = Histogram.build()
                .namespace(NAMESPACE).subsystem("prometheus").name("request_duration_seconds")
                .help("Duration of HTTP calls to the Prometheus API.")
                .labelNames("endpoint")
                .buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        prometheusRequests = Counter.build()
                .namespace(NAMESPACE).subsystem("prometheus").name("requests_total")
                .help("HTTP calls sent to the Prometheus API, retries included.")
                .labelNames("endpoint")
                .register(registry);
        prometheusRequestErrors = Counter.build()
                .namespace(NAMESPACE).subsystem("prometheus").name("request_errors_total")
                .help("Failed HTTP calls to the Prometheus API, by reason.")
                .labelNames("endpoint", "reason")
                .register(registry);
        stageDuration = Gauge.build()
                .namespace(NAMESPACE).subsystem("stage").name("duration_seconds")
                .help("Duration of the last run of a pipeline stage.")
                .labelNames("stage")
                .register(registry);
        stageSuccess = Gauge.build()
                .namespace(NAMESPACE).subsystem("stage").name("success")
                .help("1 if the last run of the stage succeeded, 0 if it failed.")
                .labelNames("stage")
                .register(registry);
        stageLastSuccess = Gauge.build()
                .namespace(NAMESPACE).subsystem("stage").name("last_success_timestamp_seconds")
                .help("Unix time of the last successful run of the stage.")
                .labelNames("stage")
                .register(registry);
        stageFailures = Counter.build()
                .namespace(NAMESPACE).subsystem("stage").name("failures_total")
                .help("Failed runs of a pipeline stage.")
                .labelNames("stage")
                .register(registry);
        workloads = Gauge.build()
                .namespace(NAMESPACE).name("workloads")
                .help("Workloads found by the last discovery.")
                .register(registry);
        featureSeries = Gauge.build()
                .namespace(NAMESPACE).subsystem("feature").name("series")
                .help("Series returned for the feature by the last collection.")
                .labelNames("feature")
                .register(registry);
        featureMissingPoints = Gauge.build()
                .namespace(NAMESPACE).subsystem("feature").name("missing_points")
                .help("Cells of the last feature matrix with no usable value (absent, NaN or Inf).")
                .labelNames("feature")
                .register(registry);
        cyclesSkipped = Counter.build()
                .namespace(NAMESPACE).subsystem("cycle").name("skipped_total")
                .help("Cycles skipped because the previous cycle was still running.")
                .register(registry);
        buildInfo = Gauge.build()
                .namespace(NAMESPACE).name("build_info")
                .help("Headroom build information; always 1.")
                .labelNames("version")
                .register(registry);
    }

    /**
     * Runs one pipeline stage and records its duration, success and last-success time.
     * Failures are counted and rethrown unchanged.
     */
    public <T> T timeStage(String stage, java.util.concurrent.Callable<T> work) throws Exception {
        long start = System.nanoTime();
        try {
            T result = work.call();
            stageSuccess.labels(stage).set(1);
            stageLastSuccess.labels(stage).setToCurrentTime();
            return result;
        } catch (Exception | Error e) {
            stageSuccess.labels(stage).set(0);
            stageFailures.labels(stage).inc();
            throw e;
        } finally {
            stageDuration.labels(stage).set((System.nanoTime() - start) / 1e9);
        }
    }

    /** The registry these metrics live in. */
    public CollectorRegistry registry() {
        return registry;
    }

    /** A fresh, isolated set of metrics, for tests and one-shot commands. */
    public static Metrics isolated() {
        return new Metrics(new CollectorRegistry());
    }
}
