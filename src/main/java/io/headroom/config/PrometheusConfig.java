package io.headroom.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach a Prometheus-compatible HTTP API (Prometheus, Thanos, Mimir, Cortex).
 *
 * @param url               base URL, e.g. {@code http://127.0.0.1:9090}; API paths are appended
 * @param timeout           Prometheus' own query timeout, and the connect timeout; a whole call may take up to
 *                          twice this so that Prometheus' timeout error arrives instead of a client-side cut
 * @param bearerTokenFile   file whose trimmed content is sent as {@code Authorization: Bearer}
 * @param basicAuth         basic auth with the password read from a file
 * @param caFile            PEM bundle trusted for TLS instead of the JVM default
 * @param headers           extra headers on every call, e.g. {@code X-Scope-OrgID}
 * @param maxPointsPerQuery longest range query sent in one request; Prometheus refuses more than 11,000
 * @param retry             retry policy for connection errors and 5xx
 */
public record PrometheusConfig(
        URI url,
        Duration timeout,
        Optional<Path> bearerTokenFile,
        Optional<BasicAuth> basicAuth,
        Optional<Path> caFile,
        Map<String, String> headers,
        int maxPointsPerQuery,
        RetryConfig retry) {

    public PrometheusConfig {
        headers = Map.copyOf(headers);
    }

    /** Basic auth; the password is read from {@code passwordFile} at start and never logged. */
    public record BasicAuth(String username, Path passwordFile) {}
}
