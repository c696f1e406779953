package io.headroom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenMetricsWriterTest {

    @TempDir
    Path dir;

    @Test
    void interleavedSamplesComeOutGroupedByFamilyInDeclarationOrder() throws IOException {
        Path file = dir.resolve("out.om");
        try (OpenMetricsWriter out = OpenMetricsWriter.create(file)) {
            OpenMetricsWriter.Family cpu = out.gauge("vm_cpu_ratio", "CPU use.");
            OpenMetricsWriter.Family io = out.counter("vm_io_ops_total", "I/O operations.");
            for (long t = 100; t <= 130; t += 30) {
                cpu.sample(Map.of("domain", "a"), 0.5, t);
                io.sample(Map.of("domain", "a"), t, t);
                cpu.sample(Map.of("domain", "b"), 0.25, t);
            }
            assertThat(out.sampleCount()).isEqualTo(6);
        }

        assertThat(Files.readAllLines(file)).containsExactly(
                "# HELP vm_cpu_ratio CPU use.",
                "# TYPE vm_cpu_ratio gauge",
                "vm_cpu_ratio{domain=\"a\"} 0.5 100",
                "vm_cpu_ratio{domain=\"b\"} 0.25 100",
                "vm_cpu_ratio{domain=\"a\"} 0.5 130",
                "vm_cpu_ratio{domain=\"b\"} 0.25 130",
                "# HELP vm_io_ops I/O operations.",
                "# TYPE vm_io_ops counter",
                "vm_io_ops_total{domain=\"a\"} 100 100",
                "vm_io_ops_total{domain=\"a\"} 130 130",
                "# EOF");
    }

    @Test
    void spoolFilesAreDeletedOnClose() throws IOException {
        Path file = dir.resolve("out.om");
        try (OpenMetricsWriter out = OpenMetricsWriter.create(file)) {
            out.gauge("a", "a").sample(Map.of(), 1, 1);
            out.gauge("b", "b").sample(Map.of(), 1, 1);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files).hasSize(2);
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void labelsAreSortedAndEscapedAndHelpIsEscaped() throws IOException {
        Path file = dir.resolve("out.om");
        try (OpenMetricsWriter out = OpenMetricsWriter.create(file)) {
            out.gauge("g", "a \"quoted\" back\\slash\nnewline")
                    .sample(Map.of("z", "last", "a", "x\"y\\z\nw"), 1, 1);
        }
        assertThat(Files.readAllLines(file)).containsExactly(
                "# HELP g a \\\"quoted\\\" back\\\\slash\\nnewline",
                "# TYPE g gauge",
                "g{a=\"x\\\"y\\\\z\\nw\",z=\"last\"} 1 1",
                "# EOF");
    }

    @Test
    void valuesAndTimestampsUseOpenMetricsSpelling() {
        assertThat(OpenMetricsWriter.formatValue(Double.NaN)).isEqualTo("NaN");
        assertThat(OpenMetricsWriter.formatValue(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(OpenMetricsWriter.formatValue(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(OpenMetricsWriter.formatValue(42)).isEqualTo("42");
        assertThat(OpenMetricsWriter.formatValue(-3)).isEqualTo("-3");
        assertThat(OpenMetricsWriter.formatValue(-0.0)).isEqualTo("-0.0");
        assertThat(OpenMetricsWriter.formatValue(0.1)).isEqualTo("0.1");
        assertThat(OpenMetricsWriter.formatValue(1e300)).isEqualTo("1.0E300");
        assertThat(Double.parseDouble(OpenMetricsWriter.formatValue(Math.PI))).isEqualTo(Math.PI);

        assertThat(OpenMetricsWriter.formatTimestamp(1_700_000_000_000L)).isEqualTo("1700000000");
        assertThat(OpenMetricsWriter.formatTimestamp(1_700_000_000_250L)).isEqualTo("1700000000.250");
        assertThat(OpenMetricsWriter.formatTimestamp(-500L)).isEqualTo("-0.500");
    }

    @Test
    void instantsKeepMilliseconds() throws IOException {
        Path file = dir.resolve("out.om");
        try (OpenMetricsWriter out = OpenMetricsWriter.create(file)) {
            out.gauge("g", "h").sample(Map.of(), 1, Instant.ofEpochMilli(1_700_000_000_123L));
        }
        assertThat(Files.readAllLines(file)).contains("g 1 1700000000.123");
    }

    @Test
    void nonIncreasingTimestampsAreRejectedBecausePromtoolWouldDropThem() throws IOException {
        try (OpenMetricsWriter out = OpenMetricsWriter.create(dir.resolve("out.om"))) {
            OpenMetricsWriter.Series series = out.gauge("g", "h").series(Map.of("domain", "a"));
            series.sample(1, 100);
            assertThatThrownBy(() -> series.sample(2, 100))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("g{domain=\"a\"}")
                    .hasMessageContaining("got 100 after 100");
            assertThatThrownBy(() -> out.gauge("g", "h").sample(Map.of("domain", "a"), 2, 99))
                    .isInstanceOf(IllegalArgumentException.class);
            // Another series of the same family has its own clock.
            out.gauge("g", "h").sample(Map.of("domain", "b"), 1, 50);
        }
    }

    @Test
    void invalidNamesAndConflictingDeclarationsAreRejected() throws IOException {
        try (OpenMetricsWriter out = OpenMetricsWriter.create(dir.resolve("out.om"))) {
            assertThatThrownBy(() -> out.counter("requests", "h")).hasMessageContaining("must end in _total");
            assertThatThrownBy(() -> out.gauge("1bad", "h")).hasMessageContaining("invalid metric name");
            OpenMetricsWriter.Family g = out.gauge("g", "h");
            assertThatThrownBy(() -> g.sample(Map.of("bad-name", "v"), 1, 1)).hasMessageContaining("invalid label name");
            assertThatThrownBy(() -> g.sample(Map.of("__name__", "v"), 1, 1)).hasMessageContaining("reserved");
            assertThatThrownBy(() -> out.gauge("g", "other help")).hasMessageContaining("already declared");
            assertThatThrownBy(() -> out.counter("g_total", "h")).hasMessageContaining("already declared");
            out.gauge("c_total", "h");
            assertThatThrownBy(() -> out.counter("c_total", "h")).hasMessageContaining("already belong");
            assertThat(out.gauge("g", "h")).isSameAs(g);
        }
    }

    @Test
    void familiesWithoutSamplesAreLeftOut() throws IOException {
        Path file = dir.resolve("out.om");
        try (OpenMetricsWriter out = OpenMetricsWriter.create(file)) {
            out.gauge("empty", "h");
        }
        assertThat(Files.readAllLines(file)).isEqualTo(List.of("# EOF"));
    }
}
