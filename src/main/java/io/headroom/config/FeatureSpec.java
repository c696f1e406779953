package io.headroom.config;

import java.util.Optional;

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
 * @param usage     what the feature measures in absolute terms, if it measures use of a resource: the decision
 *                  stage sizes a raise from it and reads saturation and calm from it
 */
public record FeatureSpec(String name, String query, Kind kind, Pressure pressure, Direction direction, Usage usage,
                          Optional<String> narrowable) {

    /**
     * Where {@link #narrowable} puts a workload matcher. A preset's selectors all end in the configured matchers;
     * this goes after them.
     */
    public static final String WORKLOADS = "${workloads}";

    /**
     * @param narrowable the query with {@link #WORKLOADS} in each selector, where a matcher on the workload label
     *                   can narrow it to some workloads: a shipped preset's, whose every selector reads series that
     *                   carry the label. Empty for a custom query, which is arbitrary PromQL.
     */
    public FeatureSpec {
        narrowable = narrowable == null ? Optional.empty() : narrowable;
    }

    /** A feature whose query cannot be narrowed in its selectors. */
    public FeatureSpec(String name, String query, Kind kind, Pressure pressure, Direction direction, Usage usage) {
        this(name, query, kind, pressure, direction, usage, Optional.empty());
    }

    /** A feature that measures no resource use. */
    public FeatureSpec(String name, String query, Kind kind, Pressure pressure, Direction direction) {
        this(name, query, kind, pressure, direction, Usage.NONE);
    }

    /** How raw values are interpreted. */
    public enum Kind { GAUGE, COUNTER }

    /** The resource an anomaly on this feature puts pressure on. */
    public enum Pressure { CPU, MEMORY, IO, NETWORK, NONE }

    /** Which side of normal means pressure. */
    public enum Direction { ABOVE, BELOW, BOTH }

    /**
     * What a feature's value is, when it is a resource's use: the decision stage turns it into the resource's own
     * units against the guest's allocation.
     */
    public enum Usage {
        /** Not a measure of use. */
        NONE(Pressure.NONE),
        /** Cores' worth of CPU time used per second (the vCPUs' busy time, not a per-vCPU ratio). */
        CPU_CORES(Pressure.CPU),
        /** Bytes of memory in use. */
        MEMORY_BYTES(Pressure.MEMORY),
        /** Memory in use as a share of the domain's maximum memory (fixed, unlike the balloon). */
        MEMORY_SHARE_OF_MAX(Pressure.MEMORY);

        private final Pressure resource;

        Usage(Pressure resource) {
            this.resource = resource;
        }

        /** The resource whose use this measures ({@link Pressure#NONE} for {@link #NONE}). */
        public Pressure resource() {
            return resource;
        }
    }

    /** The query with {@code ${label}} substituted. */
    public String queryFor(String workloadLabel) {
        return query.replace("${label}", workloadLabel);
    }
}
