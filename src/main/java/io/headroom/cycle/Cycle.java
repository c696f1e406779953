package io.headroom.cycle;

import io.headroom.act.ActuationService;
import io.headroom.act.LibvirtFailure;
import io.headroom.act.WorkloadRecord;
import io.headroom.act.WorkloadReport;
import io.headroom.collect.FeatureMatrix;
import io.headroom.config.FeatureSpec;
import io.headroom.decide.FeedbackHold;
import io.headroom.decide.WorkloadScore;
import io.headroom.detect.Scorer;
import io.headroom.config.FeedbackConfig;
import io.headroom.feedback.Adaptation;
import io.headroom.feedback.Adaptations;
import io.headroom.feedback.EpisodeTracker;
import io.headroom.feedback.Exploration;
import io.headroom.feedback.Judgement;
import io.headroom.feedback.Outcome;
import io.headroom.feedback.Verdicts;
import io.headroom.metrics.Metrics;
import io.prometheus.client.Gauge;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cycle of Headroom, the same for {@code headroom run} and {@code headroom simulate}: score the newest row of
 * every workload ({@link #score}), then decide, act and record what was held ({@link #act}). Plain Java and
 * blocking: the daemon runs the two halves on its own worker pools (scoring on the collection pool, the rest on
 * the libvirt pool, after checking that the data is still fresh), the simulator back to back on its virtual clock.
 * What comes before (discovery, collection) and after (notifications, the status API) is the caller's.
 */
public final class Cycle {

    private static final Logger LOG = LoggerFactory.getLogger(Cycle.class);

    /**
     * What one cycle did.
     *
     * @param reports one per workload actuation reached, in name order; after a libvirt failure only those
     *                handled before it
     * @param records    the actuation state after the cycle (baselines, policy state)
     * @param judgements the episodes that ended in this cycle and the failures no episode covered, judged
     * @param episodes   the episodes still open after the cycle: when each began, by workload
     * @param adapted    the adaptations this cycle's judgements made
     * @param adaptations every workload's adaptation after the cycle (in force or not: see {@code feedback.adapt})
     */
    public record Acted(List<WorkloadReport> reports, SortedMap<String, WorkloadRecord> records,
                        List<Judgement> judgements, Map<String, Instant> episodes, List<Adaptations.Change> adapted,
                        SortedMap<String, Adaptation> adaptations, boolean retrain) {

        public Acted {
            reports = List.copyOf(reports);
            judgements = List.copyOf(judgements);
            episodes = Map.copyOf(episodes);
            adapted = List.copyOf(adapted);
        }
    }

    /**
     * The least time between two trainings a miss asks for: a guest that fails again and again, unseen each time,
     * must not keep the trainer busy.
     */
    public static final Duration RETRAIN_AFTER_MISS_GAP = Duration.ofMinutes(10);

    private final List<FeatureSpec> features;
    private final Duration step;
    private final Scorer scorer;
    private final ActuationService actuation;
    private final ActingTracker acting;
    private final EpisodeTracker episodes = new EpisodeTracker();
    private final Learning learning;
    /** The (workload, kind) holds the last cycle exported; only the libvirt pool's one thread touches it. */
    private Map<Gauge, Set<List<String>>> exportedKinds = Map.of();
    /** The workloads whose episode gauge the last cycle set; only the libvirt pool's one thread touches it. */
    private Set<String> exportedEpisodes = Set.of();
    private final Metrics metrics;

    /**
     * How judged episodes adapt the policy.
     *
     * @param store       every workload's adaptation, persisted or not
     * @param config      {@code feedback}: whether adaptations apply, and their bounds
     * @param mediumFloor {@code decide.tiers.medium.min_score}, the floor adaptations move per workload
     * @param highFloor   {@code decide.tiers.high.min_score}: exploration never holds a score at or above it
     * @param verdicts    operators' verdicts, where a missed failure is recorded as an incident for training to
     *                    leave out
     */
    public record Learning(Adaptations store, FeedbackConfig config, int mediumFloor, int highFloor,
                           Verdicts verdicts) {}

    /** Each workload's exploration draw for its current medium-tier episode; only the libvirt pool's thread. */
    private final Map<String, Exploration.Choice> explored = new HashMap<>();

    /**
     * @param features  the configured features, in matrix order
     * @param step      the matrix step
     * @param scorer    scores and exports
     * @param actuation the decide-and-act stage
     * @param acting    records when a change was held, for training to leave out
     * @param learning  how outcomes adapt the policy
     * @param metrics   where judgements are counted
     */
    public Cycle(List<FeatureSpec> features, Duration step, Scorer scorer, ActuationService actuation,
                 ActingTracker acting, Learning learning, Metrics metrics) {
        this.metrics = metrics;
        this.learning = learning;
        // Every outcome exported from the start, so that rate() sees the first one of each.
        for (Outcome o : Outcome.values()) {
            metrics.feedbackOutcomes.labels(o.label());
        }
        this.features = List.copyOf(features);
        this.step = step;
        this.scorer = scorer;
        this.actuation = actuation;
        this.acting = acting;
    }

    /**
     * Scores the newest row of every workload in {@code matrix}, its older rows being the trailing context.
     *
     * @param groups workload to group value, for the group model (may be empty)
     */
    public Map<String, Scorer.Result> score(FeatureMatrix matrix, Map<String, String> groups, Instant now) {
        return scorer.scoreLatest(matrix, groups, now);
    }

    /**
     * As {@link #act(SortedSet, Map, Instant, Instant, Set)} where one clock is both (the simulator's virtual one).
     */
    public Acted act(SortedSet<String> workloads, Map<String, Scorer.Result> scores, Instant now,
                     Set<String> failing) {
        return act(workloads, scores, now, now, failing);
    }

    /**
     * Decides and acts on {@code scores} for {@code workloads}, then records which guests Headroom holds raised.
     * A libvirt failure is logged and ends actuation for this cycle; the workloads handled before it keep their
     * reports. Blocks on libvirt and the disk.
     *
     * @param now  the policy's time: cooldowns, holds and decay are measured on it
     * @param wall    the data's time: the held changes are recorded on it, for training to leave out
     * @param failing the workloads failed at this cycle, for judging episodes
     */
    public Acted act(SortedSet<String> workloads, Map<String, Scorer.Result> scores, Instant now, Instant wall,
                     Set<String> failing) {
        List<WorkloadReport> reports;
        Map<String, WorkloadScore> policyScores = Scores.forPolicy(scores, features, step);
        Map<String, FeedbackHold> holds = Map.of();
        if (learning.config().adapt()) {
            Adaptations.Applied applied = learning.store().apply(policyScores, learning.mediumFloor());
            policyScores = applied.scores();
            holds = explore(policyScores, applied.holds(), now);
        }
        try {
            reports = actuation.cycle(workloads, policyScores, holds, now);
            acting.update(actuation.records(), wall);
        } catch (LibvirtFailure e) {
            LOG.warn("actuation skipped this cycle: {}", e.getMessage());
            reports = actuation.lastReports().values().stream().filter(r -> r.at().equals(now)).toList();
        }
        SortedMap<String, WorkloadRecord> records = actuation.records();
        List<Judgement> judged = episodes.observe(Observations.of(workloads, reports, policyScores, records, failing,
                now));
        episodes.forget(records.keySet());
        Map<String, Instant> open = episodes.openSince();
        boolean retrain = false;
        for (Judgement j : judged) {
            metrics.feedbackOutcomes.labels(j.outcome().label()).inc();
            // With exploration on, which arm the episode was in: the logged outcome and probability are what an
            // offline evaluation of another policy weighs.
            Exploration.Choice arm = explored.remove(j.workload());
            LOG.info("episode judged workload={} outcome={} from={} to={} evidence=\"{}\"{}", j.workload(),
                    j.outcome().label(), j.start(), j.end(), j.evidence(),
                    arm == null ? "" : " exploration=" + arm.describe());
            // A miss says the model took the run-up to a failure for normal: that run-up is left out of training
            // from now on (as an operator's true_positive would leave it), and a retraining is asked for so that it
            // stops being learnt at once, not at the next scheduled training.
            if (j.outcome() == Outcome.MISSED && learning.config().adapt()) {
                learning.verdicts().missed(j.workload(), wall);
                retrain = true;
            }
        }
        // Learnt even with adaptation off, so that turning it on starts from what was seen.
        List<Adaptations.Change> adapted = learning.store().learn(judged, learning.config());
        for (Adaptations.Change c : adapted) {
            metrics.feedbackAdaptations.inc();
            LOG.info("feedback adaptation workload={} applied={} change=\"{}\"", c.workload(),
                    learning.config().adapt(), c.what());
        }
        exportAdaptationsAndEpisodes(records.keySet(), open.keySet());
        return new Acted(reports, records, judged, open, adapted, learning.store().all(), retrain);
    }

    /**
     * {@code holds} plus exploration's: the first cycle a workload without an episode scores in the medium tier draws
     * whether that episode is a no-action baseline ({@link Exploration}); while it is and the score stays below the
     * high floor, its raises are held. The draw is kept until the score falls below the medium floor with no episode
     * open, so one episode is drawn once.
     */
    private Map<String, FeedbackHold> explore(Map<String, WorkloadScore> scores, Map<String, FeedbackHold> holds,
                                              Instant now) {
        double share = learning.config().explore();
        if (share <= 0) {
            return holds;
        }
        Map<String, FeedbackHold> out = new HashMap<>(holds);
        Set<String> open = episodes.openEpisodes();
        explored.keySet().removeIf(w -> !open.contains(w)
                && (!scores.containsKey(w) || scores.get(w).score() < learning.mediumFloor()));
        scores.forEach((w, s) -> {
            boolean medium = s.score() >= learning.mediumFloor() && s.score() < learning.highFloor();
            if (medium && !open.contains(w) && !explored.containsKey(w)) {
                Exploration.Choice c = Exploration.choose(w, now, share);
                explored.put(w, c);
                metrics.feedbackExplorations.labels(c.hold() ? "hold" : "raise").inc();
                LOG.info("feedback exploration workload={} score={} choice={} share={}", w,
                        String.format(java.util.Locale.ROOT, "%.1f", s.score()), c.describe(), share);
            }
            Exploration.Choice c = explored.get(w);
            if (medium && c != null && c.hold()) {
                out.putIfAbsent(w, FeedbackHold.always("feedback exploration: this episode is a no-action baseline, "
                        + c.describe() + "; the high and critical tiers are never held"));
            }
        });
        return out;
    }

    /**
     * {@code headroom_feedback_floor_shift} of every known workload, {@code headroom_feedback_no_resources} of each
     * kind held back and {@code headroom_feedback_held_within_*} of each envelope in force; the series of what is no
     * longer known or held are retired.
     */
    private void exportAdaptations(Set<String> known) {
        Map<Gauge, Set<List<String>>> now = new java.util.HashMap<>();
        for (String w : known) {
            Adaptation a = learning.store().of(w);
            metrics.feedbackFloorShift.labels(w).set(a.floorShift());
            for (String kind : a.noResources()) {
                setKind(now, metrics.feedbackNoResources, w, kind, 1);
            }
            a.envelopes().forEach((kind, e) -> {
                if (e.inForce()) {
                    setKind(now, metrics.feedbackHeldWithinCpuCores, w, kind, e.cpuCores());
                    setKind(now, metrics.feedbackHeldWithinMemoryBytes, w, kind, e.memoryBytes());
                }
            });
        }
        exportedKinds.forEach((g, keys) -> keys.stream().filter(k -> !now.getOrDefault(g, Set.of()).contains(k))
                .forEach(k -> g.remove(k.get(0), k.get(1))));
        for (String w : exportedEpisodes) {
            if (!known.contains(w)) {
                metrics.feedbackFloorShift.remove(w);
            }
        }
        exportedKinds = now;
    }

    /** Sets one workload's series for one kind, if {@code v} is a measure; notes it in {@code exported}. */
    private static void setKind(Map<Gauge, Set<List<String>>> exported, Gauge g, String w, String kind, double v) {
        if (Double.isFinite(v)) {
            g.labels(w, kind).set(v);
            exported.computeIfAbsent(g, x -> new java.util.HashSet<>()).add(List.of(w, kind));
        }
    }

    private void exportAdaptationsAndEpisodes(Set<String> known, Set<String> open) {
        exportAdaptations(known);
        exportEpisodes(known, open);
    }

    /**
     * {@code headroom_feedback_episode_open} for every workload actuation knows; the series of those it knew last
     * cycle and no longer does are retired.
     */
    private void exportEpisodes(Set<String> known, Set<String> open) {
        for (String w : known) {
            metrics.feedbackEpisodeOpen.labels(w).set(open.contains(w) ? 1 : 0);
        }
        for (String gone : exportedEpisodes) {
            if (!known.contains(gone)) {
                metrics.feedbackEpisodeOpen.remove(gone);
            }
        }
        exportedEpisodes = Set.copyOf(known);
    }
}
