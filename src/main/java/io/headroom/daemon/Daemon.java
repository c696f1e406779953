package io.headroom.daemon;

import io.headroom.act.ActuationService;
import io.headroom.act.LibvirtGateway;
import io.headroom.collect.FeatureCollector;
import io.headroom.collect.RollingCollector;
import io.headroom.collect.PrometheusClient;
import io.headroom.config.ActConfig;
import io.headroom.config.HeadroomConfig;
import io.headroom.cycle.ActingTracker;
import io.headroom.cycle.Cycle;
import io.headroom.feedback.Adaptations;
import io.headroom.feedback.Verdict;
import io.headroom.feedback.Verdicts;
import io.headroom.detect.ModelRegistry;
import io.headroom.detect.Scorer;
import io.headroom.config.WorkloadsConfig;
import io.headroom.http.HttpServerVerticle;
import io.headroom.metrics.Metrics;
import io.prometheus.client.hotspot.DefaultExports;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.headroom.notify.AdmissionGate;
import io.headroom.notify.AlertSink;
import io.headroom.notify.FailureLog;
import io.headroom.notify.PauseStore;
import io.headroom.notify.WebhookReceiver;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.function.Consumer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon: one Vert.x instance, named worker pools for blocking work, the HTTP verticle and the
 * collection verticle. {@link #close()} stops everything in order (timers, HTTP, pools, clients).
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    /** Worker pool for Prometheus queries and the feature matrix. */
    static final String COLLECT_POOL = "headroom-collect";
    /** Worker pool for every libvirt call; one thread, because the gateway owns one connection. */
    static final String LIBVIRT_POOL = "headroom-libvirt";
    /** Worker pool for rendering /metrics. */
    static final String HTTP_POOL = "headroom-http";
    /** Worker pool for model training: one thread, so training never takes both cores from the cycle. */
    static final String TRAIN_POOL = "headroom-train";

    private final HeadroomConfig cfg;
    private final Metrics metrics;
    private Clock clock = Clock.systemUTC();
    private final Vertx vertx;
    private final PrometheusClient client;
    private final LibvirtGateway gateway;
    private final WorkerExecutor collectPool;
    private final WorkerExecutor httpPool;
    private final WorkerExecutor libvirtPool;
    private final WorkerExecutor trainPool;
    private final ModelRegistry registry;
    /**
     * All of stopping, under the unit's {@code TimeoutStopSec} (45 s) with a margin: past it systemd kills the
     * process, and pauses it was still resuming stay in place until the next start resumes them.
     */
    static final Duration STOP_BUDGET = Duration.ofSeconds(38);
    /** Of {@link #STOP_BUDGET}, what Vert.x gets to finish the cycle or training in flight. */
    static final Duration VERTX_STOP = Duration.ofSeconds(10);

    private final PauseStore pauses;
    private final Systemd systemd = Systemd.fromEnvironment();
    private final ActuationService actuation;
    private final FailureLog failureLog;
    private final Notifications notifications;
    private HttpServerVerticle http;
    private CycleVerticle collection;
    private RollingCollector rolling;
    private Adaptations adaptations;
    private Verdicts verdicts;
    private ActingTracker acting;
    private Optional<ConfigReloader> reloader = Optional.empty();
    private java.nio.file.Path configFile;

    /**
     * @param cfg     validated config
     * @param metrics where self-metrics go; the caller decides the registry
     * @param options Vert.x options (tests lower {@code maxEventLoopExecuteTime} to catch blocking calls)
     */
    public Daemon(HeadroomConfig cfg, Metrics metrics, VertxOptions options) throws IOException {
        this.cfg = cfg;
        this.metrics = metrics;
        // Observe mode only reads libvirt; a read-only connection makes that a guarantee.
        this.gateway = new LibvirtGateway(cfg.workloads().libvirtUri(), cfg.act().mode() == ActConfig.Mode.OBSERVE,
                LibvirtGateway.Settings.of(cfg.act()), metrics);
        this.actuation = ActuationService.create(cfg, gateway, metrics);
        this.registry = new ModelRegistry(cfg.stateDir());
        Files.createDirectories(cfg.stateDir());
        this.failureLog = FailureLog.open(cfg.stateDir().resolve(FailureLog.FILE_NAME), cfg.stateLogs().failures(),
                metrics);
        this.pauses = PauseStore.open(cfg.stateDir());
        this.notifications = new Notifications(AlertSink.create(cfg.notifications().alertmanager(), metrics),
                new AdmissionGate(cfg.notifications().admission(), metrics, pauses),
                cfg.features().stream().map(io.headroom.config.FeatureSpec::name).toList());
        int loaded = registry.load();
        LOG.info("models loaded from {}: {}", cfg.stateDir().resolve("models"), loaded);
        this.vertx = Vertx.vertx(options);
        this.client = new PrometheusClient(cfg.prometheus(), metrics);
        this.collectPool = vertx.createSharedWorkerExecutor(COLLECT_POOL, 2, 10, TimeUnit.MINUTES);
        this.httpPool = vertx.createSharedWorkerExecutor(HTTP_POOL, 1);
        this.libvirtPool = vertx.createSharedWorkerExecutor(LIBVIRT_POOL, 1);
        this.trainPool = vertx.createSharedWorkerExecutor(TRAIN_POOL, 1, 6, TimeUnit.HOURS);
    }

    /** Registers JVM metrics in the daemon's registry (production only; tests keep registries small). */
    public Daemon withJvmMetrics() {
        DefaultExports.register(metrics.registry());
        return this;
    }

    /**
     * The wall clock the cycles and trainings read (the system's by default). Benches set one in the past to replay
     * what an earlier daemon did, such as the training before the one they measure; call before {@link #start()}.
     */
    public Daemon withClock(Clock wallClock) {
        this.clock = java.util.Objects.requireNonNull(wallClock, "wallClock");
        return this;
    }

    /**
     * The file {@code cfg} was loaded from: {@link #reload()} reads it again. Without it (tests building a config in
     * memory) there is nothing to reload.
     */
    public Daemon withConfigFile(java.nio.file.Path file) {
        this.configFile = file;
        return this;
    }

    /**
     * Re-reads the config file (SIGHUP, {@code POST /-/reload}) and applies what can be applied live; see
     * {@link ConfigReloader}. Blocking.
     *
     * @throws IllegalStateException before {@link #start()} or without {@link #withConfigFile}
     */
    ConfigReloader.Result reload() {
        return reloader.orElseThrow(() -> new IllegalStateException("no config file to reload")).reload();
    }

    /**
     * Makes SIGHUP reload the config ({@link #reload()}) instead of killing the JVM with exit 129; call before
     * {@link #start()}, so that no signal, however early, falls to the JVM's default.
     */
    public void reloadOnSighup() {
        ReloadSignal.install(this::reload);
    }

    /** Starts HTTP and collection; returns the bound HTTP port. Blocks until both are up or failed. */
    public int start() throws Exception {
        metrics.buildInfo.labels(Version.current()).set(1);
        WorkerExecutor discoveryPool = cfg.workloads().source() == WorkloadsConfig.Source.LIBVIRT ? libvirtPool : collectPool;
        Clock ticker = MonotonicClock.system();
        FeatureCollector collector = new FeatureCollector(client, metrics);
        acting = new ActingTracker(clock.instant().minus(cfg.detection().trainingWindow()));
        adaptations = Adaptations.open(cfg.stateDir());
        verdicts = Verdicts.open(cfg.stateDir());
        Training training = new Training(cfg, client, collector, registry, acting, failureLog, verdicts, metrics);
        Cycle cycle = new Cycle(cfg.features(), cfg.collection().step(), new Scorer(cfg.detection(), registry, metrics),
                actuation, acting, new Cycle.Learning(adaptations, cfg.feedback(),
                        cfg.decide().tiers().medium().minScore(), cfg.decide().tiers().high().minScore(), verdicts),
                metrics);
        CycleVerticle.Stages stages = new CycleVerticle.Stages(cycle, training, new FailingNow(cfg, client, failureLog),
                notifications, libvirtPool);
        rolling = new RollingCollector(collector, cfg.collection().refetch(), metrics);
        collection = new CycleVerticle(cfg, Workloads.discovery(cfg, client, gateway, cfg.collection().lookback()),
                rolling, metrics, discoveryPool, collectPool, Optional.of(stages), clock, ticker);
        List<Reloadable> live = new ArrayList<>(List.of(new PrometheusReload(client, cfg, rolling::forget),
                new NotifyReload(notifications, cfg, metrics, pauses), new DecideReload(actuation, cfg)));
        List<Consumer<Router>> mounts = apiRoutes(live);
        if (configFile != null) {
            reloader = Optional.of(new ConfigReloader(configFile, cfg, live, metrics, clock));
        }
        mounts.add(0, new ReloadApi(cfg.server().enableReload() ? reloader : Optional.empty(), httpPool)::mount);
        // The failure webhook checks its own bearer token; basic auth would need the same Authorization header.
        Set<String> ownTokenPaths = cfg.notifications().webhook().enabled()
                ? Set.of(cfg.notifications().webhook().path(), FeedbackApi.PREFIX + "*") : Set.of();
        http = new HttpServerVerticle(cfg.server(), metrics, collection, httpPool, mounts, ownTokenPaths);
        vertx.deployVerticle(http).await();
        vertx.deployVerticle(collection).await();
        vertx.deployVerticle(new TrainingVerticle(training::run, registry,
                () -> collection.latest().map(Snapshot::workloads), trainPool,
                cfg.detection().retrainEvery(), TrainingVerticle.CHECK_EVERY, clock, metrics, training::takeAsked))
                .await();
        LOG.info("headroom {} listening on {}://{}:{} basic_auth={} prometheus={} workloads_from={}",
                Version.current(), cfg.server().web().scheme(), cfg.server().host(), http.actualPort(),
                cfg.server().web().basicAuth(), cfg.prometheus().url(), cfg.workloads().source());
        systemd.notify("READY=1\nSTATUS=listening on " + cfg.server().host() + ":" + http.actualPort());
        systemd.watchdog().ifPresent(this::feedWatchdog);
        return http.actualPort();
    }

    /**
     * Tells systemd's watchdog that the daemon lives, twice per timeout, but only while cycles keep ending: a cycle
     * stuck for the whole timeout (a hang no deadline caught) stops the feeding, and systemd restarts the daemon.
     */
    private void feedWatchdog(Duration timeout) {
        LOG.info("systemd watchdog every {}s, fed while cycles keep ending", timeout.toSeconds());
        java.util.concurrent.atomic.AtomicBoolean starving = new java.util.concurrent.atomic.AtomicBoolean();
        vertx.setPeriodic(Math.max(1, timeout.toMillis() / 2), id -> {
            if (collection.cyclesEnding(timeout)) {
                systemd.notify("WATCHDOG=1");
                starving.set(false);
            } else if (starving.compareAndSet(false, true)) {
                LOG.error("no cycle has ended for {}s: no longer feeding systemd's watchdog, which will restart "
                        + "Headroom", timeout.toSeconds());
            }
        });
    }

    /** The webhook (when enabled, its token joining {@code live}) and the status API, in mounting order. */
    private List<Consumer<Router>> apiRoutes(List<Reloadable> live) {
        List<Consumer<Router>> mounts = new ArrayList<>();
        Map<String, String> otherApiPaths = new HashMap<>();
        Optional<io.vertx.core.Handler<io.vertx.ext.web.RoutingContext>> token = Optional.empty();
        if (cfg.notifications().webhook().enabled()) {
            WebhookReceiver webhook = new WebhookReceiver(cfg.notifications().webhook(), failureLog, httpPool, metrics);
            mounts.add(webhook::mount);
            otherApiPaths.put(cfg.notifications().webhook().path(), "POST");
            live.add(new WebhookReload(webhook, cfg));
            token = Optional.of(webhook::authorize);
        }
        mounts.add(new FeedbackApi(adaptations, verdicts, this::acted, cfg.feedback(), clock, token,
                cfg.server().loopback(), httpPool)::mount);
        // After the webhook: the status API's catch-all answers every other /api path.
        mounts.add(new StatusApi(collection::latest, collection, cfg.act().mode(), cfg.collection().interval(), httpPool,
                otherApiPaths)::mount);
        return mounts;
    }

    /** True if Headroom held a change on the verdict's workload at its time (as far as this process knows). */
    private boolean acted(Verdict v) {
        return acting.intervals(java.time.Instant.now()).getOrDefault(v.workload(), List.of()).stream()
                .anyMatch(i -> i.contains(v.at()));
    }

    /** The latest cycle's snapshot, for tests and the status API. */
    public Optional<Snapshot> latest() {
        return collection == null ? Optional.empty() : collection.latest();
    }

    /** The current models. */
    ModelRegistry models() {
        return registry;
    }

    /**
     * The daemon's libvirt gateway: the real-clock simulation reads the guests' allocations through it, because
     * libvirt's test driver keeps its state per connection.
     */
    public LibvirtGateway gateway() {
        return gateway;
    }

    /** The actuation service (state, last reports). */
    ActuationService actuation() {
        return actuation;
    }

    @Override
    public void close() {
        LOG.info("stopping");
        systemd.notify("STOPPING=1");
        long started = System.nanoTime();
        try {
            // Cycles in flight get a short grace: what they would still change is less urgent than stopping in time.
            vertx.close().await(VERTX_STOP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("Vert.x did not close cleanly: {}", e.toString());
        }
        Duration left = STOP_BUDGET.minusNanos(System.nanoTime() - started);
        ShutdownBudget.closeAll(left.isNegative() ? Duration.ZERO : left, notifications.closers());
        try {
            failureLog.close();
        } catch (Exception e) {
            LOG.warn("closing the failure log failed: {}", e.toString());
        }
        if (rolling != null) {
            rolling.close();
        }
        client.close();
        gateway.close();
        LOG.info("stopped");
    }
}
