package io.headroom.notify;

import static io.headroom.notify.WebhookPayloads.firing;
import static io.headroom.notify.WebhookPayloads.json;
import static io.headroom.notify.WebhookPayloads.notification;
import static io.headroom.notify.WebhookPayloads.resolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.headroom.config.WebhookConfig;
import io.headroom.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The receiver on a real Vert.x HTTP server: recording, validation answers, auth, size limit, storage failures. */
@ExtendWith(VertxExtension.class)
class WebhookReceiverTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String PATH = "/api/v1/alerts/webhook";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    final Metrics metrics = Metrics.isolated();
    FailureLog log;
    WebhookReceiver receiver;
    int port;

    @AfterEach
    void closeLog() throws IOException {
        if (log != null) {
            log.close();
        }
    }

    static WebhookConfig config(Optional<Path> token, long maxBody) {
        return new WebhookConfig(true, PATH, token, maxBody, "domain");
    }

    void start(Vertx vertx, WebhookConfig cfg, Journal journal) throws IOException {
        log = new FailureLog(journal);
        WorkerExecutor pool = vertx.createSharedWorkerExecutor("headroom-webhook-test", 1);
        Router router = Router.router(vertx);
        receiver = new WebhookReceiver(cfg, log, pool, metrics);
        receiver.mount(router);
        port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .map(HttpServer::actualPort).await();
    }

    void start(Vertx vertx, WebhookConfig cfg) throws IOException {
        start(vertx, cfg, new FileJournal(dir.resolve(FailureLog.FILE_NAME)));
    }

    HttpResponse<String> post(String body, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    double requests(int code) {
        Double v = metrics.registry().getSampleValue("headroom_webhook_requests_total", new String[] {"code"},
                new String[] {Integer.toString(code)});
        return v == null ? 0 : v;
    }

    @Test
    void firingAlertsBecomeOpenFailureIntervalsAndResolvedOnesCloseThem(Vertx vertx) throws Exception {
        start(vertx, config(Optional.empty(), 1 << 20));

        HttpResponse<String> first = post(json(notification(List.of(firing("web-1", T0, "f1"),
                firing("db-1", T0, "f2")))));
        HttpResponse<String> second = post(json(notification(List.of(resolved("web-1", T0, T0.plusSeconds(90), "f1"),
                firing("db-1", T0, "f2")))));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("{\"new\":2,\"resolved\":0,\"duplicate\":0,\"ignored\":0}");
        assertThat(second.body()).isEqualTo("{\"new\":0,\"resolved\":1,\"duplicate\":1,\"ignored\":0}");
        assertThat(log.between(T0, T0.plusSeconds(60), "web-1")).containsExactly(
                new FailureInterval("web-1", "ServiceDown", T0, Optional.of(T0.plusSeconds(90))));
        assertThat(log.between(T0, T0.plusSeconds(60), "db-1")).singleElement()
                .satisfies(i -> assertThat(i.open()).isTrue());
        assertThat(requests(200)).isEqualTo(2);
    }

    @Test
    void aRepeatedNotificationIsAcceptedAndChangesNothing(Vertx vertx) throws Exception {
        start(vertx, config(Optional.empty(), 1 << 20));
        String body = json(notification(List.of(firing("web-1", T0, "f1"))));

        post(body);
        HttpResponse<String> repeat = post(body);

        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(repeat.body()).isEqualTo("{\"new\":0,\"resolved\":0,\"duplicate\":1,\"ignored\":0}");
        assertThat(log.between(T0, T0.plusSeconds(60))).hasSize(1);
        assertThat(Files.readAllLines(dir.resolve(FailureLog.FILE_NAME))).hasSize(1);
    }

    @Test
    void alertsWithoutTheWorkloadLabelAreIgnored(Vertx vertx) throws Exception {
        start(vertx, config(Optional.empty(), 1 << 20));

        HttpResponse<String> r = post(json(notification(List.of(WebhookPayloads.alert("firing",
                Map.of("alertname", "DiskFull", "instance", "nas:9100"), T0, null, "f9")))));

        assertThat(r.body()).isEqualTo("{\"new\":0,\"resolved\":0,\"duplicate\":0,\"ignored\":1}");
        assertThat(log.between(T0, T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void badBodiesAreRefusedWith400AndTheReason(Vertx vertx) throws Exception {
        start(vertx, config(Optional.empty(), 1 << 20));
        Map<String, Object> noVersion = notification(List.of(firing("web-1", T0, "f1")));
        noVersion.remove("version");
        Map<String, Object> v3 = notification(List.of(firing("web-1", T0, "f1")));
        v3.put("version", "3");
        Map<String, Object> noFingerprint = firing("web-1", T0, "f1");
        noFingerprint.remove("fingerprint");
        Map<String, Object> badTime = firing("web-1", T0, "f1");
        badTime.put("startsAt", "yesterday");
        Map<String, Object> noGroupKey = notification(List.of());
        noGroupKey.remove("groupKey");

        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("{\"version\":\"4\",", "body is not valid JSON at line 1, column 16: Unexpected end-of-input");
        expected.put("[]", "body must be a JSON object, Alertmanager's webhook format (got a list)");
        expected.put(json(noVersion), "version: missing; this endpoint takes Alertmanager's webhook format version \"4\"");
        expected.put(json(v3), "version: must be \"4\" (got \"3\")");
        expected.put(json(noGroupKey), "groupKey: missing");
        expected.put(json(notification(List.of(noFingerprint))), "alerts[0].fingerprint: missing");
        expected.put(json(notification(List.of(firing("db-1", T0, "f0"), badTime))), "alerts[1].startsAt: must be an"
                + " RFC 3339 time such as 2026-03-01T10:00:00Z (got \"yesterday\")");
        expected.put(json(notification(List.of(resolved("web-1", T0, T0.minusSeconds(1), "f1")))),
                "alerts[0].endsAt: must not be before startsAt 2026-03-01T10:00:00Z (got 2026-03-01T09:59:59Z)");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            HttpResponse<String> r = post(e.getKey());
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
            assertThat(r.body()).as(e.getKey()).startsWith("invalid webhook payload: " + e.getValue());
        }
        assertThat(post("").body()).startsWith("empty body");
        assertThat(log.between(Instant.MIN, Instant.MAX)).as("nothing from a refused body is kept").isEmpty();
        assertThat(requests(400)).isEqualTo(expected.size() + 1);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413(Vertx vertx) throws Exception {
        start(vertx, config(Optional.empty(), 1024));
        String big = json(notification(List.of(firing("web-1", T0, "f1".repeat(600)))));

        HttpResponse<String> r = post(big);

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("larger than 1024 bytes (notify.webhook.max_body)");
        assertThat(requests(413)).isEqualTo(1);
    }

    @Test
    void aReloadedTokenIsRequiredFromTheSwapOnAndAnEmptyOneIsRefusedBeforeIt(Vertx vertx) throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "old-token\n");
        start(vertx, config(Optional.of(tokenFile), 1 << 20));
        String body = json(notification(List.of(firing("web-1", T0, "f1"))));

        Files.writeString(tokenFile, "\n");
        assertThatThrownBy(() -> receiver.prepareToken(config(Optional.of(tokenFile), 1 << 20)))
                .hasMessageContaining("is empty");
        assertThat(post(body, "Authorization", "Bearer old-token").statusCode()).as("still the old token").isEqualTo(200);

        Files.writeString(tokenFile, "new-token\n");
        Runnable swap = receiver.prepareToken(config(Optional.of(tokenFile), 1 << 20));
        assertThat(post(body, "Authorization", "Bearer old-token").statusCode()).as("not before the swap").isEqualTo(200);
        swap.run();
        assertThat(post(body, "Authorization", "Bearer old-token").statusCode()).isEqualTo(401);
        assertThat(post(body, "Authorization", "Bearer new-token").statusCode()).isEqualTo(200);
    }

    @Test
    void withATokenOnlyTheRightBearerIsAcceptedAndTheTokenIsNeverLogged(Vertx vertx) throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "hunter2-s3cret\n");
        start(vertx, config(Optional.of(tokenFile), 1 << 20));
        String body = json(notification(List.of(firing("web-1", T0, "f1"))));
        ListAppender<ILoggingEvent> logs = capture(WebhookReceiver.class);

        HttpResponse<String> none = post(body);
        HttpResponse<String> wrong = post(body, "Authorization", "Bearer hunter2");
        HttpResponse<String> right = post(body, "Authorization", "bearer hunter2-s3cret");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"headroom\"");
        assertThat(none.body()).startsWith("missing bearer token");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).startsWith("wrong bearer token").doesNotContain("hunter2");
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
        assertThat(log.between(T0, T0.plusSeconds(60))).hasSize(1);
        assertThat(logged(logs)).isNotEmpty().allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("hunter2"));
    }

    @Test
    void whenStorageFailsTheAnswerIs500SoAlertmanagerRetriesAndTheRetryIsRecorded(Vertx vertx) throws Exception {
        Journal failsOnce = new Journal() {
            boolean failed;

            @Override
            public List<String> readAll(io.headroom.journal.RotatingJournal.CorruptLines corrupt) {
                return List.of();
            }

            @Override
            public void append(List<String> lines) throws IOException {
                if (!failed) {
                    failed = true;
                    throw new IOException("No space left on device");
                }
            }

            @Override
            public void close() {
            }
        };
        start(vertx, config(Optional.empty(), 1 << 20), failsOnce);
        String body = json(notification(List.of(firing("web-1", T0, "f1"))));

        HttpResponse<String> failed = post(body);
        HttpResponse<String> retried = post(body);

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).contains("No space left on device");
        assertThat(retried.body()).isEqualTo("{\"new\":1,\"resolved\":0,\"duplicate\":0,\"ignored\":0}");
    }

    /**
     * The events logged so far. Other threads may still be logging into the appender's list: it appends under its
     * own monitor (AppenderBase.doAppend is synchronized), so a copy taken under it never sees the list mid-change.
     */
    static List<ILoggingEvent> logged(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    static ListAppender<ILoggingEvent> capture(Class<?> type) {
        Logger logger = (Logger) LoggerFactory.getLogger(type);
        logger.setLevel(Level.DEBUG);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    /**
     * Every journal write takes 300 ms, three times the event loop's budget here: if parsing or the fsync ran on
     * an event loop, Vert.x's blocked-thread checker would report it.
     */
    @Nested
    class OnAStrictEventLoop {

        @Test
        void aSlowJournalNeverBlocksTheEventLoop() throws Exception {
            Vertx strict = Vertx.vertx(new VertxOptions()
                    .setMaxEventLoopExecuteTime(100).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                    .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                    .setWarningExceptionTime(100).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
            Journal slow = new Journal() {
                @Override
                public List<String> readAll(io.headroom.journal.RotatingJournal.CorruptLines corrupt) {
                    return List.of();
                }

                @Override
                public void append(List<String> lines) throws IOException {
                    try {
                        Thread.sleep(300); // stands in for an fsync on a busy disk
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }

                @Override
                public void close() {
                }
            };
            Logger checker = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
            ListAppender<ILoggingEvent> warnings = new ListAppender<>();
            warnings.start();
            try {
                start(strict, config(Optional.empty(), 1 << 20), slow);
                checker.addAppender(warnings);
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = post(json(notification(List.of(firing("web-" + i, T0, "f" + i)))));
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                }
            } finally {
                checker.detachAppender(warnings);
                strict.close().await(10, TimeUnit.SECONDS);
            }
            assertThat(warnings.list).as("blocked event loop warnings").isEmpty();
        }
    }
}
