package io.headroom.notify;

import io.headroom.config.AdmissionConfig;
import io.headroom.config.Durations;
import io.headroom.metrics.Metrics;
import io.headroom.notify.AdmissionHook.Action;
import io.headroom.notify.AdmissionHook.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optionally pauses new requests to a workload while it is on the critical tier, through an HTTP hook such as a load
 * balancer's drain API, and exports {@code headroom_admission_paused{workload}}.
 *
 * <p>{@link #update} hands the set of critical workloads to the gate's own thread and returns at once. That thread
 * reconciles what each workload should be (paused or not) with what the hook last confirmed, calling the hook and
 * retrying with backoff until it confirms or a newer decision supersedes the call: a resume replaces a pending
 * pause. A pause whose outcome is unknown (the call failed) is treated as possibly applied, so leaving the critical
 * tier always sends a resume.
 *
 * <p>A pause lasts at most {@code max_pause}: then the workload is resumed even if still critical, and not paused
 * again until it has left the critical tier. The deadline is a timer on the gate's thread, so it holds even when the
 * scoring loop has stopped calling {@link #update} (for instance because Prometheus is down). {@link #close()}
 * resumes what is paused. A crash cannot: every pause the hook may hold is written to a {@link PauseStore}, and the
 * gate of the next process starts from it, keeping each pause while its workload is still critical, resuming it
 * otherwise, and lifting it at its original {@code max_pause} deadline either way.
 *
 * <p>Off unless {@code notify.admission.enabled}; when off, {@link #update} does nothing and no thread runs.
 */
public final class AdmissionGate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionGate.class);
    private static final Duration MAX_CLOSE_WAIT = Duration.ofSeconds(20);

    private final AdmissionConfig cfg;
    private final Metrics metrics;
    private final AdmissionHook hook;
    private final ScheduledExecutorService thread;
    /** Touched only on {@link #thread}. */
    private final Map<String, State> states = new HashMap<>();

    private final PauseStore store;

    /** A gate whose pauses live in memory only. */
    public AdmissionGate(AdmissionConfig cfg, Metrics metrics) {
        this(cfg, metrics, PauseStore.inMemory());
    }

    /**
     * Starts the gate's thread when enabled, from the pauses {@code store} holds; reads the hook's token file now.
     */
    public AdmissionGate(AdmissionConfig cfg, Metrics metrics, PauseStore store) {
        this.cfg = cfg;
        this.metrics = metrics;
        this.store = store;
        if (!cfg.enabled()) {
            this.hook = null;
            this.thread = null;
            return;
        }
        this.hook = new AdmissionHook(cfg, metrics);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "headroom-admission");
            t.setDaemon(true);
            return t;
        });
        Map<String, Instant> held = store.paused();
        if (!held.isEmpty()) {
            thread.execute(() -> adopt(held));
        }
    }

    /** Pauses a previous process left: held as confirmed until the first update or their deadline says otherwise. */
    private void adopt(Map<String, Instant> held) {
        Instant now = Instant.now();
        held.forEach((w, since) -> {
            State s = states.computeIfAbsent(w, k -> new State());
            s.desired = Action.PAUSE;
            s.confirmed = Action.PAUSE;
            s.pausedAt = since;
            metrics.admissionPaused.labels(w).set(1);
            long left = Math.max(0, cfg.maxPause().minus(java.time.Duration.between(since, now)).toMillis());
            thread.schedule(() -> expire(w, since), left, TimeUnit.MILLISECONDS);
            LOG.warn("admission: {} was paused by the previous process since {}; kept while it is critical, resumed "
                    + "otherwise", w, since);
        });
    }

    /**
     * Reports which workloads are on the critical tier now; every other workload is not. Never waits for the hook.
     *
     * @param critical the critical workloads (copied)
     */
    public void update(Collection<String> critical) {
        if (thread == null) {
            return;
        }
        Set<String> copy = Set.copyOf(critical);
        try {
            thread.execute(() -> reconcileAll(copy));
        } catch (RejectedExecutionException closed) {
            // Closing: the gate is resuming everything anyway.
        }
    }

    /** Resumes every workload not known to be resumed (one attempt each, bounded wait), then stops the thread. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        try {
            thread.submit(this::resumeAllOnce).get(MAX_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.warn("admission gate: could not resume every paused workload before stopping: {}", e.toString());
        } finally {
            thread.shutdownNow();
            hook.close();
        }
    }

    private void reconcileAll(Set<String> critical) {
        for (String w : critical) {
            State s = states.computeIfAbsent(w, k -> new State());
            if (!s.expired && s.desired != Action.PAUSE) {
                Instant pausedAt = Instant.now();
                s.want(Action.PAUSE);
                s.pausedAt = pausedAt;
                thread.schedule(() -> expire(w, pausedAt), cfg.maxPause().toMillis(), TimeUnit.MILLISECONDS);
                reconcile(w);
            }
        }
        for (Map.Entry<String, State> e : Map.copyOf(states).entrySet()) {
            if (!critical.contains(e.getKey())) {
                State s = e.getValue();
                s.expired = false;
                if (s.desired == Action.PAUSE) {
                    s.want(Action.RESUME);
                    reconcile(e.getKey());
                }
            }
        }
        states.values().removeIf(State::settled);
    }

    private void expire(String workload, Instant pausedAt) {
        State s = states.get(workload);
        if (s == null || s.desired != Action.PAUSE || !pausedAt.equals(s.pausedAt)) {
            return;
        }
        LOG.warn("admission: {} paused for max_pause {}; resuming although it is still critical", workload,
                Durations.format(cfg.maxPause()));
        metrics.admissionExpired.inc();
        s.expired = true;
        s.want(Action.RESUME);
        reconcile(workload);
    }

    /** Calls the hook if what is wanted differs from what it confirmed; schedules a retry on a transient failure. */
    private void reconcile(String workload) {
        State s = states.get(workload);
        if (s == null) {
            return;
        }
        if (s.retry != null) {
            s.retry.cancel(false);
            s.retry = null;
        }
        if (s.desired == s.confirmed || s.gaveUp) {
            return;
        }
        Action action = s.desired;
        if (action == Action.PAUSE) {
            // A failed pause may still have been applied; from now on only a confirmed resume means "not paused".
            s.confirmed = null;
            store.paused(workload, s.pausedAt == null ? Instant.now() : s.pausedAt);
        }
        Result r = hook.call(workload, action);
        switch (r) {
            case DONE -> {
                s.confirmed = action;
                s.failures = 0;
                if (action == Action.RESUME) {
                    store.resumed(workload);
                }
                metrics.admissionPaused.labels(workload).set(action == Action.PAUSE ? 1 : 0);
                LOG.info("admission: {} {}d", workload, action.label());
            }
            case RETRY -> {
                s.failures++;
                Duration wait = cfg.retry().delayAfter(s.failures);
                s.retry = thread.schedule(() -> reconcile(workload), wait.toMillis(), TimeUnit.MILLISECONDS);
            }
            case GIVE_UP -> {
                s.gaveUp = true;
                LOG.error("admission: the hook refused to {} {}; not asking again until the next change",
                        action.label(), workload);
            }
        }
        if (s.confirmed != Action.PAUSE) {
            metrics.admissionPaused.labels(workload).set(0);
        }
    }

    private void resumeAllOnce() {
        for (Map.Entry<String, State> e : states.entrySet()) {
            State s = e.getValue();
            if (s.confirmed != Action.RESUME) {
                s.want(Action.RESUME);
                reconcile(e.getKey());
                if (s.retry != null) {
                    s.retry.cancel(false);
                    LOG.warn("admission: {} may stay paused: the resume failed while stopping", e.getKey());
                }
            }
        }
    }

    /** One workload: what is wanted, what the hook last confirmed (null = unknown), and the pause's deadline. */
    private static final class State {
        Action desired = Action.RESUME;
        Action confirmed = Action.RESUME;
        Instant pausedAt;
        boolean expired;
        boolean gaveUp;
        int failures;
        ScheduledFuture<?> retry;

        void want(Action action) {
            desired = action;
            failures = 0;
            gaveUp = false;
        }

        /** Nothing left to do or remember. */
        boolean settled() {
            return desired == Action.RESUME && confirmed == Action.RESUME && !expired && retry == null;
        }
    }
}
