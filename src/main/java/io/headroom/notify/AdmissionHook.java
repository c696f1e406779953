package io.headroom.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.config.AdmissionConfig;
import io.headroom.metrics.Metrics;
import io.headroom.net.HttpClients;
import io.headroom.net.SecretFile;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to the configured admission hook: {@code hook_url} with {@code {workload}} and {@code {action}} filled in,
 * the configured method, an optional bearer token, and for POST and PUT a JSON body
 * {@code {"workload", "action", "max_pause_seconds"}}. Blocking; {@link AdmissionGate} calls it from its own thread.
 * Logs show the URL without its query, which is where hook APIs tend to take keys.
 */
final class AdmissionHook implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionHook.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    /** What the hook is asked to do. */
    enum Action {
        PAUSE, RESUME;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a call ended. */
    enum Result {
        /** The hook confirmed with a 2xx. */
        DONE,
        /** Worth asking again: connection failures, timeouts, 5xx, 408, 429. */
        RETRY,
        /** The hook refused the request itself (other 4xx); asking again cannot help. */
        GIVE_UP
    }

    private final AdmissionConfig cfg;
    private final Metrics metrics;
    private final OkHttpClient http;
    private final Optional<String> authorization;

    /** Reads the token and CA files now, so that a missing or empty one stops the daemon at start. */
    AdmissionHook(AdmissionConfig cfg, Metrics metrics) {
        if (cfg.hookUrl().isEmpty()) {
            throw new IllegalArgumentException("the admission gate needs notify.admission.hook_url");
        }
        this.cfg = cfg;
        this.metrics = metrics;
        this.authorization = SecretFile.bearerAuthorization(cfg.bearerTokenFile());
        // The gate's backoff is the only retry, so that each attempt is counted.
        this.http = HttpClients.create(cfg.timeout(), cfg.timeout(), cfg.caFile());
    }

    Result call(String workload, Action action) {
        HttpUrl url = HttpUrl.get(cfg.hookUrl().orElseThrow().expand(Map.of("workload", workload, "action", action.label())));
        Request.Builder request = new Request.Builder().url(url);
        authorization.ifPresent(a -> request.header("Authorization", a));
        switch (cfg.method()) {
            case POST -> request.post(body(workload, action));
            case PUT -> request.put(body(workload, action));
            case GET -> request.get();
            case DELETE -> request.delete();
        }
        metrics.admissionHookRequests.labels(action.label()).inc();
        String where = cfg.method() + " " + url.newBuilder().query(null).build();
        try (Response response = http.newCall(request.build()).execute()) {
            if (response.isSuccessful()) {
                return Result.DONE;
            }
            metrics.admissionHookErrors.labels(action.label(), HttpFailures.reason(response.code())).inc();
            LOG.warn("admission hook {} of {} failed: {} answered HTTP {}", action.label(), workload, where,
                    response.code());
            return HttpFailures.retryable(response.code()) ? Result.RETRY : Result.GIVE_UP;
        } catch (IOException e) {
            metrics.admissionHookErrors.labels(action.label(), HttpFailures.reason(e)).inc();
            LOG.warn("admission hook {} of {} failed: {}: {}", action.label(), workload, where, e.toString());
            return Result.RETRY;
        }
    }

    private RequestBody body(String workload, Action action) {
        Map<String, Object> body = Map.of("workload", workload, "action", action.label(),
                "max_pause_seconds", cfg.maxPause().toSeconds());
        try {
            return RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE);
        } catch (IOException e) {
            throw new IllegalStateException("hook body cannot be written as JSON", e);
        }
    }

    @Override
    public void close() {
        HttpClients.close(http);
    }
}
