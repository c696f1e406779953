package io.headroom.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * A command-line tool from the Prometheus packages ({@code promtool}, {@code amtool}) that tests run on the ops
 * assets. Found like the servers' binaries: system property or environment variable, then {@code PATH}. A missing
 * tool fails the test with the package to install; it never skips.
 */
public final class CommandLineTool {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final String name;
    private final Binaries.Lookup lookup;
    private final String installHint;

    private CommandLineTool(String name, Binaries.Lookup lookup, String installHint) {
        this.name = name;
        this.lookup = lookup;
        this.installHint = installHint;
    }

    /** promtool, from Debian's {@code prometheus} package, or {@code PROMTOOL_BIN}. */
    public static CommandLineTool promtool() {
        return new CommandLineTool("promtool", Binaries.find(null, "PROMTOOL_BIN", "promtool"),
                PrometheusExtension.INSTALL_HINT);
    }

    /** amtool, from Debian's {@code prometheus-alertmanager} package, or {@code AMTOOL_BIN}. */
    public static CommandLineTool amtool() {
        return new CommandLineTool("amtool", Binaries.find(null, "AMTOOL_BIN", "amtool"),
                AlertmanagerExtension.INSTALL_HINT);
    }

    /** A tool at an explicit path, for tests of this class. */
    static CommandLineTool at(String name, Path binary, String installHint) {
        return new CommandLineTool(name, Binaries.find(binary, name.toUpperCase() + "_BIN"), installHint);
    }

    /**
     * Runs the tool with {@code args} in {@code dir} and returns its exit code and combined output.
     *
     * @throws ExtensionConfigurationException if the tool is not installed, naming the package to install
     * @throws IllegalStateException           if it cannot be started or does not finish within two minutes
     */
    public Result run(Path dir, String... args) {
        Path binary = lookup.path().orElseThrow(() -> new ExtensionConfigurationException(name
                + " is needed by this test but was not found (looked for " + lookup.searched() + "). Install it with: "
                + installHint));
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile(name + "-", ".log");
            try {
                Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                            + TIMEOUT.toSeconds() + "s");
                }
                return new Result(command, p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    /**
     * What a run did.
     *
     * @param command  the full command line
     * @param exitCode the exit code
     * @param output   stdout and stderr, interleaved
     */
    public record Result(List<String> command, int exitCode, String output) {

        public Result {
            command = List.copyOf(command);
            Objects.requireNonNull(output, "output");
        }

        /** Throws an {@link AssertionError} carrying the command and its whole output unless it exited 0. */
        public Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
            }
            return this;
        }
    }
}
