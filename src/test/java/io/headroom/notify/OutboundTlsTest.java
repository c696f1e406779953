package io.headroom.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.AdmissionConfig;
import io.headroom.config.AlertmanagerConfig;
import io.headroom.config.BackoffConfig;
import io.headroom.config.UrlTemplate;
import io.headroom.metrics.Metrics;
import io.headroom.testing.Poll;
import io.headroom.testing.TestTls;
import io.prometheus.client.Collector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ca_file} and {@code bearer_token_file} of Alertmanager and the admission hook: the CA file is the only trust
 * anchor (the server's own CA works, another does not) and the token goes out as {@code Authorization: Bearer}.
 */
class OutboundTlsTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String TOKEN = "am-s3cret-token";

    @TempDir
    static Path dir;

    static TestTls tls;
    static Path token;

    final MockWebServer server = new MockWebServer();
    final Metrics metrics = Metrics.isolated();

    @BeforeAll
    static void makeCertificatesAndToken() throws Exception {
        tls = TestTls.create(dir);
        token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
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

    AlertmanagerConfig alertmanager(Path caFile) {
        return new AlertmanagerConfig(List.of(server.url("/").uri()), Duration.ofMinutes(1), Duration.ofSeconds(2), 10,
                "kvm-test", Optional.empty(), new BackoffConfig(Duration.ofMillis(20), Duration.ofMillis(200)),
                Optional.of(token), Optional.of(caFile));
    }

    AdmissionConfig admission(Path caFile) {
        return new AdmissionConfig(true, Optional.of(new UrlTemplate(server.url("/lb/").toString() + "{workload}/{action}")),
                AdmissionConfig.Method.POST, Optional.of(token), Duration.ofMinutes(10), Duration.ofSeconds(2),
                new BackoffConfig(Duration.ofMillis(20), Duration.ofMillis(200)), Optional.of(caFile));
    }

    static List<ActiveAlert> oneAlert() {
        return List.of(ActiveAlert.event("HeadroomActuationFailed", "web-1", ActiveAlert.Severity.WARNING, "x"));
    }

    /** Sum over every label set, because which reason a TLS failure gets is OkHttp's business. */
    double total(String family) {
        return Collections.list(metrics.registry().metricFamilySamples()).stream()
                .flatMap(f -> f.samples.stream())
                .filter(s -> s.name.equals(family))
                .mapToDouble((Collector.MetricFamilySamples.Sample s) -> s.value).sum();
    }

    @Test
    void alertmanagerBehindThePrivateCaGetsTheBearerToken() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        try (AlertmanagerClient client = new AlertmanagerClient(alertmanager(tls.serverPem()), metrics)) {
            client.update(oneAlert(), Instant.parse("2026-12-01T00:00:00Z"));
            RecordedRequest r = server.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(r).as("the post arrived over TLS").isNotNull();
            assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        }
    }

    @Test
    void alertmanagerWithACertificateFromAnotherCaIsNotTrusted() throws Exception {
        try (AlertmanagerClient client = new AlertmanagerClient(alertmanager(tls.otherPem()), metrics)) {
            client.update(oneAlert(), Instant.parse("2026-12-01T00:00:00Z"));
            Poll.until(WAIT, "a failed post counted", () -> total("headroom_notifications_errors_total"), v -> v >= 1);
        }
        assertThat(server.getRequestCount()).as("no request got through the handshake").isZero();
    }

    @Test
    void admissionHookBehindThePrivateCaGetsTheBearerToken() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        try (AdmissionGate gate = new AdmissionGate(admission(tls.serverPem()), metrics)) {
            gate.update(List.of("web-1"));
            RecordedRequest r = server.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(r).as("the hook call arrived over TLS").isNotNull();
            assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(r.getUrl().encodedPath()).isEqualTo("/lb/web-1/pause");
        }
    }

    @Test
    void admissionHookWithACertificateFromAnotherCaIsNotTrusted() throws Exception {
        try (AdmissionGate gate = new AdmissionGate(admission(tls.otherPem()), metrics)) {
            gate.update(List.of("web-1"));
            Poll.until(WAIT, "a failed hook call counted", () -> total("headroom_admission_hook_errors_total"),
                    v -> v >= 1);
        }
        assertThat(server.getRequestCount()).isZero();
    }
}
