package io.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.ConfigLoader;
import io.headroom.config.FeatureSpec;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The {@code headroom_domain_*} series: their exposition, and the preset that queries them. */
class DomainSeriesTest {

    static String render(CollectorRegistry r) throws Exception {
        StringWriter w = new StringWriter();
        TextFormat.write004(w, r.metricFamilySamples());
        return w.toString();
    }

    @Test
    void countersEndInTotalGaugesDoNotAndGoneDomainsVanish() throws Exception {
        Metrics m = Metrics.isolated();
        m.domains.replace("web-1", Map.of(DomainSeries.Series.MAJOR_FAULTS, 5.0, DomainSeries.Series.USABLE, 1024.0));
        m.domains.replace("web-2", Map.of(DomainSeries.Series.USABLE, 2048.0));
        String text = render(m.registry());
        assertThat(text).contains(
                "# TYPE headroom_domain_memory_major_faults_total counter",
                "headroom_domain_memory_major_faults_total{domain=\"web-1\",} 5.0",
                "# TYPE headroom_domain_memory_usable_bytes gauge",
                "headroom_domain_memory_usable_bytes{domain=\"web-2\",} 2048.0");
        assertThat(text).doesNotContain("headroom_domain_memory_major_faults_total{domain=\"web-2\"");

        m.domains.retain(Set.of("web-2"));
        assertThat(render(m.registry())).doesNotContain("web-1");
    }

    @Test
    void theHeadroomLibvirtPresetQueriesOnlySeriesHeadroomExports() throws Exception {
        Set<String> exported = Arrays.stream(DomainSeries.Series.values())
                .map(s -> s.counter() ? s.metricName() + "_total" : s.metricName()).collect(Collectors.toSet());
        Set<String> queried = new TreeSet<>();
        for (FeatureSpec f : ConfigLoader.parse("features: {preset: headroom-libvirt}", null).features()) {
            Matcher mt = Pattern.compile("headroom_domain_\\w+").matcher(f.query());
            while (mt.find()) {
                queried.add(mt.group());
            }
        }
        assertThat(queried).isNotEmpty();
        assertThat(exported).containsAll(queried);
    }
}
