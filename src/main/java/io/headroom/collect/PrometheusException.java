package io.headroom.collect;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * A call to the Prometheus HTTP API failed after all attempts allowed by the retry policy.
 *
 * <p>The message names the endpoint, the reason, the HTTP status if there was one, the server's own error text
 * when it sent one, and the query (or the series matchers). It never contains credentials.
 */
public class PrometheusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the call failed; the lower-case name is the {@code reason} label of the error metric. */
    public enum Reason {
        /** No connection could be made or it broke while the request was in flight (retried). */
        CONNECT,
        /** Connect, read or whole-call timeout (retried). */
        TIMEOUT,
        /** The server answered 5xx (retried). */
        HTTP_5XX,
        /** The server answered 4xx: the request is wrong and retrying cannot help, except for 429. */
        HTTP_4XX,
        /** The body is not a Prometheus API response of the expected shape (not retried). */
        BAD_RESPONSE,
        /** A 2xx response with {@code "status": "error"} (not retried). */
        API_ERROR;

        /** The metric label value. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;
    private final String endpoint;
    private final String query;
    private final int httpStatus;

    /**
     * @param reason     why the call failed
     * @param endpoint   API endpoint, e.g. {@code query_range}
     * @param query      the PromQL or, for metadata endpoints, the matchers
     * @param httpStatus the HTTP status, or 0 if no response was received
     * @param detail     what went wrong, including the server's error text when there is one
     * @param cause      the underlying exception, or null
     */
    public PrometheusException(
            Reason reason, String endpoint, String query, int httpStatus, String detail, Throwable cause) {
        super(format(reason, endpoint, query, httpStatus, detail), cause);
        this.reason = reason;
        this.endpoint = endpoint;
        this.query = query;
        this.httpStatus = httpStatus;
    }

    private static String format(Reason reason, String endpoint, String query, int httpStatus, String detail) {
        String status = httpStatus > 0 ? " (HTTP " + httpStatus + ")" : "";
        return "Prometheus " + endpoint + " failed: " + reason.label() + status + ": " + detail
                + "; query: " + query;
    }

    public Reason reason() {
        return reason;
    }

    /** The API endpoint: query_range, query, series or label_values. */
    public String endpoint() {
        return endpoint;
    }

    /** The PromQL of the call, or the endpoint's matchers for series and label values. */
    public String query() {
        return query;
    }

    /** The HTTP status of the last attempt, if a response was received. */
    public OptionalInt httpStatus() {
        return httpStatus > 0 ? OptionalInt.of(httpStatus) : OptionalInt.empty();
    }

    /** True if another attempt may succeed: connection problems, timeouts, 5xx and 429. */
    public boolean retryable() {
        return switch (reason) {
            case CONNECT, TIMEOUT, HTTP_5XX -> true;
            case HTTP_4XX -> httpStatus == 429;
            case BAD_RESPONSE, API_ERROR -> false;
        };
    }
}
