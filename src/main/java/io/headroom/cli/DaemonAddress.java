package io.headroom.cli;

import io.headroom.config.ServerConfig;
import io.headroom.net.TrustAnchors;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;

/** Where a command finds the running daemon from its config, and how it trusts the daemon's TLS certificate. */
final class DaemonAddress {

    private DaemonAddress() {
    }

    /** {@code server.listen} of {@code configFile} as a base URL, a wildcard address asked on loopback. */
    static URI of(ServerConfig s, Path configFile, CommandLine cmd) {
        if (s.port() == 0) {
            throw new CommandLine.ParameterException(cmd, "server.listen in " + configFile
                    + " has port 0 (the daemon picks a free port at start); give --url");
        }
        String host = switch (s.host()) {
            case "", "0.0.0.0" -> "127.0.0.1";
            case "::" -> "::1";
            default -> s.host();
        };
        return URI.create(s.web().scheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + s.port());
    }

    /** Trusts {@code ca} (PEM) instead of the system CAs, when given. */
    static void trust(HttpClient.Builder client, Optional<Path> ca) {
        ca.ifPresent(f -> client.sslContext(TrustAnchors.fromPem(f).sslContext()));
    }
}
