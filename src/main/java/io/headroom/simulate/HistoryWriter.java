package io.headroom.simulate;

import io.headroom.decide.Allocation;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scenario's incident-free history as OpenMetrics, for {@code promtool tsdb create-blocks-from openmetrics}:
 * what the real clock's guests exported before the live run, with the labels the live scrape adds (job,
 * instance) so backfilled and scraped samples join into one series. Timestamps are unix seconds; the file ends
 * with {@code # EOF}. The history is the one {@link RealClock} replays for the same scenario, seed and history
 * end, so the live counters continue the backfilled ones exactly.
 */
public final class HistoryWriter {

    private HistoryWriter() {}

    /**
     * Writes the history of {@code anchored} (see {@link RealClock#anchored}): {@code historySteps} rows ending one
     * step before its start.
     *
     * @param labels added to every series, e.g. {@code job} and {@code instance} of the live scrape
     */
    public static void write(Scenario anchored, long seed, Map<String, String> labels, Writer out) throws IOException {
        List<Scenario.Workload> ws = anchored.workloads();
        int rows = anchored.historySteps();
        int nf = GuestExporter.FAMILIES.size();
        double[][][] values = new double[nf][rows][ws.size()];
        long[] times = new long[rows];
        Replay replay = new Replay(anchored, seed);
        for (int r = 0; r < rows; r++) {
            times[r] = replay.next().toEpochMilli();
            for (int w = 0; w < ws.size(); w++) {
                for (int f = 0; f < nf; f++) {
                    values[f][r][w] = replay.exporters.get(w).value(f);
                }
            }
        }
        for (int f = 0; f < nf; f++) {
            GuestExporter.Family fam = GuestExporter.FAMILIES.get(f);
            boolean counter = fam.type().equals("counter");
            // OpenMetrics names the counter family without _total; its samples carry it.
            String family = counter ? fam.name().substring(0, fam.name().length() - "_total".length()) : fam.name();
            out.write("# HELP " + family + " " + fam.help() + "\n");
            out.write("# TYPE " + family + " " + fam.type() + "\n");
            List<String> series = new ArrayList<>();
            for (GuestExporter g : replay.exporters) {
                series.add(GuestExporter.series(fam.name(), g.labels(f, labels)));
            }
            for (int r = 0; r < rows; r++) {
                String ts = GuestExporter.format(times[r] / 1000.0);
                for (int w = 0; w < ws.size(); w++) {
                    double v = values[f][r][w];
                    if (!Double.isNaN(v)) {
                        out.write(series.get(w) + " " + GuestExporter.format(v) + " " + ts + "\n");
                    }
                }
            }
        }
        out.write("# EOF\n");
    }

    /**
     * Parses {@code k=v,k=v} into labels; names must be Prometheus label names.
     *
     * @throws IllegalArgumentException naming the bad pair
     */
    public static Map<String, String> parseLabels(String spec) {
        Map<String, String> out = new TreeMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq).trim();
            if (eq < 0 || !k.matches("[a-zA-Z_][a-zA-Z0-9_]*") || k.startsWith("__") || k.equals("domain")
                    || k.equals("target_device")) {
                throw new IllegalArgumentException("\"" + pair + "\" is not name=value with a label name other than"
                        + " domain and target_device (like job=headroom-sim,instance=127.0.0.1:9465)");
            }
            out.put(k, pair.substring(eq + 1).trim());
        }
        return out;
    }

    /** The guests stepped through their history at baseline allocation, one row at a time. */
    static final class Replay {
        final Scenario scenario;
        final Physics[] physics;
        final List<GuestExporter> exporters = new ArrayList<>();
        final Allocation[] baseline;
        private int row;

        Replay(Scenario scenario, long seed) {
            this.scenario = scenario;
            List<Scenario.Workload> ws = scenario.workloads();
            this.physics = new Physics[ws.size()];
            this.baseline = new Allocation[ws.size()];
            for (int w = 0; w < ws.size(); w++) {
                physics[w] = new Physics(scenario, ws.get(w), seed, w);
                baseline[w] = new Allocation(ws.get(w).baselineVcpus(), ws.get(w).baselineMemory());
                exporters.add(new GuestExporter(ws.get(w)));
            }
        }

        /** Steps every guest through the next history row; returns its time. Exactly what {@link Simulator} does. */
        Instant next() {
            Instant t = scenario.start().minus(scenario.history()).plus(scenario.step().multipliedBy(row++));
            double seconds = scenario.step().toMillis() / 1000.0;
            for (int w = 0; w < physics.length; w++) {
                exporters.get(w).advance(physics[w].step(t, baseline[w], true), baseline[w], seconds);
            }
            return t;
        }
    }
}
