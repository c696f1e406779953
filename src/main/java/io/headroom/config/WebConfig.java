package io.headroom.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * TLS and basic authentication of the {@code server.listen} listener, read from {@code server.web_config_file}: the
 * format of Prometheus' {@code --web.config.file} (exporter-toolkit), so a host's exporters and Headroom can share
 * one file. Off when no file is named: the listener is plain HTTP on loopback.
 *
 * @param tls            serve HTTPS with this certificate; empty for plain HTTP
 * @param basicAuthUsers user name to bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}); empty for no
 *                       authentication. Hashes, never passwords, so the file leaks nothing directly; still kept
 *                       out of {@link #toString()}.
 */
public record WebConfig(Optional<Tls> tls, Map<String, String> basicAuthUsers) {

    /** Plain HTTP, no authentication: the default. */
    public static final WebConfig NONE = new WebConfig(Optional.empty(), Map.of());

    public WebConfig {
        basicAuthUsers = Map.copyOf(basicAuthUsers);
    }

    /** Whether requests must carry basic-auth credentials. */
    public boolean basicAuth() {
        return !basicAuthUsers.isEmpty();
    }

    /** The URL scheme clients use. */
    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }

    @Override
    public String toString() {
        return "WebConfig[tls=" + tls + ", basicAuthUsers=" + new java.util.TreeSet<>(basicAuthUsers.keySet()) + "]";
    }

    /**
     * {@code tls_server_config}.
     *
     * @param certFile     PEM certificate chain, leaf first
     * @param keyFile      PEM private key of the leaf (read when the listener starts, never logged)
     * @param clientAuth   whether clients must present a certificate
     * @param clientCaFile PEM CAs that client certificates must chain to; required unless {@code NoClientCert}
     * @param minVersion   lowest TLS version accepted: {@code TLSv1.2} (the default) or {@code TLSv1.3}
     */
    public record Tls(Path certFile, Path keyFile, ClientAuth clientAuth, Optional<Path> clientCaFile,
                      String minVersion) {}

    /** exporter-toolkit's {@code client_auth_type} values that verify what they accept. */
    public enum ClientAuth {
        /** {@code NoClientCert}: no client certificate asked for. */
        NO_CLIENT_CERT("NoClientCert"),
        /** {@code VerifyClientCertIfGiven}: optional, but verified against {@code client_ca_file} when sent. */
        VERIFY_IF_GIVEN("VerifyClientCertIfGiven"),
        /** {@code RequireAndVerifyClientCert}: mutual TLS. */
        REQUIRE_AND_VERIFY("RequireAndVerifyClientCert");

        private final String yaml;

        ClientAuth(String yaml) {
            this.yaml = yaml;
        }

        /** The value as written in the file. */
        public String yaml() {
            return yaml;
        }
    }
}
