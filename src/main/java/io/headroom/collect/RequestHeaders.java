package io.headroom.collect;

import io.headroom.config.PrometheusConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.Headers;

/**
 * The headers sent on every call: the configured extra headers plus {@code Authorization}.
 *
 * <p>Secret files are read once, when the client is built, so a missing or unreadable file stops the daemon at
 * start instead of failing every cycle. Their content never reaches a log or an exception message: errors name
 * the file only, and OkHttp redacts {@code Authorization} in {@link Headers#toString()}.
 */
final class RequestHeaders {

    private RequestHeaders() {}

    static Headers from(PrometheusConfig cfg) {
        if (cfg.bearerTokenFile().isPresent() && cfg.basicAuth().isPresent()) {
            throw new IllegalArgumentException("bearer token and basic auth are mutually exclusive");
        }
        Headers.Builder headers = new Headers.Builder();
        for (Map.Entry<String, String> header : cfg.headers().entrySet()) {
            headers.add(header.getKey(), header.getValue());
        }
        boolean auth = cfg.bearerTokenFile().isPresent() || cfg.basicAuth().isPresent();
        if (auth && headers.get("Authorization") != null) {
            throw new IllegalArgumentException(
                    "an Authorization header cannot be combined with a bearer token or basic auth");
        }
        cfg.bearerTokenFile().ifPresent(file -> headers.set("Authorization", "Bearer " + readSecret(file)));
        cfg.basicAuth().ifPresent(basic -> headers.set("Authorization",
                Credentials.basic(basic.username(), readSecret(basic.passwordFile()), StandardCharsets.UTF_8)));
        return headers.build();
    }

    /** Trimmed, because secret files written by editors and tools usually end with a newline. */
    private static String readSecret(Path file) {
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
}
