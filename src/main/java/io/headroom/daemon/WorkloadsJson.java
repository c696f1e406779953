package io.headroom.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.act.ActuationResult;
import io.headroom.act.WorkloadRecord;
import io.headroom.act.WorkloadReport;
import io.headroom.config.ActConfig;
import io.headroom.decide.Allocation;
import io.headroom.decide.Clamp;
import io.headroom.decide.Decision;
import io.headroom.decide.Resource;
import io.headroom.decide.Tier;
import io.headroom.detect.Scorer;
import io.headroom.feedback.Adaptation;
import io.headroom.feedback.Judgement;
import io.headroom.detect.WorkloadModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The status API's JSON ({@code GET /api/v1/workloads}), built from one cycle's {@link Snapshot}.
 * A pure function of the snapshot: every answer describes one cycle, never a mix of two. The shape is documented
 * in the README ("Status API"); names are snake_case, times RFC 3339 UTC, memory in bytes, absent values
 * {@code null}.
 */
public final class WorkloadsJson {

    public static final ObjectMapper JSON = new ObjectMapper();

    private WorkloadsJson() {}

    /** {@code {"cycle": {...}, "mode": ..., "workloads": [...]}}, workloads sorted by name. */
    public static ObjectNode list(Snapshot s, ActConfig.Mode mode) {
        ObjectNode root = envelope(s, mode);
        ArrayNode list = root.putArray("workloads");
        Map<String, WorkloadReport> reports = byName(s);
        for (String w : names(s, reports)) {
            list.add(workload(s, w, reports.get(w), mode));
        }
        return root;
    }

    /** {@code {"cycle": {...}, "mode": ..., "workload": {...}}}, or empty if the cycle did not see {@code name}. */
    static Optional<ObjectNode> one(Snapshot s, ActConfig.Mode mode, String name) {
        Map<String, WorkloadReport> reports = byName(s);
        if (!names(s, reports).contains(name)) {
            return Optional.empty();
        }
        ObjectNode root = envelope(s, mode);
        root.set("workload", workload(s, name, reports.get(name), mode));
        return Optional.of(root);
    }

