package io.headroom.notify;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

/** Reason labels for failed HTTP calls, shared by the Alertmanager client and the admission hook. */
final class HttpFailures {

    private HttpFailures() {}

    /** {@code timeout}, {@code connect} (refused, no route, unknown host) or {@code io} (anything else). */
    static String reason(IOException e) {
        if (e instanceof InterruptedIOException) {
            return "timeout";
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof UnknownHostException) {
            return "connect";
        }
        return "io";
    }

    /** {@code http_4xx}, {@code http_5xx} or {@code http_other}. */
    static String reason(int status) {
        if (status >= 400 && status < 500) {
            return "http_4xx";
        }
        return status >= 500 && status < 600 ? "http_5xx" : "http_other";
    }

    /** Whether asking again can help: server errors, 408 and 429; other 4xx mean the request itself is wrong. */
    static boolean retryable(int status) {
        return status >= 500 || status == 408 || status == 429 || status < 400;
    }

    /** Server text on one line, cut to {@code max} characters, safe for a log message. */
    static String abbreviate(String text, int max) {
        String oneLine = text.replaceAll("\\p{Cntrl}+", " ").strip();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "…";
    }
}
