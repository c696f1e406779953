package io.headroom.feedback;

/**
 * What one kind of anomaly (its top feature) used on one workload across its judged episodes, unnecessary or
 * relieved: once {@code feedback.unnecessary_to_raise} of them are counted, that kind's raises go no further than the
 * tier step that holds this use (none when it stayed within the baseline), while use stays inside it.
 *
 * @param episodes    episodes of this kind counted since it last failed
 * @param cpuCores    the most CPU any of them used, in cores; NaN if none measured it
 * @param memoryBytes the most memory any of them used, in bytes; NaN if none measured it
 * @param inForce     raises are held inside it
 */
public record Envelope(int episodes, double cpuCores, double memoryBytes, boolean inForce) {

    /** No episode counted yet. */
    static final Envelope NONE = new Envelope(0, Double.NaN, Double.NaN, false);

    /** This envelope widened by one more episode's peaks. */
    Envelope with(double peakCpu, double peakMemory, boolean force) {
        return new Envelope(episodes + 1, max(cpuCores, peakCpu), max(memoryBytes, peakMemory), force);
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }
}
