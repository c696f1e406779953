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
 * @param compression       whether answers come gzip-compressed; see {@link Compression}
 */
public record PrometheusConfig(
        URI url,
        Duration timeout,
        Optional<Path> bearerTokenFile,
        Optional<BasicAuth> basicAuth,
        Optional<Path> caFile,
        Map<String, String> headers,
        int maxPointsPerQuery,
        RetryConfig retry,
        Compression compression) {

    public PrometheusConfig {
        headers = Map.copyOf(headers);
    }

    /** With {@link Compression#AUTO}. */
    public PrometheusConfig(URI url, Duration timeout, Optional<Path> bearerTokenFile, Optional<BasicAuth> basicAuth,
                            Optional<Path> caFile, Map<String, String> headers, int maxPointsPerQuery,
                            RetryConfig retry) {
        this(url, timeout, bearerTokenFile, basicAuth, caFile, headers, maxPointsPerQuery, retry, Compression.AUTO);
    }

    /**
     * Whether answers are asked for gzip-compressed. A week of a fleet's features is gigabytes of JSON: over a
     * network, compression saves most of the transfer; from the same host, it only costs Prometheus the time to
     * compress them (about 40% of its work on a training's range queries) and Headroom the time to inflate them.
     */
    public enum Compression {
        /** gzip unless the URL's host is a loopback address or {@code localhost}. */
        AUTO,
        GZIP,
        NONE
    }

    /** Whether to ask for gzip, {@link Compression#AUTO} resolved by the URL's host. */
    public boolean gzip() {
        return switch (compression) {
            case GZIP -> true;
            case NONE -> false;
            case AUTO -> !loopback(url.getHost());
        };
    }

    private static boolean loopback(String host) {
        // Literals only, as for server.listen (no DNS at load). URI keeps an IPv6 literal's brackets.
        return host != null && NotifySection.isLoopback(host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1) : host);
    }

    /** Basic auth; the password is read from {@code passwordFile} at start and never logged. */
    public record BasicAuth(String username, Path passwordFile) {}
}
