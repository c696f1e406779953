package io.headroom.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.headroom.act.WorkloadReport;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigLoader;
import io.headroom.config.Durations;
import io.headroom.config.HeadroomConfig;
import io.headroom.decide.Allocation;
import io.headroom.decide.Tier;
import io.headroom.metrics.Metrics;
import io.headroom.daemon.Daemon;
import io.headroom.daemon.Snapshot;
import io.headroom.daemon.WorkloadsJson;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code headroom simulate --clock real}: the simulated guests ({@link RealClock}) and the unmodified daemon
 * ({@link Daemon}, the code path of {@code headroom run}) in one JVM.
 *
 * <p>The daemon's config is the scenario's {@code config} section with what the run decides forced in:
 * {@code prometheus.url}, {@code workloads} (source libvirt, {@code libvirt_uri} a test-driver {@code node.xml}
 * written to a temp dir, label {@code domain}), {@code server.listen}, {@code state_dir} (the temp dir),
 * {@code act.mode: enforce} and, when given, {@code notify.alertmanager.urls}. {@code collection.step} and
 * {@code interval} default to the scenario's step, and {@code detection.failure_query} to
 * {@code max by (domain) (headroom_simulated_guest_failed)}. One JVM because libvirt's test driver keeps its state
 * per process and per connection: the guests read their allocations through the daemon's own gateway.
 */
public final class RealClockRun {

    /** What the run needs beyond the scenario. */
    public record Options(long seed, Instant historyEnd, String prometheusUrl, Optional<String> alertmanagerUrl,
                   InetSocketAddress guestsListen, String listen, Optional<Duration> duration, Duration statusEvery,
                   Path out) {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String FAILURE_QUERY = "max by (domain) (headroom_simulated_guest_failed)";
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);

    private RealClockRun() {}

