package io.headroom.cycle;

import io.headroom.act.WorkloadRecord;
import io.headroom.act.WorkloadReport;
import io.headroom.decide.Decision;
import io.headroom.decide.FeatureAttribution;
import io.headroom.decide.Tier;
import io.headroom.decide.Usage;
import io.headroom.decide.WorkloadScore;
import io.headroom.feedback.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One cycle's reports, scores and failures as the feedback stage's {@link Observation}s. */
final class Observations {

    private Observations() {}

    /**
     * One observation per report, plus one for each failing workload of this host that actuation did not reach (a
     * failed guest may not run). Failures of workloads not among {@code workloads} (another host's, when the failure
     * query is fleet-wide) are none of this host's business.
     */
    static List<Observation> of(Set<String> workloads, List<WorkloadReport> reports, Map<String, WorkloadScore> scores,
                                Map<String, WorkloadRecord> records, Set<String> failing, Instant now) {
        List<Observation> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (WorkloadReport r : reports) {
            String w = r.workload();
            seen.add(w);
            Optional<Decision> d = r.decision();
            WorkloadRecord rec = records.get(w);
            Optional<WorkloadScore> s = Optional.ofNullable(scores.get(w));
            Usage use = s.map(WorkloadScore::usage).orElse(Usage.NONE);
            double memory = newest(use.memory());
            if (use.memoryShareOfMax()) {
                memory *= r.maximum().map(m -> (double) m.memoryBytes()).orElse(Double.NaN);
            }
            out.add(new Observation(w, now, d.map(x -> x.tier().compareTo(Tier.MEDIUM) >= 0).orElse(false),
                    rec != null && rec.raised(), d.map(Decision::pressure).orElse(Set.of()), s.flatMap(Observations::top),
                    r.baseline(), newest(use.cpuCores()), memory, failing.contains(w)));
        }
        for (String w : failing) {
            if (!seen.contains(w) && workloads.contains(w)) {
                out.add(new Observation(w, now, false, false, Set.of(), Optional.empty(), Optional.empty(), Double.NaN,
                        Double.NaN, true));
            }
        }
        return out;
    }

    /** The newest row's value; NaN when there is none. */
    private static double newest(double[] column) {
        return column.length == 0 ? Double.NaN : column[column.length - 1];
    }

    private static Optional<String> top(WorkloadScore s) {
        FeatureAttribution best = null;
        for (FeatureAttribution a : s.attribution()) {
            if (best == null || a.weight() > best.weight()) {
                best = a;
            }
        }
        return Optional.ofNullable(best).map(FeatureAttribution::feature);
    }
}
