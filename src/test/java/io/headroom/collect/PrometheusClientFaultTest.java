package io.headroom.collect;

import static io.headroom.collect.TestSupport.config;
import static io.headroom.collect.TestSupport.durationCount;
import static io.headroom.collect.TestSupport.error;
import static io.headroom.collect.TestSupport.errors;
import static io.headroom.collect.TestSupport.json;
import static io.headroom.collect.TestSupport.matrix;
import static io.headroom.collect.TestSupport.ok;
import static io.headroom.collect.TestSupport.requests;
import static io.headroom.collect.TestSupport.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.headroom.collect.PrometheusException.Reason;
import io.headroom.config.PrometheusConfig;
import io.headroom.metrics.Metrics;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failures of a real HTTP server, injected with MockWebServer, and how the client reports and counts them. */
class PrometheusClientFaultTest {

    private static final String QUERY = "sum by (domain) (rate(libvirt_domain_info_cpu_time_seconds_total[5m]))";
    private static final Instant START = Instant.parse("2026-01-02T03:00:00Z");
    private static final Instant END = START.plusSeconds(60);
    private static final Duration STEP = Duration.ofSeconds(15);

    private final MockWebServer server = new MockWebServer();
    private final Metrics metrics = Metrics.isolated();
    private PrometheusClient client;

