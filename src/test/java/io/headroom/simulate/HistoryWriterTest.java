package io.headroom.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backfill's OpenMetrics, and the real clock continuing it without a jump. */
class HistoryWriterTest {

    static final String SCENARIO = """
            name: h
            duration: 1m
            step: 5s
            history: 1m
            workloads:
              - {name: vm-1, vcpus: {baseline: 2, max: 4}, memory: {baseline: 4GiB, max: 8GiB}}
              - {name: vm-2, clean: true}
            incidents:
              - {workload: vm-1, kind: memory-leak, start: 10s, ramp: 10s, severity: 0.5, duration: 30s}
            """;
    static final Instant END = Instant.parse("2026-12-01T10:00:03Z");
    static final Map<String, String> LABELS = Map.of("job", "sim", "instance", "127.0.0.1:9465");

    static String history() throws Exception {
        Scenario s = ScenarioLoader.parse(SCENARIO);
        Instant end = RealClock.floor(END, s.step());
        StringWriter out = new StringWriter();
        HistoryWriter.write(RealClock.anchored(s, end, end), 7, LABELS, out);
        return out.toString();
    }

    @Test
    void writesOneFamilyAfterAnotherInSecondsWithTheScrapeLabelsAndEndsWithEof() throws Exception {
        String om = history();
        List<String> lines = om.lines().toList();
        assertThat(om).endsWith("\n# EOF\n");
        assertThat(lines).contains("# TYPE libvirt_domain_info_cpu_time_seconds counter",
                "# TYPE libvirt_domain_info_virtual_cpus gauge", "# TYPE headroom_simulated_guest_failed gauge");
        String first = lines.stream().filter(l -> l.startsWith("libvirt_domain_info_cpu_time_seconds_total{")).findFirst()
                .orElseThrow();
        // 12 rows of 5 s ending one step before the (rounded) end: 09:59:00 to 09:59:55.
        assertThat(first).startsWith("libvirt_domain_info_cpu_time_seconds_total{domain=\"vm-1\",instance=\"127.0.0.1:9465\","
                + "job=\"sim\"} ").endsWith(" " + Instant.parse("2026-12-01T09:59:00Z").getEpochSecond());
        assertThat(lines.stream().filter(l -> l.startsWith("libvirt_domain_info_virtual_cpus{")))
                .hasSize(24).allMatch(l -> l.contains("job=\"sim\"") && l.contains("instance=\"127.0.0.1:9465\""));
        assertThat(lines.stream().filter(l -> l.startsWith("libvirt_domain_block_stats_read_bytes_total{domain=\"vm-2\"")))
                .hasSize(12).allMatch(l -> l.contains("target_device=\"vda\""));
        assertThat(lines).last().isEqualTo("# EOF");
        assertThat(lines.get(lines.size() - 2)).startsWith("headroom_simulated_guest_failed{").endsWith(" 0 " + Instant.parse("2026-12-01T09:59:55Z").getEpochSecond());
        // Counters never go backwards.
        double[] cpu = lines.stream().filter(l -> l.startsWith("libvirt_domain_info_cpu_time_seconds_total{domain=\"vm-1\""))
                .mapToDouble(l -> Double.parseDouble(l.split(" ")[1])).toArray();
        double[] sorted = cpu.clone();
        Arrays.sort(sorted);
        assertThat(cpu).hasSize(12).containsExactly(sorted);
        // vm-1's default load keeps 1.0 core busy (half its 2 vCPUs, no noise): 5 CPU-seconds per 5 s step, so the
        // preset's rate() gives the physics' cores used back, whatever the vCPU count.
        for (int i = 1; i < cpu.length; i++) {
            assertThat(cpu[i] - cpu[i - 1]).as("CPU-seconds in step %d", i).isCloseTo(5.0, within(1e-9));
        }
        // Every family is contiguous: a family's TYPE line comes once.
        assertThat(lines.stream().filter(l -> l.startsWith("# TYPE")).distinct().count())
                .isEqualTo(lines.stream().filter(l -> l.startsWith("# TYPE")).count()).isEqualTo(GuestExporter.FAMILIES.size());
    }

    @Test
    void theRealClockContinuesTheBackfilledCountersAndServesThemWithoutScrapeLabels() throws Exception {
        String om = history();
        double lastCpu = om.lines().filter(l -> l.startsWith("libvirt_domain_info_cpu_time_seconds_total{domain=\"vm-1\""))
                .mapToDouble(l -> Double.parseDouble(l.split(" ")[1])).max().orElseThrow();
        Scenario s = ScenarioLoader.parse(SCENARIO);
        // The live run starts with the history's end: its first scrape shows the history's last values.
        Clock at = Clock.fixed(RealClock.floor(END, s.step()), ZoneOffset.UTC);
        try (RealClock rc = new RealClock(s, 7, END, new InetSocketAddress("127.0.0.1", 0), at)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + rc.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
            String line = r.body().lines().filter(l -> l.startsWith("libvirt_domain_info_cpu_time_seconds_total{domain=\"vm-1\""))
                    .findFirst().orElseThrow();
            // Stamped with the history's last step, as the backfill is.
            assertThat(line).isEqualTo("libvirt_domain_info_cpu_time_seconds_total{domain=\"vm-1\"} "
                    + GuestExporter.format(lastCpu) + " " + Instant.parse("2026-12-01T09:59:55Z").toEpochMilli());
            assertThat(r.body()).contains("# TYPE libvirt_domain_info_cpu_time_seconds_total counter")
                    .doesNotContain("job=").contains("headroom_simulated_guest_failed{domain=\"vm-2\"} 0 ");
            assertThat(rc.scenario().start()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
            assertThat(rc.liveStart()).isEqualTo(rc.scenario().start());
        }
    }

    @Test
    void anchoringShiftsIncidentsByTheGapBetweenTheHistoryAndTheLiveStart() throws Exception {
        Scenario s = ScenarioLoader.parse(SCENARIO);
        Instant end = Instant.parse("2026-12-01T10:00:00Z");
        Scenario a = RealClock.anchored(s, end, end.plusSeconds(20));
        assertThat(a.start()).isEqualTo(end);
        assertThat(a.incidents().get(0).start()).hasSeconds(30);
        assertThat(a.duration()).hasSeconds(80);
        assertThat(a.history()).isEqualTo(s.history());
    }

    @Test
    void labelsMustBeNameValuePairsOtherThanTheGuestsOwn() {
        assertThat(HistoryWriter.parseLabels("job=a, instance=127.0.0.1:1")).containsEntry("job", "a")
                .containsEntry("instance", "127.0.0.1:1");
        assertThat(HistoryWriter.parseLabels("")).isEmpty();
        assertThatThrownBy(() -> HistoryWriter.parseLabels("job")).hasMessageContaining("\"job\" is not name=value");
        assertThatThrownBy(() -> HistoryWriter.parseLabels("domain=x")).hasMessageContaining("other than domain");
        assertThatThrownBy(() -> HistoryWriter.parseLabels("1a=x")).hasMessageContaining("is not name=value");
    }
}
