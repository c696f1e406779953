package io.headroom.cli;

import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --out}: a command's CSV, written whole or not at all ({@link OutputFile}), {@code -} for stdout. */
final class OutputOption {

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Output file; '-' for stdout.")
    String path;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** Writes {@code content} to the file or stdout and returns what it returned. */
    <T> T write(OutputFile.Content<T> content) throws IOException {
        return OutputFile.write(path, spec.commandLine().getOut(), content);
    }

    @Override
    public String toString() {
        return path;
    }
}
