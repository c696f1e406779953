package io.headroom.collect;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.headroom.config.PrometheusConfig;
import io.headroom.config.RetryConfig;
import io.headroom.metrics.Metrics;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.slf4j.LoggerFactory;

/** Config, response and log helpers shared by the collect tests. */
final class TestSupport {

    private TestSupport() {}

    /** A config with no auth, a generous timeout and 1 ms backoff so retries do not slow the tests down. */
    static PrometheusConfig config(URI url, int maxAttempts, int maxPoints) {
        return new PrometheusConfig(url, Duration.ofSeconds(5), Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of(), maxPoints, retry(maxAttempts));
    }

    static RetryConfig retry(int maxAttempts) {
        return new RetryConfig(maxAttempts, Duration.ofMillis(1), Duration.ofMillis(2));
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    static MockResponse ok(String body) {
        return json(200, body);
    }

    static String success(String data) {
        return "{\"status\":\"success\",\"data\":" + data + "}";
    }

    static String error(String errorType, String error) {
        return "{\"status\":\"error\",\"errorType\":\"" + errorType + "\",\"error\":\"" + error + "\"}";
    }

    /** A matrix response body from {@link #series} fragments. */
    static String matrix(String... series) {
        return success("{\"resultType\":\"matrix\",\"result\":[" + String.join(",", series) + "]}");
    }

    /** One matrix series; {@code points} alternate epoch seconds (as written) and value strings. */
    static String series(Map<String, String> labels, Object... points) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < points.length; i += 2) {
            if (i > 0) {
                values.append(',');
            }
            values.append('[').append(points[i]).append(",\"").append(points[i + 1]).append("\"]");
        }
        return "{\"metric\":" + labels(labels) + ",\"values\":[" + values + "]}";
    }

    static String labels(Map<String, String> labels) {
        return labels.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** The decoded form parameters of a POST. */
    static Map<String, String> form(RecordedRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : request.getBody().utf8().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    static double counter(Metrics metrics, String name, String... labelValues) {
        String[] names = labelValues.length == 1 ? new String[] {"endpoint"} : new String[] {"endpoint", "reason"};
        Double value = metrics.registry().getSampleValue(name, names, labelValues);
        return value == null ? 0 : value;
    }

    static double requests(Metrics metrics, String endpoint) {
        return counter(metrics, "headroom_prometheus_requests_total", endpoint);
    }

    static double errors(Metrics metrics, String endpoint, String reason) {
        return counter(metrics, "headroom_prometheus_request_errors_total", endpoint, reason);
    }

    static double durationCount(Metrics metrics, String endpoint) {
        return counter(metrics, "headroom_prometheus_request_duration_seconds_count", endpoint);
    }

    /** Captures the events of one class's logger while open. */
    static final class LogCapture implements AutoCloseable {
        private final Logger logger;
        private final Level previous;
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture(Class<?> type) {
            logger = (Logger) LoggerFactory.getLogger(type);
            previous = logger.getLevel();
            logger.setLevel(Level.DEBUG);
            appender.start();
            logger.addAppender(appender);
        }

        /**
         * The events logged so far, copied under the appender's monitor: it appends under it (AppenderBase.doAppend
         * is synchronized), and the client's query threads may still be logging.
         */
        List<ILoggingEvent> events() {
            synchronized (appender) {
                return List.copyOf(appender.list);
            }
        }

        List<String> messages(Level level) {
            return events().stream()
                    .filter(e -> e.getLevel() == level)
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
            logger.setLevel(previous);
        }
    }
}
