/**
 * HTTP surface: metric names and collectors ({@link io.headroom.http.Metrics}), /metrics, health and readiness.
 * Every metric name lives in {@link io.headroom.http.Metrics}.
 */
package io.headroom.http;
