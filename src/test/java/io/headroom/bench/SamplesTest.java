package io.headroom.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.metrics.Metrics;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void theTextFormatReadsAsTheRegistryItWasWrittenFrom() throws Exception {
        // The cycle bench reads a launched daemon's /metrics where it read the daemon's registry in its own JVM:
        // both must give the same samples, labels, NaN and infinities included.
        Metrics metrics = Metrics.isolated();
        metrics.trainingHistoryRows.labels("cache").set(19_313_000);
        metrics.trainingHistoryRows.labels("prometheus").set(Double.NaN);
        io.prometheus.client.Gauge odd = io.prometheus.client.Gauge.build("bench_odd", "help")
                .labelNames("name").register(metrics.registry());
        odd.labels("a \"quoted\" \\ name").set(Double.POSITIVE_INFINITY);
        StringWriter text = new StringWriter();
        TextFormat.write004(text, metrics.registry().metricFamilySamples());

        Samples inProcess = Samples.of(metrics.registry());
        Samples scraped = name -> Samples.parse(text.toString(), name);
        for (String name : new String[] {"headroom_training_history_rows", "bench_odd"}) {
            assertThat(scraped.named(name)).hasSize(inProcess.named(name).size()).hasSizeGreaterThan(0);
            assertThat(scraped.byLabel(name, "source")).isEqualTo(inProcess.byLabel(name, "source"));
        }
        assertThat(scraped.value("headroom_training_history_rows", "source", "cache")).isEqualTo(19_313_000);
        assertThat(scraped.value("headroom_training_history_rows", "source", "prometheus")).isNaN();
        assertThat(scraped.named("bench_odd")).containsExactly(
                new Samples.Sample(Map.of("name", "a \"quoted\" \\ name"), Double.POSITIVE_INFINITY));
        assertThat(scraped.value("no_such_sample")).isNaN();
    }
}
