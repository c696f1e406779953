/**
 * Collection: Prometheus HTTP API client (OkHttp), workload discovery and the aligned feature matrix.
 * Depends on {@code config}, on {@code net} for the HTTP client and on {@code metrics} for self-metrics; never on
 * later stages.
 * Everything here that talks to Prometheus blocks the calling thread: run it on a worker pool.
 */
package io.headroom.collect;
