package io.headroom.daemon;

import io.headroom.collect.FeatureCollector;
import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.collect.WorkloadDiscovery;
import io.headroom.config.HeadroomConfig;
import io.headroom.http.Metrics;
import io.headroom.http.Readiness;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a collection cycle on every {@code collection.interval}: discover workloads, then one range query per
 * feature over the trailing {@code collection.lookback}. Discovery runs on the discovery pool (the libvirt pool
 * when workloads come from libvirt) and the queries on the {@code headroom-collect} pool; the event loop only
 * schedules them. A cycle that is still running when the next tick comes makes that
 * tick skip (counted), so slow Prometheus answers never pile up.
 */
final class CollectionVerticle extends VerticleBase implements Readiness {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionVerticle.class);

    /** The latest good collection: the matrix and when it was taken. Later stages refuse stale snapshots. */
    record Snapshot(Instant takenAt, SortedSet<String> workloads, FeatureMatrix matrix) {}

    private final HeadroomConfig cfg;
    private final WorkloadDiscovery discovery;
    private final FeatureCollector collector;
    private final Metrics metrics;
    private final WorkerExecutor discoveryPool;
    private final WorkerExecutor collectPool;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<Snapshot> latest = new AtomicReference<>();
    private volatile Duration lastCycleDuration = Duration.ZERO;
    private final AtomicReference<String> lastError = new AtomicReference<>("no collection cycle has finished yet");
    private long timerId = -1;

    CollectionVerticle(HeadroomConfig cfg, WorkloadDiscovery discovery, FeatureCollector collector, Metrics metrics,
                       WorkerExecutor discoveryPool, WorkerExecutor collectPool, Clock clock) {
        this.cfg = cfg;
        this.discovery = discovery;
        this.collector = collector;
        this.metrics = metrics;
        this.discoveryPool = discoveryPool;
        this.collectPool = collectPool;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        long intervalMs = cfg.collection().interval().toMillis();
        timerId = vertx.setPeriodic(0, intervalMs, id -> tick());
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

    @Override
    public Optional<String> notReadyReason() {
        Snapshot s = latest.get();
        if (s == null) {
            return Optional.of(lastError.get());
        }
        Duration age = Duration.between(s.takenAt(), clock.instant());
        // Three cycles' worth of time, where a cycle lasts the interval or, if Prometheus is slower, as long as
        // the last one took: slow is not stale, but three missed cycles are.
        Duration cycle = cfg.collection().interval().compareTo(lastCycleDuration) >= 0
                ? cfg.collection().interval() : lastCycleDuration;
        Duration limit = cycle.multipliedBy(3);
        if (age.compareTo(limit) > 0) {
            return Optional.of("last successful collection is " + age.toSeconds() + "s old (limit " + limit.toSeconds()
                    + "s); last error: " + lastError.get());
        }
        return Optional.empty();
    }

    private void tick() {
        if (!running.compareAndSet(false, true)) {
            metrics.cyclesSkipped.inc();
            LOG.warn("collection cycle skipped: the previous one is still running");
            return;
        }
        Instant now = clock.instant();
        discoveryPool.executeBlocking(() -> discover(now), false)
                .compose(workloads -> collectPool.executeBlocking(() -> collect(now, workloads), false))
                .onComplete(ar -> {
            running.set(false);
            lastCycleDuration = Duration.between(now, clock.instant());
            if (ar.succeeded()) {
                latest.set(ar.result());
            } else {
                lastError.set(String.valueOf(ar.cause().getMessage()));
                LOG.warn("collection cycle failed, keeping no new data: {}", ar.cause().getMessage());
            }
        });
    }

    private SortedSet<String> discover(Instant now) throws Exception {
        SortedSet<String> workloads = metrics.timeStage("discover", () -> discovery.discover(now));
        metrics.workloads.set(workloads.size());
        return workloads;
    }

    private Snapshot collect(Instant now, SortedSet<String> workloads) throws Exception {
        StepGrid grid = StepGrid.aligned(now.minus(cfg.collection().lookback()), now, cfg.collection().step());
        FeatureMatrix matrix = metrics.timeStage("collect", () ->
                collector.collect(cfg.features(), cfg.workloads().label(), Optional.of(workloads), grid));
        LOG.debug("collection cycle ok workloads={} steps={} features={}", workloads.size(), grid.size(),
                cfg.features().size());
        return new Snapshot(now, workloads, matrix);
    }
}
