package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.headroom.collect.PrometheusClient;
import io.headroom.config.ConfigLoader;
import io.headroom.config.FeatureSpec;
import io.headroom.config.HeadroomConfig;
import io.headroom.metrics.Metrics;
import io.headroom.testing.PrometheusExtension;
import java.time.Instant;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every shipped preset query, with and without extra matchers, is valid PromQL for a real Prometheus. */
class PresetQueriesIT {

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder().build();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "libvirt-exporter|''|8",
        "libvirt-exporter|'host=\"kvm-01\",job=~\"libvirt.*\"'|8",
        "node-exporter|''|8",
        "node-exporter|'host=\"kvm-01\"'|8",
        "headroom-libvirt|''|5",
        "headroom-libvirt|'job=\"headroom\"'|5"})
    void everyPresetQueryParses(String preset, String matchers, int features) throws Exception {
        HeadroomConfig cfg = ConfigLoader.parse("prometheus: {url: '" + prometheus.baseUrl() + "'}\n"
                + "features: {preset: " + preset + ", matchers: '" + matchers.replace("'", "''") + "'}\n", null);
        assertThat(cfg.features()).hasSize(features);
        try (PrometheusClient client = new PrometheusClient(cfg.prometheus(), Metrics.isolated())) {
            for (FeatureSpec f : cfg.features()) {
                assertThatCode(() -> client.query(f.queryFor("domain"), Instant.now()))
                        .as("%s: %s", f.name(), f.query()).doesNotThrowAnyException();
            }
        }
    }
}
