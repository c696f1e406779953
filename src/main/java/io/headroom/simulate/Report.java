package io.headroom.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import io.headroom.feedback.Outcome;
import java.util.List;
import java.util.Optional;

/**
 * The report of one run, compared with the {@code none} run of the same scenario and seed (which says when each
 * incident would have failed without any action, the reference for lead times).
 *
 * <ul>
 *   <li>{@code first_flag}: the first step inside the incident at which the policy flagged the guest (headroom:
 *       tier medium or above; threshold: the rule raised something).</li>
 *   <li>{@code lead_seconds}: from the first flag to the failure the {@code none} run had; null if either is
 *       missing.</li>
 *   <li>{@code flagged_before_failure}: flagged, and before the {@code none} run's failure if it had one.</li>
 *   <li>{@code false_actions}: increases on clean workloads, or on any workload while none of its incidents is
 *       under way.</li>
 *   <li>{@code extra_resource_hours_pct}: the mean of the extra vCPU-hours and the extra GiB-hours over the
 *       baseline's, each as a percentage of the baseline's (both are also reported).</li>
 * </ul>
 */
public record Report(Simulator.Run run, List<Incident> incidents, List<FalseAction> falseActions, Summary summary) {

    /** One increase counted in {@code false_actions}: which guest, when, and whether it is a clean one. */
    public record FalseAction(String workload, Instant at, boolean cleanWorkload) {}

    /** One incident's line. */
    public record Incident(Scenario.Incident spec, Instant start, boolean preventable, Optional<Instant> firstFlag,
                           Optional<Long> leadSeconds, Optional<Instant> failureWithoutAction,
                           Optional<Instant> failureAt) {}

    /** The totals. */
    public record Summary(int incidents, int preventable, int flaggedBeforeFailure, Optional<Double> medianLeadSeconds,
                          int failures, int preventableFailures, int failuresWithoutAction,
                          int preventableFailuresWithoutAction, int unattributedFailures, int falseActions,
                          double cleanWorkloadDays, double extraVcpuHoursPct, double extraMemoryHoursPct,
                          double extraResourceHoursPct) {}

    /** Builds the report of {@code run} against {@code none} (the same scenario and seed, policy none). */
    public static Report of(Simulator.Run run, Simulator.Run none) {
        Scenario sc = run.scenario();
        List<Incident> lines = new ArrayList<>();
        List<Long> leads = new ArrayList<>();
        int flaggedBefore = 0;
        int failures = 0;
        int preventableFailures = 0;
        int noneFailures = 0;
        int nonePreventableFailures = 0;
        for (int i = 0; i < sc.incidents().size(); i++) {
            Scenario.Incident spec = sc.incidents().get(i);
            if (spec.kind().benign()) {
                continue; // no incident: it fails nothing, and raises during it are counted as false below
            }
            Optional<Instant> flag = run.firstFlag().get(i);
            Optional<Instant> would = none.failureAt().get(i);
            Optional<Long> lead = flag.isPresent() && would.isPresent()
                    ? Optional.of(Duration.between(flag.get(), would.get()).toSeconds()) : Optional.empty();
            lead.ifPresent(leads::add);
            if (flag.isPresent() && (would.isEmpty() || flag.get().isBefore(would.get()))) {
                flaggedBefore++;
            }
            boolean preventable = spec.kind().preventable();
            if (run.failureAt().get(i).isPresent()) {
                failures++;
                preventableFailures += preventable ? 1 : 0;
            }
            if (would.isPresent()) {
                noneFailures++;
                nonePreventableFailures += preventable ? 1 : 0;
            }
            lines.add(new Incident(spec, sc.start().plus(spec.start()), preventable, flag, lead, would,
                    run.failureAt().get(i)));
        }
        List<FalseAction> falseList = new ArrayList<>();
        for (int w = 0; w < sc.workloads().size(); w++) {
            Scenario.Workload wl = sc.workloads().get(w);
            for (Instant t : run.increases().get(w)) {
                Duration since = Duration.between(sc.start(), t);
                boolean during = sc.incidents().stream().anyMatch(i -> !i.kind().benign()
                        && i.workload().equals(wl.name()) && i.activeAt(since));
                if (wl.clean() || !during) {
                    falseList.add(new FalseAction(wl.name(), t, wl.clean()));
                }
            }
        }
        long clean = sc.workloads().stream().filter(Scenario.Workload::clean).count();
        double days = sc.duration().toMillis() / 86_400_000.0;
        double vPct = pct(run.vcpuHours(), run.baselineVcpuHours());
        double mPct = pct(run.memoryGibHours(), run.baselineMemoryGibHours());
        Summary s = new Summary(lines.size(), (int) lines.stream().filter(Incident::preventable).count(), flaggedBefore,
                median(leads), failures, preventableFailures, noneFailures, nonePreventableFailures, run.unattributed(),
                falseList.size(), clean * days, vPct, mPct, (vPct + mPct) / 2);
        return new Report(run, List.copyOf(lines), List.copyOf(falseList), s);
    }

