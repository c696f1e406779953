package io.headroom.decide;

import java.time.Duration;

/**
 * A workload's measured use over the trailing lookback, oldest row first, as the features with a {@code usage}
 * measure it: the evidence that sizes a raise, escalates it and lets it decay. {@code NaN} marks a row without data.
 *
 * @param step             time between two rows
 * @param cpuCores         cores' worth of CPU used, per row; empty when no feature measures it
 * @param memory           memory in use, per row, in bytes or as a share of the domain's maximum; empty when no
 *                         feature measures it
 * @param memoryShareOfMax true if {@code memory} holds shares of the domain's maximum memory, false for bytes
 */
public record Usage(Duration step, double[] cpuCores, double[] memory, boolean memoryShareOfMax) {

    /** No measure of use: sizing falls back to the tiers alone. */
    public static final Usage NONE = new Usage(Duration.ofSeconds(30), new double[0], new double[0], false);

    public Usage {
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("a usage step must be positive (got " + step + ")");
        }
        cpuCores = cpuCores.clone();
        memory = memory.clone();
    }

    /** Memory in use in bytes, per row, given the domain's maximum memory; empty when not measured. */
    double[] memoryBytes(long domainMaxBytes) {
        if (!memoryShareOfMax) {
            return memory;
        }
        double[] out = new double[memory.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = memory[i] * domainMaxBytes;
        }
        return out;
    }
}
