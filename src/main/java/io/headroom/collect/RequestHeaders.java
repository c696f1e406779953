package io.headroom.collect;

import io.headroom.config.PrometheusConfig;
import io.headroom.net.SecretFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.Headers;

/**
 * The headers sent on every call (the configured extra headers plus {@code Authorization}, and
 * {@code Accept-Encoding: identity} when {@link PrometheusConfig#gzip} is false) and the secrets in
 * them, so that text coming back from the server can be scrubbed before it goes into a message.
 *
 * <p>Secret files are read once, when the client is built, so a missing or unreadable file stops the daemon at
 * start instead of failing every cycle. Errors name the file only; OkHttp redacts {@code Authorization} in
 * {@link Headers#toString()}.
 */
final class RequestHeaders {

    private static final String REDACTED = "<redacted>";

    private final Headers headers;
    private final List<String> secrets;

    private RequestHeaders(Headers headers, List<String> secrets) {
        this.headers = headers;
        this.secrets = List.copyOf(secrets);
    }

    static RequestHeaders from(PrometheusConfig cfg) {
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
        List<String> secrets = new ArrayList<>();
        if (cfg.bearerTokenFile().isPresent()) {
            String token = SecretFile.read(cfg.bearerTokenFile().get());
            secrets.add(token);
            headers.set("Authorization", "Bearer " + token);
        }
        if (cfg.basicAuth().isPresent()) {
            PrometheusConfig.BasicAuth basic = cfg.basicAuth().get();
            String password = SecretFile.read(basic.passwordFile());
            String value = Credentials.basic(basic.username(), password, StandardCharsets.UTF_8);
            secrets.add(password);
            secrets.add(value.substring("Basic ".length()));
            headers.set("Authorization", value);
        }
        if (!cfg.gzip() && headers.get("Accept-Encoding") == null) {
            // OkHttp asks for gzip on its own unless a request names an encoding.
            headers.set("Accept-Encoding", "identity");
        }
        String explicit = headers.get("Authorization");
        if (explicit != null && !auth) {
            secrets.add(explicit);
        }
        return new RequestHeaders(headers.build(), secrets);
    }

    Headers headers() {
        return headers;
    }

    /** {@code text} with every secret replaced, for server text that could echo a credential back. */
    String redact(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, REDACTED);
        }
        return result;
    }
}
