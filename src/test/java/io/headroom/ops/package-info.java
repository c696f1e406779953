/**
 * Tests of the operations assets outside {@code src}: {@code rules/} (Prometheus rules, their promtool tests, the
 * example Alertmanager config) and {@code dashboards/} (Grafana), checked as files and against real Prometheus,
 * Alertmanager and a running Headroom.
 */
package io.headroom.ops;
