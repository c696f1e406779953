package io.headroom.notify;

import static io.headroom.notify.NotifyTestSupport.alertmanager;
import static io.headroom.notify.NotifyTestSupport.errors;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.metrics.Metrics;
import io.headroom.notify.ActiveAlert.Change;
import io.headroom.notify.ActiveAlert.Severity;
import io.headroom.testing.AlertmanagerExtension;
import io.headroom.testing.FreePorts;
import io.headroom.testing.Poll;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client against a real Alertmanager 0.25: delivery, resolution, a dead HA member, an outage and recovery. */
class AlertmanagerClientIT {

    @RegisterExtension
    static final AlertmanagerExtension alertmanager = AlertmanagerExtension.builder().build();

    static final Duration WAIT = Duration.ofSeconds(20);

    final Metrics metrics = Metrics.isolated();

    /** A workload name no other test uses, so tests sharing the Alertmanager never see each other's alerts. */
    static String uniqueWorkload() {
        return "vm-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ActiveAlert critical(String workload) {
        return ActiveAlert.anomaly("HeadroomWorkloadCritical", workload, Severity.CRITICAL, "critical", 93.4,
                List.of("cpu_utilisation 41%", "memory_used_ratio 22%"), List.of(new Change("vcpus", "2", "4")));
    }

    static JsonNode awaitActive(String workload) throws InterruptedException {
        return Poll.until(WAIT, "alert for " + workload + " in GET /api/v2/alerts",
                () -> AlertmanagerApi.activeAlert(alertmanager.baseUrl(), workload), Optional::isPresent).orElseThrow();
    }

    @Test
    void anAlertAppearsWithItsLabelsAndAnnotationsAndGoesAwayWhenResolved() throws Exception {
        String workload = uniqueWorkload();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (AlertmanagerClient client = new AlertmanagerClient(
                alertmanager(List.of(URI.create(alertmanager.baseUrl())), 100), metrics)) {
            client.update(List.of(critical(workload)), start);

            JsonNode alert = awaitActive(workload);

            assertThat(alert.get("labels")).isEqualTo(AlertmanagerApi.JSON.readTree("{\"alertname\":"
                    + "\"HeadroomWorkloadCritical\",\"host\":\"kvm-test\",\"severity\":\"critical\",\"tier\":\"critical\","
                    + "\"workload\":\"" + workload + "\"}"));
            assertThat(alert.at("/annotations/score").asText()).isEqualTo("93.4");
            assertThat(alert.at("/annotations/top_features").asText()).isEqualTo("cpu_utilisation 41%, memory_used_ratio 22%");
            assertThat(alert.at("/annotations/changes").asText()).isEqualTo("vcpus 2 -> 4");
            assertThat(alert.at("/status/state").asText()).isEqualTo("active");
            assertThat(Instant.parse(alert.get("startsAt").asText())).isEqualTo(start);
            assertThat(Instant.parse(alert.get("endsAt").asText())).isEqualTo(start.plus(Duration.ofMinutes(4)));

            client.update(List.of(), Instant.now());

            Poll.until(WAIT, "the resolved alert gone from the active list",
                    () -> AlertmanagerApi.activeAlert(alertmanager.baseUrl(), workload), Optional::isEmpty);
        }
    }

    @Test
    void anHaPairWithOneMemberDownStillDelivers() throws Exception {
        String workload = uniqueWorkload();
        String dead = "http://127.0.0.1:" + FreePorts.loopback();
        try (AlertmanagerClient client = new AlertmanagerClient(
                alertmanager(List.of(URI.create(dead), URI.create(alertmanager.baseUrl())), 100), metrics)) {
            client.update(List.of(critical(workload)), Instant.now());

            awaitActive(workload);

            Poll.until(WAIT, "the refused connection counted", () -> errors(metrics, dead, "connect"), v -> v >= 1);
        }
    }

    @Test
    void anAlertPostedWhileAlertmanagerIsDownArrivesOnceItIsUp() throws Exception {
        String workload = uniqueWorkload();
        int port = FreePorts.loopback();
        String url = "http://127.0.0.1:" + port;
        try (AlertmanagerClient client = new AlertmanagerClient(alertmanager(List.of(URI.create(url)), 100), metrics)) {
            client.update(List.of(critical(workload)), Instant.now());
            Poll.until(WAIT, "two refused attempts", () -> errors(metrics, url, "connect"), v -> v >= 2);

            TcpForwarder up = new TcpForwarder(port, alertmanager.port());
            try {
                JsonNode alert = awaitActive(workload);
                assertThat(alert.at("/labels/alertname").asText()).isEqualTo("HeadroomWorkloadCritical");
            } finally {
                up.close();
            }
        }
    }
}
