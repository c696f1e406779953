package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.collect.PrometheusClient;
import io.headroom.collect.Sample;
import io.headroom.collect.Series;
import io.headroom.config.ConfigLoader;
import io.headroom.config.FeatureSpec;
import io.headroom.config.HeadroomConfig;
import io.headroom.metrics.Metrics;
import io.headroom.testing.OpenMetricsWriter;
import io.headroom.testing.PrometheusExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A training batch's filtered query, run by a real Prometheus over a fleet larger than a batch: it answers with
 * exactly the batch's series, whatever characters their names hold, and their values unchanged.
 */
class BatchQueriesIT {

    static final long END = Instant.now().getEpochSecond() / 60 * 60;
    /** More workloads than one training batch, and names that PromQL strings and replacements treat specially. */
    static final List<String> FLEET = fleet();

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder().backfill(out -> {
        OpenMetricsWriter.Family probe = out.gauge("batch_probe", "One value per workload.");
        for (long t = END - 3600; t <= END; t += 60) {
            for (int i = 0; i < FLEET.size(); i++) {
                probe.sample(Map.of("domain", FLEET.get(i), "instance", "a"), i, t);
                probe.sample(Map.of("domain", FLEET.get(i), "instance", "b"), i, t);
            }
        }
    }).build();

    static List<String> fleet() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            names.add(String.format("vm-%02d", i));
        }
        names.add("price$1-guest");
        names.add("quote\"d");
        names.add("dot.ted(1)|x");
        names.add("back\\slash");
        return names;
    }

    @Test
    void aNarrowedPresetQueryAnswersWithWhatTheWrappedOneDoes() throws Exception {
        HeadroomConfig cfg = ConfigLoader.parse("prometheus: {url: '" + prometheus.baseUrl() + "'}\n", null);
        FeatureSpec probe = new FeatureSpec("probe", "max by (domain) (batch_probe{instance=~\"a|b\",})",
                FeatureSpec.Kind.GAUGE, FeatureSpec.Pressure.CPU, FeatureSpec.Direction.ABOVE,
                FeatureSpec.Usage.NONE, java.util.Optional.of("max by (domain) (batch_probe{instance=~\"a|b\","
                        + FeatureSpec.WORKLOADS + "})"));
        FeatureSpec wrappedProbe = new FeatureSpec(probe.name(), probe.query(), probe.kind(), probe.pressure(),
                probe.direction());
        List<String> batch = List.of("vm-03", "vm-1", "price$1-guest", "quote\"d", "dot.ted(1)|x", "back\\slash");
        FeatureSpec narrowed = BatchQueries.only(List.of(probe), batch).get(0);
        FeatureSpec wrapped = BatchQueries.only(List.of(wrappedProbe), batch).get(0);
        assertThat(narrowed.queryFor("domain")).doesNotContain("label_replace").contains("domain=~");
        try (PrometheusClient client = new PrometheusClient(cfg.prometheus(), Metrics.isolated())) {
            List<Series> got = client.queryRange(narrowed.queryFor("domain"), Instant.ofEpochSecond(END - 1800),
                    Instant.ofEpochSecond(END), Duration.ofMinutes(1));
            List<Series> want = client.queryRange(wrapped.queryFor("domain"), Instant.ofEpochSecond(END - 1800),
                    Instant.ofEpochSecond(END), Duration.ofMinutes(1));
            // vm-1 is no workload of the fleet (vm-01 is): an anchored pattern must not match vm-10..vm-19.
            assertThat(got.stream().map(s -> s.labels().get("domain")).collect(Collectors.toSet()))
                    .isEqualTo(Set.of("vm-03", "price$1-guest", "quote\"d", "dot.ted(1)|x", "back\\slash"));
            assertThat(got).hasSameSizeAs(want);
            for (Series s : got) {
                Series w = want.stream().filter(x -> x.labels().equals(s.labels())).findFirst().orElseThrow();
                assertThat(s.values()).isEqualTo(w.values());
                assertThat(s.size()).isEqualTo(31);
            }
        }
    }

    @Test
    void aBatchQueryAnswersWithExactlyTheBatchsSeries() throws Exception {
        HeadroomConfig cfg = ConfigLoader.parse("prometheus: {url: '" + prometheus.baseUrl() + "'}\n", null);
        FeatureSpec probe = new FeatureSpec("probe", "max by (${label}) (batch_probe)", FeatureSpec.Kind.GAUGE,
                FeatureSpec.Pressure.CPU, FeatureSpec.Direction.ABOVE);
        List<String> batch = List.of("vm-03", "vm-17", "price$1-guest", "quote\"d");
        FeatureSpec filtered = BatchQueries.only(List.of(probe), batch).get(0);
        try (PrometheusClient client = new PrometheusClient(cfg.prometheus(), Metrics.isolated())) {
            List<Sample> all = client.query(probe.queryFor("domain"), Instant.ofEpochSecond(END));
            assertThat(all).as("the unfiltered query sees the whole fleet").hasSize(FLEET.size());

            List<Series> got = client.queryRange(filtered.queryFor("domain"), Instant.ofEpochSecond(END - 1800),
                    Instant.ofEpochSecond(END), Duration.ofMinutes(1));
            assertThat(got.stream().map(s -> s.labels().get("domain")).collect(Collectors.toSet()))
                    .isEqualTo(Set.copyOf(batch));
            for (Series s : got) {
                double want = FLEET.indexOf(s.labels().get("domain"));
                assertThat(s.size()).isEqualTo(31);
                assertThat(s.values()).as("values of %s", s.labels()).containsOnly(want);
            }
        }
    }
}