    private static ObjectNode envelope(Snapshot s, ActConfig.Mode mode) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("cycle").put("number", s.cycle()).put("at", s.takenAt().toString());
        root.put("mode", label(mode));
        return root;
    }

    private static Map<String, WorkloadReport> byName(Snapshot s) {
        return s.reports().stream().collect(Collectors.toMap(WorkloadReport::workload, Function.identity(), (a, b) -> b));
    }

    /** The discovered workloads, and any that actuation reported on (the same set unless discovery raced it). */
    private static SortedSet<String> names(Snapshot s, Map<String, WorkloadReport> reports) {
        SortedSet<String> names = new TreeSet<>(s.workloads());
        names.addAll(reports.keySet());
        return names;
    }

    private static ObjectNode workload(Snapshot s, String w, WorkloadReport report, ActConfig.Mode mode) {
        Optional<Scorer.Result> score = Optional.ofNullable(s.scores().get(w));
        Optional<WorkloadRecord> record = Optional.ofNullable(s.records().get(w));
        Optional<Decision> decision = Optional.ofNullable(report).flatMap(WorkloadReport::decision);

        ObjectNode o = JSON.createObjectNode();
        o.put("name", w);
        o.put("mode", label(mode));
        if (score.isPresent() && score.get().scored()) {
            o.put("score", score.get().score());
        } else {
            o.putNull("score");
        }
        // The decision's tier is the effective one (after hysteresis); without one this cycle, the persisted one.
        Tier tier = decision.map(Decision::tier).orElse(record.map(r -> r.policy().tier()).orElse(Tier.NONE));
        o.put("tier", tier.label());
        o.set("attribution", attribution(score, s.matrix().features()));
        o.set("model", score.flatMap(Scorer.Result::model).<JsonNode>map(WorkloadsJson::model)
                .orElse(JSON.nullNode()));
        o.set("baseline", allocation(Optional.ofNullable(report).flatMap(WorkloadReport::baseline)
                .or(() -> record.map(WorkloadRecord::baseline))));
        o.set("current", allocation(Optional.ofNullable(report).flatMap(WorkloadsJson::current)));
        o.set("last_decision", decision.<JsonNode>map(WorkloadsJson::decision).orElse(JSON.nullNode()));
        o.set("last_change", Optional.ofNullable(s.changes().get(w)).<JsonNode>map(WorkloadsJson::change)
                .orElse(JSON.nullNode()));
        o.set("episode", Optional.ofNullable(s.episodes().get(w)).<JsonNode>map(since -> JSON.createObjectNode()
                .put("since", since.toString())).orElse(JSON.nullNode()));
        o.set("last_outcome", Optional.ofNullable(s.judged().get(w)).<JsonNode>map(WorkloadsJson::judgement)
                .orElse(JSON.nullNode()));
        o.set("adaptation", Optional.ofNullable(s.adaptations().get(w)).<JsonNode>map(WorkloadsJson::adaptation)
                .orElse(JSON.nullNode()));
        if (report == null) {
            o.putNull("outcome");
        } else {
            o.put("outcome", report.outcome().name().toLowerCase(Locale.ROOT));
        }
        o.put("left_alone", report != null && report.outcome() == WorkloadReport.Outcome.LEFT_ALONE);
        o.put("opted_out", decision.map(d -> d.action() == Decision.Action.OPTED_OUT).orElse(false));
        ArrayNode notes = o.putArray("notes");
        if (report != null) {
            report.notes().forEach(notes::add);
        }
        return o;
    }

    /** Features with a share, largest first; an array because JSON objects have no order a client must keep. */
    private static ArrayNode attribution(Optional<Scorer.Result> score, List<String> features) {
        ArrayNode out = JSON.createArrayNode();
        if (score.isEmpty() || !score.get().scored()) {
            return out;
        }
        Scorer.Result r = score.get();
        List<Integer> order = new ArrayList<>();
        for (int f = 0; f < Math.min(features.size(), r.attribution().length); f++) {
            if (r.attribution()[f] > 0) {
                order.add(f);
            }
        }
        order.sort(Comparator.comparingDouble((Integer f) -> -r.attribution()[f]).thenComparing(features::get));
        for (int f : order) {
            ObjectNode a = out.addObject().put("feature", features.get(f)).put("share", r.attribution()[f]);
            double side = f < r.direction().length ? r.direction()[f] : 0;
            if (side == 0) {
                a.putNull("side");
            } else {
                a.put("side", side > 0 ? "above" : "below");
            }
        }
        return out;
    }

    private static ObjectNode model(WorkloadModel m) {
        return JSON.createObjectNode().put("scope", m.scope()).put("type", m.type())
                .put("trained_at", m.trainedAt().toString()).put("training_rows", m.trainingRows());
    }

    /**
     * What the guest has after this cycle: libvirt's reading from before the change, updated by what a change read
     * back (as {@code headroom_workload_vcpus} shows it).
     */
    private static Optional<Allocation> current(WorkloadReport r) {
        Optional<Allocation> current = r.current();
        for (ActuationResult res : r.results()) {
            if (res.status() == ActuationResult.Status.APPLIED && current.isPresent()) {
                current = Optional.of(current.get().with(res.resource(), res.observed().orElse(res.requested())));
            }
        }
        return current;
    }

    private static ObjectNode decision(Decision d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("at", d.at().toString());
        o.put("action", d.action().label());
        o.put("tier", d.tier().label());
        if (d.score().isPresent()) {
            o.put("score", d.score().getAsDouble());
        } else {
            o.putNull("score");
        }
        o.set("current", allocation(Optional.of(d.current())));
        o.set("target", allocation(Optional.of(d.target())));
        ArrayNode pressure = o.putArray("pressure");
        d.pressure().stream().sorted().map(Resource::label).forEach(pressure::add);
        o.put("reason", d.reason());
        ArrayNode clamps = o.putArray("clamps");
        for (Clamp c : d.clamps()) {
            clamps.addObject().put("resource", c.resource().label()).put("reason", c.reason().label())
                    .put("wanted", c.wanted()).put("got", c.got());
        }
        return o;
    }

    private static ObjectNode change(LastChange c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("at", c.at().toString());
        o.set("from", allocation(c.from()));
        o.set("to", allocation(c.to()));
        if (c.results().isEmpty()) {
            o.putNull("result");
        } else {
            o.put("result", overall(c.results()).label());
        }
        ArrayNode results = o.putArray("results");
        for (ActuationResult r : c.results()) {
            ObjectNode e = results.addObject().put("resource", r.resource().label()).put("result", r.status().label())
                    .put("requested", r.requested());
            if (r.observed().isPresent()) {
                e.put("observed", r.observed().getAsLong());
            } else {
                e.putNull("observed");
            }
            e.put("detail", r.detail());
        }
        return o;
    }

    /** One word for a change: the first status that is not a success, else applied (or dry_run). */
    static ActuationResult.Status overall(List<ActuationResult> results) {
        for (ActuationResult r : results) {
            if (r.status() != ActuationResult.Status.APPLIED && r.status() != ActuationResult.Status.DRY_RUN) {
                return r.status();
            }
        }
        return results.get(0).status();
    }

    private static JsonNode allocation(Optional<Allocation> a) {
        return a.<JsonNode>map(x -> JSON.createObjectNode().put("vcpus", x.vcpus()).put("memory_bytes", x.memoryBytes()))
                .orElse(JSON.nullNode());
    }

    private static String label(ActConfig.Mode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /** The last episode the feedback stage judged: its outcome, span and evidence. */
    /** What feedback changed in the workload's policy; {@code in_force} false while the counts alone are kept. */
    static ObjectNode adaptation(Adaptation a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("in_force", a.inForce());
        o.put("medium_floor_shift", a.floorShift());
        ArrayNode kinds = o.putArray("no_resources_for");
        a.noResources().forEach(kinds::add);
        ObjectNode held = o.putObject("raises_held_within");
        a.envelopes().forEach((k, e) -> {
            if (e.inForce()) {
                ObjectNode b = held.putObject(k);
                b.put("episodes", e.episodes());
                b.put("cpu_cores", Double.isFinite(e.cpuCores()) ? e.cpuCores() : null);
                b.put("memory_bytes", Double.isFinite(e.memoryBytes()) ? (Long) Math.round(e.memoryBytes()) : null);
            }
        });
        o.put("unnecessary_in_a_row", a.unnecessaryStreak());
        ObjectNode futile = o.putObject("futile_in_a_row");
        a.futileStreaks().forEach(futile::put);
        o.put("last_change", a.lastChange().orElse(null));
        o.put("changed_at", a.changedAt().map(java.time.Instant::toString).orElse(null));
        return o;
    }

    private static ObjectNode judgement(Judgement j) {
        ObjectNode o = JSON.createObjectNode();
        o.put("outcome", j.outcome().label());
        o.put("from", j.start().toString());
        o.put("to", j.end().toString());
        o.put("evidence", j.evidence());
        return o;
    }
}
