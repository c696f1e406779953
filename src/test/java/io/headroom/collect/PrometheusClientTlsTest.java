package io.headroom.collect;

import static io.headroom.collect.TestSupport.matrix;
import static io.headroom.collect.TestSupport.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.collect.PrometheusException.Reason;
import io.headroom.config.PrometheusConfig;
import io.headroom.http.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA file is the only trust anchor: the server's own CA is accepted, any other is not. */
class PrometheusClientTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final Instant START = Instant.parse("2026-01-02T03:00:00Z");

    @TempDir
    static Path dir;

    private static Path serverKeyStore;
    private static Path serverPem;
    private static Path otherPem;

    private final MockWebServer server = new MockWebServer();

    /** keytool, because the JDK has no public API to make a certificate and okhttp-tls is not a dependency. */
    @BeforeAll
    static void makeCertificates() throws Exception {
        serverKeyStore = dir.resolve("server.p12");
        serverPem = dir.resolve("server.pem");
        otherPem = dir.resolve("other.pem");
        Path otherKeyStore = dir.resolve("other.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", serverKeyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", serverKeyStore.toString(),
                "-storepass", "changeit", "-file", serverPem.toString());
        keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", otherKeyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "other", "-keystore", otherKeyStore.toString(),
                "-storepass", "changeit", "-file", otherPem.toString());
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool %s exit code", args[0]).isZero();
    }

    @BeforeEach
    void startHttps() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverKeyStore)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        server.useHttps(context.getSocketFactory());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private PrometheusClient client(Path caFile) {
        return new PrometheusClient(new PrometheusConfig(server.url("/").uri(), Duration.ofSeconds(5),
                Optional.empty(), Optional.empty(), Optional.of(caFile), Map.of(), 11_000, TestSupport.retry(1)),
                Metrics.isolated());
    }

    private void queryRange(PrometheusClient client) {
        client.queryRange("up", START, START.plusSeconds(60), Duration.ofSeconds(15));
    }

    @Test
    void aBundleHoldingTheServersCaAmongOthersIsTrusted() throws IOException {
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(otherPem) + Files.readString(serverPem));
        server.enqueue(ok(matrix()));

        try (PrometheusClient client = client(bundle)) {
            queryRange(client);
        }

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(TrustAnchors.fromPem(bundle).trustManager().getAcceptedIssuers()).hasSize(2);
    }

    @Test
    void aServerSignedByAnotherCaIsRefused() {
        try (PrometheusClient client = client(otherPem)) {
            assertThatThrownBy(() -> queryRange(client))
                    .isInstanceOfSatisfying(PrometheusException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.CONNECT));
        }
    }

    @Test
    void aCaFileWithoutCertificatesIsRefusedAtConstruction() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");

        assertThatThrownBy(() -> client(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toString());
    }
}
