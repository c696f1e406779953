package io.headroom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Posts an alert to a real Alertmanager and reads it back through the v2 API. */
class AlertmanagerExtensionIT {

    @RegisterExtension
    static final AlertmanagerExtension alertmanager = AlertmanagerExtension.builder().build();

    @Test
    void postedAlertIsListedWithItsLabels() throws Exception {
        String id = UUID.randomUUID().toString();
        Map<String, String> labels = Map.of("alertname", "HeadroomTest", "domain", "vm-a", "severity", "warning",
                "test_id", id);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        HttpJson.post(alertmanager.baseUrl() + "/api/v2/alerts", List.of(Map.of(
                "labels", labels,
                "annotations", Map.of("summary", "CPU headroom below 10%"),
                "startsAt", now.toString(),
                "endsAt", now.plus(Duration.ofHours(1)).toString())));

        JsonNode alert = Poll.until(Duration.ofSeconds(30), "the posted alert in GET /api/v2/alerts",
                () -> find(HttpJson.get(alertmanager.baseUrl() + "/api/v2/alerts", Map.of()), id),
                found -> found != null);

        assertThat(alert.get("labels")).isEqualTo(HttpJson.JSON.valueToTree(labels));
        assertThat(alert.at("/annotations/summary").asText()).isEqualTo("CPU headroom below 10%");
        assertThat(alert.at("/status/state").asText()).isEqualTo("active");
        assertThat(Instant.parse(alert.get("startsAt").asText())).isEqualTo(now);
        assertThat(alert.at("/receivers/0/name").asText()).isEqualTo("null");
    }

    @Test
    void runsStandaloneWithTheDefaultConfig() throws Exception {
        JsonNode status = HttpJson.get(alertmanager.baseUrl() + "/api/v2/status", Map.of());

        assertThat(status.at("/cluster/status").asText()).isEqualTo("disabled");
        assertThat(status.at("/config/original").asText()).contains("name: \"null\"");
        assertThat(alertmanager.baseUrl()).isEqualTo("http://127.0.0.1:" + alertmanager.port());
    }

    private static JsonNode find(JsonNode alerts, String id) {
        for (JsonNode alert : alerts) {
            if (id.equals(alert.at("/labels/test_id").asText())) {
                return alert;
            }
        }
        return null;
    }
}