    @BeforeEach
    void start() throws IOException {
        server.start();
        client = new PrometheusClient(config(server.url("/").uri(), 3, 11_000), metrics);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private List<Series> queryRange() {
        return client.queryRange(QUERY, START, END, STEP);
    }

    private static String oneSeries() {
        return matrix(series(Map.of("domain", "vm1"), 1767322800, "1", 1767322815, "2"));
    }

    @Test
    void aServerErrorIsRetriedAndEveryAttemptIsCounted() {
        server.enqueue(json(500, "internal"));
        server.enqueue(ok(oneSeries()));

        List<Series> result = queryRange();

        assertThat(result).hasSize(1);
        assertThat(result.get(0).values()).containsExactly(1, 2);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(requests(metrics, "query_range")).isEqualTo(2);
        assertThat(durationCount(metrics, "query_range")).isEqualTo(2);
        assertThat(errors(metrics, "query_range", "http_5xx")).isEqualTo(1);
    }

    @Test
    void tooManyRequestsIsRetried() {
        server.enqueue(json(429, "slow down"));
        server.enqueue(ok(oneSeries()));

        assertThat(queryRange()).hasSize(1);
        assertThat(errors(metrics, "query_range", "http_4xx")).isEqualTo(1);
    }

    @Test
    void eachRetryIsLoggedAtWarnWithEndpointReasonAndAttempt() {
        server.enqueue(json(503, error("unavailable", "not ready")));
        server.enqueue(ok(oneSeries()));

        try (TestSupport.LogCapture logs = new TestSupport.LogCapture(PrometheusClient.class)) {
            queryRange();
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains("query_range", "http_5xx", "attempt 2 of 3");
        }
    }

    @Test
    void aBadRequestIsNotRetriedAndSurfacesPrometheusErrorAndTheQuery() {
        server.enqueue(json(400, error("bad_data", "1:5: parse error: unexpected <by>")));

        assertThatThrownBy(this::queryRange)
                .isInstanceOfSatisfying(PrometheusException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.HTTP_4XX);
                    assertThat(e.httpStatus()).hasValue(400);
                    assertThat(e.query()).isEqualTo(QUERY);
                    assertThat(e.endpoint()).isEqualTo("query_range");
                })
                .hasMessageContaining("bad_data: 1:5: parse error: unexpected <by>")
                .hasMessageContaining(QUERY);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(errors(metrics, "query_range", "http_4xx")).isEqualTo(1);
    }

    @Test
    void persistentServerErrorsFailAfterMaxAttemptsWithTheServerText() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(json(503, error("timeout", "query timed out in expression evaluation")));
        }

        assertThatThrownBy(this::queryRange)
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.HTTP_5XX))
                .hasMessageContaining("timeout: query timed out in expression evaluation");
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(errors(metrics, "query_range", "http_5xx")).isEqualTo(3);
    }

    @Test
    void aServerThatNeverAnswersTimesOutAfterMaxAttempts() {
        client.close();
        client = new PrometheusClient(withTimeout(Duration.ofMillis(200), 2), metrics);
        MockResponse stall = new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
        server.enqueue(stall);
        server.enqueue(stall);

        assertThatThrownBy(this::queryRange)
                .isInstanceOfSatisfying(PrometheusException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
                    assertThat(e.httpStatus()).isEmpty();
                });
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(errors(metrics, "query_range", "timeout")).isEqualTo(2);
    }

    @Test
    void prometheusOwnTimeoutErrorArrivesAlthoughItComesJustAfterTheTimeout() {
        client.close();
        client = new PrometheusClient(withTimeout(Duration.ofMillis(200), 1), metrics);
        server.enqueue(new MockResponse.Builder(json(503, error("timeout", "query timed out in query execution")))
                .headersDelay(250, TimeUnit.MILLISECONDS)
                .build());

        assertThatThrownBy(this::queryRange)
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.HTTP_5XX))
                .hasMessageContaining("query timed out in query execution");
    }

    @Test
    void headersWithoutABodyTimeOut() {
        client.close();
        client = new PrometheusClient(withTimeout(Duration.ofMillis(200), 1), metrics);
        server.enqueue(new MockResponse.Builder().body(oneSeries()).onResponseBody(SocketEffect.Stall.INSTANCE).build());

        assertThatThrownBy(this::queryRange)
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
    }

    @Test
    void aResponseThatTricklesInTimesOutInsteadOfBeingWaitedFor() {
        client.close();
        client = new PrometheusClient(withTimeout(Duration.ofMillis(300), 1), metrics);
        // 10 bytes every 60 ms: ~900 ms for the whole body, past the 600 ms bound on the call, and a bad response
        // if it were read to the end. The body is no longer because the server finishes writing it before it can
        // be closed.
        server.enqueue(new MockResponse.Builder()
                .body("{\"status\":" + " ".repeat(140) + "}")
                .throttleBody(10, 60, TimeUnit.MILLISECONDS)
                .build());

        assertThatThrownBy(this::queryRange)
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
    }

    @Test
    void aRefusedConnectionIsRetriedAndReportedAsConnect() throws IOException {
        MockWebServer closed = new MockWebServer();
        closed.start();
        URI deadUrl = closed.url("/").uri();
        closed.close();
        client.close();
        client = new PrometheusClient(config(deadUrl, 2, 11_000), metrics);

        assertThatThrownBy(this::queryRange)
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CONNECT));
        assertThat(requests(metrics, "query_range")).isEqualTo(2);
        assertThat(errors(metrics, "query_range", "connect")).isEqualTo(2);
    }

    @Test
    void aGarbageBodyIsABadResponseAndNotRetried() {
        server.enqueue(ok("<html>502 Bad Gateway</html>"));

        assertThatThrownBy(this::queryRange)
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE))
                .hasMessageContaining("unreadable response");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(errors(metrics, "query_range", "bad_response")).isEqualTo(1);
    }

    @Test
    void truncatedJsonIsABadResponse() {
        String body = oneSeries();
        server.enqueue(ok(body.substring(0, body.length() - 10)));

        assertThatThrownBy(this::queryRange)
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE));
    }

    @Test
    void anErrorStatusInASuccessfulResponseSurfacesErrorTypeAndText() {
        server.enqueue(ok(error("execution", "many-to-many matching not allowed")));

        assertThatThrownBy(this::queryRange)
                .isInstanceOfSatisfying(PrometheusException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.API_ERROR);
                    assertThat(e.httpStatus()).hasValue(200);
                })
                .hasMessageContaining("execution: many-to-many matching not allowed");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(errors(metrics, "query_range", "api_error")).isEqualTo(1);
    }

    @Test
    void aVectorWhereAMatrixIsExpectedIsABadResponse() {
        server.enqueue(ok(TestSupport.success("{\"resultType\":\"vector\",\"result\":[]}")));

        assertThatThrownBy(this::queryRange)
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE))
                .hasMessageContaining("expected resultType matrix, got vector");
    }

    @Test
    void aStringWhereAnInstantVectorIsExpectedIsABadResponse() {
        server.enqueue(ok(TestSupport.success("{\"resultType\":\"string\",\"result\":[1767322800,\"hello\"]}")));

        assertThatThrownBy(() -> client.query("\"hello\"", START))
                .isInstanceOfSatisfying(PrometheusException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE);
                    assertThat(e.endpoint()).isEqualTo("query");
                })
                .hasMessageContaining("expected a vector or scalar result, got resultType string");
        assertThat(errors(metrics, "query", "bad_response")).isEqualTo(1);
    }

    @Test
    void aValueThatIsNotANumberIsABadResponse() {
        server.enqueue(ok(matrix(series(Map.of("domain", "vm1"), 1767322800, "lots"))));

        assertThatThrownBy(this::queryRange)
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE))
                .hasMessageContaining("not a sample value: \"lots\"");
    }

    @Test
    void aMissingStatusIsABadResponse() {
        server.enqueue(ok("{\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"));

        assertThatThrownBy(this::queryRange)
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE));
    }

    private PrometheusConfig withTimeout(Duration timeout, int maxAttempts) {
        return new PrometheusConfig(server.url("/").uri(), timeout, Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of(), 11_000, TestSupport.retry(maxAttempts));
    }
}
