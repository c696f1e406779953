package io.headroom.daemon;

import io.headroom.collect.RollingCollector;
import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.collect.WorkloadDiscovery;
import io.headroom.config.HeadroomConfig;
import io.headroom.cycle.Cycle;
import io.headroom.detect.Scorer;
import io.headroom.metrics.Metrics;
import io.headroom.http.Readiness;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Cycle} every {@code collection.interval}: discover workloads, collect (one range query per
 * feature, the trailing {@code collection.lookback} kept from cycle to cycle by {@link RollingCollector} so that
 * only its newest part is fetched), score the newest row of each workload, then decide and
 * act, then notify. Discovery runs on the discovery pool (the libvirt pool when workloads come from libvirt), collection and
 * scoring on {@code headroom-collect}, decisions and libvirt changes on {@code headroom-libvirt}; the event loop
 * only schedules them. A failed collection ends the cycle: nothing is scored or changed on stale data. Nor is
 * anything decided or changed once the cycle's data is older than {@code act.max_data_age} (see
 * {@link DataFreshness}). A cycle still running when the next tick comes makes that tick skip (counted).
 */
final class CycleVerticle extends VerticleBase implements Readiness {

    private static final Logger LOG = LoggerFactory.getLogger(CycleVerticle.class);

    /** The stages after collection; absent in tests that only collect. */
    record Stages(Cycle cycle, Training training, FailingNow failing, Notifications notifications,
                  WorkerExecutor libvirtPool) {}

    private final HeadroomConfig cfg;
    private final WorkloadDiscovery discovery;
    private final RollingCollector collector;
    private final Metrics metrics;
    private final WorkerExecutor discoveryPool;
    private final WorkerExecutor collectPool;
    private final Optional<Stages> stages;
    /** Wall time: the query grid and the intervals training leaves out, as Prometheus stamps its samples. */
    private final Clock clock;
    /** Time for durations (policy timers, readiness, data age), immune to wall-clock steps. */
    private final Clock ticker;
    private final DataFreshness freshness;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<Snapshot> latest = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>("no collection cycle has finished yet");
    private volatile Duration lastCycleDuration = Duration.ZERO;
    /** When the last cycle ended, whatever its outcome, on {@link #ticker}; the start until one has. */
    private volatile Instant lastCycleEnded;
    private long timerId = -1;

    CycleVerticle(HeadroomConfig cfg, WorkloadDiscovery discovery, RollingCollector collector, Metrics metrics,
                       WorkerExecutor discoveryPool, WorkerExecutor collectPool, Optional<Stages> stages, Clock clock,
                       Clock ticker) {
        this.cfg = cfg;
        this.discovery = discovery;
        this.collector = collector;
        this.metrics = metrics;
        this.discoveryPool = discoveryPool;
        this.collectPool = collectPool;
        this.stages = stages;
        this.clock = clock;
        this.ticker = ticker;
        this.freshness = new DataFreshness(cfg.act().maxDataAge(), ticker, metrics);
    }

