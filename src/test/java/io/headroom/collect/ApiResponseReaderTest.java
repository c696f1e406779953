package io.headroom.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.headroom.collect.ApiResponseReader.Shape;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiResponseReaderTest {

    private static ApiResponse read(String json, Shape shape) throws IOException {
        return ApiResponseReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), shape);
    }

    /** Builds the body directly as bytes: a String of this size would double the memory the test needs. */
    private static byte[] bigMatrix(int seriesCount, int points) {
        StringBuilder json = new StringBuilder(seriesCount * points * 28 + 1024);
        json.append("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        for (int s = 0; s < seriesCount; s++) {
            if (s > 0) {
                json.append(',');
            }
            json.append("{\"metric\":{\"domain\":\"vm-").append(s).append("\",\"instance\":\"host:9177\"},\"values\":[");
            for (int p = 0; p < points; p++) {
                if (p > 0) {
                    json.append(',');
                }
                json.append('[').append(1767322800 + 15L * p).append(".5,\"").append(s + p * 0.001).append("\"]");
            }
            json.append("]}");
        }
        return json.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aThousandSeriesOfAThousandPointsParseCompletely() throws IOException {
        byte[] body = bigMatrix(1000, 1000);

        ApiResponse response = ApiResponseReader.read(new ByteArrayInputStream(body), Shape.QUERY_RESULT);

        assertThat(response.series).hasSize(1000);
        Series last = response.series.get(999);
        assertThat(last.labels()).containsEntry("domain", "vm-999");
        assertThat(last.size()).isEqualTo(1000);
        assertThat(last.timestampAt(999)).isEqualTo((1767322800L + 15 * 999) * 1000 + 500);
        assertThat(last.valueAt(999)).isEqualTo(999 + 999 * 0.001);
    }

    /**
     * Values are read to the same bits as {@link Double#parseDouble} reads them, whatever their magnitude, written
     * as Prometheus writes them (Go's shortest plain decimal, {@code strconv.FormatFloat(v, 'f', -1, 64)}) and with
     * exponents.
     */
    @Test
    void valuesReadToTheSameBitsAsDoubleParseDouble() throws IOException {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(20261206);
        List<String> texts = new java.util.ArrayList<>(List.of("0", "-0", "1", "0.1", "0.3", "1e-300", "4.9e-324",
                "1.7976931348623157e308", "2.2250738585072014e-308", "9007199254740993", "123456789012345680000"));
        for (int i = 0; i < 20_000; i++) {
            double v = Double.longBitsToDouble(rng.nextLong());
            if (!Double.isFinite(v)) {
                continue;
            }
            if (i % 2 == 0) {
                v = rng.nextDouble() * Math.pow(10, rng.nextInt(-12, 16)) * (rng.nextBoolean() ? 1 : -1);
            }
            texts.add(i % 3 == 0 ? Double.toString(v) : new java.math.BigDecimal(Double.toString(v)).toPlainString());
        }
        StringBuilder json = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
                + "\"result\":[{\"metric\":{},\"values\":[");
        for (int i = 0; i < texts.size(); i++) {
            json.append(i > 0 ? "," : "").append('[').append(1767322800 + i).append(",\"").append(texts.get(i))
                    .append("\"]");
        }
        Series read = read(json.append("]}]}}").toString(), Shape.QUERY_RESULT).series.get(0);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(Double.doubleToRawLongBits(read.valueAt(i))).as(texts.get(i))
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(texts.get(i))));
        }
    }

    @Test
    void fieldOrderDoesNotMatter() throws IOException {
        ApiResponse response = read("{\"data\":{\"result\":[],\"resultType\":\"matrix\"},\"status\":\"success\"}",
                Shape.QUERY_RESULT);

        assertThat(response.status).isEqualTo("success");
        assertThat(response.resultType).isEqualTo("matrix");
        assertThat(response.series).isEmpty();
    }

    @Test
    void trailingContentIsRefused() {
        assertThatThrownBy(() -> read("{\"status\":\"success\",\"data\":[]} {}", Shape.STRINGS))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void aPointWithAnExtraElementIsRefused() {
        assertThatThrownBy(() -> read("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
                + "[{\"metric\":{},\"values\":[[1,\"1\",2]]}]}}", Shape.QUERY_RESULT))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("[time, \"value\"]");
    }

    @Test
    void nativeHistogramSeriesAreDropped() throws IOException {
        ApiResponse response = read("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"a\":\"1\"},\"histograms\":[[1,{\"count\":\"1\",\"sum\":\"1\",\"buckets\":[]}]]},"
                + "{\"metric\":{\"a\":\"2\"},\"values\":[[1,\"2\"]]}]}}", Shape.QUERY_RESULT);

        assertThat(response.series).extracting(Series::labels).containsExactly(Map.of("a", "2"));
    }

    @Test
    void labelSetsAndStrings() throws IOException {
        assertThat(read("{\"status\":\"success\",\"data\":[{\"a\":\"1\"},{}]}", Shape.LABEL_SETS).labelSets)
                .containsExactly(Map.of("a", "1"), Map.of());
        assertThat(read("{\"status\":\"success\",\"data\":[\"x\",\"y\"],\"warnings\":[\"w\"]}", Shape.STRINGS))
                .satisfies(r -> {
                    assertThat(r.strings).isEqualTo(List.of("x", "y"));
                    assertThat(r.warnings).containsExactly("w");
                });
    }
}
