package io.headroom.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads bearer tokens from files, once at start, so that a missing or empty file stops the daemon early. */
final class TokenFile {

    private TokenFile() {}

    /**
     * The file's content without surrounding whitespace (editors and {@code echo} add a newline).
     *
     * @throws UncheckedIOException     if the file cannot be read; the message names the file, never its content
     * @throws IllegalArgumentException if the file holds only whitespace
     */
    static String read(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token file " + file, e);
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("token file " + file + " is empty");
        }
        return token;
    }
}
