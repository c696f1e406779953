package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.testing.OpenMetricsWriter;
import io.headroom.testing.PrometheusExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code headroom backtest} against a real Prometheus holding four hours and twenty minutes of history for four
 * guests: web-1..3 (team shop) from the start, web-4 (team batch) from two hours in, and a CPU surge on web-2 in
 * the last twenty minutes, which the failure query marks. The replay must start with no model at all, then use
 * the team's model, then each guest's own; score the surge high and the rest low; and fetch everything with a
 * handful of requests even though each range is split in two.
 */
class BacktestCommandIT {

    static final long STEP = 30;
    /**
     * The replay ends on the last hour at least ten minutes ago and covers four hours. On the hour, so that the
     * hourly sine and the hour-of-day profile line up the same way on every run: ended anywhere in the hour, the
     * scores depended on when the test ran, and at a few of the 120 steps of the hour two calm rows of web-3 in a
     * row passed 70.
     */
    static final long TO = (Instant.now().getEpochSecond() - 600) / 3600 * 3600;
    static final long FROM = TO - 4 * 3600;
    /** History starts twenty minutes before the replay: too little to train anything at FROM. */
    static final long H0 = FROM - 20 * 60;
    static final long WEB4 = FROM + 2 * 3600;
    static final long SURGE = TO - 20 * 60;
    static final List<String> WORKLOADS = List.of("web-1", "web-2", "web-3", "web-4");
    static final int FEATURES = 3;

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder()
            .backfill(BacktestCommandIT::history)
            .build();

    static void history(OpenMetricsWriter out) {
        OpenMetricsWriter.Family cpu = out.counter("vm_cpu_seconds_total", "CPU time.");
        OpenMetricsWriter.Family mem = out.gauge("vm_memory_bytes", "Memory in use.");
        OpenMetricsWriter.Family net = out.gauge("vm_network_bytes_per_second", "Network traffic.");
        OpenMetricsWriter.Family failing = out.gauge("guest_failing", "1 while the guest is failing.");
        for (String d : WORKLOADS) {
            SplittableRandom rng = new SplittableRandom(d.hashCode());
            Map<String, String> l = Map.of("domain", d);
            Map<String, String> withTeam = Map.of("domain", d, "team", d.equals("web-4") ? "batch" : "shop");
            OpenMetricsWriter.Series c = cpu.series(l);
            double used = 0;
            for (long t = d.equals("web-4") ? WEB4 : H0; t <= TO; t += STEP) {
                boolean surge = d.equals("web-2") && t >= SURGE;
                double perVcpu = surge ? 0.97 : 0.3 + 0.1 * Math.sin(2 * Math.PI * t / 3600.0) + 0.03 * rng.nextGaussian();
                used += 2 * perVcpu * STEP;
                c.sample(used, t);
                mem.sample(withTeam, (1L << 30) * (1.0 + 0.02 * rng.nextGaussian()), t);
                net.sample(l, 1e6 * (1.0 + 0.1 * rng.nextGaussian()), t);
                failing.sample(l, surge ? 1 : 0, t);
            }
        }
    }

    static String config() {
        // 500 points per query: the span (about 6.5 h at 30 s) takes two requests per query, as a long backtest
        // against a real Prometheus would.
        return """
                prometheus: {url: '%s', max_points_per_query: 500, retry: {max_attempts: 1}}
                workloads: {source: prometheus, label: domain, selector: vm_memory_bytes}
                collection: {interval: 30s, step: 30s, lookback: 30m}
                features:
                  preset: none
                  custom:
                    - {name: cpu, query: 'sum by (domain) (vm_cpu_seconds_total)', kind: counter, pressure: cpu}
                    - {name: memory, query: 'sum by (domain) (vm_memory_bytes)', pressure: memory}
                    - {name: network, query: 'sum by (domain) (vm_network_bytes_per_second)', pressure: none}
                detection: {training_window: 2h, retrain_every: 30m, min_training_rows: 200, group_label: team,
                            failure_query: 'max by (domain) (guest_failing)', failure_margin: 5m,
                            engineering: {window: 30m}}  # half the 2h training window, as when written
                """.formatted(prometheus.baseUrl());
    }

    record Row(long t, String workload, String score, String tier, String top, String scope, String trainedAt, String raw) {
        boolean scored() {
            return !score.isEmpty();
        }

        double value() {
            return Double.parseDouble(score);
        }
    }

    @Test
    void replaysTheRangeCausallyWithAHandfulOfRequests(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("headroom.yaml");
        Files.writeString(cfg, config());
        Path csv = dir.resolve("backtest.csv");
        Map<String, Double> before = prometheusRequests();

        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "backtest",
                "--config", cfg.toString(), "--from", Long.toString(FROM), "--to", Long.toString(TO),
                "--out", csv.toString(), "--threads", "2");

