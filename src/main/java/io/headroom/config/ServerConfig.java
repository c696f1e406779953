package io.headroom.config;

/**
 * The HTTP listener for /metrics, /-/healthy and /-/ready.
 *
 * @param host         address to bind; loopback by default so nothing is exposed unless asked
 * @param port         TCP port (0 picks a free one)
 * @param enableReload serve {@code POST /-/reload}; off by default because anyone who can reach the port could
 *                     otherwise make the daemon re-read its files (Prometheus' {@code --web.enable-lifecycle})
 * @param web          TLS and basic auth from {@code server.web_config_file}; {@link WebConfig#NONE} without one
 */
public record ServerConfig(String host, int port, boolean enableReload, WebConfig web) {

    /** A plain listener without the reload endpoint. */
    public ServerConfig(String host, int port) {
        this(host, port, false);
    }

    /** Whether only this machine can reach the listener (an IP literal or {@code localhost}; names never resolved). */
    public boolean loopback() {
        return NotifySection.isLoopback(host);
    }

    /** A plain listener. */
    public ServerConfig(String host, int port, boolean enableReload) {
        this(host, port, enableReload, WebConfig.NONE);
    }
}
