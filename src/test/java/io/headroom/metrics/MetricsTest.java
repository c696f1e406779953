package io.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.Collector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    static final Path SOURCES = Path.of("src/main/java/io/headroom/metrics");

    static String sources() throws IOException {
        return Files.readString(SOURCES.resolve("Metrics.java")) + Files.readString(SOURCES.resolve("DomainSeries.java"));
    }

    @Test
    void everyExportedNameIsWrittenOutWholeSoGrepFindsIt() throws IOException {
        Metrics m = Metrics.isolated();
        List<Collector.MetricFamilySamples> families = Collections.list(m.registry().metricFamilySamples());
        String src = sources();

        assertThat(families).hasSizeGreaterThan(50);
        for (Collector.MetricFamilySamples f : families) {
            // A counter's family drops _total: written with it (the name on dashboards and in rules) or without it
            // (DomainSeries' counter families, which simpleclient suffixes), grep finds it either way.
            boolean whole = src.contains("\"" + f.name + "\"")
                    || (f.type == Collector.Type.COUNTER && src.contains("\"" + f.name + "_total\""));
            assertThat(whole).as("metric %s written as one literal", f.name).isTrue();
        }
    }

    @Test
    void forgetAllocationRetiresEveryAllocationSeriesOfThatWorkloadOnly() {
        Metrics m = Metrics.isolated();
        for (String w : List.of("web-1", "web-2")) {
            m.workloadVcpus.labels(w).set(2);
            m.workloadMemory.labels(w).set(1 << 30);
            m.workloadTier.labels(w).set(1);
            m.workloadCpuQuota.labels(w).set(1.5);
            m.vcpuUnplugFailed.labels(w).set(0);
        }

        m.forgetAllocation("web-1");

        assertThat(workloadsWithSeries(m, "web-1")).isZero();
        assertThat(workloadsWithSeries(m, "web-2")).isEqualTo(5);
    }

    @Test
    void requestsSentAreSummedOverTheAskedEndpoints() {
        Metrics m = Metrics.isolated();
        m.prometheusRequests.labels("query_range").inc(3);
        m.prometheusRequests.labels("series").inc(2);

        assertThat(m.prometheusRequestsSent()).isEqualTo(5);
        assertThat(m.prometheusRequestsSent("query_range")).isEqualTo(3);
        assertThat(m.prometheusRequestsSent("query")).isZero();
    }

    static long workloadsWithSeries(Metrics m, String workload) {
        return Collections.list(m.registry().metricFamilySamples()).stream()
                .filter(f -> f.name.startsWith("headroom_workload_") || f.name.equals("headroom_vcpu_unplug_failed"))
                .flatMap(f -> f.samples.stream())
                .filter(s -> s.labelNames.equals(List.of("workload")) && s.labelValues.get(0).equals(workload))
                .count();
    }
}
