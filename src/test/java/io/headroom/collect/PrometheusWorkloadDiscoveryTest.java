package io.headroom.collect;

import static io.headroom.collect.TestSupport.config;
import static io.headroom.collect.TestSupport.ok;
import static io.headroom.collect.TestSupport.success;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.WorkloadsConfig;
import io.headroom.config.WorkloadsConfig.Source;
import io.headroom.metrics.Metrics;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrometheusWorkloadDiscoveryTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:00:00Z");

    private final MockWebServer server = new MockWebServer();
    private PrometheusClient client;

    @BeforeEach
    void start() throws IOException {
        server.start();
        client = new PrometheusClient(config(server.url("/").uri(), 1, 11_000), Metrics.isolated());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static WorkloadsConfig workloads(String selector, String include, Optional<String> exclude) {
        return new WorkloadsConfig(Source.PROMETHEUS, "qemu:///system", "domain", selector,
                Pattern.compile(include), exclude.map(Pattern::compile));
    }

    @Test
    void labelValuesOnTheSelectorOverTheLookbackFilteredAndSorted() throws InterruptedException {
        server.enqueue(ok(success("[\"web-2\",\"db-1\",\"web-1\",\"test-web-3\",\"web-canary\"]")));
        WorkloadDiscovery discovery = new PrometheusWorkloadDiscovery(client,
                workloads("libvirt_domain_info_state", "web-.*|db-.*", Optional.of(".*-canary")),
                Duration.ofHours(1));

        assertThat(discovery.discover(NOW)).containsExactly("db-1", "web-1", "web-2");

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/label/domain/values");
        assertThat(request.getUrl().queryParameterValues("match[]")).containsExactly("libvirt_domain_info_state");
        assertThat(request.getUrl().queryParameter("start")).isEqualTo(Long.toString(NOW.getEpochSecond() - 3600));
        assertThat(request.getUrl().queryParameter("end")).isEqualTo(Long.toString(NOW.getEpochSecond()));
    }

    @Test
    void aBlankSelectorSendsNoMatcher() throws InterruptedException {
        server.enqueue(ok(success("[]")));

        assertThat(new PrometheusWorkloadDiscovery(client, workloads("", ".*", Optional.empty()),
                Duration.ofMinutes(5)).discover(NOW)).isEmpty();

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.getUrl().queryParameterValues("match[]")).isEmpty();
    }
}