    @Override
    public Future<?> start() {
        lastCycleEnded = ticker.instant();
        timerId = vertx.setPeriodic(0, cfg.collection().interval().toMillis(), id -> tick());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timerId);
        return Future.succeededFuture();
    }

    /** The latest successful snapshot, if any. */
    Optional<Snapshot> latest() {
        return Optional.ofNullable(latest.get());
    }

    /**
     * True while cycles keep ending (failed ones included) within {@code within} of each other: false only when one
     * has been running that long, which is what a wedged daemon looks like and what systemd's watchdog restarts.
     */
    boolean cyclesEnding(Duration within) {
        Instant ended = lastCycleEnded;
        return ended == null || Duration.between(ended, ticker.instant()).compareTo(within) < 0;
    }

    @Override
    public Optional<String> notReadyReason() {
        Snapshot s = latest.get();
        if (s == null) {
            return Optional.of(lastError.get());
        }
        Duration age = Duration.between(s.takenAt(), ticker.instant());
        // Three cycles' worth of time, where a cycle lasts the interval or, if Prometheus is slower, as long as
        // the last one took: slow is not stale, but three missed cycles are.
        Duration cycle = cfg.collection().interval().compareTo(lastCycleDuration) >= 0
                ? cfg.collection().interval() : lastCycleDuration;
        Duration limit = cycle.multipliedBy(3);
        if (age.compareTo(limit) > 0) {
            return Optional.of("last successful collection is " + age.toSeconds() + "s old (limit " + limit.toSeconds()
                    + "s); last error: " + lastError.get());
        }
        // Collecting is not enough: data that arrives too late to act on leaves the guests unmanaged.
        return stages.isPresent() ? freshness.notReadyReason() : Optional.empty();
    }

    private void tick() {
        if (!running.compareAndSet(false, true)) {
            metrics.cyclesSkipped.inc();
            LOG.warn("cycle skipped: the previous one is still running");
            return;
        }
        Instant now = ticker.instant();
        Instant wall = clock.instant();
        discoveryPool.executeBlocking(() -> discover(wall), false)
                .compose(workloads -> collectPool.executeBlocking(() -> collectAndScore(now, wall, workloads), false))
                .compose(this::act)
                .onComplete(ar -> {
                    running.set(false);
                    lastCycleEnded = ticker.instant();
                    lastCycleDuration = Duration.between(now, ticker.instant());
                    metrics.cycleDuration.observe(lastCycleDuration.toNanos() / 1e9);
                    if (ar.succeeded()) {
                        latest.set(ar.result());
                        metrics.cyclesCompleted.inc();
                        stages.ifPresent(st -> {
                            // Empty reports from a cycle that did not act would resolve every alert and lift every pause.
                            if (freshness.notReadyReason().isPresent()) {
                                st.notifications().afterStaleCycle(now);
                            } else {
                                st.notifications().afterCycle(ar.result().scores(), ar.result().reports(), now);
                            }
                        });
                    } else {
                        lastError.set(String.valueOf(ar.cause().getMessage()));
                        LOG.warn("cycle failed, nothing scored or changed: {}", ar.cause().getMessage());
                        stages.ifPresent(st -> st.notifications().afterFailedCycle(ar.cause(), now));
                    }
                });
    }

    private SortedSet<String> discover(Instant now) throws Exception {
        SortedSet<String> workloads = metrics.timeStage("discover", () -> discovery.discover(now));
        metrics.workloads.set(workloads.size());
        return workloads;
    }

    private Snapshot collectAndScore(Instant now, Instant wall, SortedSet<String> workloads) throws Exception {
        // The newest row is one step back: at "now" the latest scrape may not have landed yet, and rate() at the
        // very edge of the data under-extrapolates, which would read as a sudden drop.
        Instant end = wall.minus(cfg.collection().step());
        StepGrid grid = StepGrid.aligned(end.minus(cfg.collection().lookback()), end, cfg.collection().step());
        FeatureMatrix matrix = metrics.timeStage("collect", () ->
                collector.collect(cfg.features(), cfg.workloads().label(), workloads, grid));
        Map<String, Scorer.Result> scores = Map.of();
        Set<String> failing = Set.of();
        if (stages.isPresent()) {
            Stages st = stages.get();
            failing = st.failing().at(wall);
            scores = metrics.timeStage("score", () -> st.cycle().score(matrix, st.training().groups(), wall));
        }
        // Cycles never overlap (see tick), so the previous snapshot is final here.
        Snapshot previous = latest.get();
        long cycle = previous == null ? 1 : previous.cycle() + 1;
        return new Snapshot(now, wall, cycle, workloads, matrix, failing, scores, List.of(),
                previous == null ? new TreeMap<>() : previous.records(),
                previous == null ? new TreeMap<>() : previous.changes(),
                previous == null ? Map.of() : previous.episodes(),
                previous == null ? new TreeMap<>() : previous.judged(),
                previous == null ? new TreeMap<>() : previous.adaptations());
    }

    /** Decisions and changes; a libvirt failure is counted and logged but keeps the collection's snapshot. */
    private Future<Snapshot> act(Snapshot s) {
        if (stages.isEmpty()) {
            return Future.succeededFuture(s);
        }
        Stages st = stages.get();
        return st.libvirtPool().executeBlocking(() -> freshness.ifFresh(s.takenAt(), () -> actOn(s, st)).orElse(s),
                false);
    }

    private Snapshot actOn(Snapshot s, Stages st) {
        Cycle.Acted acted = st.cycle().act(s.workloads(), s.scores(), s.takenAt(), s.wallAt(), s.failing());
        if (acted.retrain()) {
            st.training().ask();
        }
        return s.withActuation(acted.reports(), acted.records(),
                LastChange.next(s.changes(), acted.reports(), acted.records()), acted.episodes(), acted.judgements(),
                acted.adaptations());
    }
}
