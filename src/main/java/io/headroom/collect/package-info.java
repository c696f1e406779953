/**
 * Collection: Prometheus HTTP API client (OkHttp), workload discovery and the aligned feature matrix.
 * Depends on {@code config} and on {@code http.Metrics} for self-metrics; never on later stages.
 */
package io.headroom.collect;
