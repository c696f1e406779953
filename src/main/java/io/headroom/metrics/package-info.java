/**
 * Self-metrics: every series Headroom exports, each full name written once as a literal
 * ({@link io.headroom.metrics.Metrics}, {@link io.headroom.metrics.DomainSeries}), so that a name found on a
 * dashboard or in an alert rule is found here with grep ({@code MetricsTest} keeps it so). {@code Metrics} is one
 * class on purpose, longer than the others: one registry, one constructor registering everything, and the list of
 * names an operator reads in one place. Every stage records through it; it depends on no other Headroom package.
 */
package io.headroom.metrics;
