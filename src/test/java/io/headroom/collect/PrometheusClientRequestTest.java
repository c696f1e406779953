package io.headroom.collect;

import static io.headroom.collect.TestSupport.config;
import static io.headroom.collect.TestSupport.form;
import static io.headroom.collect.TestSupport.matrix;
import static io.headroom.collect.TestSupport.ok;
import static io.headroom.collect.TestSupport.requests;
import static io.headroom.collect.TestSupport.series;
import static io.headroom.collect.TestSupport.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.headroom.config.PrometheusConfig;
import io.headroom.config.PrometheusConfig.Compression;
import io.headroom.metrics.Metrics;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the client sends for each endpoint and how it reads well-formed answers. */
class PrometheusClientRequestTest {

    private static final Instant START = Instant.parse("2026-01-02T03:00:00Z");
    private static final long START_S = START.getEpochSecond();

    private final MockWebServer server = new MockWebServer();
    private final Metrics metrics = Metrics.isolated();
    private PrometheusClient client;

    @BeforeEach
    void start() throws IOException {
        server.start();
        client = new PrometheusClient(config(server.url("/prom/").uri(), 1, 11_000), metrics);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private RecordedRequest taken() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("request reached the server").isNotNull();
        return request;
    }

    @Test
    void rangeQueriesArePostedAsAFormWithExplicitRangeStepAndTimeout() throws InterruptedException {
        server.enqueue(ok(matrix()));

        client.queryRange("up", START, START.plusSeconds(3600), Duration.ofMillis(15_500));

        RecordedRequest request = taken();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/prom/api/v1/query_range");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(form(request)).containsExactly(
                entry("query", "up"),
                entry("start", Long.toString(START_S)),
                // the last grid point, not the requested end: 3600 s is not a multiple of 15.5 s
                entry("end", Long.toString(START_S + 3596)),
                entry("step", "15.5"),
                entry("timeout", "5"));
    }

    @Test
    void matrixValuesIncludingNaNAndInfinitiesAreParsedWithMillisecondTimestamps() {
        server.enqueue(ok(matrix(
                series(Map.of("domain", "vm1", "__name__", "x"),
                        START_S + ".25", "1.5", START_S + 15.25, "NaN", START_S + 30.25, "+Inf",
                        START_S + 45.25, "-Inf", START_S + 60.25, "1e-7"),
                series(Map.of("domain", "vm2"), START_S, "0"))));

        List<Series> result = client.queryRange("x", START, START.plusSeconds(60), Duration.ofSeconds(15));

        assertThat(result).hasSize(2);
        Series vm1 = result.get(0);
        assertThat(vm1.labels()).containsOnly(entry("domain", "vm1"), entry("__name__", "x"));
        long t0 = START.toEpochMilli() + 250;
        assertThat(vm1.timestamps()).containsExactly(t0, t0 + 15_000, t0 + 30_000, t0 + 45_000, t0 + 60_000);
        assertThat(vm1.values()).containsExactly(
                1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-7);
        assertThat(result.get(1).timestamps()).containsExactly(START.toEpochMilli());
    }

    @Test
    void anEmptyMatrixIsAnEmptyList() {
        server.enqueue(ok(matrix()));

        assertThat(client.queryRange("absent", START, START.plusSeconds(60), Duration.ofSeconds(15))).isEmpty();
    }

    @Test
    void unknownFieldsAndWarningsAreTolerated() {
        server.enqueue(ok("{\"status\":\"success\",\"warnings\":[\"PromQL info: not a counter\"],"
                + "\"data\":{\"result\":[{\"metric\":{},\"values\":[[" + START_S + ",\"1\"]],\"extra\":{\"a\":[1]}}],"
                + "\"stats\":{\"timings\":{}},\"resultType\":\"matrix\"},\"infos\":[]}"));

        List<Series> result = client.queryRange("x", START, START.plusSeconds(60), Duration.ofSeconds(15));

        assertThat(result).singleElement().satisfies(s -> assertThat(s.values()).containsExactly(1));
    }

    @Test
    void instantQueriesReturnTheVector() throws InterruptedException {
        server.enqueue(ok(success("{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"domain\":\"vm1\"},\"value\":[" + START_S + ".5,\"42\"]},"
                + "{\"metric\":{\"domain\":\"vm2\"},\"value\":[" + START_S + ".5,\"NaN\"]}]}")));

        List<Sample> samples = client.query("up", START.plusMillis(500));

        assertThat(samples).containsExactly(
                new Sample(Map.of("domain", "vm1"), START.toEpochMilli() + 500, 42),
                new Sample(Map.of("domain", "vm2"), START.toEpochMilli() + 500, Double.NaN));
        RecordedRequest request = taken();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/prom/api/v1/query");
        assertThat(form(request)).containsExactly(
                entry("query", "up"), entry("time", START_S + ".5"), entry("timeout", "5"));
        assertThat(requests(metrics, "query")).isEqualTo(1);
    }

    @Test
    void aScalarInstantResultIsOneSampleWithoutLabels() {
        server.enqueue(ok(success("{\"resultType\":\"scalar\",\"result\":[" + START_S + ",\"3\"]}")));

        assertThat(client.query("1+2", START)).containsExactly(new Sample(Map.of(), START.toEpochMilli(), 3));
    }

    @Test
    void seriesSendsEveryMatcherAndReturnsLabelSets() throws InterruptedException {
        server.enqueue(ok(success("[{\"__name__\":\"up\",\"job\":\"a\"},{\"__name__\":\"up\",\"job\":\"b\"}]")));

        List<Map<String, String>> sets =
                client.series(List.of("up{job=\"a\"}", "up{job=\"b\"}"), START, START.plusSeconds(60));

        assertThat(sets).containsExactly(Map.of("__name__", "up", "job", "a"), Map.of("__name__", "up", "job", "b"));
        RecordedRequest request = taken();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/prom/api/v1/series");
        assertThat(request.getUrl().queryParameterValues("match[]")).containsExactly("up{job=\"a\"}", "up{job=\"b\"}");
        assertThat(request.getUrl().queryParameter("start")).isEqualTo(Long.toString(START_S));
        assertThat(request.getUrl().queryParameter("end")).isEqualTo(Long.toString(START_S + 60));
        assertThat(requests(metrics, "series")).isEqualTo(1);
    }

    @Test
    void labelValuesUsesTheLabelPathAndMatchers() throws InterruptedException {
        server.enqueue(ok(success("[\"vm1\",\"vm2\"]")));

        List<String> values = client.labelValues("domain", List.of("libvirt_domain_info_state"), START,
                START.plusSeconds(600));

        assertThat(values).containsExactly("vm1", "vm2");
        RecordedRequest request = taken();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/prom/api/v1/label/domain/values");
        assertThat(request.getUrl().queryParameterValues("match[]")).containsExactly("libvirt_domain_info_state");
        assertThat(request.getUrl().queryParameter("end")).isEqualTo(Long.toString(START_S + 600));
        assertThat(requests(metrics, "label_values")).isEqualTo(1);
    }

    /** A range query of one series with {@code compression}, on its own client. */
    private List<Series> queryWith(Compression compression) {
        PrometheusConfig cfg = new PrometheusConfig(server.url("/").uri(), Duration.ofSeconds(5), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), 11_000, TestSupport.retry(1), compression);
        try (PrometheusClient own = new PrometheusClient(cfg, metrics)) {
            return own.queryRange("up", START, START.plusSeconds(60), Duration.ofSeconds(15));
        }
    }

    private static final String ONE_SERIES = matrix(series(Map.of("domain", "vm-1"), START_S, "0.25", START_S + 15,
            "0.5"));

    /** prometheus.compression: a Prometheus on this host is asked for plain answers, compressing costs both sides. */
    @Test
    void aPrometheusOnLoopbackIsAskedForPlainAnswersByDefault() throws Exception {
        server.enqueue(ok(ONE_SERIES));
        List<Series> plain = queryWith(Compression.AUTO);
        assertThat(taken().getHeaders().get("Accept-Encoding")).isEqualTo("identity");
        assertThat(plain).singleElement().satisfies(s -> assertThat(s.labels()).containsEntry("domain", "vm-1"));
    }

    @Test
    void gzipAnswersAreAskedForAndReadLikePlainOnes() throws Exception {
        server.enqueue(ok(ONE_SERIES));
        List<Series> plain = queryWith(Compression.NONE);
        assertThat(taken().getHeaders().get("Accept-Encoding")).isEqualTo("identity");

        Buffer gzipped = new Buffer();
        try (var sink = Okio.buffer(new GzipSink(gzipped))) {
            sink.writeUtf8(ONE_SERIES);
        }
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("Content-Encoding", "gzip").body(gzipped).build());
        List<Series> unzipped = queryWith(Compression.GZIP);
        assertThat(taken().getHeaders().get("Accept-Encoding")).isEqualTo("gzip");
        assertThat(unzipped).usingRecursiveComparison().isEqualTo(plain);
        assertThat(unzipped).singleElement().satisfies(s -> assertThat(s.size()).isEqualTo(2));
    }
}
