package io.headroom.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.config.FeedbackConfig;
import io.headroom.decide.FeatureAttribution;
import io.headroom.decide.FeedbackHold;
import io.headroom.decide.WorkloadScore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every workload's {@link Adaptation}, learnt from judged episodes ({@link Learner}) and applied to the policy's
 * input each cycle ({@link #apply}). Kept in the state dir ({@value #FILE_NAME}), replaced whole and atomically on
 * every change like the actuation state, so adaptations survive restarts and a hard kill; {@link #reset} undoes a
 * workload's. A store without a file (the simulator, tests) keeps them in memory only.
 */
public final class Adaptations {

    public static final String FILE_NAME = "feedback.json";

    private static final ObjectMapper JSON = StateFile.JSON;

    /** The policy's input after adaptations: scores with each workload's floor moved, and raises held back. */
    public record Applied(Map<String, WorkloadScore> scores, Map<String, FeedbackHold> holds) {

        public Applied {
            scores = Map.copyOf(scores);
            holds = Map.copyOf(holds);
        }
    }

    /** An adaptation made this cycle, for the log and the caller's metrics. */
    public record Change(String workload, String what) {}

    private final Optional<Path> file;
    private final SortedMap<String, Adaptation> byWorkload = new TreeMap<>();

    private Adaptations(Optional<Path> file) {
        this.file = file;
    }

    /** No file: nothing survives a restart. */
    public static Adaptations inMemory() {
        return new Adaptations(Optional.empty());
    }

    /**
     * The store in {@code stateDir}, with what the last process learnt. A file that cannot be read is logged and
     * renamed aside, and learning starts again: adaptations only ever move a policy within bounds.
     */
    public static Adaptations open(Path stateDir) {
        Adaptations s = new Adaptations(Optional.of(stateDir.resolve(FILE_NAME)));
        StateFile.load(s.file.get(), root -> {
            SortedMap<String, Adaptation> read = new TreeMap<>();
            root.path("workloads").fields().forEachRemaining(e -> read.put(e.getKey(), decode(e.getValue())));
            s.byWorkload.putAll(read);
        });
        return s;
    }

    /** Reads the file in {@code stateDir} without keeping it open for writing: for {@code headroom feedback list}. */
    public static SortedMap<String, Adaptation> read(Path stateDir) throws IOException {
        SortedMap<String, Adaptation> out = new TreeMap<>();
        StateFile.read(stateDir.resolve(FILE_NAME)).path("workloads").fields()
                .forEachRemaining(e -> out.put(e.getKey(), decode(e.getValue())));
        return out;
    }

    /** Every workload's adaptation, by name. */
    public synchronized SortedMap<String, Adaptation> all() {
        return new TreeMap<>(byWorkload);
    }

    /** The workload's adaptation; {@link Adaptation#NONE} if none. */
    public synchronized Adaptation of(String workload) {
        return byWorkload.getOrDefault(workload, Adaptation.NONE);
    }

    /** Learns from this cycle's judgements; returns the adaptations that changed a policy. */
    public synchronized List<Change> learn(List<Judgement> judgements, FeedbackConfig cfg) {
        List<Change> changes = new ArrayList<>();
        boolean dirty = false;
        for (Judgement j : judgements) {
            Adaptation before = of(j.workload());
            Adaptation after = Learner.learn(before, j, cfg);
            if (!after.equals(before)) {
                byWorkload.put(j.workload(), after);
                dirty = true;
                if (!after.lastChange().equals(before.lastChange())) {
                    changes.add(new Change(j.workload(), after.lastChange().orElse("")));
                }
            }
        }
        if (dirty) {
            write();
        }
        return changes;
    }

    /** Undoes everything learnt about {@code workload}; false if there was nothing. */
    public synchronized boolean reset(String workload) {
        if (byWorkload.remove(workload) == null) {
            return false;
        }
        write();
        return true;
    }

    /**
     * The policy's input for this cycle: each workload's score with its medium floor moved ({@link #shifted}), and a
     * hold for each workload whose anomaly (by its top feature) is of a kind resources did not help, or of a kind
     * with an envelope in force.
     *
     * @param mediumMin the configured medium floor
     */
    public synchronized Applied apply(Map<String, WorkloadScore> scores, int mediumMin) {
        Map<String, WorkloadScore> out = new HashMap<>(scores);
        Map<String, FeedbackHold> holds = new HashMap<>();
        scores.forEach((w, s) -> {
            Adaptation a = byWorkload.get(w);
            if (a == null || !a.inForce()) {
                return;
            }
            out.put(w, shifted(s, mediumMin, a.floorShift()));
            topFeature(s).flatMap(k -> hold(w, k, a)).ifPresent(h -> holds.put(w, h));
        });
        return new Applied(out, holds);
    }

    private static Optional<FeedbackHold> hold(String w, String kind, Adaptation a) {
        String undo = " (headroom feedback reset " + w + " undoes it)";
        if (a.noResources().contains(kind)) {
            return Optional.of(FeedbackHold.always("feedback: more resources did not help this workload's " + kind
                    + " anomalies" + undo));
        }
        Envelope e = a.envelopes().get(kind);
        if (e == null || !e.inForce()) {
            return Optional.empty();
        }
        return Optional.of(FeedbackHold.within("feedback: " + e.episodes() + " earlier " + kind + " anomalies used at most "
                + Learner.bounds(e) + undo, e.cpuCores(), e.memoryBytes()));
    }

    /**
     * {@code s} as the policy sees it with the medium floor at {@code mediumMin + shift}: a score between the two
     * floors is moved just below the new one (raised floor) or onto the configured one (lowered floor). Scores
     * outside that band, and so the high and critical tiers, are untouched.
     */
    public static WorkloadScore shifted(WorkloadScore s, int mediumMin, int shift) {
        double v = s.score();
        if (shift > 0 && v >= mediumMin && v < mediumMin + shift) {
            return new WorkloadScore(Math.nextDown((double) mediumMin), s.attribution(), s.usage());
        }
        if (shift < 0 && v >= mediumMin + shift && v < mediumMin) {
            return new WorkloadScore(mediumMin, s.attribution(), s.usage());
        }
        return s;
    }

    /** The feature with the largest share of the score: an episode's kind. */
    public static Optional<String> topFeature(WorkloadScore s) {
        FeatureAttribution best = null;
        for (FeatureAttribution a : s.attribution()) {
            if (best == null || a.weight() > best.weight()) {
                best = a;
            }
        }
        return Optional.ofNullable(best).map(FeatureAttribution::feature);
    }

    private void write() {
        if (file.isEmpty()) {
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ObjectNode ws = root.putObject("workloads");
        byWorkload.forEach((w, a) -> ws.set(w, encode(a)));
        StateFile.write(file.get(), root);
    }

    static ObjectNode encode(Adaptation a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("floor_shift", a.floorShift());
        n.put("unnecessary_streak", a.unnecessaryStreak());
        ObjectNode f = n.putObject("futile_streaks");
        a.futileStreaks().forEach(f::put);
        a.noResources().forEach(n.putArray("no_resources")::add);
        if (!n.has("no_resources")) {
            n.putArray("no_resources");
        }
        ObjectNode env = n.putObject("envelopes");
        a.envelopes().forEach((k, e) -> {
            ObjectNode o = env.putObject(k);
            o.put("episodes", e.episodes());
            putFinite(o, "cpu_cores", e.cpuCores());
            putFinite(o, "memory_bytes", e.memoryBytes());
            o.put("in_force", e.inForce());
        });
        a.lastChange().ifPresent(c -> n.put("last_change", c));
        a.changedAt().ifPresent(t -> n.put("changed_at", t.toString()));
        return n;
    }

    private static void putFinite(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        }
    }

    static Adaptation decode(JsonNode n) {
        Map<String, Integer> futile = new HashMap<>();
        n.path("futile_streaks").fields().forEachRemaining(e -> futile.put(e.getKey(), e.getValue().asInt()));
        TreeSet<String> stopped = new TreeSet<>();
        n.path("no_resources").forEach(k -> stopped.add(k.asText()));
        Map<String, Envelope> envelopes = new HashMap<>();
        n.path("envelopes").fields().forEachRemaining(e -> envelopes.put(e.getKey(), new Envelope(
                e.getValue().path("episodes").asInt(), e.getValue().path("cpu_cores").asDouble(Double.NaN),
                e.getValue().path("memory_bytes").asDouble(Double.NaN), e.getValue().path("in_force").asBoolean())));
        return new Adaptation(n.path("floor_shift").asInt(), n.path("unnecessary_streak").asInt(), futile, stopped,
                envelopes,
                Optional.ofNullable(n.get("last_change")).map(JsonNode::asText),
                Optional.ofNullable(n.get("changed_at")).map(x -> Instant.parse(x.asText())));
    }
}
