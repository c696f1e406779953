package io.headroom.testing;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Streams OpenMetrics text for {@code promtool tsdb create-blocks-from openmetrics}, with bounded memory.
 *
 * <p>OpenMetrics requires the samples of one metric family to be contiguous, but test data is most
 * naturally generated time-major (for each timestamp, for each workload, for each feature). So each
 * family is spooled to its own temporary file next to the output, and {@link #close()} writes the
 * families one after the other, each under its {@code # HELP} and {@code # TYPE} lines, then
 * {@code # EOF}. Memory use is one buffer per family plus one entry per series, whatever the number
 * of samples.
 *
 * <p>Checks made here because promtool does not make them: promtool silently <em>drops</em> a sample
 * whose timestamp is not after the previous one of the same series, so a series' timestamps must be
 * strictly increasing (at millisecond resolution, the TSDB's); names must be valid; counters must be
 * named {@code ..._total} (the family is declared without the suffix, as OpenMetrics requires).
 *
 * <p>Timestamps are written in seconds, as OpenMetrics requires (not milliseconds as in the Prometheus
 * text format). Values may be any double: {@code NaN}, {@code +Inf} and {@code -Inf} are written as such.
 * Families without samples are left out. Not thread-safe.
 *
 * <pre>{@code
 * try (OpenMetricsWriter out = OpenMetricsWriter.create(file)) {
 *     OpenMetricsWriter.Family cpu = out.gauge("vm_cpu_ratio", "CPU use of a guest.");
 *     OpenMetricsWriter.Series a = cpu.series(Map.of("domain", "a"));
 *     for (long t = start; t < end; t += 30) {
 *         a.sample(0.5, t);
 *     }
 * }
 * }</pre>
 */
public final class OpenMetricsWriter implements Closeable {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final int SPOOL_BUFFER_CHARS = 1 << 16;

    private final Path file;
    private final Map<String, Family> families = new LinkedHashMap<>();
    private long samples;
    private boolean closed;

    private OpenMetricsWriter(Path file) {
        this.file = file;
    }

    /**
     * Starts writing to {@code file}, which is created or truncated on {@link #close()}. Spool files
     * are created in the same directory and deleted on close.
     *
     * @param file the OpenMetrics file to produce
     * @return a writer that must be closed to produce the file
     */
    public static OpenMetricsWriter create(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("directory of " + file + " does not exist");
        }
        return new OpenMetricsWriter(file.toAbsolutePath());
    }

    /**
     * Declares a gauge family, or returns the one already declared with the same name and help.
     *
     * @param name metric name, as queried
     * @param help help text (any characters; escaped as needed)
     * @return the family, to which samples are added
     */
    public Family gauge(String name, String help) {
        return family(name, name, "gauge", help);
    }

    /**
     * Declares a counter family, or returns the one already declared with the same name and help.
     *
     * @param name metric name as queried, which must end in {@code _total}; the family is declared
     *             without the suffix ({@code # TYPE foo counter} for samples named {@code foo_total})
     * @param help help text (any characters; escaped as needed)
     * @return the family, to which samples are added
     */
    public Family counter(String name, String help) {
        if (!name.endsWith("_total") || name.length() == "_total".length()) {
            throw new IllegalArgumentException("counter name must end in _total, got \"" + name + "\"");
        }
        return family(name.substring(0, name.length() - "_total".length()), name, "counter", help);
    }

    /**
     * Returns the number of samples added so far, over all families.
     *
     * @return the sample count
     */
    public long sampleCount() {
        return samples;
    }

    /**
     * Writes the file: every family with samples, in declaration order, then {@code # EOF}.
     * Deletes the spool files even when writing fails. Closing twice has no effect.
     *
     * @throws IOException if a spool file or the output cannot be written
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        for (Family family : families.values()) {
            try {
                family.spool.close();
            } catch (IOException e) {
                failure = addTo(failure, e);
            }
        }
        if (failure == null) {
            try (OutputStream out = Files.newOutputStream(file)) {
                for (Family family : families.values()) {
                    if (family.seriesByLabels.isEmpty()) {
                        continue;
                    }
                    String header = "# HELP " + family.familyName + ' ' + escapeHelp(family.help) + '\n'
                            + "# TYPE " + family.familyName + ' ' + family.type + '\n';
                    out.write(header.getBytes(StandardCharsets.UTF_8));
                    Files.copy(family.spoolFile, out);
                }
                out.write("# EOF\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                failure = addTo(failure, e);
            }
        }
        for (Family family : families.values()) {
            try {
                Files.deleteIfExists(family.spoolFile);
            } catch (IOException e) {
                failure = addTo(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private Family family(String familyName, String sampleName, String type, String help) {
        if (closed) {
            throw new IllegalStateException("writer for " + file + " is closed");
        }
        if (!METRIC_NAME.matcher(sampleName).matches()) {
            throw new IllegalArgumentException("invalid metric name \"" + sampleName + "\"");
        }
        for (Family other : families.values()) {
            if (other.sampleName.equals(sampleName) && !other.familyName.equals(familyName)) {
                throw new IllegalArgumentException("samples named \"" + sampleName + "\" already belong to the "
                        + other.type + " family \"" + other.familyName + "\"");
            }
        }
        Family existing = families.get(familyName);
        if (existing != null) {
            if (!existing.type.equals(type) || !existing.help.equals(help)) {
                throw new IllegalArgumentException("metric family \"" + familyName + "\" already declared as "
                        + existing.type + " with help \"" + existing.help + "\"");
            }
            return existing;
        }
        Family family;
        try {
            family = new Family(familyName, sampleName, type, help);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create spool file next to " + file, e);
        }
        families.put(familyName, family);
        return family;
    }

    private static IOException addTo(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /**
     * Formats a sample value the way Prometheus parses it: integers without a fraction,
     * other finite values with {@link Double#toString(double)}, and {@code NaN}, {@code +Inf}, {@code -Inf}.
     *
     * @param value any double
     * @return its OpenMetrics text
     */
    static String formatValue(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15 && !(value == 0 && 1 / value < 0)) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /**
     * Formats epoch milliseconds as OpenMetrics seconds, keeping milliseconds only when non-zero.
     */
    static String formatTimestamp(long epochMillis) {
        if (epochMillis % 1000 == 0) {
            return Long.toString(epochMillis / 1000);
        }
        return BigDecimal.valueOf(epochMillis, 3).toPlainString();
    }

    private static String escapeLabelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** One metric family (all series of one metric name), spooled until the writer is closed. */
    public final class Family {

        private final String familyName;
        private final String sampleName;
        private final String type;
        private final String help;
        private final Path spoolFile;
        private final BufferedWriter spool;
        private final Map<String, Series> seriesByLabels = new HashMap<>();

        private Family(String familyName, String sampleName, String type, String help) throws IOException {
            this.familyName = familyName;
            this.sampleName = sampleName;
            this.type = type;
            this.help = help;
            this.spoolFile = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".spool");
            this.spool = new BufferedWriter(
                    new OutputStreamWriter(Files.newOutputStream(spoolFile), StandardCharsets.UTF_8),
                    SPOOL_BUFFER_CHARS);
        }

        /**
         * Returns the metric name samples are written under ({@code foo_total} for counter {@code foo}).
         *
         * @return the sample name
         */
        public String name() {
            return sampleName;
        }

        /**
         * Returns the series with these labels, creating it on first use. Keep the returned handle in hot
         * loops: it skips the label rendering and lookup that {@link #sample(Map, double, long)} does.
         *
         * @param labels label names and values; written sorted by name
         * @return the series handle
         */
        public Series series(Map<String, String> labels) {
            String rendered = renderLabels(labels);
            return seriesByLabels.computeIfAbsent(rendered, r -> new Series(this, sampleName + r));
        }

        /**
         * Adds a sample at a whole second.
         *
         * @param labels       label names and values
         * @param value        the value
         * @param epochSeconds the timestamp in seconds since the epoch
         * @return this family
         */
        public Family sample(Map<String, String> labels, double value, long epochSeconds) {
            series(labels).sample(value, epochSeconds);
            return this;
        }

        /**
         * Adds a sample at an instant, kept to the millisecond.
         *
         * @param labels    label names and values
         * @param value     the value
         * @param timestamp the timestamp, truncated to milliseconds
         * @return this family
         */
        public Family sample(Map<String, String> labels, double value, Instant timestamp) {
            series(labels).sample(value, timestamp);
            return this;
        }

        private String renderLabels(Map<String, String> labels) {
            if (labels.isEmpty()) {
                return "";
            }
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
                String name = label.getKey();
                if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
                    throw new IllegalArgumentException("invalid label name \"" + name + "\" on " + sampleName
                            + " (names starting with __ are reserved)");
                }
                if (label.getValue() == null) {
                    throw new IllegalArgumentException("label " + name + " on " + sampleName + " has a null value");
                }
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(name).append("=\"").append(escapeLabelValue(label.getValue())).append('"');
            }
            return out.append('}').toString();
        }

        private void write(String prefix, double value, long epochMillis) {
            if (closed) {
                throw new IllegalStateException("writer for " + file + " is closed");
            }
            try {
                spool.write(prefix);
                spool.write(' ');
                spool.write(formatValue(value));
                spool.write(' ');
                spool.write(formatTimestamp(epochMillis));
                spool.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write spool file " + spoolFile, e);
            }
            samples++;
        }
    }

    /** One series (a metric name and a label set) whose timestamps must strictly increase. */
    public static final class Series {

        private final Family family;
        private final String prefix;
        private long lastMillis = Long.MIN_VALUE;

        private Series(Family family, String prefix) {
            this.family = family;
            this.prefix = prefix;
        }

        /**
         * Adds a sample at a whole second.
         *
         * @param value        the value
         * @param epochSeconds the timestamp in seconds since the epoch; must be after the previous one
         * @return this series
         */
        public Series sample(double value, long epochSeconds) {
            return sampleMillis(value, Math.multiplyExact(epochSeconds, 1000L));
        }

        /**
         * Adds a sample at an instant, kept to the millisecond.
         *
         * @param value     the value
         * @param timestamp the timestamp, truncated to milliseconds; must be after the previous one
         * @return this series
         */
        public Series sample(double value, Instant timestamp) {
            return sampleMillis(value, timestamp.toEpochMilli());
        }

        private Series sampleMillis(double value, long epochMillis) {
            if (epochMillis <= lastMillis) {
                throw new IllegalArgumentException("timestamps of " + prefix + " must increase (promtool drops the rest):"
                        + " got " + formatTimestamp(epochMillis) + " after " + formatTimestamp(lastMillis));
            }
            lastMillis = epochMillis;
            family.write(prefix, value, epochMillis);
            return this;
        }

        /**
         * Returns the series as written before each value: the metric name and its sorted labels.
         *
         * @return e.g. {@code cpu{domain="a"}}
         */
        @Override
        public String toString() {
            return prefix;
        }
    }
}
