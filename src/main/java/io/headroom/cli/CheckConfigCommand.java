package io.headroom.cli;

import io.headroom.config.ConfigException;
import io.headroom.config.HeadroomConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code headroom check-config}: validate a config and print what it means. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Loads and validates a config file.",
                "On success prints a one-screen summary and exits 0; otherwise prints every problem as",
                "'key.path: what is wrong (got X)' and exits 2."})
final class CheckConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HeadroomConfig cfg;
        try {
            cfg = config.load();
        } catch (ConfigException e) {
            err.println(config.file + ": " + e.problems().size() + " problem(s)");
            e.problems().forEach(p -> err.println(p.toString()));
            err.flush();
            return Main.EXIT_USAGE;
        }
        out.println(config.file + ": OK");
        out.print(ConfigSummary.render(cfg));
        out.flush();
        return 0;
    }
}
