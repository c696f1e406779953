package io.headroom.config;

/**
 * One feature: a PromQL query that returns one series per workload, keyed by the workload label.
 *
 * @param name      column name in the feature matrix ({@code [a-z][a-z0-9_]*})
 * @param query     PromQL, with {@code ${label}} replaced by the workload label; must aggregate {@code by (label)}
 * @param kind      {@link Kind#GAUGE} values are used as they are; {@link Kind#COUNTER} values are turned into a
 *                  per-second rate on the step grid, with counter resets detected (use it when the query cannot
 *                  use {@code rate()})
 * @param pressure  which resource above-normal values put pressure on
 * @param direction which side of normal is the pressure side
 */
public record FeatureSpec(String name, String query, Kind kind, Pressure pressure, Direction direction) {

    /** How raw values are interpreted. */
    public enum Kind { GAUGE, COUNTER }

    /** The resource an anomaly on this feature puts pressure on. */
    public enum Pressure { CPU, MEMORY, IO, NETWORK, NONE }

    /** Which side of normal means pressure. */
    public enum Direction { ABOVE, BELOW, BOTH }

    /** The query with {@code ${label}} substituted. */
    public String queryFor(String workloadLabel) {
        return query.replace("${label}", workloadLabel);
    }
}
