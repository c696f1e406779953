package io.headroom.net;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * The one way Headroom builds an OkHttp client, so that every outbound call gets the same timeouts, the same
 * retry rule and the same CA handling.
 */
public final class HttpClients {

    private HttpClients() {}

    /**
     * A client whose calls give up after {@code callTimeout} in all (read, write and the whole call) and whose
     * connections give up after {@code connectTimeout}.
     *
     * <p>OkHttp's own silent retry on connection failure is off: each caller has its own retry loop with backoff,
     * and only that way is every attempt counted in its metrics.
     *
     * @param caFile PEM bundle trusted instead of the JVM's CAs; empty = the system trust store
     * @throws java.io.UncheckedIOException if the CA file cannot be read
     * @throws IllegalArgumentException     if it holds no usable certificate
     */
    public static OkHttpClient create(Duration connectTimeout, Duration callTimeout, Optional<Path> caFile) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(connectTimeout)
                .readTimeout(callTimeout)
                .writeTimeout(callTimeout)
                .callTimeout(callTimeout)
                .retryOnConnectionFailure(false);
        caFile.map(TrustAnchors::fromPem)
                .ifPresent(ca -> builder.sslSocketFactory(ca.socketFactory(), ca.trustManager()));
        return builder.build();
    }

    /** Stops the client's threads and closes its idle connections. */
    public static void close(OkHttpClient client) {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
