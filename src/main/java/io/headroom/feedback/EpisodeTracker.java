package io.headroom.feedback;

import io.headroom.decide.Allocation;
import io.headroom.decide.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Follows every workload's episodes cycle by cycle and judges each one when it ends ({@link Outcomes}). A failure
 * that starts outside an episode is a {@link Outcome#MISSED}. In memory: an episode open at a restart is lost, as
 * it would be judged on a part only.
 */
public final class EpisodeTracker {

    /** An episode still open. */
    private static final class Open {
        final Instant start;
        final Optional<String> topFeature;
        final Optional<Allocation> baseline;
        final Set<Resource> pressure = EnumSet.noneOf(Resource.class);
        double peakCpu = Double.NaN;
        double peakMemory = Double.NaN;
        Optional<Instant> failedAt = Optional.empty();

        Open(Observation o) {
            start = o.at();
            topFeature = o.topFeature();
            baseline = o.baseline();
        }

        void update(Observation o) {
            pressure.addAll(o.pressure());
            peakCpu = max(peakCpu, o.cpuCores());
            peakMemory = max(peakMemory, o.memory());
            if (o.failing() && failedAt.isEmpty()) {
                failedAt = Optional.of(o.at());
            }
        }

        Episode close(String workload, Instant end) {
            return new Episode(workload, start, end, pressure, topFeature, baseline, peakCpu, peakMemory, failedAt);
        }

        private static double max(double a, double b) {
            return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
        }
    }

    private final Map<String, Open> open = new HashMap<>();
    private final Set<String> failing = new HashSet<>();

    /**
     * Takes one cycle's observations; returns the judgements of the episodes that ended in it and of the failures
     * no episode covered. Workloads absent from {@code cycle} keep their state (a failed guest may export nothing);
     * call {@link #forget} for those gone for good.
     */
    public synchronized List<Judgement> observe(List<Observation> cycle) {
        List<Judgement> out = new ArrayList<>();
        for (Observation o : cycle) {
            String w = o.workload();
            boolean newlyFailing = o.failing() && failing.add(w);
            if (!o.failing()) {
                failing.remove(w);
            }
            Open e = open.get(w);
            if (e == null && o.active()) {
                e = new Open(o);
                open.put(w, e);
            }
            if (e != null) {
                e.update(o);
                // Calm, back at the baseline and running again: the episode is over.
                if (!o.active() && !o.failing()) {
                    out.add(Outcomes.judge(open.remove(w).close(w, o.at())));
                }
            } else if (newlyFailing) {
                out.add(new Judgement(w, Outcome.MISSED, o.at(), o.at(), "failed with no flag in force"));
            }
        }
        return out;
    }

    /** Drops the state of workloads not in {@code present}. */
    public synchronized void forget(Set<String> present) {
        open.keySet().retainAll(present);
        failing.retainAll(present);
    }

    /** Workloads with an open episode. */
    public synchronized Set<String> openEpisodes() {
        return Set.copyOf(open.keySet());
    }

    /** When each open episode began, by workload. */
    public synchronized Map<String, Instant> openSince() {
        Map<String, Instant> out = new java.util.TreeMap<>();
        open.forEach((w, e) -> out.put(w, e.start));
        return out;
    }
}
