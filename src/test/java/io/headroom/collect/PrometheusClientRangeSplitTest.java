package io.headroom.collect;

import static io.headroom.collect.TestSupport.config;
import static io.headroom.collect.TestSupport.form;
import static io.headroom.collect.TestSupport.matrix;
import static io.headroom.collect.TestSupport.ok;
import static io.headroom.collect.TestSupport.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.headroom.metrics.Metrics;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ranges longer than maxPointsPerQuery are fetched in aligned chunks and merged per label set. */
class PrometheusClientRangeSplitTest {

    private static final Instant START = Instant.parse("2026-01-02T03:00:00Z");
    private static final long START_S = START.getEpochSecond();
    private static final Duration STEP = Duration.ofSeconds(15);

    private final MockWebServer server = new MockWebServer();
    private final Metrics metrics = Metrics.isolated();
    private final List<Map<String, String>> forms = new CopyOnWriteArrayList<>();
    private PrometheusClient client;

    /** Answers like Prometheus: one point per step from start to end; vm2 exists only from 03:03:00 on. */
    private final Dispatcher fakePrometheus = new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            Map<String, String> params = form(request);
            forms.add(params);
            long start = Long.parseLong(params.get("start"));
            long end = Long.parseLong(params.get("end"));
            long step = Long.parseLong(params.get("step"));
            List<Object> vm1 = new ArrayList<>();
            List<Object> vm2 = new ArrayList<>();
            for (long t = start; t <= end; t += step) {
                vm1.add(t);
                vm1.add(Long.toString(t - START_S));
                if (t >= START_S + 180) {
                    vm2.add(t);
                    vm2.add("2");
                }
            }
            List<String> result = new ArrayList<>();
            result.add(series(Map.of("domain", "vm1"), vm1.toArray()));
            if (!vm2.isEmpty()) {
                result.add(series(Map.of("domain", "vm2"), vm2.toArray()));
            }
            return ok(matrix(result.toArray(String[]::new)));
        }
    };

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(fakePrometheus);
        server.start();
        client = new PrometheusClient(config(server.url("/").uri(), 1, 10), metrics);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void twentyFivePointsWithTenPerQueryAreThreeContiguousRequests() {
        List<Series> result = client.queryRange("q", START, START.plus(STEP.multipliedBy(24)), STEP);

        assertThat(forms).extracting(f -> f.get("start"), f -> f.get("end"), f -> f.get("step"))
                .containsExactly(
                        tuple(s(0), s(135), "15"),
                        tuple(s(150), s(285), "15"),
                        tuple(s(300), s(360), "15"));
        assertThat(forms).allSatisfy(f -> assertThat(f.get("query")).isEqualTo("q"));

        assertThat(result).hasSize(2);
        Series vm1 = result.get(0);
        assertThat(vm1.labels()).isEqualTo(Map.of("domain", "vm1"));
        long[] expected = LongStream.range(0, 25).map(i -> START.toEpochMilli() + i * 15_000).toArray();
        assertThat(vm1.timestamps()).containsExactly(expected);
        assertThat(vm1.values()).containsExactly(LongStream.range(0, 25).mapToDouble(i -> i * 15).toArray());
    }

    @Test
    void aSeriesThatAppearsInALaterChunkIsMergedWithoutGaps() {
        List<Series> result = client.queryRange("q", START, START.plus(STEP.multipliedBy(24)), STEP);

        Series vm2 = result.get(1);
        assertThat(vm2.labels()).isEqualTo(Map.of("domain", "vm2"));
        // 03:03:00 is point 12, in the second chunk; it runs to point 24 in the third.
        assertThat(vm2.timestamps())
                .containsExactly(LongStream.range(12, 25).map(i -> START.toEpochMilli() + i * 15_000).toArray());
    }

    @Test
    void aRangeOfExactlyMaxPointsIsOneRequest() {
        client.queryRange("q", START, START.plus(STEP.multipliedBy(9)), STEP);

        assertThat(forms).singleElement().satisfies(f -> assertThat(f.get("end")).isEqualTo(s(135)));
    }

    @Test
    void chunksStayOnTheGridOfTheRequestedStartEvenIfEndIsOffGrid() {
        client.queryRange("q", START, START.plusSeconds(155), STEP);

        assertThat(forms).extracting(f -> f.get("start") + ".." + f.get("end"))
                .containsExactly(s(0) + ".." + s(135), s(150) + ".." + s(150));
    }

    private static String s(long offsetSeconds) {
        return Long.toString(START_S + offsetSeconds);
    }
}
