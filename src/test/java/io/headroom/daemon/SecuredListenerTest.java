package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.cli.Main;
import io.headroom.config.ActConfig;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.http.HttpServerVerticle;
import io.headroom.metrics.Metrics;
import io.headroom.net.TrustAnchors;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The listener as {@code server.web_config_file} secures it, loaded from real files, served by the real HTTP verticle
 * with the status API mounted as the daemon mounts it, with a certificate made by {@code openssl} for the test:
 * HTTPS only, 401 with a challenge without or with wrong credentials, the token-checked webhook left to its token,
 * mutual TLS refusing a client without a certificate, and {@code headroom status} getting through with
 * {@code --user}/{@code --password-file}.
 */
@ExtendWith(VertxExtension.class)
class SecuredListenerTest {

    static final String WEBHOOK = "/api/v1/alerts/webhook";
    static final String PASSWORD = "s3cret pass:with colon";

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    /** {@code headroom ARGS} in this JVM, as the launcher runs it. */
    static Run headroom(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A self-signed P-256 certificate for 127.0.0.1 (cert.pem, key.pem in {@code dir}). */
    void certificate() throws Exception {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", dir.resolve("key.pem").toString(), "-out",
                dir.resolve("cert.pem").toString(), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("openssl (package openssl) made a certificate: " + out).isZero();
    }

    HeadroomConfig config(String tlsExtra) throws Exception {
        certificate();
        Files.writeString(dir.resolve("web.yml"), String.join("\n",
                "tls_server_config:",
                "  cert_file: cert.pem",
                "  key_file: key.pem",
                tlsExtra,
                "basic_auth_users:",
                "  prometheus: '" + BCrypt.hashpw(PASSWORD, BCrypt.gensalt(4)) + "'",
                ""));
        Path cfg = dir.resolve("headroom.yaml");
        Files.writeString(cfg, "server: {listen: '127.0.0.1:0', web_config_file: web.yml}\n");
        return ConfigLoader.load(cfg);
    }

    int serve(Vertx vertx, HeadroomConfig cfg) throws Exception {
        Snapshot cycle = StatusApiTest.cycle();
        StatusApi api = new StatusApi(() -> Optional.of(cycle), Optional::empty,
                ActConfig.Mode.ENFORCE, Duration.ofSeconds(30), vertx.createSharedWorkerExecutor("headroom-http-test", 1),
                Map.of(WEBHOOK, "POST"));
        HttpServerVerticle http = new HttpServerVerticle(cfg.server(), Metrics.isolated(), Optional::empty,
                vertx.createSharedWorkerExecutor("headroom-http-test", 1), List.<java.util.function.Consumer<io.vertx.ext.web.Router>>of(
                        r -> r.route(WEBHOOK).method(HttpMethod.POST).handler(ctx -> ctx.response().setStatusCode(204).end()),
                        api::mount), Set.of(WEBHOOK));
        vertx.deployVerticle(http).await();
        return http.actualPort();
    }

    HttpClient trusting() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .sslContext(TrustAnchors.fromPem(dir.resolve("cert.pem")).sslContext()).build();
    }

    static HttpResponse<String> send(HttpClient c, String method, String url, Optional<String> password)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        password.ifPresent(pw -> b.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(("prometheus:" + pw).getBytes(StandardCharsets.UTF_8))));
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHttpsOnlyAndOnlyToTheRightCredentials(Vertx vertx) throws Exception {
        int port = serve(vertx, config(""));
        String base = "https://127.0.0.1:" + port;
        HttpClient c = trusting();

        HttpResponse<String> none = send(c, "GET", base + "/metrics", Optional.empty());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"headroom\", charset=\"UTF-8\"");
        assertThat(none.body()).contains("credentials required");
        HttpResponse<String> wrong = send(c, "GET", base + "/metrics", Optional.of("guess"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("wrong user name or password");
        for (int i = 0; i < 2; i++) {
            // The second answer comes from the remembered pair: it must be as right as the first.
            HttpResponse<String> ok = send(c, "GET", base + "/metrics", Optional.of(PASSWORD));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(ok.body()).contains("# TYPE headroom_");
        }
        assertThat(send(c, "GET", base + "/-/ready", Optional.empty()).statusCode()).as("every path is guarded")
                .isEqualTo(401);
        assertThat(send(c, "POST", base + WEBHOOK, Optional.empty()).statusCode())
                .as("the webhook checks its own bearer token").isEqualTo(204);
        assertThatThrownBy(() -> send(HttpClient.newHttpClient(), "GET", "http://127.0.0.1:" + port + "/metrics",
                Optional.empty())).as("no plain HTTP on a TLS listener").isInstanceOf(IOException.class);
        assertThatThrownBy(() -> send(HttpClient.newHttpClient(), "GET", base + "/metrics", Optional.of(PASSWORD)))
                .as("a client that does not trust the certificate").isInstanceOf(IOException.class);
    }

    @Test
    void statusGetsThroughWithAPasswordFileAndSaysWhyWithout(Vertx vertx) throws Exception {
        HeadroomConfig cfg = config("");
        int port = serve(vertx, cfg);
        Path daemonCfg = dir.resolve("status.yaml");
        Files.writeString(daemonCfg, "server: {listen: '127.0.0.1:" + port + "', web_config_file: web.yml}\n");
        Path pw = dir.resolve("password");
        Files.writeString(pw, PASSWORD + "\n");

        Run ok = headroom("status", "--config", daemonCfg.toString(), "--user", "prometheus", "--password-file",
                pw.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("cycle 7 at 2026-11-28T10:00:00Z, mode enforce, 4 workload(s)");

        Run refused = headroom("status", "--config", daemonCfg.toString());
        assertThat(refused.exit()).isEqualTo(Main.EXIT_RUNTIME);
        assertThat(refused.err()).contains("refused the credentials");

        Run half = headroom("status", "--config", daemonCfg.toString(), "--user", "prometheus");
        assertThat(half.exit()).isNotZero();
        assertThat(half.err()).contains("--user and --password-file go together");

        Run viaUrl = headroom("status", "--url", "https://127.0.0.1:" + port, "--ca-file",
                dir.resolve("cert.pem").toString(), "--user", "prometheus", "--password-file", pw.toString());
        assertThat(viaUrl.exit()).as(viaUrl.err()).isZero();
    }

    @Test
    void mutualTlsRefusesAClientWithoutACertificate(Vertx vertx) throws Exception {
        HeadroomConfig cfg = config("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: cert.pem");
        assertThat(cfg.server().web().tls().orElseThrow().clientAuth().yaml()).isEqualTo("RequireAndVerifyClientCert");
        int port = serve(vertx, cfg);
        assertThatThrownBy(() -> send(trusting(), "GET", "https://127.0.0.1:" + port + "/metrics",
                Optional.of(PASSWORD))).isInstanceOf(IOException.class);
    }
}