    /**
     * Runs until the scenario ends, the duration passes or the JVM is asked to stop.
     *
     * @param statusTable renders the status API's workload list for the periodic status lines
     * @return true if Headroom scored a guest during the run (false: it never did, and {@code err} says so)
     */
    public static boolean run(Scenario scenario, Options o, PrintWriter out, PrintWriter err,
                              Function<ObjectNode, String> statusTable) throws Exception {
        Path dir = Files.createTempDirectory("headroom-realclock-");
        ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "headroom-sim-status");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = null;
        try (RealClock guests = new RealClock(scenario, o.seed(), o.historyEnd(), o.guestsListen(), Clock.systemUTC())) {
            Path node = dir.resolve("node.xml");
            Files.writeString(node, guests.nodeXml());
            HeadroomConfig cfg = config(scenario, o, node, dir.resolve("state"));
            try (Daemon daemon = new Daemon(cfg, Metrics.isolated(), new VertxOptions())) {
                RealClock.Headroom view = new RealClock.Headroom() {
                    @Override
                    public Allocation allocation(String workload) {
                        return daemon.gateway().allocation(workload).current();
                    }

                    @Override
                    public boolean flagged(String workload) {
                        return daemon.latest().flatMap(s -> s.reports().stream()
                                        .filter(r -> r.workload().equals(workload)).findFirst())
                                .flatMap(WorkloadReport::decision)
                                .map(d -> d.tier().compareTo(Tier.MEDIUM) >= 0).orElse(false);
                    }
                };
                int port = daemon.start();
                out.printf("simulated guests on http://%s:%d/metrics, headroom on http://%s:%d/metrics,"
                                + " history to %s, incidents from %s%n", o.guestsListen().getHostString(), guests.port(),
                        cfg.server().host(), port, o.historyEnd(), guests.liveStart());
                out.flush();
                Instant started = Instant.now();
                if (!o.statusEvery().isZero()) {
                    long every = o.statusEvery().toMillis();
                    printer.scheduleWithFixedDelay(() -> printStatus(daemon, guests, cfg, started, out, statusTable), every, every,
                            TimeUnit.MILLISECONDS);
                }
                hook = new Thread(() -> {
                    guests.stop();
                    try {
                        finished.await(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "headroom-sim-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                Instant until = o.duration().map(started::plus).orElse(Instant.MAX);
                String report = guests.run(view, until);
                printer.shutdownNow();
                Files.writeString(o.out(), report);
                boolean scored = daemon.latest().map(s -> s.scores().values().stream().anyMatch(r -> r.scored()))
                        .orElse(false);
                JsonNode sum = new ObjectMapper().readTree(report).path("summary");
                out.printf("%s policy=headroom clock=real steps=%d incidents=%d flagged_before_failure=%d failures=%d"
                                + " (none: %d) false_actions=%d -> %s%n", scenario.name(),
                        new ObjectMapper().readTree(report).path("steps_run").asInt(), sum.path("incidents").asInt(),
                        sum.path("flagged_before_failure").asInt(), sum.path("failures").asInt(),
                        sum.path("failures_without_action").asInt(), sum.path("false_actions").asInt(), o.out());
                out.flush();
                if (!scored) {
                    err.println("error: Headroom never scored a guest during the run (see its log: was Prometheus"
                            + " scraping the guests, did training find the backfilled history?)");
                    return false;
                }
                return true;
            }
        } finally {
            printer.shutdownNow();
            finished.countDown();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is what is running the shutdown; it returns now that the run has finished
                }
            }
            delete(dir);
        }
    }

    /** The daemon's config: the scenario's {@code config} section plus what this run forces (see the class comment). */
    static HeadroomConfig config(Scenario scenario, Options o, Path nodeXml, Path stateDir)
            throws ConfigException, IOException {
        JsonNode parsed = scenario.config().isBlank() ? null : YAML.readTree(scenario.config());
        ObjectNode root = parsed instanceof ObjectNode obj ? obj : YAML.createObjectNode();
        section(root, "prometheus").put("url", o.prometheusUrl());
        ObjectNode workloads = root.putObject("workloads");
        workloads.put("source", "libvirt").put("libvirt_uri", "test://" + nodeXml.toAbsolutePath()).put("label", "domain");
        ObjectNode collection = section(root, "collection");
        String step = Durations.format(scenario.step());
        if (!collection.has("step")) {
            collection.put("step", step);
        }
        if (!collection.has("interval")) {
            collection.put("interval", step);
        }
        section(root, "server").put("listen", o.listen());
        root.put("state_dir", stateDir.toAbsolutePath().toString());
        section(root, "act").put("mode", "enforce");
        ObjectNode detection = section(root, "detection");
        if (!detection.has("failure_query")) {
            detection.put("failure_query", FAILURE_QUERY);
        }
        if (o.alertmanagerUrl().isPresent()) {
            section(section(root, "notify"), "alertmanager").putArray("urls").add(o.alertmanagerUrl().get());
        }
        try {
            return ConfigLoader.parse(YAML.writeValueAsString(root), null);
        } catch (ConfigException e) {
            List<ConfigException.Problem> ps = e.problems().stream()
                    .map(p -> new ConfigException.Problem("config." + p.keyPath(), p.message())).toList();
            throw new ConfigException(ps);
        }
    }

    /** The mapping at {@code key}, created (replacing anything else there) if missing. */
    private static ObjectNode section(ObjectNode parent, String key) {
        return parent.get(key) instanceof ObjectNode o ? o : parent.putObject(key);
    }

    private static void printStatus(Daemon daemon, RealClock guests, HeadroomConfig cfg, Instant started,
                                    PrintWriter out, Function<ObjectNode, String> statusTable) {
        try {
            StringBuilder sb = new StringBuilder();
            long s = Duration.between(started, Instant.now()).toSeconds();
            sb.append(String.format("%n--- %dm%02ds into the run; simulated guests failed now: %s%n", s / 60, s % 60,
                    guests.failedNow().isEmpty() ? "none" : String.join(", ", guests.failedNow())));
            Optional<Snapshot> snap = daemon.latest();
            if (snap.isEmpty()) {
                sb.append("waiting for Headroom's first cycle\n");
            } else {
                sb.append(statusTable.apply(WorkloadsJson.list(snap.get(), cfg.act().mode())));
            }
            out.print(sb);
            out.flush();
        } catch (RuntimeException e) {
            out.println("status: " + e);
            out.flush();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
