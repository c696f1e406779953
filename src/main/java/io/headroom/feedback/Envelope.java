package io.headroom.feedback;

/**
 * What one kind of anomaly (its top feature) used on one workload across the episodes that needed no more
 * resources: once {@code feedback.unnecessary_to_raise} of them agree, raises for that kind are held while use stays
 * inside it. Every episode here stayed within the baseline, so the bounds never exceed it.
 *
 * @param episodes    unnecessary episodes of this kind counted since the kind last needed resources
 * @param cpuCores    the most CPU any of them used, in cores; NaN if none measured it
 * @param memoryBytes the most memory any of them used, in bytes; NaN if none measured it
 * @param inForce     raises are held inside it
 */
public record Envelope(int episodes, double cpuCores, double memoryBytes, boolean inForce) {

    /** This envelope widened by one more unnecessary episode's peaks. */
    Envelope with(double peakCpu, double peakMemory, boolean force) {
        return new Envelope(episodes + 1, max(cpuCores, peakCpu), max(memoryBytes, peakMemory), force);
    }

    /** The first episode's. */
    static Envelope first(double peakCpu, double peakMemory, boolean force) {
        return new Envelope(1, peakCpu, peakMemory, force);
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }
}
