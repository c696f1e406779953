package io.headroom.act;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.decide.Allocation;
import io.headroom.decide.Clamp;
import io.headroom.decide.Decision;
import io.headroom.decide.Tier;
import io.headroom.decide.WorkloadState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JSON form of the persisted state and of audit events, written by hand (not by reflection) so that a renamed
 * Java field can never silently change the file format. Snapshots carry a version; a newer one is refused.
 * Version 2 added the CPU quota to allocations and the failed unplug to records; version 1 files read as guests
 * without either.
 */
final class StateCodec {

    static final int VERSION = 2;
    static final ObjectMapper JSON = new ObjectMapper();

    private StateCodec() {}

    static ObjectNode encode(ActuationState s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        ObjectNode workloads = root.putObject("workloads");
        s.workloads().forEach((name, r) -> workloads.set(name, record(r)));
        ArrayNode recent = root.putArray("recent_changes");
        s.recentChanges().forEach(t -> recent.add(t.toString()));
        return root;
    }

    static ActuationState decode(JsonNode root) {
        int version = root.path("version").asInt(-1);
        if (version < 1 || version > VERSION) {
            throw new IllegalArgumentException("snapshot version " + version + " is not 1 to " + VERSION);
        }
        TreeMap<String, WorkloadRecord> workloads = new TreeMap<>();
        root.required("workloads").fields().forEachRemaining(e -> workloads.put(e.getKey(), record(e.getValue())));
        List<Instant> recent = new ArrayList<>();
        root.required("recent_changes").forEach(t -> recent.add(Instant.parse(t.asText())));
        return new ActuationState(workloads, recent);
    }

    private static ObjectNode record(WorkloadRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.set("baseline", allocation(r.baseline()));
        n.set("applied", allocation(r.applied()));
        n.put("memory_from_bytes", r.memoryFrom());
        r.pending().ifPresent(p -> {
            ObjectNode pn = n.putObject("pending");
            pn.set("from", allocation(p.from()));
            pn.set("to", allocation(p.to()));
            pn.put("at", p.at().toString());
        });
        r.leftAlone().ifPresent(a -> n.set("left_alone", allocation(a)));
        n.set("policy", policy(r.policy()));
        n.put("last_seen", r.lastSeen().toString());
        r.unplugFailed().ifPresent(t -> n.put("unplug_failed_at", t.toString()));
        return n;
    }

    private static WorkloadRecord record(JsonNode n) {
        Optional<WorkloadRecord.PendingChange> pending = n.has("pending")
                ? Optional.of(new WorkloadRecord.PendingChange(allocation(n.get("pending").required("from")),
                        allocation(n.get("pending").required("to")), Instant.parse(n.get("pending").required("at").asText())))
                : Optional.empty();
        Optional<Allocation> leftAlone = n.has("left_alone") ? Optional.of(allocation(n.get("left_alone"))) : Optional.empty();
        return new WorkloadRecord(allocation(n.required("baseline")), allocation(n.required("applied")),
                n.required("memory_from_bytes").asLong(), pending, leftAlone, policy(n.required("policy")),
                Instant.parse(n.required("last_seen").asText()), instant(n, "unplug_failed_at"));
    }

    static ObjectNode allocation(Allocation a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("vcpus", a.vcpus());
        n.put("memory_bytes", a.memoryBytes());
        if (a.cpuQuota() > 0) {
            n.put("cpu_quota_us", a.cpuQuota());
        }
        return n;
    }

    private static Allocation allocation(JsonNode n) {
        return new Allocation(n.required("vcpus").asInt(), n.required("memory_bytes").asLong(),
                n.path("cpu_quota_us").asLong(0));
    }

    private static ObjectNode policy(WorkloadState s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("tier", s.tier().label());
        ObjectNode streaks = n.putObject("streaks");
        streaks.put("medium", s.streaks().medium());
        streaks.put("high", s.streaks().high());
        streaks.put("critical", s.streaks().critical());
        s.lastChangeAt().ifPresent(t -> n.put("last_change_at", t.toString()));
        s.cpuCalmSince().ifPresent(t -> n.put("cpu_calm_since", t.toString()));
        s.memoryCalmSince().ifPresent(t -> n.put("memory_calm_since", t.toString()));
        n.put("cpu_pressure_cycles", s.cpuPressureCycles());
        n.put("memory_pressure_cycles", s.memoryPressureCycles());
        return n;
    }

    private static WorkloadState policy(JsonNode n) {
        JsonNode st = n.required("streaks");
        return new WorkloadState(Tier.valueOf(n.required("tier").asText().toUpperCase(java.util.Locale.ROOT)),
                new WorkloadState.Streaks(st.required("medium").asInt(), st.required("high").asInt(),
                        st.required("critical").asInt()),
                instant(n, "last_change_at"), instant(n, "cpu_calm_since"), instant(n, "memory_calm_since"),
                // Absent in state written before escalation existed: no streak yet.
                n.path("cpu_pressure_cycles").asInt(0), n.path("memory_pressure_cycles").asInt(0));
    }

    private static Optional<Instant> instant(JsonNode n, String key) {
        return n.hasNonNull(key) ? Optional.of(Instant.parse(n.get(key).asText())) : Optional.empty();
    }

    /** An audit event: {@code time}, {@code workload}, {@code event}, then event-specific fields. */
    static ObjectNode event(Instant at, String workload, String event) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", at.toString());
        n.put("workload", workload);
        n.put("event", event);
        return n;
    }

    /** The fields of a decision, for an audit event. */
    static void decision(ObjectNode n, Decision d) {
        d.score().ifPresent(s -> n.put("score", s));
        n.put("tier", d.tier().label());
        n.put("action", d.action().label());
        n.set("baseline", allocation(d.baseline()));
        n.set("from", allocation(d.current()));
        n.set("to", allocation(d.target()));
        n.put("reason", d.reason());
        ArrayNode clamps = n.putArray("clamps");
        for (Clamp c : d.clamps()) {
            ObjectNode cn = clamps.addObject();
            cn.put("resource", c.resource().label());
            cn.put("reason", c.reason().label());
            cn.put("wanted", c.wanted());
            cn.put("got", c.got());
        }
    }

    /** The fields of an actuation result, for an audit event. */
    static void result(ObjectNode n, ActuationResult r) {
        n.put("resource", r.resource().label());
        n.put("result", r.status().label());
        n.put("requested", r.requested());
        r.observed().ifPresent(o -> n.put("observed", o));
        if (!r.detail().isEmpty()) {
            n.put("detail", r.detail());
        }
    }
}
