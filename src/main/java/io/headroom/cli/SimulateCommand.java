package io.headroom.cli;

import io.headroom.simulate.RealClockRun;
import io.headroom.config.ConfigException;
import io.headroom.config.Durations;
import io.headroom.simulate.HistoryWriter;
import io.headroom.simulate.RealClock;
import io.headroom.simulate.Policy;
import io.headroom.simulate.Report;
import io.headroom.simulate.Scenario;
import io.headroom.simulate.ScenarioLoader;
import io.headroom.simulate.Simulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code headroom simulate}: run a scenario under a policy on the virtual clock, or on the real clock against a
 * real Prometheus with the daemon in-process ({@link RealClockRun}), and write the report; or write the
 * scenario's history as OpenMetrics for the real clock's backfill.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulates guests, incidents and a sizing policy, and reports which incidents were flagged",
                "and which failures were avoided. The lead times compare with --policy none on the same seed,",
                "which is run internally (on the virtual clock, also for --clock real: the physics is deterministic).",
                "--clock real serves the guests' metrics on --guests-listen for a real Prometheus (--prometheus),",
                "whose history was backfilled from --write-history with the same --seed and --history-end, and",
                "runs `headroom run`'s daemon in enforce mode against it and a libvirt test driver."})
final class SimulateCommand implements Callable<Integer> {

    /** The clocks a simulation can run on. */
    enum ClockKind { VIRTUAL, REAL }

    @Option(names = "--scenario", required = true, paramLabel = "FILE", description = "Scenario YAML (see daemon/scenarios/).")
    Path scenario;

    @Option(names = "--policy", defaultValue = "headroom", paramLabel = "POLICY",
            description = "headroom, threshold or none (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--clock", defaultValue = "virtual", paramLabel = "CLOCK",
            description = "virtual (fast, deterministic) or real (wall time, real Prometheus, daemon in enforce mode).")
    String clock;

    @Option(names = "--out", paramLabel = "REPORT.json", description = "Where to write the report (required unless --write-history).")
    Path out;

    @Option(names = "--trace", paramLabel = "FILE.csv", description = {"Also write, for --policy headroom, one row per "
            + "guest per cycle:", "timestamp,workload,score,tier,action,vcpus,memory_bytes,top_feature,reason."})
    Path trace;

    @Option(names = "--write-history", paramLabel = "FILE.om",
            description = "Write the scenario's history (ending at --history-end) as OpenMetrics for promtool, and exit.")
    Path writeHistory;

    @Option(names = "--labels", defaultValue = "", paramLabel = "K=V,...",
            description = "With --write-history: labels the live scrape adds (job=...,instance=HOST:PORT of --guests-listen).")
    String labels;

    @Option(names = "--history-end", paramLabel = "T", converter = TimeArg.class,
            description = "Where the history ends (rounded down to the scenario step): default now for --write-history;"
                    + " required with --clock real, and the same value as given to --write-history.")
    Instant historyEnd;

    @Option(names = "--prometheus", paramLabel = "URL", description = "--clock real: the Prometheus scraping --guests-listen.")
    String prometheus;

    @Option(names = "--alertmanager", paramLabel = "URL", description = "--clock real: Alertmanager for Headroom's alerts (optional).")
    String alertmanager;

    @Option(names = "--guests-listen", paramLabel = "HOST:PORT",
            description = "--clock real: where the simulated guests serve /metrics (required; loopback only).")
    String guestsListen;

    @Option(names = "--listen", defaultValue = "127.0.0.1:9464", paramLabel = "HOST:PORT",
            description = "--clock real: Headroom's server.listen (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--duration", paramLabel = "D",
            description = "--clock real: stop after this much wall time (default: the scenario's duration).")
    String duration;

