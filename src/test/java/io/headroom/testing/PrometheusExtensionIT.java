package io.headroom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backfills known series, then reads them back through the HTTP API: exact values, PromQL counter semantics,
 * special values and label escaping. The nested class checks that scrape targets are scraped.
 */
class PrometheusExtensionIT {

    static final long STEP = 30;
    /** Two hours of samples. */
    static final int N = 240;
    /** Last sample: the present, rounded down to the step, to show that backfill may reach "now". */
    static final long END = Instant.now().getEpochSecond() / STEP * STEP;
    static final long START = END - (N - 1) * STEP;
    /** Index of the first counter sample after the reset. */
    static final int RESET_AT = 120;
    static final String ESCAPED = "quote \" backslash \\ newline \n end";

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder()
            .backfill(PrometheusExtensionIT::history)
            .backfill("# HELP test_text_gauge Given as text.\n# TYPE test_text_gauge gauge\n"
                    + "test_text_gauge{source=\"text\"} 7 " + (END - 3600) + "\n# EOF\n")
            .build();

    /** Gauge 1..N; counter +10 per step with a reset to 10 at {@link #RESET_AT}; special values at START. */
    static void history(OpenMetricsWriter out) {
        OpenMetricsWriter.Family gauge = out.gauge("test_metric", "Known values 1..N.");
        OpenMetricsWriter.Family counter = out.counter("test_requests_total", "Counter with one reset.");
        OpenMetricsWriter.Family special = out.gauge("test_special", "Values with special spellings.");
        special.sample(Map.of("case", "nan"), Double.NaN, START)
                .sample(Map.of("case", "inf"), Double.POSITIVE_INFINITY, START)
                .sample(Map.of("case", "ninf"), Double.NEGATIVE_INFINITY, START)
                .sample(Map.of("case", "escaped", "note", ESCAPED), 1.5, START);
        // Time-major and interleaved on purpose: the writer must still group the families.
        for (int i = 0; i < N; i++) {
            long t = START + i * STEP;
            gauge.sample(Map.of("domain", "a"), i + 1, t);
            counter.sample(Map.of("domain", "a"), i < RESET_AT ? 10.0 * (i + 1) : 10.0 * (i - RESET_AT + 1), t);
        }
    }

    @Test
    void backfilledGaugeComesBackExactly() throws Exception {
        JsonNode result = queryRange("test_metric", START, END);

        assertThat(result).hasSize(1);
        assertThat(result.get(0).get("metric").toString()).isEqualTo("{\"__name__\":\"test_metric\",\"domain\":\"a\"}");
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            expected.add((START + i * STEP) + "=" + (i + 1));
        }
        result.get(0).get("values").forEach(point -> actual.add(point.get(0).asLong() + "=" + point.get(1).asText()));
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void backfillReachingThePresentIsQueryableAtNow() throws Exception {
        // No time parameter: evaluated at the server's now, which is within the 5-minute lookback of END.
        JsonNode result = HttpJson.get(prometheus.baseUrl() + "/api/v1/query", Map.of("query", "test_metric"))
                .at("/data/result");

        assertThat(result).hasSize(1);
        assertThat(result.get(0).at("/value/1").asText()).isEqualTo(String.valueOf(N));
    }

    @Test
    void counterRateIsUnaffectedByTheReset() throws Exception {
        long resetTime = START + RESET_AT * STEP;
        // Raw values: the reset really is in the data.
        JsonNode raw = queryRange("test_requests_total", resetTime - STEP, resetTime).get(0).get("values");
        assertThat(raw.get(0).get(1).asText()).isEqualTo(String.valueOf(10 * RESET_AT));
        assertThat(raw.get(1).get(1).asText()).isEqualTo("10");

        // rate() treats a drop as a reset from zero, so +10 per 30 s holds on both sides and across it.
        JsonNode rate = queryRange("rate(test_requests_total[2m])", resetTime - 10 * STEP, resetTime + 10 * STEP)
                .get(0).get("values");
        assertThat(rate).hasSize(21);
        rate.forEach(point -> assertThat(point.get(1).asDouble())
                .as("rate at %s", point.get(0).asText()).isCloseTo(10.0 / 30.0, within(1e-12)));

        // Over the whole history the increase is the sum of the steps, not last minus first.
        assertThat(instant("increase(test_requests_total[" + (N - 1) * STEP + "s])", END).get(0).at("/value/1").asDouble())
                .isCloseTo(10.0 * (N - 1), within(1e-9));
        assertThat(instant("resets(test_requests_total[5m])", resetTime).get(0).at("/value/1").asText()).isEqualTo("1");
        assertThat(instant("resets(test_requests_total[5m])", resetTime - STEP).get(0).at("/value/1").asText())
                .isEqualTo("0");
    }

