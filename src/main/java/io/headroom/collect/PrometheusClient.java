package io.headroom.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.headroom.collect.ApiResponseReader.Shape;
import io.headroom.collect.PrometheusException.Reason;
import io.headroom.config.PrometheusConfig;
import io.headroom.config.RetryConfig;
import io.headroom.metrics.Metrics;
import io.headroom.net.HttpClients;
import io.prometheus.client.Histogram;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client for the Prometheus HTTP API (also Thanos, Mimir, Cortex): range and instant queries, series and label
 * values.
 *
 * <p><b>Blocking by design.</b> Every method does network I/O on the calling thread and, with retries and
 * backoff, can take several times the configured timeout. Call it from a worker pool, never from an event loop.
 * The client is thread-safe; share one instance and {@link #close()} it at shutdown.
 *
 * <p>Every call sends explicit {@code start}/{@code end}/{@code step} (where they apply) and {@code timeout}, so
 * results never depend on server defaults. Connecting may take up to {@link PrometheusConfig#timeout()}; the
 * whole call up to twice that, so that Prometheus, asked to give up at the timeout, can still report it. Queries go as form-encoded POSTs so long PromQL does not hit URL
 * length limits. A range longer than {@link PrometheusConfig#maxPointsPerQuery()} points is fetched in
 * consecutive chunks on the same step grid and merged per label set.
 *
 * <p>Failures are retried per {@link PrometheusConfig#retry()} for connection errors, timeouts, 5xx and 429, and
 * then thrown as {@link PrometheusException}. Each HTTP attempt is counted in {@code prometheusRequests} and
 * timed in {@code prometheusRequestDuration}; each failed attempt is counted in {@code prometheusRequestErrors}.
 * Warnings in a successful answer (it may be partial) are counted in {@code prometheusWarnings} and logged at WARN.
 */
public final class PrometheusClient implements AutoCloseable {

    static final String QUERY_RANGE = "query_range";
    static final String QUERY = "query";
    static final String SERIES = "series";
    static final String LABEL_VALUES = "label_values";

    private static final Logger log = LoggerFactory.getLogger(PrometheusClient.class);
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    /** How often the same Prometheus warning is logged again while it keeps coming. */
    static final Duration WARNING_LOG_EVERY = Duration.ofMinutes(10);

    private final Metrics metrics;
    private final WarningLog warningLog;
    /**
     * Swapped whole by {@link #reconfigure}. A call running across a swap may use parts of both (say, the old URL and
     * the new headers) for one attempt; each part is valid on its own and the next attempt uses the new one.
     */
    private volatile Connection connection;

    /**
     * Where and how to call: the config and what is built from it (secrets read, CA loaded). Immutable.
     */
    private record Connection(PrometheusConfig cfg, OkHttpClient http, HttpUrl baseUrl, RequestHeaders headers,
                              String timeoutParam) {

        static Connection of(PrometheusConfig cfg) {
            Objects.requireNonNull(cfg, "cfg");
            if (cfg.maxPointsPerQuery() < 1) {
                throw new IllegalArgumentException("maxPointsPerQuery must be >= 1, got " + cfg.maxPointsPerQuery());
            }
            HttpUrl baseUrl = HttpUrl.get(cfg.url());
            RequestHeaders headers = RequestHeaders.from(cfg);
            // Prometheus stops evaluating at `timeout`; waiting up to twice that for the answer lets its own
            // "query timed out" error arrive instead of racing it with a client timeout of the same length.
            Duration answerTimeout = cfg.timeout().multipliedBy(2);
            return new Connection(cfg, HttpClients.create(cfg.timeout(), answerTimeout, cfg.caFile()), baseUrl,
                    headers, seconds(cfg.timeout().toMillis()));
        }
    }

    /**
     * Reads the secret files and the CA file now, so that configuration problems surface at start.
     *
     * @throws java.io.UncheckedIOException if a secret or CA file cannot be read
     * @throws IllegalArgumentException     if the URL, a secret or the CA file is unusable
     */
    public PrometheusClient(PrometheusConfig cfg, Metrics metrics) {
        this(cfg, metrics, Clock.systemUTC());
    }

    /** {@code clock} times how often a repeated warning is logged. */
    PrometheusClient(PrometheusConfig cfg, Metrics metrics, Clock clock) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.warningLog = new WarningLog(clock, WARNING_LOG_EVERY);
        this.connection = Connection.of(cfg);
    }

    /**
     * Uses {@code cfg} from the next call on: a reload's new URL, timeouts, headers, retry policy, and the secret and
     * CA files read again. Everything is built before anything is swapped, so a bad new secret leaves the client as it
     * was. Calls already running finish on the old connection.
     *
     * @throws java.io.UncheckedIOException if a secret or CA file cannot be read
     * @throws IllegalArgumentException     if the URL, a secret or the CA file is unusable
     */
    public void reconfigure(PrometheusConfig cfg) {
        prepare(cfg).run();
    }

    /**
     * The first half of {@link #reconfigure}: builds the new connection now (reading the secret and CA files, so that
     * this is what throws) and returns the swap, to run once every other part of a reload is ready too. Dropping the
     * returned swap unused leaves nothing to close: the new client holds no connection yet.
     */
    public Runnable prepare(PrometheusConfig cfg) {
        Connection next = Connection.of(cfg);
        return () -> {
            Connection old = connection;
            connection = next;
            // Idle connections only: a call still running on the old client keeps its own.
            old.http().connectionPool().evictAll();
        };
    }

    /**
     * Evaluates {@code query} at {@code start, start+step, ... <= end} (millisecond precision).
     *
     * @return one series per label set, points in time order; empty if nothing matched
     * @throws PrometheusException      if a chunk fails after retries or the response is not a matrix
     * @throws IllegalArgumentException if {@code end} is before {@code start} or {@code step} is not a positive
     *                                  whole number of milliseconds
     */
    public List<Series> queryRange(String query, Instant start, Instant end, Duration step) {
        List<StepGrid> chunks = new StepGrid(start, end, step).split(connection.cfg().maxPointsPerQuery());
        if (chunks.size() == 1) {
            return queryRangeChunk(query, chunks.get(0));
        }
        Map<Map<String, String>, SeriesBuilder> merged = new LinkedHashMap<>();
        for (StepGrid chunk : chunks) {
            for (Series series : queryRangeChunk(query, chunk)) {
                merged.computeIfAbsent(series.labels(), labels -> new SeriesBuilder()).appendAfterLast(series);
            }
        }
        return merged.entrySet().stream().map(e -> e.getValue().buildWith(e.getKey())).toList();
    }

    private List<Series> queryRangeChunk(String query, StepGrid chunk) {
        FormBody form = new FormBody.Builder()
                .add("query", query)
                .add("start", seconds(chunk.start().toEpochMilli()))
                .add("end", seconds(chunk.end().toEpochMilli()))
                .add("step", seconds(chunk.step().toMillis()))
                .add("timeout", connection.timeoutParam())
                .build();
        Request request = request(url("query_range")).post(form).build();
        return call(QUERY_RANGE, query, request, Shape.QUERY_RESULT, response -> {
            requireMatrix(response);
            return List.copyOf(response.series);
        });
    }

    /**
     * Evaluates {@code query} at one instant.
     *
     * @return the vector's samples, or one label-less sample for a scalar result
     * @throws PrometheusException on failure after retries, or if the result is neither a vector nor a scalar
     */
    public List<Sample> query(String query, Instant time) {
        FormBody form = new FormBody.Builder()
                .add("query", query)
                .add("time", seconds(time.toEpochMilli()))
                .add("timeout", connection.timeoutParam())
                .build();
        Request request = request(url("query")).post(form).build();
        return call(QUERY, query, request, Shape.QUERY_RESULT, response -> {
            if ("vector".equals(response.resultType) && response.series.isEmpty() && response.scalar == null) {
                return List.copyOf(response.samples);
            }
            if ("scalar".equals(response.resultType) && response.scalar != null) {
                return List.of(response.scalar);
            }
            throw new BadShapeException("expected a vector or scalar result, got resultType " + response.resultType);
        });
    }

    /**
     * The label sets of the series matching any of {@code matchers} between {@code start} and {@code end}.
     *
     * @param matchers series selectors, at least one
     */
    public List<Map<String, String>> series(List<String> matchers, Instant start, Instant end) {
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("the series endpoint needs at least one matcher");
        }
        HttpUrl url = withRange(url("series").newBuilder(), matchers, start, end).build();
        return call(SERIES, "match[]=" + matchers, request(url).get().build(), Shape.LABEL_SETS,
                response -> List.copyOf(response.labelSets));
    }

    /**
     * The values of {@code label} on series matching any of {@code matchers} (all series if none) between
     * {@code start} and {@code end}.
     */
    public List<String> labelValues(String label, List<String> matchers, Instant start, Instant end) {
        HttpUrl.Builder url = connection.baseUrl().newBuilder()
                .addPathSegments("api/v1/label").addPathSegment(label).addPathSegment("values");
        String what = "label " + label + " match[]=" + matchers;
        return call(LABEL_VALUES, what, request(withRange(url, matchers, start, end).build()).get().build(),
                Shape.STRINGS, response -> List.copyOf(response.strings));
    }

    /** Releases connections and threads; calls in flight may fail. */
    @Override
    public void close() {
        HttpClients.close(connection.http());
    }

    private HttpUrl url(String endpointPath) {
        return connection.baseUrl().newBuilder().addPathSegments("api/v1/" + endpointPath).build();
    }

    private HttpUrl.Builder withRange(HttpUrl.Builder url, List<String> matchers, Instant start, Instant end) {
        for (String matcher : matchers) {
            url.addQueryParameter("match[]", matcher);
        }
        return url.addQueryParameter("start", seconds(start.toEpochMilli()))
                .addQueryParameter("end", seconds(end.toEpochMilli()))
                .addQueryParameter("timeout", connection.timeoutParam());
    }

    private Request.Builder request(HttpUrl url) {
        return new Request.Builder().url(url).headers(connection.headers().headers());
    }

    private static void requireMatrix(ApiResponse response) {
        if (!"matrix".equals(response.resultType)) {
            throw new BadShapeException("expected resultType matrix, got " + response.resultType);
        }
        if (!response.samples.isEmpty() || response.scalar != null) {
            throw new BadShapeException("resultType matrix with instant values in the result");
        }
    }

    /** Runs attempts until one succeeds, the error is not retryable or the attempts are used up. */
    private <T> T call(String endpoint, String what, Request request, Shape shape, ResultMapper<T> mapper) {
        RetryConfig retry = connection.cfg().retry();
        int maxAttempts = Math.max(1, retry.maxAttempts());
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(endpoint, what, request, shape, mapper);
            } catch (PrometheusException e) {
                metrics.prometheusRequestErrors.labels(endpoint, e.reason().label()).inc();
                if (!e.retryable() || attempt >= maxAttempts || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                Duration backoff = retry.backoffBefore(attempt + 1);
                // The message names the endpoint and the reason; it holds no credential.
                log.warn("{}; retrying, attempt {} of {} in {} ms",
                        e.getMessage(), attempt + 1, maxAttempts, backoff.toMillis());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private <T> T attempt(String endpoint, String what, Request request, Shape shape, ResultMapper<T> mapper) {
        metrics.prometheusRequests.labels(endpoint).inc();
        Histogram.Timer timer = metrics.prometheusRequestDuration.labels(endpoint).startTimer();
        try (Response response = connection.http().newCall(request).execute()) {
            int status = response.code();
            if (status < 200 || status > 299) {
                throw httpError(endpoint, what, status, response);
            }
            ApiResponse body = ApiResponseReader.read(response.body().byteStream(), shape);
            try {
                checkStatus(body);
                T result = mapper.map(body);
                warnings(endpoint, what, body);
                return result;
            } catch (ApiErrorException | BadShapeException e) {
                Reason reason = e instanceof ApiErrorException ? Reason.API_ERROR : Reason.BAD_RESPONSE;
                throw new PrometheusException(reason, endpoint, what, status,
                        connection.headers().redact(e.getMessage()), null);
            }
        } catch (JsonProcessingException e) {
            // Jackson quotes fragments of the body, which could be a prefix of an echoed credential: drop them,
            // and do not chain the exception, whose message still has them.
            String message = e.getOriginalMessage().replaceAll("'[^']*'", "'…'");
            throw new PrometheusException(Reason.BAD_RESPONSE, endpoint, what, 0,
                    connection.headers().redact("unreadable response: " + message), null);
        } catch (InterruptedIOException e) {
            // SocketTimeoutException (connect/read) and OkHttp's call timeout both land here.
            throw new PrometheusException(Reason.TIMEOUT, endpoint, what, 0,
                    "timed out talking to " + origin() + " (" + e.getMessage() + "; query timeout "
                            + connection.cfg().timeout().toMillis() + " ms)", e);
        } catch (IOException e) {
            throw new PrometheusException(Reason.CONNECT, endpoint, what, 0,
                    "cannot talk to " + origin() + ": " + e, e);
        } finally {
            timer.observeDuration();
        }
    }

    private static void checkStatus(ApiResponse body) {
        if ("error".equals(body.status)) {
            String text = body.errorText();
            throw new ApiErrorException(text == null ? "status error without error text" : text);
        }
        if (!"success".equals(body.status)) {
            throw new BadShapeException("expected status success or error, got " + body.status);
        }
    }

    /**
     * A successful answer with warnings may be partial (Thanos with a store down, a limit hit): the data is used, as
     * Prometheus meant it to be, but the warnings are counted and logged so that a gap in it has a visible cause.
     */
    private void warnings(String endpoint, String what, ApiResponse body) {
        if (body.warnings.isEmpty()) {
            return;
        }
        metrics.prometheusWarnings.labels(endpoint).inc(body.warnings.size());
        for (String warning : body.warnings) {
            String text = connection.headers().redact(warning);
            if (warningLog.due(text)) {
                log.warn("Prometheus answered {} for {} with a warning, the data may be partial: {} (logged at most "
                        + "once per {} min while it repeats; counted in headroom_prometheus_warnings_total)",
                        endpoint, Texts.abbreviate(what, 200), Texts.abbreviate(text, 500),
                        WARNING_LOG_EVERY.toMinutes());
            }
        }
    }

    /** Builds the exception for a non-2xx answer, with Prometheus' own error text when the body has one. */
    private PrometheusException httpError(String endpoint, String what, int status, Response response)
            throws IOException {
        // Redacted before anything is cut from it, so that no partial credential can survive.
        String text = connection.headers().redact(response.peekBody(ERROR_BODY_LIMIT).string());
        String detail;
        try {
            ApiResponse body = ApiResponseReader.read(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Shape.QUERY_RESULT);
            detail = body.errorText() != null ? body.errorText() : Texts.abbreviate(text, 300);
        } catch (JsonProcessingException notJson) {
            detail = text.isBlank() ? response.message() : Texts.abbreviate(text, 300);
        }
        Reason reason = status >= 500 ? Reason.HTTP_5XX
                : status >= 400 ? Reason.HTTP_4XX
                : Reason.BAD_RESPONSE;
        return new PrometheusException(reason, endpoint, what, status, detail, null);
    }

    /** Scheme, host and port only: the configured URL may carry user info that must not be logged. */
    private String origin() {
        return connection.baseUrl().scheme() + "://" + connection.baseUrl().host() + ":" + connection.baseUrl().port();
    }

    /** Prometheus accepts times and durations as decimal seconds; milliseconds are its precision. */
    static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    @FunctionalInterface
    private interface ResultMapper<T> {
        T map(ApiResponse response);
    }

    /** A well-formed body that does not have the expected shape for the endpoint. */
    private static final class BadShapeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadShapeException(String message) {
            super(message, null, false, false);
        }
    }

    /** A body with {@code "status": "error"}. */
    private static final class ApiErrorException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ApiErrorException(String message) {
            super(message, null, false, false);
        }
    }
}
