package io.headroom.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.WebhookConfig;
import io.headroom.metrics.Metrics;
import io.headroom.testing.AlertmanagerExtension;
import io.headroom.testing.FreePorts;
import io.headroom.testing.Poll;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A real Alertmanager 0.25 routes failure alerts to Headroom's webhook (with a bearer token, group_wait 1s), and the
 * receiver records them as failure signals: open while firing, closed once Alertmanager sends the resolution.
 */
class WebhookReceiverIT {

    static final Duration GROUP_WAIT = Duration.ofSeconds(1);
    /** Alertmanager flushes groups on its own timer and we fsync: allow this much on top of group_wait. */
    static final Duration MARGIN = Duration.ofSeconds(4);
    static final String TOKEN = "it-token-" + UUID.randomUUID();
    static final int WEBHOOK_PORT = FreePorts.loopback();
    static final String PATH = "/api/v1/alerts/webhook";

    @RegisterExtension
    static final AlertmanagerExtension alertmanager = AlertmanagerExtension.builder().config("""
            route:
              receiver: headroom
              group_by: [alertname, domain]
              group_wait: %ds
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: headroom
                webhook_configs:
                  - url: http://127.0.0.1:%d%s
                    send_resolved: true
                    http_config:
                      authorization:
                        type: Bearer
                        credentials: %s
            """.formatted(GROUP_WAIT.toSeconds(), WEBHOOK_PORT, PATH, TOKEN)).build();

    @TempDir
    static Path dir;

    static final Metrics metrics = Metrics.isolated();
    static Vertx vertx;
    static FailureLog log;

    @BeforeAll
    static void startWebhook() throws Exception {
        Path tokenFile = dir.resolve("webhook-token");
        Files.writeString(tokenFile, TOKEN + "\n");
        log = FailureLog.open(dir.resolve(FailureLog.FILE_NAME));
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new WebhookReceiver(new WebhookConfig(true, PATH, Optional.of(tokenFile), 1 << 20, "domain"), log,
                vertx.createSharedWorkerExecutor("headroom-webhook-it", 1), metrics).mount(router);
        vertx.createHttpServer().requestHandler(router).listen(WEBHOOK_PORT, "127.0.0.1").await();
    }

    @AfterAll
    static void stopWebhook() throws Exception {
        if (vertx != null) {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        if (log != null) {
            log.close();
        }
    }

    static Map<String, Object> alert(String workload, Instant startsAt, Instant endsAt) {
        return Map.of("labels", Map.of("alertname", "ServiceDown", "domain", workload, "severity", "critical"),
                "annotations", Map.of("summary", workload + " stopped answering"),
                "startsAt", startsAt.toString(), "endsAt", endsAt.toString());
    }

    @Test
    void aFailureAlertRoutedToTheWebhookIsRecordedWithinGroupWaitAndClosedWhenResolved() throws Exception {
        String workload = "vm-" + UUID.randomUUID().toString().substring(0, 8);
        Instant start = Instant.now();
        AlertmanagerApi.post(alertmanager.baseUrl(), List.of(alert(workload, start, start.plus(Duration.ofHours(1)))));
        long posted = System.nanoTime();

        FailureInterval open = Poll.until(GROUP_WAIT.plus(MARGIN), "the firing alert recorded as an open failure",
                () -> log.between(start, Instant.now(), workload), l -> l.size() == 1).get(0);
        Duration latency = Duration.ofNanos(System.nanoTime() - posted);

        assertThat(open.open()).isTrue();
        assertThat(open.alertname()).isEqualTo("ServiceDown");
        assertThat(open.start()).isEqualTo(start);
        LoggerFactory.getLogger(WebhookReceiverIT.class).info(
                "firing alert recorded {} ms after the POST to Alertmanager (group_wait {} ms)",
                latency.toMillis(), GROUP_WAIT.toMillis());

        Instant end = Instant.now();
        AlertmanagerApi.post(alertmanager.baseUrl(), List.of(alert(workload, start, end)));

        FailureInterval closed = Poll.until(Duration.ofSeconds(15), "the resolution recorded",
                () -> log.between(start, Instant.now(), workload), l -> l.size() == 1 && !l.get(0).open()).get(0);
        assertThat(closed.end()).contains(end);
        assertThat(metrics.registry().getSampleValue("headroom_webhook_requests_total", new String[] {"code"},
                new String[] {"401"})).as("Alertmanager sent the bearer token").isNull();
    }
}