    @Test
    void specialValuesAndEscapedLabelsSurviveTheRoundTrip() throws Exception {
        Map<String, String> byCase = new HashMap<>();
        String note = null;
        for (JsonNode series : instant("test_special", START)) {
            byCase.put(series.at("/metric/case").asText(), series.at("/value/1").asText());
            if (series.at("/metric/note").isTextual()) {
                note = series.at("/metric/note").asText();
            }
        }

        assertThat(byCase).containsExactlyInAnyOrderEntriesOf(
                Map.of("nan", "NaN", "inf", "+Inf", "ninf", "-Inf", "escaped", "1.5"));
        assertThat(note).isEqualTo(ESCAPED);
    }

    @Test
    void openMetricsTextBackfillIsLoadedToo() throws Exception {
        JsonNode result = instant("test_text_gauge", END - 3600);

        assertThat(result).hasSize(1);
        assertThat(result.get(0).at("/value/1").asText()).isEqualTo("7");
    }

    @Test
    void dataDirHoldsTheBackfilledBlocks() throws IOException {
        try (Stream<Path> entries = Files.list(prometheus.dataDir())) {
            assertThat(entries.filter(dir -> Files.exists(dir.resolve("meta.json")))).isNotEmpty();
        }
        assertThat(prometheus.baseUrl()).isEqualTo("http://127.0.0.1:" + prometheus.port());
    }

    static JsonNode queryRange(String query, long start, long end) throws Exception {
        JsonNode body = HttpJson.get(prometheus.baseUrl() + "/api/v1/query_range", Map.of(
                "query", query, "start", Long.toString(start), "end", Long.toString(end), "step", STEP + "s"));
        assertThat(body.get("status").asText()).isEqualTo("success");
        return body.at("/data/result");
    }

    static JsonNode instant(String query, long time) throws Exception {
        JsonNode body = HttpJson.get(prometheus.baseUrl() + "/api/v1/query",
                Map.of("query", query, "time", Long.toString(time)));
        assertThat(body.get("status").asText()).isEqualTo("success");
        return body.at("/data/result");
    }

    /** A second Prometheus, running beside the outer one, scraping a tiny HTTP server every second. */
    @Nested
    class ScrapeTarget {

        static final AtomicInteger scrapes = new AtomicInteger();
        static final HttpServer target = startTarget();

        @RegisterExtension
        static final PrometheusExtension scraping = PrometheusExtension.builder()
                .scrapeTarget("headroom_fake", "127.0.0.1:" + target.getAddress().getPort())
                .scrapeInterval(Duration.ofSeconds(1))
                .build();

        static HttpServer startTarget() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                server.createContext("/metrics", exchange -> {
                    scrapes.incrementAndGet();
                    byte[] body = "# HELP fake_value A constant.\n# TYPE fake_value gauge\nfake_value 42\n"
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
                server.start();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @AfterAll
        static void stopTarget() {
            target.stop(0);
        }

        @Test
        void targetIsScrapedAndItsSamplesAreQueryable() throws Exception {
            String base = scraping.baseUrl();
            assertThat(base).isNotEqualTo(prometheus.baseUrl());

            JsonNode up = Poll.until(Duration.ofSeconds(30), "up{job=\"headroom_fake\"} == 1",
                    () -> HttpJson.get(base + "/api/v1/query", Map.of("query", "up{job=\"headroom_fake\"}"))
                            .at("/data/result"),
                    result -> result.size() == 1 && result.get(0).at("/value/1").asText().equals("1"));

            assertThat(up.get(0).at("/metric/instance").asText()).isEqualTo("127.0.0.1:" + target.getAddress().getPort());
            JsonNode value = HttpJson.get(base + "/api/v1/query", Map.of("query", "fake_value{job=\"headroom_fake\"}"))
                    .at("/data/result");
            assertThat(value.get(0).at("/value/1").asText()).isEqualTo("42");
            assertThat(scrapes.get()).isPositive();
            // The outer server has no scrape config: the target belongs to this one only.
            assertThat(HttpJson.get(prometheus.baseUrl() + "/api/v1/query", Map.of("query", "up")).at("/data/result"))
                    .isEmpty();
        }
    }
}
