package io.headroom.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code headroom} command line. Exit codes: 0 success, 2 bad usage or invalid config, 1 runtime failure.
 */
@Command(name = "headroom",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Gives KVM guests more CPU and memory before an anomaly in their metrics becomes a failure.",
        subcommands = {CheckConfigCommand.class, FeaturesCommand.class, ScoreCommand.class, BacktestCommand.class,
                RunCommand.class, StatusCommand.class, SimulateCommand.class, FeedbackCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code for invalid usage or configuration. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a failure at run time (Prometheus unreachable, I/O error, ...). */
    public static final int EXIT_RUNTIME = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given output streams and returns its exit code. */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main()).setOut(out).setErr(err);
        cl.setExitCodeExceptionMapper(Main::exitCodeFor);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("error: " + describe(ex));
            return exitCodeFor(ex);
        });
        return cl.execute(args);
    }

    static int exitCodeFor(Throwable t) {
        return t instanceof io.headroom.config.ConfigException || t instanceof CommandLine.ParameterException
                || t instanceof InputException ? EXIT_USAGE : EXIT_RUNTIME;
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
