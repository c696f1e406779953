package io.headroom.collect;

import static io.headroom.collect.TestSupport.json;
import static io.headroom.collect.TestSupport.matrix;
import static io.headroom.collect.TestSupport.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.headroom.config.PrometheusConfig;
import io.headroom.config.PrometheusConfig.BasicAuth;
import io.headroom.metrics.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials and extra headers reach the server on every call, and nowhere else. */
class PrometheusClientAuthTest {

    private static final String TOKEN = "tok-3f9a1c7e5b";
    private static final String PASSWORD = "hunter2-8d2e4a6c";
    private static final Instant START = Instant.parse("2026-01-02T03:00:00Z");

    @TempDir
    Path dir;

    private final MockWebServer server = new MockWebServer();
    private final Metrics metrics = Metrics.isolated();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private PrometheusConfig config(Optional<Path> tokenFile, Optional<BasicAuth> basic, Map<String, String> headers) {
        return new PrometheusConfig(server.url("/").uri(), Duration.ofSeconds(5), tokenFile, basic, Optional.empty(),
                headers, 11_000, TestSupport.retry(2));
    }

    private Path secret(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private RecordedRequest taken() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("request reached the server").isNotNull();
        return request;
    }

    @Test
    void theTrimmedBearerTokenAndExtraHeadersAreSentOnEveryCall() throws Exception {
        Path tokenFile = secret("token", "  " + TOKEN + "\n");
        server.enqueue(ok(matrix()));
        server.enqueue(ok(TestSupport.success("[]")));

        try (PrometheusClient client = new PrometheusClient(
                config(Optional.of(tokenFile), Optional.empty(), Map.of("X-Scope-OrgID", "tenant-a")), metrics)) {
            client.queryRange("up", START, START.plusSeconds(60), Duration.ofSeconds(15));
            client.labelValues("domain", List.of(), START, START.plusSeconds(60));
        }

        for (int i = 0; i < 2; i++) {
            RecordedRequest request = taken();
            assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(request.getHeaders().get("X-Scope-OrgID")).isEqualTo("tenant-a");
        }
    }

    @Test
    void basicAuthReadsThePasswordFromItsFile() throws Exception {
        Path passwordFile = secret("password", PASSWORD + "\n");
        server.enqueue(ok(matrix()));

        try (PrometheusClient client = new PrometheusClient(
                config(Optional.empty(), Optional.of(new BasicAuth("headroom", passwordFile)), Map.of()), metrics)) {
            client.queryRange("up", START, START.plusSeconds(60), Duration.ofSeconds(15));
        }

        String expected = Base64.getEncoder()
                .encodeToString(("headroom:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(taken().getHeaders().get("Authorization")).isEqualTo("Basic " + expected);
    }

    @Test
    void theTokenAppearsInNoExceptionMessageAndNoLogLine() throws Exception {
        Path tokenFile = secret("token", TOKEN);
        // The server echoes the Authorization header in its error body, as some proxies do.
        server.enqueue(json(500, "{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"" + TOKEN + "\"}"));
        server.enqueue(json(401, "{\"status\":\"error\",\"errorType\":\"unauthorized\",\"error\":\"bad token "
                + TOKEN + "\"}"));

        try (TestSupport.LogCapture logs = new TestSupport.LogCapture(PrometheusClient.class);
                PrometheusClient client = new PrometheusClient(
                        config(Optional.of(tokenFile), Optional.empty(), Map.of()), metrics)) {
            assertThatThrownBy(() -> client.queryRange("up", START, START.plusSeconds(60), Duration.ofSeconds(15)))
                    .isInstanceOf(PrometheusException.class)
                    .hasMessageContaining("unauthorized: bad token <redacted>")
                    .hasMessageNotContaining(TOKEN);
            assertThat(logs.events()).isNotEmpty()
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .allSatisfy(message -> assertThat(message).doesNotContain(TOKEN));
        }
    }

    @Test
    void noPartOfAnEchoedPasswordInAnUnparsableBodyIsQuoted() throws Exception {
        Path passwordFile = secret("password", PASSWORD);
        server.enqueue(ok(PASSWORD));

        try (PrometheusClient client = new PrometheusClient(
                config(Optional.empty(), Optional.of(new BasicAuth("headroom", passwordFile)), Map.of()), metrics)) {
            assertThatThrownBy(() -> client.queryRange("up", START, START.plusSeconds(60), Duration.ofSeconds(15)))
                    .isInstanceOfSatisfying(PrometheusException.class,
                            e -> assertThat(e.reason()).isEqualTo(PrometheusException.Reason.BAD_RESPONSE))
                    .hasMessageContaining("unreadable response")
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void anUnreadableSecretFileIsNamedButNotRead() {
        Path missing = dir.resolve("no-such-token");

        assertThatThrownBy(() -> new PrometheusClient(config(Optional.of(missing), Optional.empty(), Map.of()), metrics))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void bearerTokenAndBasicAuthTogetherAreRefused() throws IOException {
        Path tokenFile = secret("token", TOKEN);
        Path passwordFile = secret("password", PASSWORD);

        assertThatThrownBy(() -> new PrometheusClient(config(Optional.of(tokenFile),
                Optional.of(new BasicAuth("u", passwordFile)), Map.of()), metrics))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(TOKEN)
                .hasMessageNotContaining(PASSWORD);
    }
}
