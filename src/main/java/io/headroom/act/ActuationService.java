package io.headroom.act;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.config.ActConfig;
import io.headroom.config.DecideConfig;
import io.headroom.config.HeadroomConfig;
import io.headroom.decide.Allocation;
import io.headroom.decide.CpuControl;
import io.headroom.decide.Decision;
import io.headroom.decide.FeedbackHold;
import io.headroom.decide.HostCapacity;
import io.headroom.decide.PolicyInput;
import io.headroom.decide.PolicyOutcome;
import io.headroom.decide.QuotaBaseline;
import io.headroom.decide.Resource;
import io.headroom.decide.TierPolicy;
import io.headroom.decide.WorkloadScore;
import io.headroom.decide.WorkloadState;
import io.headroom.metrics.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decide-and-act cycle for all workloads of the host: observe each guest through the gateway, reconcile it
 * with the persisted record ({@link Reconciler}), decide ({@link TierPolicy}), carry the change out through the
 * {@link Actuator}, and persist. Workloads are handled one after the other, so the host's capacity and rate limit
 * seen by each include the changes made for the ones before it.
 *
 * <p>Every change is written down before it is sent to libvirt (the record's {@code pending} change, saved
 * atomically), then logged as "from -&gt; to, why", appended to the audit log and counted.
 *
 * <p>CPU is controlled per guest as {@code act.cpu_strategy} says ({@link #control}); a guest whose vCPU unplug
 * failed is controlled by quota from then on, since libvirt neither gives the vCPU back nor lets a retry succeed.
 * Each cycle also reads every guest's CPU time, memory and balloon statistics and exports them as
 * {@code headroom_domain_*}; the balloon's view of what the guest uses sets the memory floor.
 */
public final class ActuationService {

    private static final Logger LOG = LoggerFactory.getLogger(ActuationService.class);

    private TierPolicy policy;
    private final ActConfig act;
    private final Duration forgetAfter;
    private final Hypervisor gateway;
    private final Actuator actuator;
    private final StateStore store;
    private final Metrics metrics;
    private final TreeMap<String, WorkloadRecord> records;
    private final List<Instant> recent;
    private final ActionRecorder recorder;
    private final AllocationExport gauges;
    private Map<String, WorkloadReport> last = Map.of();

    /**
     * Loads the persisted state.
     *
     * @throws IOException if the snapshot exists but cannot be read; starting without it would lose baselines
     */
    public ActuationService(DecideConfig decide, ActConfig act, Hypervisor gateway, Actuator actuator,
                            StateStore store, Metrics metrics) throws IOException {
        this.policy = new TierPolicy(decide);
        this.act = act;
        this.forgetAfter = act.forgetAfter();
        this.gateway = gateway;
        this.actuator = actuator;
        this.store = store;
        this.metrics = metrics;
        this.recorder = new ActionRecorder(store, metrics, actuator);
        this.gauges = new AllocationExport(metrics);
        ActuationState state = store.load();
        this.records = new TreeMap<>(state.workloads());
        this.recent = new ArrayList<>(state.recentChanges());
        for (ActConfig.Mode m : ActConfig.Mode.values()) {
            metrics.actuationMode.labels(m.name().toLowerCase(java.util.Locale.ROOT)).set(m == actuator.mode() ? 1 : 0);
        }
        LOG.info("actuation mode={} state={} workloads_known={}", actuator.mode().name().toLowerCase(java.util.Locale.ROOT),
                store.snapshotFile(), records.size());
    }

    /**
     * The service as configured: {@code act.mode} picks {@link LibvirtActuator} or {@link DryRunActuator}, state
     * lives under {@code state_dir/actuation}. In enforce mode {@code gateway} must be read-write.
     */
    public static ActuationService create(HeadroomConfig cfg, Hypervisor gateway, Metrics metrics) throws IOException {
        Actuator actuator = cfg.act().mode() == ActConfig.Mode.ENFORCE ? new LibvirtActuator(gateway) : new DryRunActuator();
        return new ActuationService(cfg.decide(), cfg.act(), gateway, actuator,
                StateStore.under(cfg.stateDir(), cfg.stateLogs().audit()), metrics);
    }

    /**
     * Takes new {@code decide} settings (a config reload): the next cycle decides with them. The policy keeps nothing
     * between cycles (its memory is each workload's persisted state), and cycles hold this lock, so the swap lands
     * between two of them.
     */
    public synchronized void reconfigure(DecideConfig decide) {
        policy = new TierPolicy(decide);
    }

    /** The mode decisions are carried out in. */
    public ActConfig.Mode mode() {
        return actuator.mode();
    }

    /**
     * One cycle over {@code workloads}. A workload without an entry in {@code scores} has no model: nothing changes
     * for it. Blocks on libvirt and the disk: call on the {@code headroom-libvirt} worker pool.
     *
     * @return one report per workload, in name order (also kept for {@link #lastReports()})
     * @throws LibvirtFailure if libvirt could not be reached; the state is saved first and the reports of the
     *                        workloads handled are in {@link #lastReports()}
     * @throws UncheckedIOException if the state cannot be saved; no change is sent to libvirt unless written first
     */
    public synchronized List<WorkloadReport> cycle(SortedSet<String> workloads, Map<String, WorkloadScore> scores,
                                                   Instant now) {
        return cycle(workloads, scores, Map.of(), now);
    }

    /**
     * As {@link #cycle(SortedSet, Map, Instant)}, with feedback's {@code holds}: raises held back per workload (more
     * resources do not help its kind of anomaly, or its use stays inside what that kind needed before).
     */
    public synchronized List<WorkloadReport> cycle(SortedSet<String> workloads, Map<String, WorkloadScore> scores,
                                                   Map<String, FeedbackHold> holds, Instant now) {
        try {
            return metrics.timeStage("actuate", () -> run(workloads, scores, holds, now));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reports of the last cycle, by workload. */
    public synchronized Map<String, WorkloadReport> lastReports() {
        return last;
    }

    /** The persisted records, by workload (baselines, Headroom's applied allocation, policy state). */
    public synchronized SortedMap<String, WorkloadRecord> records() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(records));
    }

    private List<WorkloadReport> run(SortedSet<String> workloads, Map<String, WorkloadScore> scores,
                                     Map<String, FeedbackHold> holds, Instant now) {
        forget(workloads, now);
        recent.removeIf(t -> !t.isAfter(now.minus(TierPolicy.RATE_WINDOW)));
        HostReading read;
        try {
            // The host and every guest in one read: on libvirt's QEMU driver one bulk call for the fleet.
            read = gateway.read(workloads);
        } catch (LibvirtFailure f) {
            save();
            throw f;
        }
        HostCapacity capacity = read.host().capacity();
        List<WorkloadReport> reports = new ArrayList<>();
        LibvirtFailure lost = null;
        for (String w : workloads) {
            if (lost != null) {
                reports.add(report(w, now, WorkloadReport.Outcome.CONNECTION_LOST,
                        Optional.ofNullable(records.get(w)).map(WorkloadRecord::baseline), Optional.empty(), List.of(),
                        List.of(lost.getMessage())));
                continue;
            }
            DomainReading reading = read.domains().get(w);
            if (reading == null) {
                LibvirtFailure f = read.failed().getOrDefault(w, new LibvirtFailure(LibvirtFailure.Kind.DOMAIN_GONE,
                        "domain " + w + " was not read", null));
                reports.add(report(w, now, f.kind() == LibvirtFailure.Kind.DOMAIN_GONE ? WorkloadReport.Outcome.DOMAIN_GONE
                        : WorkloadReport.Outcome.CONNECTION_LOST, Optional.ofNullable(records.get(w)).map(WorkloadRecord::baseline),
                        Optional.empty(), List.of(), List.of(f.getMessage())));
                continue;
            }
            DomainAllocation observed = reading.allocation();
            DomainStats stats = reading.stats();
            gauges.exportDomain(stats);
            Step step = workload(w, observed, Optional.ofNullable(scores.get(w)), stats.balloon().inUseBytes(),
                    capacity, now, Optional.ofNullable(holds.get(w)));
            capacity = step.capacity();
            reports.add(step.report());
            if (step.report().results().stream().anyMatch(r -> r.status() == ActuationResult.Status.CONNECTION_LOST)) {
                lost = new LibvirtFailure(LibvirtFailure.Kind.CONNECTION_LOST, "libvirt connection lost while changing "
                        + w, null);
            }
        }
        save();
        gauges.unexport(reports);
        metrics.domains.retain(reports.stream().filter(r -> r.current().isPresent()).map(WorkloadReport::workload)
                .collect(Collectors.toSet()));
        last = Collections.unmodifiableMap(reports.stream()
                .collect(Collectors.toMap(WorkloadReport::workload, r -> r, (a, b) -> b, TreeMap::new)));
        if (lost != null) {
            throw lost;
        }
        return reports;
    }

    private record Step(WorkloadReport report, HostCapacity capacity) {}

    private Step workload(String w, DomainAllocation observed, Optional<WorkloadScore> score, OptionalLong inUse,
                          HostCapacity capacity, Instant now, Optional<FeedbackHold> hold) {
        Reconciler.Result rc = Reconciler.reconcile(Optional.ofNullable(records.get(w)), observed.current(), now);
        WorkloadRecord record = rc.record();
        recorder.reconciliation(w, rc, now);
        CpuControl control = control(record, observed);
        record = withQuotaBaseline(w, record, observed, control, now);
        List<String> notes = new ArrayList<>(rc.notes());
        if (record.unplugFailed().isPresent()) {
            notes.add("vCPU unplug failed at " + record.unplugFailed().get() + ": libvirt counts "
                    + observed.current().vcpus() + " vCPUs (baseline " + record.baseline().vcpus() + "); Headroom no "
                    + "longer unplugs its vCPUs" + (control == CpuControl.QUOTA
                    ? " and caps its CPU by " + observed.quota().get().param().quotaField() + " instead"
                    : " (libvirt offers no CPU quota to cap it with)"));
        }
        if (rc.kind() == Reconciler.Kind.LEFT_ALONE) {
            records.put(w, record);
            gauges.export(w, observed, observed.current(), record, control, true);
            return new Step(new WorkloadReport(w, now, WorkloadReport.Outcome.LEFT_ALONE, Optional.of(record.baseline()),
                    Optional.of(observed.current()), Optional.empty(), List.of(), record.policy().lastChangeAt(),
                    notes), capacity);
        }

        WorkloadState before = record.policy();
        Allocation baseline = record.baseline();
        if (record.unplugFailed().isPresent() && control == CpuControl.VCPUS) {
            // Nothing to cap with: never ask for fewer vCPUs than libvirt counts, which would only time out again.
            baseline = baseline.with(Resource.CPU, Math.max(baseline.vcpus(), rc.effective().vcpus()));
        }
        // The balloon must leave the guest what it uses plus the floor; without stats, the floor is all there is.
        long floor = QuotaBaseline.memoryFloor(inUse, act.memoryFloor());
        PolicyOutcome out = policy.decide(new PolicyInput(w, score, before, baseline, rc.effective(),
                observed.max(), capacity, recent, now, control, floor, observed.optedOut(),
                observed.quota().map(q -> AllocationExport.coresPerQuotaUnit(q, rc.effective().vcpus())).orElse(0.0),
                hold));
        Decision d = out.decision();
        recorder.decision(d, before);
        out.escalated().forEach(r -> metrics.escalations.labels(r.label()).inc());
        out.strained().forEach(r -> metrics.strained.labels(r.label()).inc());
        WorkloadState next = out.next();
        List<ActuationResult> results = List.of();
        if (d.isChange()) {
            // Written down before libvirt hears of it: after a crash the restart settles it from what the guest shows.
            record = record.withPending(Optional.of(new WorkloadRecord.PendingChange(d.current(), d.target(), now)));
            records.put(w, record);
            save();
            recorder.audit(recorder.intent(d, now));
            results = actuator.apply(d, observed.quota());
            record = afterResults(record, d, results, now);
            next = next.withLastChange(now);
            recent.add(now);
            Allocation reached = actuator.mode() == ActConfig.Mode.OBSERVE ? d.target() : record.applied();
            capacity = capacity.afterChange(d.current(), reached);
            for (ActuationResult r : results) {
                recorder.result(d, r, now);
            }
        }
        record = record.withPolicy(next);
        records.put(w, record);
        Allocation shown = results.stream().anyMatch(r -> r.status() == ActuationResult.Status.APPLIED)
                ? record.applied() : observed.current();
        gauges.export(w, observed, shown, record, control, false);
        if (results.stream().anyMatch(r -> r.status() == ActuationResult.Status.UNPLUG_FAILED)) {
            notes.add("vCPU unplug failed: libvirt still counts " + record.applied().vcpus() + " vCPUs; from now on "
                    + "Headroom caps the guest's CPU by quota instead of unplugging");
        }
        return new Step(new WorkloadReport(w, now, WorkloadReport.Outcome.DECIDED, Optional.of(record.baseline()),
                Optional.of(observed.current()), Optional.of(d), results, next.lastChangeAt(), notes,
                Optional.of(observed.max())), capacity);
    }

    /** How this guest's CPU is controlled ({@link CpuControl#choose}). */
    private CpuControl control(WorkloadRecord r, DomainAllocation d) {
        return CpuControl.choose(act.cpuStrategy(), d.quota().isPresent(),
                d.quota().map(CpuQuota::capped).orElse(false), r.unplugFailed().isPresent());
    }

    /**
     * Under quota control, the record's baseline carries the cap the multipliers apply to ({@link QuotaBaseline}):
     * derived once, logged and audited, then kept.
     */
    private WorkloadRecord withQuotaBaseline(String w, WorkloadRecord r, DomainAllocation d, CpuControl control,
                                             Instant now) {
        if (control != CpuControl.QUOTA) {
            return r;
        }
        CpuQuota q = d.quota().get();
        Optional<QuotaBaseline> b = QuotaBaseline.derive(r.baseline().cpuQuota(), q.param() == CpuQuota.Param.VCPU,
                q.period(), q.quota(), q.max(), r.baseline().vcpus(), d.current().vcpus(), r.unplugFailed().isPresent(),
                act.quotaBaselineShare());
        if (b.isEmpty()) {
            return r;
        }
        long derived = b.get().quota();
        String why = b.get().why();
        LOG.info("workload={} baseline quota {}={}us of period {}us: {}", w, q.param().quotaField(), derived, q.period(), why);
        ObjectNode e = StateCodec.event(now, w, "baseline_quota");
        e.put("parameter", q.param().quotaField());
        e.put("quota_us", derived);
        e.put("period_us", q.period());
        e.put("why", why);
        recorder.audit(e);
        return r.withBaselineQuota(derived);
    }

    /** The record after a change: what landed becomes Headroom's applied allocation. */
    private WorkloadRecord afterResults(WorkloadRecord record, Decision d, List<ActuationResult> results, Instant now) {
        Allocation applied = record.applied();
        long memoryFrom = record.memoryFrom();
        boolean unknown = false;
        for (ActuationResult r : results) {
            switch (r.status()) {
                case APPLIED -> {
                    if (r.resource() != Resource.MEMORY) {
                        applied = applied.with(r.resource(), r.observed().orElse(r.requested()));
                    } else {
                        // The balloon may still be on its way; the request is the commitment, the old value the range.
                        memoryFrom = r.observed().isPresent() && r.observed().getAsLong() == r.requested()
                                ? r.requested() : d.current().memoryBytes();
                        applied = applied.with(Resource.MEMORY, r.requested());
                    }
                }
                case UNPLUG_FAILED -> {
                    // True to libvirt: it still counts the vCPU, so that is what the guest has.
                    applied = applied.with(Resource.CPU, r.observed().orElse(d.current().vcpus()));
                    metrics.vcpuUnplugFailed.labels(d.workload()).set(1);
                    record = record.withUnplugFailed(Optional.of(now));
                }
                case CONNECTION_LOST -> unknown = true;
                case REFUSED, DOMAIN_GONE, DRY_RUN -> { }
            }
        }
        WorkloadRecord updated = record.withApplied(applied, memoryFrom);
        // Outcome unknown: keep the pending change so the next cycle settles it from what the guest shows.
        return unknown ? updated : updated.withPending(Optional.empty());
    }

    /** Forgets workloads not seen for {@code act.forget_after}, so the state does not grow forever. */
    private void forget(SortedSet<String> workloads, Instant now) {
        records.entrySet().removeIf(e -> {
            boolean old = !workloads.contains(e.getKey()) && e.getValue().lastSeen().plus(forgetAfter).isBefore(now);
            if (old) {
                LOG.info("workload={} forgotten: not seen since {}", e.getKey(), e.getValue().lastSeen());
                ObjectNode ev = StateCodec.event(now, e.getKey(), "forgotten");
                ev.put("last_seen", e.getValue().lastSeen().toString());
                recorder.audit(ev);
            }
            return old;
        });
    }

    private static WorkloadReport report(String w, Instant now, WorkloadReport.Outcome outcome, Optional<Allocation> baseline,
                                         Optional<Allocation> current, List<ActuationResult> results, List<String> notes) {
        return new WorkloadReport(w, now, outcome, baseline, current, Optional.empty(), results, Optional.empty(), notes);
    }

    private void save() {
        try {
            store.save(new ActuationState(records, recent));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + store.snapshotFile(), e);
        }
    }

}
