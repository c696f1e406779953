package io.headroom.daemon;

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

    /** Writes the content; must not close the writer. */
    @FunctionalInterface
    interface Content {
        void writeTo(Writer w) throws IOException;
    }

    private OutputFile() {}

    static void write(String out, PrintWriter stdout, Content content) throws IOException {
        if (out.equals("-")) {
            content.writeTo(stdout);
            stdout.flush();
            return;
        }
        Path target = Path.of(out).toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + "-", ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            content.writeTo(w);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
