package io.headroom.collect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streaming reader for Prometheus API responses.
 *
 * <p>A streaming parser rather than a tree because a range response can hold millions of points: each point goes
 * straight into primitive arrays without an intermediate node per number. Field order is not assumed (the error
 * fields and {@code resultType} are checked after the whole body is read), and any structural surprise is a
 * {@link JsonParseException}, which the client reports as a bad response.
 */
final class ApiResponseReader {

    /** What the {@code data} field holds for an endpoint. */
    enum Shape {
        /** {@code {"resultType": ..., "result": ...}} of /query and /query_range. */
        QUERY_RESULT,
        /** An array of label sets, from /series. */
        LABEL_SETS,
        /** An array of strings, from /label/.../values. */
        STRINGS
    }

    private static final JsonFactory JSON = new JsonFactory();

    private ApiResponseReader() {}

    static ApiResponse read(InputStream in, Shape shape) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            ApiResponse response = new ApiResponse();
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "response body");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "status" -> response.status = text(p, value, field);
                    case "errorType" -> response.errorType = text(p, value, field);
                    case "error" -> response.error = text(p, value, field);
                    case "data" -> readData(p, value, shape, response);
                    case "warnings" -> readStrings(p, value, response.warnings::add);
                    default -> p.skipChildren();
                }
            }
            expect(p, p.currentToken(), JsonToken.END_OBJECT, "end of response body");
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "unexpected content after the response object");
            }
            return response;
        }
    }

    private static void readData(JsonParser p, JsonToken token, Shape shape, ApiResponse response)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        switch (shape) {
            case QUERY_RESULT -> readQueryData(p, token, response);
            case LABEL_SETS -> {
                expect(p, token, JsonToken.START_ARRAY, "data");
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    response.labelSets.add(readLabels(p));
                }
                expect(p, p.currentToken(), JsonToken.END_ARRAY, "end of data");
            }
            case STRINGS -> readStrings(p, token, response.strings::add);
        }
    }

    private static void readQueryData(JsonParser p, JsonToken token, ApiResponse response) throws IOException {
        expect(p, token, JsonToken.START_OBJECT, "data");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "resultType" -> response.resultType = text(p, value, field);
                case "result" -> readResult(p, value, response);
                default -> p.skipChildren();
            }
        }
        expect(p, p.currentToken(), JsonToken.END_OBJECT, "end of data");
    }

    /** A result is an array of series objects (matrix, vector) or a bare {@code [time, "value"]} (scalar, string). */
    private static void readResult(JsonParser p, JsonToken token, ApiResponse response) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        expect(p, token, JsonToken.START_ARRAY, "result");
        JsonToken first = p.nextToken();
        if (first == JsonToken.END_ARRAY) {
            return;
        }
        if (first != JsonToken.START_OBJECT) {
            long time = timestamp(p, first);
            String text = text(p, p.nextToken(), "scalar result");
            expect(p, p.nextToken(), JsonToken.END_ARRAY, "end of scalar result");
            try {
                response.scalar = new Sample(Map.of(), time, parseValue(text));
            } catch (NumberFormatException e) {
                // A string result; the caller reports its resultType, which says more than the text would.
                response.scalar = null;
            }
            return;
        }
        do {
            readResultObject(p, response);
        } while (p.nextToken() == JsonToken.START_OBJECT);
        expect(p, p.currentToken(), JsonToken.END_ARRAY, "end of result");
    }

    private static void readResultObject(JsonParser p, ApiResponse response) throws IOException {
        Map<String, String> labels = Map.of();
        SeriesBuilder points = null;
        long sampleTime = 0;
        double sampleValue = Double.NaN;
        boolean hasSample = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "metric" -> {
                    expect(p, value, JsonToken.START_OBJECT, "metric");
                    labels = readLabels(p);
                }
                case "values" -> points = readPoints(p, value);
                case "value" -> {
                    expect(p, value, JsonToken.START_ARRAY, "value");
                    sampleTime = timestamp(p, p.nextToken());
                    sampleValue = value(p, p.nextToken());
                    expect(p, p.nextToken(), JsonToken.END_ARRAY, "end of value");
                    hasSample = true;
                }
                // Native histograms ("histogram", "histograms") are not features; their series are dropped.
                default -> p.skipChildren();
            }
        }
        if (points != null) {
            response.series.add(points.buildWith(labels));
        } else if (hasSample) {
            response.samples.add(new Sample(labels, sampleTime, sampleValue));
        }
    }

    private static SeriesBuilder readPoints(JsonParser p, JsonToken token) throws IOException {
        expect(p, token, JsonToken.START_ARRAY, "values");
        SeriesBuilder points = new SeriesBuilder();
        while (p.nextToken() == JsonToken.START_ARRAY) {
            long time = timestamp(p, p.nextToken());
            double value = value(p, p.nextToken());
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw new JsonParseException(p, "a point must be [time, \"value\"]");
            }
            points.add(time, value);
        }
        expect(p, p.currentToken(), JsonToken.END_ARRAY, "end of values");
        return points;
    }

    private static Map<String, String> readLabels(JsonParser p) throws IOException {
        Map<String, String> labels = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            labels.put(name, text(p, p.nextToken(), name));
        }
        expect(p, p.currentToken(), JsonToken.END_OBJECT, "end of label set");
        return labels;
    }

    private static void readStrings(JsonParser p, JsonToken token, Consumer<String> sink)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        expect(p, token, JsonToken.START_ARRAY, "string array");
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            sink.accept(text(p, t, "array element"));
        }
    }

    /** Prometheus sends times as seconds since the epoch with up to millisecond decimals. */
    private static long timestamp(JsonParser p, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return Math.multiplyExact(p.getLongValue(), 1000L);
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return Math.round(p.getDoubleValue() * 1000.0);
        }
        throw new JsonParseException(p, "expected a timestamp number, got " + token);
    }

    /** Values are strings so that NaN and the infinities survive JSON. */
    private static double value(JsonParser p, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new JsonParseException(p, "expected a sample value string, got " + token);
        }
        String text = p.getText();
        try {
            return parseValue(text);
        } catch (NumberFormatException e) {
            throw new JsonParseException(p, "not a sample value: \"" + Texts.abbreviate(text, 40) + "\"");
        }
    }

    /**
     * Go's float formatting, as Prometheus writes it: decimals, exponents, NaN, +Inf and -Inf. Decimals go through
     * Jackson's copy of FastDoubleParser, which rounds exactly as {@link Double#parseDouble} does at several times
     * its speed: a training parses tens of millions of values, and this was most of the parsing's time.
     */
    private static double parseValue(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> NumberInput.parseDouble(text, true);
        };
    }

    private static String text(JsonParser p, JsonToken token, String what) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new JsonParseException(p, "expected a string for " + what + ", got " + token);
        }
        return p.getText();
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what)
            throws JsonParseException {
        if (actual != expected) {
            throw new JsonParseException(p, "expected " + expected + " for " + what + ", got " + actual);
        }
    }
}
