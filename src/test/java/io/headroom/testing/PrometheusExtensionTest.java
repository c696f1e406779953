package io.headroom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the extension that need no server: the rendered config and argument checks. */
class PrometheusExtensionTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void configGroupsTargetsByJobAndKeepsTheTimeoutWithinTheInterval() throws Exception {
        PrometheusExtension prometheus = PrometheusExtension.builder()
                .scrapeTarget("a", "127.0.0.1:1001")
                .scrapeTarget("b", "example.org:9100")
                .scrapeTarget("a", "localhost:1002")
                .scrapeInterval(Duration.ofSeconds(2))
                .build();

        JsonNode config = YAML.readTree(prometheus.configYaml(false));

        assertThat(config.at("/global/scrape_interval").asText()).isEqualTo("2s");
        assertThat(config.at("/global/scrape_timeout").asText()).isEqualTo("2s");
        assertThat(config.at("/scrape_configs/0/job_name").asText()).isEqualTo("a");
        assertThat(config.at("/scrape_configs/0/static_configs/0/targets").toString())
                .isEqualTo("[\"127.0.0.1:1001\",\"localhost:1002\"]");
        assertThat(config.at("/scrape_configs/1/static_configs/0/targets/0").asText()).isEqualTo("example.org:9100");
    }

    @Test
    void inAContainerLoopbackTargetsPointAtTheHost() throws Exception {
        PrometheusExtension prometheus = PrometheusExtension.builder()
                .scrapeTarget("a", "127.0.0.1:1001")
                .scrapeTarget("a", "example.org:9100")
                .build();

        JsonNode config = YAML.readTree(prometheus.configYaml(true));

        assertThat(config.at("/global/scrape_timeout").asText()).isEqualTo("10s");
        assertThat(config.at("/scrape_configs/0/static_configs/0/targets").toString())
                .isEqualTo("[\"host.testcontainers.internal:1001\",\"example.org:9100\"]");
    }

    @Test
    void withoutTargetsThereIsNoScrapeConfig() throws Exception {
        JsonNode config = YAML.readTree(PrometheusExtension.builder().build().configYaml(false));

        assertThat(config.has("scrape_configs")).isFalse();
        assertThat(config.at("/global/scrape_interval").asText()).isEqualTo("15s");
    }

    @Test
    void ruleFilesAreLoadedByRelativeNameAndAlertsGoToTheAlertmanager(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yml"), "groups: []\n");
        PrometheusExtension prometheus = PrometheusExtension.builder()
                .ruleFile(rules)
                .ruleFile(rules)
                .alertmanager("127.0.0.1:9093")
                .build();

        JsonNode local = YAML.readTree(prometheus.configYaml(false));
        JsonNode container = YAML.readTree(prometheus.configYaml(true));

        // Relative to prometheus.yml, where start() copies them, on the host and in a container alike.
        assertThat(local.at("/rule_files").toString()).isEqualTo("[\"rules-0.yml\",\"rules-1.yml\"]");
        assertThat(local.at("/alerting/alertmanagers/0/static_configs/0/targets/0").asText()).isEqualTo("127.0.0.1:9093");
        assertThat(container.at("/alerting/alertmanagers/0/static_configs/0/targets/0").asText())
                .isEqualTo("host.testcontainers.internal:9093");
        assertThatThrownBy(() -> PrometheusExtension.builder().ruleFile(dir.resolve("missing.yml")))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> PrometheusExtension.builder().alertmanager("http://127.0.0.1:9093"))
                .hasMessageContaining("host:port");
    }

    @Test
    void durationsUseTheLargestExactUnit() {
        assertThat(Flags.promDuration(Duration.ofDays(3650))).isEqualTo("3650d");
        assertThat(Flags.promDuration(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Flags.promDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> Flags.promDuration(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badArgumentsAreRejectedByTheBuilder() {
        PrometheusExtension.Builder builder = PrometheusExtension.builder();
        assertThatThrownBy(() -> builder.scrapeTarget("job", "http://127.0.0.1:1/metrics"))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> builder.scrapeTarget(" ", "127.0.0.1:1")).hasMessageContaining("job");
        assertThatThrownBy(() -> builder.scrapeInterval(Duration.ofNanos(1))).hasMessageContaining("milliseconds");
        assertThatThrownBy(() -> builder.startupTimeout(Duration.ZERO)).hasMessageContaining("positive");
    }
}
