package io.headroom.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a secret (bearer token, password) from a file when a client is built, so that a missing or empty file
 * stops the daemon at start, or a reload keeps the old client, instead of failing every call.
 */
public final class SecretFile {

    private SecretFile() {}

    /**
     * The file's content without surrounding whitespace (editors and {@code echo} add a newline).
     *
     * @throws UncheckedIOException     if the file cannot be read; the message names the file, never its content
     * @throws IllegalArgumentException if the file holds only whitespace
     */
    public static String read(Path file) {
        String secret;
        try {
            secret = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret file " + file, e);
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret file " + file + " is empty");
        }
        return secret;
    }

    /**
     * The {@code Authorization} header value for a {@code bearer_token_file}, read once; empty without one. The
     * value is a secret: keep it out of logs and exceptions.
     */
    public static java.util.Optional<String> bearerAuthorization(java.util.Optional<Path> tokenFile) {
        return tokenFile.map(f -> "Bearer " + read(f));
    }
}
