package io.headroom.daemon;

import io.headroom.act.ActuationResult;
import io.headroom.act.WorkloadReport;
import io.headroom.decide.Allocation;
import io.headroom.decide.Decision;
import io.headroom.decide.Resource;
import io.headroom.detect.Scorer;
import io.headroom.notify.ActiveAlert;
import io.headroom.notify.AdmissionGate;
import io.headroom.notify.AlertSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * After each cycle: the alerts that hold now (critical anomalies, failed changes, a failed stage) go to the alert
 * sink, which posts, re-posts and resolves them; critical workloads go to the admission gate. Both only enqueue, so
 * the cycle never waits on Alertmanager or a load balancer.
 *
 * <p>A failed cycle scored nothing, so it cannot tell whether a critical workload has recovered: its anomaly alerts
 * stay as the last good cycle left them (resolving them, then firing them again with a new startsAt a cycle later,
 * paged twice for one incident), and the admission gate keeps its pauses (bounded by {@code max_pause}). The failure
 * itself is alerted under the name of the stage that failed ({@link FailedStage}). A cycle whose data came too late
 * to act on ({@code act.max_data_age}) decided nothing either: every alert and pause stays as it was.
 */
final class Notifications implements AutoCloseable {

    static final String CRITICAL_ANOMALY = "HeadroomCriticalAnomaly";
    static final String ACTUATION_FAILED = "HeadroomActuationFailed";
    static final String PROMETHEUS_UNREACHABLE = FailedStage.PROMETHEUS.alertname;

    /** Replaced by a reload ({@link #replace}); guarded by {@code this}, like every method that uses them. */
    private AlertSink sink;
    private AdmissionGate gate;
    private final List<String> features;
    /** The anomaly alerts of the last good cycle, held through failed cycles until a good one says otherwise. */
    private List<ActiveAlert> anomalies = List.of();
    /** Everything last handed to the sink, held as it is through a cycle that decided nothing. */
    private List<ActiveAlert> posted = List.of();

    Notifications(AlertSink sink, AdmissionGate gate, List<String> features) {
        this.sink = sink;
        this.gate = gate;
        this.features = List.copyOf(features);
    }

    /** A cycle that scored and acted. */
    synchronized void afterCycle(Map<String, Scorer.Result> scores, List<WorkloadReport> reports, Instant now) {
        List<ActiveAlert> active = new ArrayList<>();
        List<String> critical = new ArrayList<>();
        for (WorkloadReport r : reports) {
            Optional<Decision> d = r.decision();
            if (d.isPresent() && d.get().notifyOperators()) {
                critical.add(r.workload());
                Scorer.Result s = scores.get(r.workload());
                active.add(ActiveAlert.anomaly(CRITICAL_ANOMALY, r.workload(), ActiveAlert.Severity.CRITICAL,
                        d.get().tier().label(), d.get().score().orElse(Double.NaN), top(s), changes(r)));
            }
            for (ActuationResult res : r.results()) {
                if (res.status() != ActuationResult.Status.APPLIED && res.status() != ActuationResult.Status.DRY_RUN) {
                    active.add(ActiveAlert.event(ACTUATION_FAILED, r.workload(), ActiveAlert.Severity.WARNING,
                            "change of " + res.resource().name().toLowerCase(Locale.ROOT) + " " + res.status().label()
                                    + ": " + res.detail()));
                }
            }
        }
        anomalies = active.stream().filter(a -> a.alertname().equals(CRITICAL_ANOMALY)).toList();
        post(active, now);
        gate.update(critical);
    }

    /**
     * A cycle that collected but decided nothing, its data too old to act on: it knows no more than the last one, so
     * alerts are posted again unchanged (their startsAt kept) and the gate's pauses stay.
     */
    synchronized void afterStaleCycle(Instant now) {
        post(posted, now);
    }

    private void post(List<ActiveAlert> active, Instant now) {
        posted = List.copyOf(active);
        sink.update(posted, now);
    }

    /**
     * A cycle that failed: the alert of the stage {@code cause} points at, and the anomaly alerts of the last good
     * cycle, unchanged.
     */
    synchronized void afterFailedCycle(Throwable cause, Instant now) {
        FailedStage stage = FailedStage.of(cause);
        failed(stage, stage.summary + ": " + cause.getMessage(), now);
    }

    private void failed(FailedStage stage, String description, Instant now) {
        List<ActiveAlert> active = new ArrayList<>(anomalies);
        active.add(ActiveAlert.event(stage.alertname, "", ActiveAlert.Severity.WARNING, description));
        post(active, now);
    }

    private List<String> top(Scorer.Result s) {
        if (s == null || !s.scored()) {
            return List.of();
        }
        return IntStream.range(0, features.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer f) -> -s.attribution()[f])).limit(3)
                .map(f -> String.format(Locale.ROOT, "%s %.0f%%", features.get(f), 100 * s.attribution()[f])).toList();
    }

    /**
     * Baseline to the allocation after this cycle. The report's {@code current} is what libvirt showed before the
     * cycle's changes, so a change applied in this very cycle (typically the one that came with the critical tier)
     * is added from its result: otherwise the first alert would say "Headroom changed nothing" as it raised the guest.
     */
    static List<ActiveAlert.Change> changes(WorkloadReport r) {
        List<ActiveAlert.Change> out = new ArrayList<>();
        Optional<Allocation> base = r.baseline();
        Optional<Allocation> cur = r.current();
        if (base.isPresent() && cur.isPresent()) {
            for (Resource res : Resource.values()) {
                long now = cur.get().get(res);
                for (ActuationResult applied : r.results()) {
                    if (applied.resource() == res && applied.status() == ActuationResult.Status.APPLIED) {
                        now = applied.observed().orElse(applied.requested());
                    }
                }
                if (base.get().get(res) != now) {
                    out.add(new ActiveAlert.Change(res.name().toLowerCase(Locale.ROOT),
                            Allocation.format(res, base.get().get(res)), Allocation.format(res, now)));
                }
            }
        }
        return out;
    }

    /**
     * Puts a new sink and/or gate in place (a reload changed their config or secrets) and returns the old ones, for
     * the caller to close outside the lock: closing a gate resumes its pauses, which may take seconds. The new ones
     * get the current conditions from the next cycle on.
     */
    synchronized List<AutoCloseable> replace(Optional<AlertSink> newSink, Optional<AdmissionGate> newGate) {
        List<AutoCloseable> old = new ArrayList<>();
        if (newSink.isPresent()) {
            old.add(sink);
            sink = newSink.get();
        }
        if (newGate.isPresent()) {
            old.add(gate);
            gate = newGate.get();
        }
        return old;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closers().values()) {
            c.close();
        }
    }

    /** What closing does, by name, for closing side by side within a budget ({@link ShutdownBudget}). */
    synchronized Map<String, AutoCloseable> closers() {
        Map<String, AutoCloseable> out = new java.util.LinkedHashMap<>();
        out.put("alertmanager", sink::close);
        out.put("admission", gate::close);
        return out;
    }
}
