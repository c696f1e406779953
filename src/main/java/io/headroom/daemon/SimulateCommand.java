package io.headroom.daemon;

import io.headroom.config.ConfigException;
import io.headroom.simulate.Policy;
import io.headroom.simulate.Report;
import io.headroom.simulate.Scenario;
import io.headroom.simulate.ScenarioLoader;
import io.headroom.simulate.Simulator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code headroom simulate}: run a scenario under a policy on the virtual clock and write the report. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulates guests, incidents and a sizing policy, and reports which incidents were flagged",
                "and which failures were avoided. The lead times compare with --policy none on the same seed,",
                "which is run internally."})
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
            description = "virtual (fast, deterministic) or real (not implemented yet).")
    String clock;

    @Option(names = "--out", required = true, paramLabel = "REPORT.json", description = "Where to write the report.")
    Path out;

    @Option(names = "--trace", paramLabel = "FILE.csv", description = {"Also write, for --policy headroom, one row per "
            + "guest per cycle:", "timestamp,workload,score,tier,action,vcpus,memory_bytes,top_feature,reason."})
    Path trace;

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
        if (c == ClockKind.REAL) {
            err.println("error: --clock real is not implemented yet; use --clock virtual");
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
        long started = System.nanoTime();
        Simulator.Run none = Simulator.run(s, Policy.NONE, seed, Scores::forPolicy);
        Simulator.Run run;
        if (trace != null) {
            try (java.io.Writer w = Files.newBufferedWriter(trace)) {
                run = Simulator.run(s, p, seed, Scores::forPolicy, Optional.of(w));
            }
        } else {
            run = p == Policy.NONE ? none : Simulator.run(s, p, seed, Scores::forPolicy);
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
}
