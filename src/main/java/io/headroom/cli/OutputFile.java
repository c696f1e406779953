package io.headroom.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A command's output file, written whole or not at all: into a temp file beside the target, then renamed over it,
 * so that a failed run never leaves a half-written CSV that looks like a result. {@code -} means standard output.
 */
final class OutputFile {

    /** Writes the content and returns what the command reports about it; must not close the writer. */
    @FunctionalInterface
    interface Content<T> {
        T writeTo(Writer w) throws IOException;
    }

    private OutputFile() {}

    /**
     * Writes {@code content} to {@code out} ({@code -}: {@code stdout}); rows may stream out as they are computed,
     * since the target only appears, whole, at the end. A failure (an out-of-memory error included) removes the temp
     * file.
     */
    static <T> T write(String out, PrintWriter stdout, Content<T> content) throws IOException {
        if (out.equals("-")) {
            T result = content.writeTo(stdout);
            stdout.flush();
            return result;
        }
        Path target = Path.of(out).toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + "-", ".tmp");
        T result;
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            result = content.writeTo(w);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return result;
    }
}
