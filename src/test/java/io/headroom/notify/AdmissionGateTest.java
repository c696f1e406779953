package io.headroom.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.config.AdmissionConfig;
import io.headroom.config.BackoffConfig;
import io.headroom.config.UrlTemplate;
import io.headroom.metrics.Metrics;
import io.headroom.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.QueueDispatcher;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate against a real HTTP hook with injected answers: pause, resume, expiry, retries, give-up, shutdown. */
class AdmissionGateTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String TOKEN = "lb-s3cret-token";

    @TempDir
    Path dir;

    final MockWebServer hook = new MockWebServer();
    final Metrics metrics = Metrics.isolated();
    AdmissionGate gate;
    PauseStore store = PauseStore.inMemory();

    @BeforeEach
    void startHook() throws Exception {
        // Calls beyond what a test enqueued (the resumes of close()) get 200 instead of hanging until the timeout.
        ((QueueDispatcher) hook.getDispatcher()).setFailFast(status(200));
        hook.start();
    }

    @AfterEach
    void stop() {
        if (gate != null) {
            gate.close();
        }
        hook.close();
    }

    AdmissionGate gate(AdmissionConfig.Method method, Duration maxPause) throws Exception {
        return gate(method, maxPause, Duration.ofMillis(20));
    }

    AdmissionGate gate(AdmissionConfig.Method method, Duration maxPause, Duration initialBackoff) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, TOKEN + "\n");
        String url = hook.url("/lb/").toString() + "{workload}/{action}?key=query-secret";
        gate = new AdmissionGate(new AdmissionConfig(true, Optional.of(new UrlTemplate(url)), method,
                Optional.of(token), maxPause, Duration.ofSeconds(2),
                new BackoffConfig(initialBackoff, initialBackoff.multipliedBy(10)), Optional.empty()), metrics, store);
        return gate;
    }

    AdmissionGate gate() throws Exception {
        return gate(AdmissionConfig.Method.POST, Duration.ofMinutes(10));
    }

    static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).build();
    }

    RecordedRequest take() throws InterruptedException {
        RecordedRequest r = hook.takeRequest(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(r).as("a hook call within " + WAIT).isNotNull();
        return r;
    }

    String takePath() throws InterruptedException {
        return take().getUrl().encodedPath();
    }

    double paused(String workload) {
        Double v = metrics.registry().getSampleValue("headroom_admission_paused", new String[] {"workload"},
                new String[] {workload});
        return v == null ? 0 : v;
    }

    double errors(String action, String reason) {
        Double v = metrics.registry().getSampleValue("headroom_admission_hook_errors_total",
                new String[] {"action", "reason"}, new String[] {action, reason});
        return v == null ? 0 : v;
    }

    @Test
    void pausesOnCriticalWithTokenAndBodyAndResumesWhenNoLongerCritical() throws Exception {
        hook.enqueue(status(200));
        hook.enqueue(status(200));
        gate().update(List.of("web-1"));

        RecordedRequest pause = take();
        assertThat(pause.getMethod()).isEqualTo("POST");
        assertThat(pause.getUrl().encodedPath()).isEqualTo("/lb/web-1/pause");
        assertThat(pause.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(new ObjectMapper().readTree(pause.getBody().utf8())).isEqualTo(new ObjectMapper().readTree(
                "{\"workload\":\"web-1\",\"action\":\"pause\",\"max_pause_seconds\":600}"));
        Poll.until(WAIT, "paused gauge at 1", () -> paused("web-1"), v -> v == 1);

        gate.update(List.of());

        assertThat(takePath()).isEqualTo("/lb/web-1/resume");
        Poll.until(WAIT, "paused gauge back to 0", () -> paused("web-1"), v -> v == 0);
    }

    @Test
    void aWorkloadThatStaysCriticalIsPausedOnce() throws Exception {
        hook.enqueue(status(200));
        hook.enqueue(status(200));
        gate().update(List.of("web-1"));
        gate.update(List.of("web-1"));
        gate.update(List.of("web-1"));
        gate.update(List.of());

        assertThat(List.of(takePath(), takePath())).containsExactly("/lb/web-1/pause", "/lb/web-1/resume");
    }

    @Test
    void maxPauseResumesWithoutAnyUpdateAndThePauseIsNotRenewedUntilTheWorkloadLeavesCritical() throws Exception {
        for (int i = 0; i < 3; i++) {
            hook.enqueue(status(200));
        }
        gate(AdmissionConfig.Method.POST, Duration.ofSeconds(1)).update(List.of("web-1"));
        assertThat(takePath()).isEqualTo("/lb/web-1/pause");

        assertThat(takePath()).as("resumed by the timer alone").isEqualTo("/lb/web-1/resume");
        Poll.until(WAIT, "the expiry counted", () -> metrics.registry().getSampleValue("headroom_admission_expired_total"),
                v -> v == 1);
        Poll.until(WAIT, "paused gauge back to 0", () -> paused("web-1"), v -> v == 0);

        gate.update(List.of("web-1"));
        gate.update(List.of());
        gate.update(List.of("db-1"));

        assertThat(takePath()).as("web-1 not paused again while it stayed critical").isEqualTo("/lb/db-1/pause");
    }

    @Test
    void transientFailuresAreRetriedWithBackoffUntilConfirmed() throws Exception {
        hook.enqueue(status(503));
        hook.enqueue(new MockResponse.Builder().code(429).build());
        hook.enqueue(status(200));
        gate().update(List.of("web-1"));

        assertThat(List.of(takePath(), takePath(), takePath())).containsOnly("/lb/web-1/pause");
        Poll.until(WAIT, "paused once the hook confirmed", () -> paused("web-1"), v -> v == 1);
        assertThat(errors("pause", "http_5xx")).isEqualTo(1);
        assertThat(errors("pause", "http_4xx")).isEqualTo(1);
    }

    @Test
    void aResumeSupersedesAPauseStillBeingRetried() throws Exception {
        // web-1's pause fails and would be retried after 500 ms; db-1's pause expires after 2 s. A retry that was
        // not cancelled by the resume would show up between db-1's pause and its expiry.
        AdmissionGate g = gate(AdmissionConfig.Method.POST, Duration.ofSeconds(2), Duration.ofMillis(500));
        hook.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return status(request.getUrl().encodedPath().equals("/lb/web-1/pause") ? 503 : 200);
            }
        });
        g.update(List.of("web-1"));
        assertThat(takePath()).isEqualTo("/lb/web-1/pause");

        g.update(List.of());
        g.update(List.of("db-1"));

        assertThat(List.of(takePath(), takePath(), takePath()))
                .as("the failed pause may have been applied, so it is resumed; then no more pauses of web-1")
                .containsExactly("/lb/web-1/resume", "/lb/db-1/pause", "/lb/db-1/resume");
    }

    @Test
    void aRefusalIsNotRetried() throws Exception {
        hook.enqueue(status(404));
        hook.enqueue(status(200));
        gate().update(List.of("web-1"));
        assertThat(takePath()).isEqualTo("/lb/web-1/pause");

        gate.update(List.of("web-1", "db-1"));

        assertThat(takePath()).isEqualTo("/lb/db-1/pause");
        assertThat(errors("pause", "http_4xx")).isEqualTo(1);
        assertThat(paused("web-1")).isZero();
    }

    @Test
    void closeResumesWhatIsPaused() throws Exception {
        hook.enqueue(status(200));
        hook.enqueue(status(200));
        gate().update(List.of("web-1"));
        Poll.until(WAIT, "paused", () -> paused("web-1"), v -> v == 1);

        gate.close();
        gate = null;

        assertThat(takePath()).isEqualTo("/lb/web-1/pause");
        assertThat(takePath()).isEqualTo("/lb/web-1/resume");
    }

    @Test
    void getCallsCarryNoBodyAndWorkloadNamesAreEncoded() throws Exception {
        hook.enqueue(status(200));
        gate(AdmissionConfig.Method.GET, Duration.ofMinutes(10)).update(Set.of("web 1/a"));

        RecordedRequest r = take();

        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/lb/web%201%2Fa/pause");
        assertThat(r.getBodySize()).isZero();
    }

    @Test
    void updateNeverWaitsForAHangingHookAndSecretsStayOutOfTheLogs() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        hook.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                release.await(30, TimeUnit.SECONDS);
                return status(500);
            }
        });
        ListAppender<ILoggingEvent> logs = WebhookReceiverTest.capture(AdmissionHook.class);
        try {
            gate().update(List.of("web-1"));
            take();

            assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
                gate.update(List.of());
                gate.update(List.of("web-1", "db-1"));
            });

            release.countDown();
            Poll.until(WAIT, "the failure logged", () -> logs.list.size(), n -> n >= 1);
            assertThat(WebhookReceiverTest.logged(logs)).allSatisfy(e -> assertThat(e.getFormattedMessage())
                    .doesNotContain(TOKEN).doesNotContain("query-secret"));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aDisabledGateCallsNothing() {
        gate = new AdmissionGate(new AdmissionConfig(false, Optional.empty(), AdmissionConfig.Method.POST,
                Optional.empty(), Duration.ofMinutes(10), Duration.ofSeconds(5),
                new BackoffConfig(Duration.ofSeconds(1), Duration.ofSeconds(30)), Optional.empty()), metrics);

        gate.update(List.of("web-1"));
        gate.close();
        gate = null;

        assertThat(hook.getRequestCount()).isZero();
        assertThat(metrics.registry().getSampleValue("headroom_admission_hook_requests_total",
                new String[] {"action"}, new String[] {"pause"})).isNull();
    }

    @Test
    void everyPauseTheHookMayHoldIsWrittenDownAndAConfirmedResumeClearsIt() throws Exception {
        store = PauseStore.open(dir);
        hook.enqueue(status(503));
        hook.enqueue(status(200));
        hook.enqueue(status(200));
        gate().update(List.of("web-1"));

        assertThat(takePath()).isEqualTo("/lb/web-1/pause");
        // The first call failed: the pause may have been applied, so it is on disk before any retry.
        Poll.until(WAIT, "the retried pause confirmed", () -> paused("web-1"), v -> v == 1);
        assertThat(PauseStore.open(dir).paused()).containsOnlyKeys("web-1");

        gate.update(List.of());
        take();
        assertThat(takePath()).isEqualTo("/lb/web-1/resume");
        Poll.until(WAIT, "the resume written down", () -> PauseStore.open(dir).paused().isEmpty(), v -> v);
    }

    @Test
    void afterACrashAPauseIsResumedOnceItsWorkloadIsNoLongerCritical() throws Exception {
        PauseStore.open(dir).paused("web-1", java.time.Instant.now().minusSeconds(60));
        store = PauseStore.open(dir);
        hook.enqueue(status(200));
        gate();
        Poll.until(WAIT, "the adopted pause exported", () -> paused("web-1"), v -> v == 1);

        gate.update(List.of());

        assertThat(takePath()).isEqualTo("/lb/web-1/resume");
        Poll.until(WAIT, "the resume written down", () -> PauseStore.open(dir).paused().isEmpty(), v -> v);
    }

    @Test
    void afterACrashAPauseOfAStillCriticalWorkloadIsKeptWithoutCallingTheHookUntilItsDeadline() throws Exception {
        // Paused 59.5 s ago with max_pause 60 s: kept now, lifted at its original deadline, not a new one.
        PauseStore.open(dir).paused("web-1", java.time.Instant.now().minusMillis(59_500));
        store = PauseStore.open(dir);
        hook.enqueue(status(200));
        gate(AdmissionConfig.Method.POST, Duration.ofSeconds(60)).update(List.of("web-1"));

        assertThat(takePath()).as("the first call is the deadline's resume, not a second pause")
                .isEqualTo("/lb/web-1/resume");
        assertThat(hook.getRequestCount()).isEqualTo(1);
    }
}
