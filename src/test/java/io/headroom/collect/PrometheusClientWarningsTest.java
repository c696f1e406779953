package io.headroom.collect;

import static io.headroom.collect.TestSupport.config;
import static io.headroom.collect.TestSupport.counter;
import static io.headroom.collect.TestSupport.ok;
import static io.headroom.collect.TestSupport.series;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.headroom.metrics.Metrics;
import io.headroom.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partial answer, as Thanos gives with a store down: {@code "status": "success"} with {@code warnings}. The data is
 * still used, but every warning is counted and the distinct ones are logged at WARN, each at most once per
 * {@link PrometheusClient#WARNING_LOG_EVERY} on an injected clock.
 */
class PrometheusClientWarningsTest {

    private static final String QUERY = "sum by (domain) (rate(libvirt_domain_info_cpu_time_seconds_total[5m]))";
    private static final Instant START = Instant.parse("2026-01-02T03:00:00Z");
    private static final String STORE_DOWN = "receive-0: store unavailable, results may be partial";
    private static final String LIMIT = "query hit the series limit of 10000";

    private final MockWebServer server = new MockWebServer();
    private final Metrics metrics = Metrics.isolated();
    private final MutableClock clock = new MutableClock(START);
    private PrometheusClient client;

    @BeforeEach
    void start() throws IOException {
        server.start();
        client = new PrometheusClient(config(server.url("/").uri(), 1, 11_000), metrics, clock);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    /** A one-series matrix answer carrying {@code warnings}. */
    private static String partial(String... warnings) {
        String list = String.join(",", java.util.Arrays.stream(warnings).map(w -> "\"" + w + "\"").toList());
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + series(Map.of("domain", "vm1"), 1767322800, "1", 1767322815, "2") + "]},\"warnings\":[" + list + "]}";
    }

    private List<Series> queryRange() {
        return client.queryRange(QUERY, START, START.plusSeconds(15), Duration.ofSeconds(15));
    }

    private double warnings(String endpoint) {
        return counter(metrics, "headroom_prometheus_warnings_total", endpoint);
    }

    @Test
    void warningsAreCountedAndLoggedAtWarnWhileTheDataIsStillUsed() {
        server.enqueue(ok(partial(STORE_DOWN, LIMIT)));

        try (TestSupport.LogCapture logs = new TestSupport.LogCapture(PrometheusClient.class)) {
            assertThat(queryRange()).singleElement().satisfies(s -> assertThat(s.values()).containsExactly(1, 2));

            assertThat(warnings("query_range")).isEqualTo(2);
            assertThat(logs.messages(Level.WARN)).hasSize(2)
                    .anySatisfy(m -> assertThat(m).contains("query_range", QUERY, STORE_DOWN))
                    .anySatisfy(m -> assertThat(m).contains(LIMIT));
        }
    }

    @Test
    void aRepeatedWarningIsCountedEveryTimeButLoggedOncePerPeriod() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(ok(partial(STORE_DOWN)));
        }

        try (TestSupport.LogCapture logs = new TestSupport.LogCapture(PrometheusClient.class)) {
            queryRange();
            clock.advance(Duration.ofMinutes(1));
            queryRange();
            clock.advance(PrometheusClient.WARNING_LOG_EVERY.minusMinutes(2));
            queryRange();
            assertThat(logs.messages(Level.WARN)).hasSize(1);

            clock.advance(Duration.ofMinutes(1));
            queryRange();
            assertThat(logs.messages(Level.WARN)).hasSize(2);
        }
        assertThat(warnings("query_range")).isEqualTo(4);
    }

    @Test
    void anAnswerWithoutWarningsCountsNone() {
        server.enqueue(ok(TestSupport.matrix(series(Map.of("domain", "vm1"), 1767322800, "1"))));

        queryRange();

        assertThat(warnings("query_range")).isZero();
    }
}
