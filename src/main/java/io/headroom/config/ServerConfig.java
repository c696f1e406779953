package io.headroom.config;

/**
 * The HTTP listener for /metrics, /-/healthy and /-/ready.
 *
 * @param host address to bind; loopback by default so nothing is exposed unless asked
 * @param port TCP port (0 picks a free one)
 */
public record ServerConfig(String host, int port) {}
