package io.headroom.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Reads a real Alertmanager's alerts back through {@code GET /api/v2/alerts}, for the integration tests. */
final class AlertmanagerApi {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AlertmanagerApi() {}

    /** The active alert whose {@code workload} label is {@code workload}, if Alertmanager lists one. */
    static Optional<JsonNode> activeAlert(String baseUrl, String workload) throws IOException, InterruptedException {
        String filter = URLEncoder.encode("workload=\"" + workload + "\"", StandardCharsets.UTF_8);
        JsonNode alerts = get(baseUrl + "/api/v2/alerts?filter=" + filter);
        return alerts.size() == 0 ? Optional.empty() : Optional.of(alerts.get(0));
    }

    /** POSTs alerts in the API v2 format, as Prometheus or any client would. */
    static void post(String baseUrl, Object alerts) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v2/alerts"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(alerts))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("POST /api/v2/alerts answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