    private static double pct(double used, double baseline) {
        return baseline == 0 ? 0 : 100.0 * (used - baseline) / baseline;
    }

    private static Optional<Double> median(List<Long> xs) {
        if (xs.isEmpty()) {
            return Optional.empty();
        }
        List<Long> sorted = xs.stream().sorted().toList();
        int n = sorted.size();
        return Optional.of(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0);
    }

    /** The report as JSON, in the shape (plus a few extra fields). */
    public String toJson() {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        Scenario sc = run.scenario();
        root.put("scenario", sc.name());
        root.put("policy", run.policy().label());
        root.put("seed", run.seed());
        root.put("workloads", sc.workloads().size());
        root.put("simulated_hours", sc.duration().toMillis() / 3_600_000.0);
        root.put("start", sc.start().toString());
        root.put("step_seconds", sc.step().toSeconds());
        root.put("model_trainings", run.trainings());
        if (run.policy() == Policy.HEADROOM) {
            // What the feedback stage made of each episode: every class, zeros included, in a fixed order.
            ObjectNode outcomes = root.putObject("episode_outcomes");
            for (Outcome o : Outcome.values()) {
                outcomes.put(o.label(), run.outcomes().getOrDefault(o, 0));
            }
            root.put("feedback_adaptations", run.adaptations());
        }
        ArrayNode arr = root.putArray("incidents");
        for (Incident i : incidents) {
            ObjectNode o = arr.addObject();
            o.put("workload", i.spec().workload());
            o.put("kind", i.spec().kind().label());
            o.put("start", i.start().toString());
            o.put("end", i.start().plus(i.spec().duration()).toString());
            o.put("severity", i.spec().severity());
            o.put("preventable", i.preventable());
            putTime(o, "first_flag", i.firstFlag());
            if (i.leadSeconds().isPresent()) {
                o.put("lead_seconds", i.leadSeconds().get());
            } else {
                o.putNull("lead_seconds");
            }
            o.put("failed", i.failureAt().isPresent());
            putTime(o, "failure_at", i.failureAt());
            putTime(o, "failure_without_action_at", i.failureWithoutAction());
        }
        ArrayNode fa = root.putArray("false_action_list");
        for (FalseAction f : falseActions) {
            fa.addObject().put("workload", f.workload()).put("at", f.at().toString()).put("clean_workload", f.cleanWorkload());
        }
        ObjectNode s = root.putObject("summary");
        s.put("incidents", summary.incidents());
        s.put("preventable", summary.preventable());
        s.put("flagged_before_failure", summary.flaggedBeforeFailure());
        if (summary.medianLeadSeconds().isPresent()) {
            s.put("median_lead_seconds", summary.medianLeadSeconds().get());
        } else {
            s.putNull("median_lead_seconds");
        }
        s.put("failures", summary.failures());
        s.put("preventable_failures", summary.preventableFailures());
        s.put("failures_without_action", summary.failuresWithoutAction());
        s.put("preventable_failures_without_action", summary.preventableFailuresWithoutAction());
        s.put("unattributed_failures", summary.unattributedFailures());
        s.put("false_actions", summary.falseActions());
        // After the first simulated day: what feedback, which needs episodes to learn from, can have changed.
        Instant dayOne = run.scenario().start().plus(java.time.Duration.ofDays(1));
        s.put("false_actions_after_first_day", falseActions.stream().filter(f -> f.at().isAfter(dayOne)).count());
        s.put("clean_workload_days", round(summary.cleanWorkloadDays()));
        s.put("extra_resource_hours_pct", round(summary.extraResourceHoursPct()));
        s.put("extra_vcpu_hours_pct", round(summary.extraVcpuHoursPct()));
        s.put("extra_memory_hours_pct", round(summary.extraMemoryHoursPct()));
        futileGuests(s.putObject("non_preventable_guests"));
        try {
            return json.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the run spent on guests whose every incident is one more CPU or memory cannot prevent: how many, and the
     * vCPU-hours and GiB-hours above their baselines (what feedback should learn to stop giving them).
     */
    private void futileGuests(ObjectNode o) {
        Scenario sc = run.scenario();
        int guests = 0;
        double vcpu = 0;
        double memory = 0;
        for (int w = 0; w < sc.workloads().size(); w++) {
            String name = sc.workloads().get(w).name();
            List<Scenario.Incident> own = sc.incidents().stream()
                    .filter(i -> i.workload().equals(name) && !i.kind().benign()).toList();
            if (!own.isEmpty() && own.stream().noneMatch(i -> i.kind().preventable())) {
                guests++;
                vcpu += run.extraVcpuHours()[w];
                memory += run.extraMemoryGibHours()[w];
            }
        }
        o.put("guests", guests);
        o.put("extra_vcpu_hours", round(vcpu));
        o.put("extra_memory_gib_hours", round(memory));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void putTime(ObjectNode o, String key, Optional<Instant> t) {
        if (t.isPresent()) {
            o.put(key, t.get().toString());
        } else {
            o.putNull(key);
        }
    }
}
