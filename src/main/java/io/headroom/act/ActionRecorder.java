package io.headroom.act;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.decide.Allocation;
import io.headroom.decide.Clamp;
import io.headroom.decide.Decision;
import io.headroom.decide.Resource;
import io.headroom.decide.WorkloadState;
import io.headroom.metrics.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the actuation stage tells what it decided and did: one log line per decision and change ("from -&gt; to,
 * why"), the audit log's JSON events, and the decision and change counters. The log lines keep the actuation
 * service's logger, which operators filter on.
 */
final class ActionRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(ActuationService.class);

    private final StateStore store;
    private final Metrics metrics;
    private final Actuator actuator;

    ActionRecorder(StateStore store, Metrics metrics, Actuator actuator) {
        this.store = store;
        this.metrics = metrics;
        this.actuator = actuator;
    }

    void reconciliation(String w, Reconciler.Result rc, Instant now) {
        if (rc.notes().isEmpty()) {
            return;
        }
        String event = rc.kind() == Reconciler.Kind.IN_SYNC ? "recovered" : rc.kind().name().toLowerCase(java.util.Locale.ROOT);
        String text = String.join("; ", rc.notes());
        if (rc.kind() == Reconciler.Kind.LEFT_ALONE || rc.kind() == Reconciler.Kind.RESET_TO_BASELINE) {
            LOG.warn("workload={} {} {}", w, event, text);
        } else {
            LOG.info("workload={} {} {}", w, event, text);
        }
        ObjectNode e = StateCodec.event(now, w, event);
        e.set("baseline", StateCodec.allocation(rc.record().baseline()));
        e.set("applied", StateCodec.allocation(rc.record().applied()));
        rc.notes().forEach(e.putArray("notes")::add);
        audit(e);
    }

    void decision(Decision d, WorkloadState before) {
        metrics.decisions.labels(d.tier().label(), d.action().label()).inc();
        for (Clamp c : d.clamps()) {
            metrics.decisionClamps.labels(c.resource().label(), c.reason().label()).inc();
        }
        if (d.logEvent() && before.tier().compareTo(d.tier()) < 0) {
            LOG.warn("anomaly event workload={} tier={} score={} reason=\"{}\" (for investigation)", d.workload(),
                    d.tier().label(), d.score().orElse(Double.NaN), d.reason());
        }
        boolean interesting = d.isChange() || !d.clamps().isEmpty() || before.tier() != d.tier();
        String line = "decision workload={} action={} tier={} vcpus={}->{} memory={}->{} cpu_quota={}->{} clamps=\"{}\" why=\"{}\"";
        Object[] args = {d.workload(), d.action().label(), d.tier().label(), d.current().vcpus(), d.target().vcpus(),
                Allocation.format(Resource.MEMORY, d.current().memoryBytes()),
                Allocation.format(Resource.MEMORY, d.target().memoryBytes()),
                Allocation.format(Resource.CPU_QUOTA, d.current().cpuQuota()),
                Allocation.format(Resource.CPU_QUOTA, d.target().cpuQuota()),
                d.clamps().stream().map(Clamp::toString).collect(Collectors.joining(", ")), d.reason()};
        if (interesting) {
            LOG.info(line, args);
        } else {
            LOG.debug(line, args);
        }
    }

    ObjectNode intent(Decision d, Instant now) {
        ObjectNode e = StateCodec.event(now, d.workload(), "intent");
        e.put("mode", actuator.mode().name().toLowerCase(java.util.Locale.ROOT));
        StateCodec.decision(e, d);
        return e;
    }

    void result(Decision d, ActuationResult r, Instant now) {
        metrics.actuationChanges.labels(d.workload(), r.resource().label(), d.tier().label(), r.status().label()).inc();
        String from = Allocation.format(r.resource(), d.current().get(r.resource()));
        String to = Allocation.format(r.resource(), r.requested());
        String observed = r.observed().isPresent() ? Allocation.format(r.resource(), r.observed().getAsLong()) : "-";
        String line = "change workload={} resource={} {} -> {} result={} observed={} tier={} detail=\"{}\" why=\"{}\"";
        Object[] args = {d.workload(), r.resource().label(), from, to, r.status().label(), observed, d.tier().label(),
                r.detail(), d.reason()};
        if (r.status() == ActuationResult.Status.APPLIED || r.status() == ActuationResult.Status.DRY_RUN) {
            LOG.info(line, args);
        } else {
            LOG.warn(line, args);
        }
        ObjectNode e = StateCodec.event(now, d.workload(), "result");
        e.put("tier", d.tier().label());
        e.put("from", d.current().get(r.resource()));
        StateCodec.result(e, r);
        audit(e);
    }

    void audit(ObjectNode event) {
        try {
            store.append(event);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + store.auditFile(), e);
        }
    }
}
