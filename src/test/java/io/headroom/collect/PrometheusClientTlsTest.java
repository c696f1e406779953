package io.headroom.collect;

import static io.headroom.collect.TestSupport.matrix;
import static io.headroom.collect.TestSupport.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.collect.PrometheusException.Reason;
import io.headroom.config.PrometheusConfig;
import io.headroom.metrics.Metrics;
import io.headroom.net.TrustAnchors;
import io.headroom.testing.TestTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA file is the only trust anchor: the server's own CA is accepted, any other is not. */
class PrometheusClientTlsTest {

    private static final Instant START = Instant.parse("2026-01-02T03:00:00Z");

    @TempDir
    static Path dir;

    private static TestTls tls;
    private static Path serverPem;
    private static Path otherPem;

    private final MockWebServer server = new MockWebServer();

    @BeforeAll
    static void makeCertificates() throws Exception {
        tls = TestTls.create(dir);
        serverPem = tls.serverPem();
        otherPem = tls.otherPem();
    }

    @BeforeEach
    void startHttps() throws Exception {
        server.useHttps(tls.serverSocketFactory());
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
