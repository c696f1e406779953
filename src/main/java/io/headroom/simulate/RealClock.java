package io.headroom.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.headroom.decide.Allocation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated guests on the wall clock (1 simulated second = 1 s), for a real Prometheus and the real daemon.
 *
 * <p><b>What runs where.</b> The guests' {@link Physics} advance one scenario step every {@code step} of wall
 * time. An HTTP endpoint on loopback ({@code /metrics}, Prometheus text format) serves what
 * prometheus-libvirt-exporter would export for them at that moment, timestamped with the step's time so that
 * Prometheus stores live samples on the same grid as the backfilled ones ({@link GuestExporter}: the names the shipped
 * {@code libvirt-exporter} preset queries, plus {@value GuestExporter#FAILED} for {@code detection.failure_query}).
 * Headroom itself is not simulated: the caller runs {@code headroom run}'s daemon against the Prometheus that
 * scrapes this endpoint, acting in enforce mode through libvirt's test driver, and passes a {@link Headroom} view
 * of it. Before each step the guests read their allocation through that view, that is through the daemon's own
 * libvirt connection (the test driver keeps its state per process and per connection, so no other connection
 * would see the changes): the guests feel exactly what Headroom applied.
 *
 * <p><b>Continuing the history.</b> The history in Prometheus was written beforehand by {@link HistoryWriter}
 * for the same scenario, seed and history end. The run replays that history (same random draws, baseline
 * allocation) so its counters continue the backfilled ones, then steps the guests, still incident-free, from the
 * history end to the live start (Prometheus and the daemon take a while to start: those steps are computed at
 * once and not scraped), and runs the scenario from the live start. Incidents are offset from the live start:
 * {@link #anchored} shifts them by that gap, and the report's scenario is the anchored one.
 *
 * <p><b>The reference.</b> Lead times compare with when each incident would have failed without any action.
 * A real run cannot be repeated, but the physics is deterministic: the reference is {@link Simulator}'s run of the
 * anchored scenario under policy {@code none} on the virtual clock, with the same seed (the same draws, step for
 * step). Increases, failures and resource-hours are counted as the virtual clock counts them; a run stopped early
 * reports the steps it ran, and the incidents that had started by then.
 */
public final class RealClock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RealClock.class);

    /** The running daemon, as the guests and the report see it. */
    public interface Headroom {
        /** The guest's current allocation, read through the daemon's libvirt connection. */
        Allocation allocation(String workload) throws Exception;

        /** True if the daemon's latest decision for the guest is tier medium or above. */
        boolean flagged(String workload);
    }

    private final Scenario scenario;
    private final long seed;
    private final Instant historyEnd;
    private final Instant liveStart;
    private final Clock clock;
    private final HistoryWriter.Replay replay;
    private final HttpServer server;
    private final ExecutorService serverThread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile String exposition;
    private volatile Set<String> failedNow = Set.of();

    /**
     * Replays the history, steps the guests to now and starts serving their metrics.
     *
     * @param scenario   as loaded; its {@code start} is replaced (see {@link #anchored})
     * @param historyEnd the end given to {@link HistoryWriter} (rounded down to the step)
     * @param listen     where to serve {@code /metrics}; port 0 picks a free one
     */
    public RealClock(Scenario scenario, long seed, Instant historyEnd, InetSocketAddress listen, Clock clock)
            throws IOException {
        this.clock = clock;
        this.seed = seed;
        this.historyEnd = floor(historyEnd, scenario.step());
        Instant now = clock.instant();
        if (now.isBefore(this.historyEnd)) {
            throw new IllegalArgumentException("the history ends at " + this.historyEnd + ", after now (" + now + ")");
        }
        this.liveStart = ceil(now, scenario.step());
        this.scenario = anchored(scenario, this.historyEnd, liveStart);
        this.replay = new HistoryWriter.Replay(this.scenario, seed);
        Instant last = this.historyEnd;
        for (int r = 0; r < this.scenario.historySteps(); r++) {
            last = replay.next();
        }
        publish(last);
        this.server = HttpServer.create(listen, 16);
        this.serverThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "headroom-sim-guests");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(serverThread);
        server.createContext("/metrics", ex -> {
            byte[] body = exposition.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
    }

    /**
     * {@code scenario} on the wall clock: it starts at {@code historyEnd}, the history precedes it unchanged, and
     * the incidents and the duration are shifted by {@code liveStart - historyEnd}, so incidents begin where the
     * live run begins.
     */
    public static Scenario anchored(Scenario scenario, Instant historyEnd, Instant liveStart) {
        Duration gap = Duration.between(historyEnd, liveStart);
        List<Scenario.Incident> incidents = scenario.incidents().stream().map(i -> new Scenario.Incident(i.workload(),
                i.kind(), i.start().plus(gap), i.ramp(), i.severity(), i.duration())).toList();
        return new Scenario(scenario.name(), historyEnd, scenario.duration().plus(gap), scenario.step(),
                scenario.history(), scenario.slo(), scenario.host(), scenario.workloads(), incidents, scenario.config());
    }

    /** {@code t} rounded down to a multiple of {@code step} since the epoch. */
    public static Instant floor(Instant t, Duration step) {
        long ms = step.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), ms) * ms);
    }

    private static Instant ceil(Instant t, Duration step) {
        Instant f = floor(t, step);
        return f.equals(t) ? t : f.plus(step);
    }

    /** The anchored scenario the run follows. */
    public Scenario scenario() {
        return scenario;
    }

    /** Where the first incident-bearing step runs. */
    public Instant liveStart() {
        return liveStart;
    }

    /** libvirt test-driver XML of a host with the guests at their baselines, for the daemon's connection. */
    public String nodeXml() {
        return HeadroomController.nodeXml(scenario);
    }

    /** The bound port of {@code /metrics}. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Guests failed at the latest step. */
    public Set<String> failedNow() {
        return failedNow;
    }

    /** Ends {@link #run} at its next step; callable from any thread (a shutdown hook). */
    public void stop() {
        stop.countDown();
    }

    /**
     * Runs the scenario on the wall clock until its end, {@code until} or {@link #stop()}, whichever comes first,
     * and returns the report JSON: {@link Report}'s shape plus {@code clock}, {@code history_end},
     * {@code live_start}, {@code steps_run} and per guest what it felt ({@code guests}).
     */
    public String run(Headroom headroom, Instant until) throws Exception {
        List<Scenario.Workload> ws = scenario.workloads();
        int nw = ws.size();
        List<Scenario.Incident> incidents = scenario.incidents();
        Ledger ledger = new Ledger(scenario);
        Allocation[] alloc = replay.baseline.clone();
        Allocation[] peak = alloc.clone();
        double seconds = scenario.step().toMillis() / 1000.0;
        int steps = scenario.steps();
        int ran = 0;
        LOG.info("real clock: history to {}, live from {}, {} steps of {}s, guests on http://{}:{}/metrics", historyEnd,
                liveStart, steps, scenario.step().toSeconds(), server.getAddress().getHostString(), port());
        for (int s = 0; s < steps; s++) {
            Instant t = scenario.start().plus(scenario.step().multipliedBy(s));
            if (!t.isBefore(until) || waitUntil(t)) {
                break;
            }
            Allocation[] before = alloc.clone();
            Set<String> failed = new TreeSet<>();
            for (int w = 0; w < nw; w++) {
                try {
                    alloc[w] = headroom.allocation(ws.get(w).name());
                } catch (Exception e) {
                    LOG.warn("reading {}'s allocation failed, keeping {}: {}", ws.get(w).name(), alloc[w], e.toString());
                }
                ledger.allocated(w, t, before[w], alloc[w]);
                peak[w] = new Allocation(Math.max(peak[w].vcpus(), alloc[w].vcpus()),
                        Math.max(peak[w].memoryBytes(), alloc[w].memoryBytes()));
                Physics.Sample sample = replay.physics[w].step(t, alloc[w], false);
                replay.exporters.get(w).advance(sample, alloc[w], seconds);
                ledger.ran(w, t, alloc[w], sample);
                if (sample.failed()) {
                    failed.add(ws.get(w).name());
                }
                if (sample.failedNow()) {
                    int i = incidents.indexOf(sample.failedIn());
                    LOG.info("simulated guest {} failed at {}{}", ws.get(w).name(), t,
                            i >= 0 ? " in its " + incidents.get(i).kind().label() : " outside any incident");
                }
            }
            failedNow = Set.copyOf(failed);
            publish(t);
            for (int w = 0; w < nw; w++) {
                if (headroom.flagged(ws.get(w).name())) {
                    ledger.flagged(w, t);
                }
            }
            ran = s + 1;
        }
        return report(ran, ledger.run(Policy.HEADROOM, seed, ran, 0, Map.of(), 0), peak, alloc);
    }

    /** Sleeps until {@code t}; true if stopped meanwhile. */
    private boolean waitUntil(Instant t) throws InterruptedException {
        long ms = Duration.between(clock.instant(), t).toMillis();
        return ms > 0 ? stop.await(ms, TimeUnit.MILLISECONDS) : stop.getCount() == 0;
    }

    private void publish(Instant t) {
        exposition = GuestExporter.exposition(replay.exporters, t);
    }

    private String report(int ran, Simulator.Run all, Allocation[] peak, Allocation[] last) throws Exception {
        Duration ranFor = scenario.step().multipliedBy(ran);
        int[] kept = IntStream.range(0, scenario.incidents().size())
                .filter(i -> scenario.incidents().get(i).start().compareTo(ranFor) < 0).toArray();
        Scenario ranScenario = new Scenario(scenario.name(), scenario.start(), ranFor, scenario.step(), scenario.history(),
                scenario.slo(), scenario.host(), scenario.workloads(),
                IntStream.of(kept).mapToObj(scenario.incidents()::get).toList(), scenario.config());
        // The reference runs the whole scenario, so a failure it has after an early stop still counts.
        Simulator.Run full = Simulator.run(scenario, Policy.NONE, seed);
        Simulator.Run none = new Simulator.Run(ranScenario, Policy.NONE, seed, pick(full.firstFlag(), kept),
                pick(full.failureAt(), kept), full.unattributed(), full.increases(), full.vcpuHours(),
                all.baselineVcpuHours(), full.memoryGibHours(), all.baselineMemoryGibHours(), 0, Map.of(), 0,
                full.extraVcpuHours(), full.extraMemoryGibHours());
        Simulator.Run run = new Simulator.Run(ranScenario, Policy.HEADROOM, seed, pick(all.firstFlag(), kept),
                pick(all.failureAt(), kept), all.unattributed(), all.increases(), all.vcpuHours(),
                all.baselineVcpuHours(), all.memoryGibHours(), all.baselineMemoryGibHours(), 0, Map.of(), 0,
                all.extraVcpuHours(), all.extraMemoryGibHours());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = (ObjectNode) json.readTree(Report.of(run, none).toJson());
        root.put("clock", "real");
        // The in-process daemon trains and judges episodes on its own; its /metrics count those, not this report.
        root.remove("model_trainings");
        root.remove("feedback_adaptations");
        root.remove("episode_outcomes");
        root.put("history_end", historyEnd.toString());
        root.put("live_start", liveStart.toString());
        root.put("steps_run", ran);
        ArrayNode guests = root.putArray("guests");
        for (int w = 0; w < scenario.workloads().size(); w++) {
            Scenario.Workload wl = scenario.workloads().get(w);
            ObjectNode g = guests.addObject();
            g.put("workload", wl.name());
            g.put("clean", wl.clean());
            g.put("baseline_vcpus", wl.baselineVcpus());
            g.put("baseline_memory_bytes", wl.baselineMemory());
            g.put("peak_vcpus", peak[w].vcpus());
            g.put("peak_memory_bytes", peak[w].memoryBytes());
            g.put("final_vcpus", last[w].vcpus());
            g.put("final_memory_bytes", last[w].memoryBytes());
            g.put("increases", all.increases().get(w).size());
        }
        return json.writeValueAsString(root) + "\n";
    }

    private static <T> List<T> pick(List<T> xs, int[] idx) {
        return IntStream.of(idx).mapToObj(xs::get).toList();
    }

    /** Stops serving {@code /metrics}. */
    @Override
    public void close() {
        stop();
        server.stop(0);
        serverThread.shutdownNow();
    }
}
