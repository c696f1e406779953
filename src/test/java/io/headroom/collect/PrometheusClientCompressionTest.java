package io.headroom.collect;

import static io.headroom.collect.TestSupport.matrix;
import static io.headroom.collect.TestSupport.ok;
import static io.headroom.collect.TestSupport.series;
import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * {@code prometheus.compression}: a Prometheus on this host is asked for plain answers (compressing them would
 * only cost both sides CPU), and a gzip answer, when asked for, reads the same as a plain one.
 */
class PrometheusClientCompressionTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final String BODY = matrix(series(Map.of("domain", "vm-1"), 1793491200, "0.25", 1793491215, "0.5"));

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

    private List<Series> query(Compression compression) {
        PrometheusConfig cfg = new PrometheusConfig(server.url("/").uri(), Duration.ofSeconds(5), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), 11_000, TestSupport.retry(1), compression);
        try (PrometheusClient client = new PrometheusClient(cfg, metrics)) {
            return client.queryRange("up", START, START.plusSeconds(60), Duration.ofSeconds(15));
        }
    }

    private RecordedRequest taken() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("request reached the server").isNotNull();
        return request;
    }

    @Test
    void aPrometheusOnLoopbackIsAskedForPlainAnswersByDefault() throws Exception {
        server.enqueue(ok(BODY));
        List<Series> plain = query(Compression.AUTO);
        assertThat(taken().getHeaders().get("Accept-Encoding")).isEqualTo("identity");
        assertThat(plain).singleElement().satisfies(s -> assertThat(s.labels()).containsEntry("domain", "vm-1"));
    }

    @Test
    void gzipAnswersAreAskedForAndReadLikePlainOnes() throws Exception {
        server.enqueue(ok(BODY));
        List<Series> plain = query(Compression.NONE);
        assertThat(taken().getHeaders().get("Accept-Encoding")).isEqualTo("identity");

        Buffer gzipped = new Buffer();
        try (var sink = Okio.buffer(new GzipSink(gzipped))) {
            sink.writeUtf8(BODY);
        }
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("Content-Encoding", "gzip").body(gzipped).build());
        List<Series> unzipped = query(Compression.GZIP);
        assertThat(taken().getHeaders().get("Accept-Encoding")).isEqualTo("gzip");
        assertThat(unzipped).usingRecursiveComparison().isEqualTo(plain);
        assertThat(unzipped).singleElement().satisfies(s -> assertThat(s.size()).isEqualTo(2));
    }
}
