package io.headroom.notify;

import static io.headroom.notify.NotifyTestSupport.alertmanager;
import static io.headroom.notify.NotifyTestSupport.dropped;
import static io.headroom.notify.NotifyTestSupport.errors;
import static io.headroom.notify.NotifyTestSupport.sent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.metrics.Metrics;
import io.headroom.notify.ActiveAlert.Severity;
import io.headroom.testing.Poll;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against real HTTP servers with injected answers: payload, retries, refusals, HA pairs, a full queue. */
class AlertmanagerClientTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(10);

    final Metrics metrics = Metrics.isolated();
    /** Closed last-in first-out, so clients stop before the servers they talk to. */
    final Deque<AutoCloseable> closeables = new ArrayDeque<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    MockWebServer server() throws IOException {
        MockWebServer s = new MockWebServer();
        s.start();
        closeables.push(s);
        return s;
    }

    AlertmanagerClient client(int queueSize, URI... urls) {
        AlertmanagerClient c = new AlertmanagerClient(alertmanager(List.of(urls), queueSize), metrics);
        closeables.push(c);
        return c;
    }

    static ActiveAlert critical(String workload) {
        return ActiveAlert.anomaly("HeadroomWorkloadCritical", workload, Severity.CRITICAL, "critical", 90,
                List.of("cpu_utilisation 41%"), List.of());
    }

    static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).body(code == 200 ? "" : "{\"message\":\"nope\"}").build();
    }

    static JsonNode body(RecordedRequest r) throws IOException {
        return JSON.readTree(r.getBody().utf8());
    }

    static List<String> workloads(RecordedRequest r) throws IOException {
        List<String> out = new ArrayList<>();
        body(r).forEach(a -> out.add(a.at("/labels/workload").asText()));
        return out;
    }

    static RecordedRequest take(MockWebServer s) throws InterruptedException {
        RecordedRequest r = s.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(r).as("a request within " + WAIT).isNotNull();
        return r;
    }

    @Test
    void postsTheApiV2PayloadUnderTheConfiguredPathPrefix() throws Exception {
        MockWebServer am = server();
        am.enqueue(status(200));
        URI base = am.url("/alertmanager/").uri();
        client(10, base).update(List.of(critical("web-1")), T0);

        RecordedRequest r = take(am);

        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/alertmanager/api/v2/alerts");
        assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
        JsonNode alert = body(r).get(0);
        assertThat(alert.get("labels")).isEqualTo(JSON.readTree("""
                {"alertname":"HeadroomWorkloadCritical","host":"kvm-test","severity":"critical","tier":"critical",
                 "workload":"web-1"}"""));
        assertThat(alert.at("/annotations/score").asText()).isEqualTo("90.0");
        assertThat(alert.get("startsAt").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(alert.get("endsAt").asText()).isEqualTo("2026-03-01T10:04:00Z");
        assertThat(alert.has("generatorURL")).as("no dashboard configured, so no generatorURL").isFalse();
        Poll.until(WAIT, "the alert counted as sent", () -> sent(metrics, base.toString()), v -> v == 1);
    }

    @Test
    void serverErrorsAreRetriedWithTheSamePayloadUntilAccepted() throws Exception {
        MockWebServer am = server();
        am.enqueue(status(503));
        am.enqueue(status(500));
        am.enqueue(status(200));
        URI base = am.url("/").uri();
        client(10, base).update(List.of(critical("web-1")), T0);

        String first = take(am).getBody().utf8();
        assertThat(take(am).getBody().utf8()).isEqualTo(first);
        assertThat(take(am).getBody().utf8()).isEqualTo(first);

        Poll.until(WAIT, "one alert sent after two failures", () -> sent(metrics, base.toString()), v -> v == 1);
        assertThat(errors(metrics, base.toString(), "http_5xx")).isEqualTo(2);
    }

    @Test
    void aBatchEveryAlertmanagerRefusesIsDroppedNotRetried() throws Exception {
        MockWebServer am = server();
        am.enqueue(status(400));
        am.enqueue(status(200));
        AlertmanagerClient client = client(10, am.url("/").uri());
        client.update(List.of(critical("web-1")), T0);
        assertThat(workloads(take(am))).containsExactly("web-1");
        Poll.until(WAIT, "the refused alert dropped", () -> dropped(metrics, "rejected"), v -> v == 1);

        // web-1 is not due for a resend, so the next post can only carry web-1 if the refused batch was kept.
        client.update(List.of(critical("web-1"), critical("db-1")), T0.plusSeconds(10));

        assertThat(workloads(take(am))).containsExactly("db-1");
        assertThat(errors(metrics, am.url("/").uri().toString(), "http_4xx")).isEqualTo(1);
    }

    @Test
    void anHaPairDeliversWhenOneMemberFailsAndDoesNotRetryTheOther() throws Exception {
        MockWebServer up = server();
        MockWebServer broken = server();
        up.enqueue(status(200));
        up.enqueue(status(200));
        broken.enqueue(status(503));
        broken.enqueue(status(503));
        AlertmanagerClient client = client(10, up.url("/").uri(), broken.url("/").uri());
        client.update(List.of(critical("web-1")), T0);

        assertThat(workloads(take(up))).containsExactly("web-1");
        assertThat(workloads(take(broken))).containsExactly("web-1");
        client.update(List.of(critical("web-1"), critical("db-1")), T0.plusSeconds(10));

        assertThat(workloads(take(up))).containsExactly("db-1");
        assertThat(workloads(take(broken))).containsExactly("db-1");
        Poll.until(WAIT, "two alerts sent to the healthy member", () -> sent(metrics, up.url("/").uri().toString()),
                v -> v == 2);
        Poll.until(WAIT, "both refusals of the broken member counted",
                () -> errors(metrics, broken.url("/").uri().toString(), "http_5xx"), v -> v == 2);
        assertThat(sent(metrics, broken.url("/").uri().toString())).isZero();
    }

    @Test
    void aFullQueueDropsTheOldestWhileUpdateNeverWaitsForTheNetwork() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MockWebServer am = server();
        closeables.push(release::countDown);
        am.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                release.await(30, TimeUnit.SECONDS);
                return status(200);
            }
        });
        AlertmanagerClient client = client(3, am.url("/").uri());
        client.update(List.of(critical("a")), T0);
        assertThat(workloads(take(am))).as("the sender is now stuck in this POST").containsExactly("a");

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> client.update(
                List.of(critical("a"), critical("b"), critical("c"), critical("d"), critical("e")), T0.plusSeconds(1)));

        assertThat(dropped(metrics, "queue_full")).isEqualTo(1);
        assertThat(metrics.registry().getSampleValue("headroom_notifications_queue_length")).isEqualTo(3);
        release.countDown();
        assertThat(workloads(take(am))).containsExactly("c", "d", "e");
    }

    @Test
    void closeReturnsPromptlyWhileAlertmanagerIsDown() throws Exception {
        MockWebServer am = server();
        am.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return status(503);
            }
        });
        AlertmanagerClient client = new AlertmanagerClient(alertmanager(List.of(am.url("/").uri()), 10), metrics);
        client.update(List.of(critical("web-1")), T0);
        take(am);

        assertTimeoutPreemptively(Duration.ofSeconds(6), client::close);
    }
}
