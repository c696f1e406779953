package io.headroom.feedback;

import io.headroom.decide.Allocation;
import io.headroom.decide.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Judges a finished episode by its effects. Pure: tested as a table. */
public final class Outcomes {

    private Outcomes() {}

    /**
     * In order: a failure during the episode makes it {@link Outcome#FAILED}; no CPU or memory under pressure makes
     * it {@link Outcome#NOT_RESOURCE}; use of a resource under pressure beyond the baseline allocation makes it
     * {@link Outcome#RELIEVED}; measured use that stayed within the baseline makes it {@link Outcome#UNNECESSARY};
     * no measure at all leaves it {@link Outcome#UNJUDGED}.
     */
    public static Judgement judge(Episode e) {
        if (e.failedAt().isPresent()) {
            return verdict(e, Outcome.FAILED, "failed at " + e.failedAt().get() + ", "
                    + minutes(Duration.between(e.start(), e.failedAt().get())) + " into the episode");
        }
        boolean cpu = e.pressure().contains(Resource.CPU) || e.pressure().contains(Resource.CPU_QUOTA);
        boolean memory = e.pressure().contains(Resource.MEMORY);
        if (!cpu && !memory) {
            return verdict(e, Outcome.NOT_RESOURCE, "no CPU or memory pressure in the attribution"
                    + e.topFeature().map(f -> " (top feature " + f + ")").orElse(""));
        }
        if (e.baseline().isEmpty()) {
            return verdict(e, Outcome.UNJUDGED, "no baseline known");
        }
        Allocation base = e.baseline().get();
        List<String> over = new ArrayList<>();
        List<String> within = new ArrayList<>();
        if (cpu && Double.isFinite(e.peakCpu())) {
            String s = String.format(Locale.ROOT, "peak CPU %.2f cores %s the baseline %d vCPUs", e.peakCpu(),
                    e.peakCpu() > base.vcpus() ? "over" : "within", base.vcpus());
            (e.peakCpu() > base.vcpus() ? over : within).add(s);
        }
        if (memory && Double.isFinite(e.peakMemory())) {
            boolean beyond = e.peakMemory() > base.memoryBytes();
            String s = String.format(Locale.ROOT, "peak memory %.2f GiB %s the baseline %.2f GiB",
                    e.peakMemory() / (1L << 30), beyond ? "over" : "within", base.memoryBytes() / (double) (1L << 30));
            (beyond ? over : within).add(s);
        }
        if (!over.isEmpty()) {
            return verdict(e, Outcome.RELIEVED, String.join("; ", over));
        }
        if (!within.isEmpty()) {
            return verdict(e, Outcome.UNNECESSARY, String.join("; ", within));
        }
        return verdict(e, Outcome.UNJUDGED, "no measure of use for the resources under pressure");
    }

    private static Judgement verdict(Episode e, Outcome o, String evidence) {
        return new Judgement(e.workload(), o, e.start(), e.end(), evidence, e.topFeature(), e.peakCpu(), e.peakMemory());
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " min";
    }
}
