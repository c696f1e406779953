package io.headroom.cli;

import io.headroom.daemon.WorkloadsJson;
import io.headroom.daemon.StatusApi;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.config.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import io.headroom.net.SecretFile;
import io.headroom.net.TrustAnchors;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code headroom status}: asks the running daemon for {@code GET /api/v1/workloads} and prints it as a table.
 * A client of the API, not a second reader of the state dir: it shows what the daemon decided, not a guess.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Prints what the running daemon knows about each workload: score, tier, vCPUs and memory",
                "(now/baseline), the last change and the mode, from its /api/v1/workloads at server.listen",
                "(or --url; https when server.web_config_file has tls_server_config). Exits 1 when the daemon",
                "cannot be reached, refuses the credentials or has not finished a cycle yet."})
final class StatusCommand implements Callable<Integer> {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Config file of the daemon; its server.listen is where to ask.")
    Path config;

    @Option(names = "--url", paramLabel = "URL",
            description = "Base URL of the daemon, e.g. http://127.0.0.1:9464 (instead of server.listen).")
    String url;

    @Option(names = "--ca-file", paramLabel = "FILE",
            description = {"PEM CAs that the daemon's TLS certificate must chain to. Default: the cert_file of",
                    "the config's server.web_config_file (a self-signed certificate), else the system CAs."})
    Path caFile;

    @Option(names = "--user", paramLabel = "NAME",
            description = "User for HTTP basic auth (server.web_config_file's basic_auth_users).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File holding --user's password (a file, so it stays out of ps and shell history).")
    Path passwordFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Set by {@link #base()} from the config: the daemon's own certificate, trusted when --ca-file is not given. */
    private Optional<Path> serverCert = Optional.empty();

    @Override
    public Integer call() throws Exception {
        URI base = base();
        // Appended, not resolved: a daemon behind a proxy may live under a path prefix.
        URI api = URI.create(base + StatusApi.WORKLOADS);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((user == null) != (passwordFile == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--user and --password-file go together (got only " + (user == null ? "--password-file" : "--user")
                            + ")");
        }
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        DaemonAddress.trust(client, Optional.ofNullable(caFile).or(() -> serverCert));
        HttpRequest.Builder request = HttpRequest.newBuilder(api).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + SecretFile.read(passwordFile)).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r;
        try {
            r = client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("error: cannot reach the Headroom daemon at " + base + " (" + describe(e)
                    + "); is `headroom run` running and listening there?");
            err.flush();
            return Main.EXIT_RUNTIME;
        }
        JsonNode body;
        try {
            body = WorkloadsJson.JSON.readTree(r.body());
        } catch (JacksonException e) {
            body = null;
        }
        if (r.statusCode() != 200 || body == null || !body.path("workloads").isArray()) {
            String reason = body != null && body.path("error").isTextual() ? body.path("error").asText()
                    : abbreviate(r.body());
            String what = r.statusCode() == 503 ? "is not ready" : r.statusCode() == 401
                    ? "refused the credentials (give --user and --password-file of a basic_auth_users entry)"
                    : "answered HTTP " + r.statusCode();
            err.println("error: the Headroom daemon at " + base + " " + what + ": " + reason);
            err.flush();
            return Main.EXIT_RUNTIME;
        }
        out.print(StatusTable.render(body));
        out.flush();
        return 0;
    }

    /** {@code --url}, else {@code server.listen} of {@code --config}, a wildcard address asked on loopback. */
    private URI base() throws Exception {
        if (url != null) {
            URI u;
            try {
                u = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            } catch (IllegalArgumentException e) {
                u = null;
            }
            if (u == null || u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--url must be an http:// or https:// URL with a host (got \"" + url + "\")");
            }
            return u;
        }
        if (config == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--config FILE or --url URL is required to find the daemon");
        }
        ServerConfig s = ConfigLoader.load(config).server();
        serverCert = s.web().tls().map(t -> t.certFile());
        return DaemonAddress.of(s, config, spec.commandLine());
    }

    static String describe(IOException e) {
        String type = e instanceof java.net.ConnectException ? "connection refused"
                : e instanceof java.net.http.HttpTimeoutException ? "timed out" : e.getClass().getSimpleName();
        return e.getMessage() == null || e.getMessage().isBlank() ? type : type + ": " + e.getMessage();
    }

    private static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.isEmpty() ? "(empty body)" : one.length() <= 200 ? one : one.substring(0, 197) + "...";
    }
}