        assertThat(exit).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("timestamp,workload,score,tier,top_feature,model_scope,model_trained_at,raw_score");
        int steps = (int) ((TO - FROM) / STEP) + 1;
        assertThat(lines).hasSize(1 + steps * WORKLOADS.size());
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",", -1);
            assertThat(c).as(lines.get(i)).hasSize(8);
            Row r = new Row(Instant.parse(c[0]).getEpochSecond(), c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
            // By time, then workload; every scoring step, every workload.
            assertThat(r.t()).isEqualTo(FROM + (i - 1) / WORKLOADS.size() * STEP);
            assertThat(r.workload()).isEqualTo(WORKLOADS.get((i - 1) % WORKLOADS.size()));
            rows.add(r);
        }

        // No model can be trained on FROM's 40 rows a guest: the first half hour is empty. From then on every
        // row that has data is scored, and no model was trained after its row.
        for (Row r : rows) {
            if (r.t() < FROM + 1800) {
                assertThat(r.score() + r.tier() + r.top() + r.scope() + r.trainedAt() + r.raw())
                        .as("%d %s", r.t(), r.workload()).isEmpty();
                continue;
            }
            boolean hasData = !r.workload().equals("web-4") || r.t() > WEB4;
            assertThat(r.scored()).as("%d %s", r.t(), r.workload()).isEqualTo(hasData);
            assertThat(r.scope()).isNotEmpty();
            assertThat(Instant.parse(r.trainedAt()).getEpochSecond()).isLessThanOrEqualTo(r.t());
            if (r.scored()) {
                // The default floors: medium 31, high 71, critical 91.
                double v = r.value();
                assertThat(r.tier()).as("%s", r).isEqualTo(v >= 91 ? "critical" : v >= 71 ? "high" : v >= 31 ? "medium" : "none");
                assertThat(r.top()).isIn("cpu", "memory", "network");
                assertThat(r.raw()).isNotEmpty();
            }
        }
        // web-1 is scored by its team's model until it has 200 rows of its own (at the training 1h50m in).
        assertThat(scopeAt(rows, "web-1", FROM + 1800)).isEqualTo("group:shop");
        assertThat(scopeAt(rows, "web-1", FROM + 5400)).isEqualTo("workload:web-1");
        // web-4 is new two hours in: scored by the host's model on the first cycle that sees it (its team has no
        // model: web-4 is all of it).
        assertThat(scopeAt(rows, "web-4", WEB4 + STEP)).isEqualTo("global");

        // The surge: web-2 scores high on (nearly) every row that sees it. The others stay low: models trained on at
        // most 240 rows are calibrated on few points, so a calm stretch may reach medium now and then, and a single
        // row may pass the largest training score (71) as about one clean row in 240 does; never two in a row, which
        // is what the high tier needs before it acts (escalate_after_cycles: 2).
        List<Row> surge = rows.stream().filter(r -> r.workload().equals("web-2") && r.t() > SURGE).toList();
        assertThat(surge).hasSize(40);
        assertThat(surge.stream().filter(r -> r.value() > 70).count()).as(surge.toString()).isGreaterThanOrEqualTo(36);
        assertThat(surge.stream().filter(r -> r.value() > 70)).allMatch(r -> r.top().equals("cpu"));
        List<Row> calm = rows.stream().filter(Row::scored)
                .filter(r -> r.t() >= FROM + 5400 && !(r.workload().equals("web-2") && r.t() > SURGE)).toList();
        assertThat(calm.stream().filter(r -> r.value() <= 30).count()).as("calm rows at most 30; above: %s",
                        calm.stream().filter(r -> r.value() > 30).map(r -> r.workload() + "@" + (r.t() - FROM) / 60 + "m="
                                + r.score().substring(0, Math.min(5, r.score().length())) + "/" + r.scope() + "/" + r.top()).toList())
                .isGreaterThanOrEqualTo(Math.round(calm.size() * 0.9));
        Map<String, List<Row>> calmBy = calm.stream().collect(Collectors.groupingBy(Row::workload));
        for (List<Row> own : calmBy.values()) {
            for (int i = 1; i < own.size(); i++) {
                Row a = own.get(i - 1);
                Row b = own.get(i);
                assertThat(b.t() - a.t() == STEP && a.value() > 70 && b.value() > 70).as("%s then %s", a, b).isFalse();
            }
        }
        assertThat(calm.stream().filter(r -> r.value() > 70).count()).as("calm rows over 70")
                .isLessThanOrEqualTo(Math.round(calm.size() * 0.01));

        // Requests: one label-values call, then the three features, the failure and the group query, each split
        // in two; nothing per step.
        Map<String, Double> after = prometheusRequests();
        assertThat(after.get("/api/v1/query_range") - before.getOrDefault("/api/v1/query_range", 0.0)).isEqualTo(10.0);
        assertThat(after.get("/api/v1/label/:name/values") - before.getOrDefault("/api/v1/label/:name/values", 0.0))
                .isEqualTo(1.0);
        Matcher m = Pattern.compile("(\\d+) Prometheus requests").matcher(err.toString());
        assertThat(m.find()).as(err.toString()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(11).isLessThanOrEqualTo(2 * (FEATURES + 2) + 1);
        assertThat(err.toString()).contains(steps + " steps x 4 workloads = " + steps * 4 + " rows", "9 trainings");
    }

    static String scopeAt(List<Row> rows, String workload, long t) {
        return rows.stream().filter(r -> r.t() == t && r.workload().equals(workload)).findFirst().orElseThrow().scope();
    }

    /** Prometheus' own count of API calls by handler: an independent check of the client's metric. */
    static Map<String, Double> prometheusRequests() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(prometheus.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Double> out = new java.util.HashMap<>();
        Matcher m = Pattern.compile("(?m)^prometheus_http_requests_total\\{[^}]*handler=\"([^\"]+)\"[^}]*\\} (\\S+)$")
                .matcher(r.body());
        while (m.find()) {
            out.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
        }
        return out;
    }
}