    @Option(names = "--status-every", defaultValue = "0s", paramLabel = "D",
            description = "--clock real: print the status table this often (default: never).")
    String statusEvery;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Policy p;
        ClockKind c;
        try {
            p = Policy.valueOf(policy.toUpperCase(Locale.ROOT));
            c = ClockKind.valueOf(clock.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("error: --policy must be headroom, threshold or none and --clock virtual or real (got "
                    + policy + ", " + clock + ")");
            return Main.EXIT_USAGE;
        }
        Scenario s;
        try {
            s = ScenarioLoader.load(scenario);
        } catch (ConfigException e) {
            err.println(scenario + ": " + e.problems().size() + " problem(s)");
            e.problems().forEach(pr -> err.println(pr.toString()));
            return Main.EXIT_USAGE;
        }
        if (writeHistory != null) {
            return writeHistory(s, err);
        }
        if (out == null) {
            err.println("error: --out REPORT.json is required (unless --write-history)");
            return Main.EXIT_USAGE;
        }
        if (c == ClockKind.REAL) {
            return real(s, p, err);
        }
        for (String[] o : new String[][] {{"--prometheus", prometheus}, {"--alertmanager", alertmanager},
                {"--guests-listen", guestsListen}, {"--duration", duration}}) {
            if (o[1] != null) {
                err.println("error: " + o[0] + " is for --clock real (got --clock virtual)");
                return Main.EXIT_USAGE;
            }
        }
        long started = System.nanoTime();
        Simulator.Run none = Simulator.run(s, Policy.NONE, seed);
        Simulator.Run run;
        if (trace != null) {
            try (java.io.Writer w = Files.newBufferedWriter(trace)) {
                run = Simulator.run(s, p, seed, Optional.of(w));
            }
        } else {
            run = p == Policy.NONE ? none : Simulator.run(s, p, seed);
        }
        Report report = Report.of(run, none);
        Files.writeString(out, report.toJson());
        Report.Summary sum = report.summary();
        spec.commandLine().getOut().printf(Locale.ROOT,
                "%s policy=%s seed=%d incidents=%d flagged_before_failure=%d failures=%d (none: %d) false_actions=%d "
                        + "extra_resource_hours_pct=%.2f seconds=%.1f -> %s%n",
                s.name(), p.label(), seed, sum.incidents(), sum.flaggedBeforeFailure(), sum.failures(),
                sum.failuresWithoutAction(), sum.falseActions(), sum.extraResourceHoursPct(),
                (System.nanoTime() - started) / 1e9, out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private int writeHistory(Scenario s, PrintWriter err) throws IOException {
        Map<String, String> extra;
        try {
            extra = HistoryWriter.parseLabels(labels);
        } catch (IllegalArgumentException e) {
            err.println("error: --labels: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        Instant end = RealClock.floor(historyEnd == null ? Instant.now() : historyEnd, s.step());
        Scenario anchored = RealClock.anchored(s, end, end);
        try (Writer w = Files.newBufferedWriter(writeHistory)) {
            HistoryWriter.write(anchored, seed, extra, w);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "%s seed=%d history=%s step=%s end=%d (%s) -> %s%n", s.name(), seed,
                Durations.format(s.history()), Durations.format(s.step()), end.getEpochSecond(), end, writeHistory);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private int real(Scenario s, Policy p, PrintWriter err) throws Exception {
        List<String> problems = new ArrayList<>();
        if (p != Policy.HEADROOM) {
            problems.add("--policy: --clock real runs Headroom itself, so the policy must be headroom (got " + policy + ")");
        }
        if (trace != null) {
            problems.add("--trace: is for --clock virtual; on the real clock watch --status-every, /metrics and the status API");
        }
        if (historyEnd == null) {
            problems.add("--history-end: required with --clock real: the end given to --write-history for the backfill");
        }
        if (prometheus == null || !prometheus.matches("https?://\\S+")) {
            problems.add("--prometheus: must be the http(s) URL of the Prometheus scraping the guests (got "
                    + prometheus + ")");
        }
        if (alertmanager != null && !alertmanager.matches("https?://\\S+")) {
            problems.add("--alertmanager: must be an http(s) URL (got " + alertmanager + ")");
        }
        InetSocketAddress guests = null;
        if (guestsListen == null || !guestsListen.matches("(127\\.\\d+\\.\\d+\\.\\d+|localhost|\\[::1\\]):\\d{1,5}")
                || Integer.parseInt(guestsListen.substring(guestsListen.lastIndexOf(':') + 1)) > 65535) {
            problems.add("--guests-listen: must be a loopback HOST:PORT like 127.0.0.1:9465 (got " + guestsListen + ")");
        } else {
            int colon = guestsListen.lastIndexOf(':');
            String host = guestsListen.substring(0, colon).replace("[", "").replace("]", "");
            guests = new InetSocketAddress(host, Integer.parseInt(guestsListen.substring(colon + 1)));
        }
        Optional<Duration> limit = Optional.empty();
        if (duration != null) {
            limit = Durations.parse(duration).filter(d -> d.compareTo(Duration.ofSeconds(1)) >= 0);
            if (limit.isEmpty()) {
                problems.add("--duration: must be a duration ≥ 1s like 90s or 5m (got " + duration + ")");
            }
        }
        Optional<Duration> every = Durations.parse(statusEvery);
        if (every.isEmpty()) {
            problems.add("--status-every: must be a duration like 5s, or 0s for never (got " + statusEvery + ")");
        }
        if (!problems.isEmpty()) {
            problems.forEach(pr -> err.println("error: " + pr));
            return Main.EXIT_USAGE;
        }
        RealClockRun.Options o = new RealClockRun.Options(seed, historyEnd, prometheus, Optional.ofNullable(alertmanager),
                guests, listen, limit, every.get(), out);
        return RealClockRun.run(s, o, spec.commandLine().getOut(), err, StatusTable::render) ? 0 : Main.EXIT_RUNTIME;
    }
}
