package io.headroom.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A digest of a config section and the content of the files it names (tokens, passwords, CAs), so that a reload can
 * tell that a secret file was rotated even though the config text did not change. Only the digest is kept; neither
 * it nor anything it was computed from is logged.
 *
 * <p>Config records are compared through {@code toString()}: the records hold {@code Pattern}s, which have no
 * {@code equals}, and their text is what the operator wrote.
 */
final class Fingerprint {

    private Fingerprint() {}

    static String of(Object section, List<Optional<Path>> files) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        sha.update(String.valueOf(section).getBytes(StandardCharsets.UTF_8));
        for (Optional<Path> file : files) {
            sha.update((byte) 0);
            if (file.isPresent()) {
                try {
                    sha.update(Files.readAllBytes(file.get()));
                } catch (IOException e) {
                    // Unreadable now: differs from any readable content, and building the client will say why.
                    sha.update("<unreadable>".getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
