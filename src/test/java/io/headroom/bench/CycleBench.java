package io.headroom.bench;

import static io.headroom.bench.JvmMeasures.median;
import static io.headroom.bench.JvmMeasures.peakRssMib;
import static io.headroom.bench.JvmMeasures.quantile;

import com.sun.net.httpserver.HttpServer;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.daemon.Daemon;
import io.headroom.metrics.Metrics;
import io.headroom.testing.GuestFleet;
import io.headroom.testing.Poll;
import io.headroom.testing.PrometheusExtension;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The daemon's cycle at fleet size: {@code headroom run}, started by the launcher ({@code daemon/headroom}, with its
 * default JVM options unless {@code HEADROOM_JAVA_OPTS} says otherwise) as its own process, with the default config
 * but for the addresses, against a real Prometheus and a libvirt test-driver host of N running domains (held in the
 * daemon's process, as the test driver keeps its state per process). Prometheus holds {@code collection.lookback}
 * and a margin of backfilled libvirt-exporter history for every domain and keeps scraping the same series live from
 * an exporter in this JVM, so that every cycle has fresh data. After the first training has ended, it records
 * {@code CYCLES} cycles from the daemon's own {@code /metrics}: each cycle's duration
 * ({@code headroom_cycle_duration_seconds}), the stages' durations, the Prometheus requests and the libvirt gateway
 * operations it made, and the heap after the last garbage collection; and the daemon's peak RSS (its VmHWM), which
 * is then the daemon's alone: not the exporter's, the backfill's or this JVM's.
 *
 * <p>By default the history is shorter than {@code detection.min_training_rows}, so the training fits the global
 * model only, and it scores every workload: scoring costs the same whichever model scores a row. With a fifth
 * argument of D days, Prometheus holds D days of history, one sample a minute, and the first training fetches and
 * fits every guest's own model from it: the training's time with its Prometheus fetch, and the CPU time the daemon
 * and Prometheus spent from the daemon's start to the training's end. Both share the host's cores, so their sum over
 * the number of cores is as fast as that training can be.
 *
 * <p>Run through {@code src/bench/scale-bench.sh} ({@code CYCLE_GUESTS}, {@code HISTORY_DAYS}), which sets
 * {@code HEADROOM_JAR}; prints one JSON object. Arguments: guests, cycles, the cycle interval in seconds, a work
 * directory, the launcher, optionally days of history and hours H: with H, a daemon in this JVM whose clock is H
 * hours behind trains first on the same state directory (see {@code earlierTraining}), so the measured training is
 * the retraining after it.
 */
public final class CycleBench {

    private CycleBench() {}

    public static void main(String[] args) throws Exception {
        int guests = Integer.parseInt(args[0]);
        int cycles = Integer.parseInt(args[1]);
        int interval = Integer.parseInt(args[2]);
        Path dir = Path.of(args[3]);
        Path launcher = Path.of(args[4]);
        Files.createDirectories(dir);
        int days = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        int retrainHours = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        long now = Instant.now().getEpochSecond() / 60 * 60;
        // Lookback (2 h by default) and a margin, so that the first cycles already see a whole lookback; or days of
        // history, a sample a minute (rate() over 2 m still has two), which keeps a week's backfill to minutes.
        long from = days > 0 ? now - days * 86_400L - 3600 - retrainHours * 3600L : now - 2 * 3600 - 20 * 60;
        long spacing = days > 0 ? 60 : 15;
        GuestFleet fleet = new GuestFleet(guests);
        HttpServer exporter = fleet.exporter();
        try (PrometheusExtension prom = PrometheusExtension.builder()
                .backfill(out -> fleet.history(out, from, now, spacing))
                .scrapeTarget("libvirt", "127.0.0.1:" + exporter.getAddress().getPort())
                .scrapeInterval(Duration.ofSeconds(15))
                .startupTimeout(Duration.ofMinutes(days > 0 ? 40 : 10)).build()) {
            long t0 = System.nanoTime();
            prom.start();
            double promStart = (System.nanoTime() - t0) / 1e9;
            Path node = dir.resolve("node.xml");
            Files.writeString(node, fleet.nodeXml());
            int port;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = free.getLocalPort();
            }
            String yaml = """
                    prometheus: {url: '%s'}
                    workloads: {libvirt_uri: 'test://%s'}
                    collection: {interval: %ds}
                    server: {listen: '127.0.0.1:%d'}
                    state_dir: %s
                    """.formatted(prom.baseUrl(), node.toAbsolutePath(), interval, port, dir.resolve("state"));
            Path config = dir.resolve("headroom.yaml");
            Files.writeString(config, yaml);
            String earlier = retrainHours > 0 ? earlierTraining(ConfigLoader.parse(yaml, null), retrainHours) : "";
            Cpu before = new Cpu(0, Cpu.prometheus(prom));
            Process daemon = new ProcessBuilder(launcher.toString(), "run", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
            try {
                Samples samples = Samples.scraped("http://127.0.0.1:" + port + "/metrics");
                Poll.until(Duration.ofMinutes(5), "the daemon's /metrics (log: " + dir.resolve("daemon.log") + ")",
                        () -> daemon.isAlive() ? probe(samples) : "exited " + daemon.exitValue(),
                        v -> v.startsWith("up") || v.startsWith("exited"));
                if (!daemon.isAlive()) {
                    throw new IllegalStateException("the daemon exited " + daemon.exitValue() + "; see "
                            + dir.resolve("daemon.log"));
                }
                Result r = measure(samples, cycles, interval, prom, before);
                String json = r.json(guests, interval, promStart, peakRssMib(daemon.pid()));
                System.out.println(json.substring(0, json.length() - 1) + earlier + "}");
            } finally {
                daemon.destroy();
                daemon.waitFor();
            }
        } finally {
            exporter.stop(0);
        }
    }

    /** "up" once the daemon serves its metrics, else why not yet. */
    private static String probe(Samples samples) {
        try {
            return Double.isNaN(samples.value("headroom_cycle_completed_total")) ? "no cycle counter yet" : "up";
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    /**
     * The training {@code hours} before this one, by a daemon whose clock is that far behind, on the same state
     * directory: its models and its history cache are what the measured daemon starts from, as after a restart or at
     * a scheduled retraining ({@code detection.retrain_every} is 6 h). Its JSON fields, to append.
     */
    private static String earlierTraining(HeadroomConfig cfg, int hours) throws Exception {
        Metrics metrics = Metrics.isolated();
        Samples reg = Samples.of(metrics.registry());
        try (Daemon daemon = new Daemon(cfg, metrics, new VertxOptions())
                .withClock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(-hours)))) {
            daemon.start();
            Poll.until(Duration.ofMinutes(30), "the earlier training's end",
                    () -> reg.value("headroom_stage_success", "stage", "train"), v -> !Double.isNaN(v));
            return String.format(Locale.ROOT, ", \"earlier_training\": {\"hours_before\": %d, \"seconds\": %.1f, "
                    + "\"succeeded\": %.0f, \"history_rows\": %s}", hours,
                    reg.value("headroom_stage_duration_seconds", "stage", "train"),
                    reg.value("headroom_stage_success", "stage", "train"), historyRows(reg));
        }
    }

    /** The last training's history rows by source, as JSON. */
    private static String historyRows(Samples reg) throws IOException, InterruptedException {
        return String.format(Locale.ROOT, "{\"cache\": %.0f, \"prometheus\": %.0f}",
                reg.value("headroom_training_history_rows", "source", "cache"),
                reg.value("headroom_training_history_rows", "source", "prometheus"));
    }

    /**
     * CPU seconds of the daemon (its {@code process_cpu_seconds_total}) and of Prometheus (its own): where a
     * training's time goes on cores both share.
     */
    private record Cpu(double headroom, double prometheus) {
        static double prometheus(PrometheusExtension prom) throws IOException, InterruptedException {
            double cpu = Samples.scraped(prom.baseUrl() + "/metrics").value("process_cpu_seconds_total");
            if (Double.isNaN(cpu)) {
                throw new IllegalStateException("Prometheus' /metrics has no process_cpu_seconds_total");
            }
            return cpu;
        }

        static Cpu of(Samples daemon, PrometheusExtension prom) throws IOException, InterruptedException {
            return new Cpu(daemon.value("process_cpu_seconds_total"), prometheus(prom));
        }

        Cpu minus(Cpu o) {
            return new Cpu(headroom - o.headroom, prometheus - o.prometheus);
        }
    }

    /** What the recorded cycles did. */
    private record Result(double[] seconds, double[] whileTraining, Map<String, double[]> stages, double[] requests, double[] promSeconds,
                          Map<String, Double> libvirtOps, double skipped, double trainSeconds, double trainSuccess, Cpu trainCpu,
                          double modelsSkipped, double modelsOverBudget, double modelsBytes, long heapFirst,
                          long heapLast, String historyRows) {

        String json(int guests, int interval, double promStart, double peakRssMib) {
            StringBuilder stageJson = new StringBuilder();
            stages.forEach((stage, v) -> stageJson.append(String.format(Locale.ROOT, "\"%s\": %.3f, ", stage,
                    median(v))));
            StringBuilder ops = new StringBuilder();
            libvirtOps.forEach((op, n) -> ops.append(String.format(Locale.ROOT, "\"%s\": %.1f, ", op,
                    n / seconds.length)));
            return String.format(Locale.ROOT, "{\"guests\": %d, \"interval_seconds\": %d, \"cycles\": %d, "
                            + "\"cycle_p50_seconds\": %.3f, \"cycle_p99_seconds\": %.3f, \"cycle_max_seconds\": %.3f, "
                            + "\"cycles_while_training\": %d, \"while_training_p50_seconds\": %.3f, "
                            + "\"while_training_max_seconds\": %.3f, "
                            + "\"stage_median_seconds\": {%s}, \"prometheus_requests_per_cycle\": %.1f, "
                            + "\"prometheus_request_seconds_per_cycle\": %.3f, "
                            + "\"libvirt_operations_per_cycle\": {%s}, \"cycles_skipped\": %.0f, "
                            + "\"first_training_seconds\": %.1f, \"first_training_succeeded\": %.0f, "
                            + "\"first_training_cpu_seconds\": {\"headroom\": %.1f, \"prometheus\": %.1f}, "
                            + "\"first_training_history_rows\": %s, "
                            + "\"models_skipped\": %.0f, \"models_over_budget\": %.0f, \"models_mib\": %.1f, "
                            + "\"heap_after_gc_mib_first\": %.1f, \"heap_after_gc_mib_last\": %.1f, "
                            + "\"peak_rss_mib\": %.0f, \"prometheus_start_with_backfill_seconds\": %.1f}",
                    guests, interval, seconds.length, quantile(seconds, 0.5), quantile(seconds, 0.99),
                    Arrays.stream(seconds).max().orElse(Double.NaN), whileTraining.length,
                    whileTraining.length == 0 ? Double.NaN : median(whileTraining),
                    Arrays.stream(whileTraining).max().orElse(Double.NaN),
                    trim(stageJson), median(requests), median(promSeconds), trim(ops), skipped, trainSeconds, trainSuccess,
                    trainCpu.headroom(), trainCpu.prometheus(), historyRows,
                    modelsSkipped, modelsOverBudget, modelsBytes / 1048576.0, heapFirst / 1048576.0, heapLast / 1048576.0, peakRssMib, promStart);
        }

        private static String trim(StringBuilder b) {
            return b.length() < 2 ? "" : b.substring(0, b.length() - 2);
        }
    }

    private static Result measure(Samples reg, int cycles, int interval, PrometheusExtension prom,
                                  Cpu cpuAtStart) throws Exception {
        Duration patience = Duration.ofSeconds(Math.max(600, 20L * interval));
        // The cycles that run while the first training does (on the other core, mostly): recorded apart.
        List<Double> whileTraining = new ArrayList<>();
        double[] last = {reg.value("headroom_cycle_duration_seconds_count"),
            reg.value("headroom_cycle_duration_seconds_sum")};
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (Double.isNaN(reg.value("headroom_stage_success", "stage", "train"))) {
            double[] seen = last.clone();
            Poll.until(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())), "a cycle or the first training's end",
                    () -> new double[] {reg.value("headroom_cycle_duration_seconds_count"),
                        reg.value("headroom_stage_success", "stage", "train")},
                    v -> v[0] > seen[0] || !Double.isNaN(v[1]));
            double n = reg.value("headroom_cycle_duration_seconds_count");
            double sum = reg.value("headroom_cycle_duration_seconds_sum");
            if (n > seen[0] && !Double.isNaN(seen[0])) {
                whileTraining.add((sum - seen[1]) / (n - seen[0]));
            }
            last = new double[] {n, sum};
        }
        // From the daemon's start to the training's end: the cycles meanwhile are in it too.
        Cpu trainCpu = Cpu.of(reg, prom).minus(cpuAtStart);
        double trainSeconds = reg.value("headroom_stage_duration_seconds", "stage", "train");
        double trainSuccess = reg.value("headroom_stage_success", "stage", "train");
        double modelsSkipped = reg.value("headroom_training_skipped_models");
        double modelsOverBudget = reg.value("headroom_training_models_over_budget");
        double modelsBytes = reg.value("headroom_models_memory_bytes");
        String historyRows = historyRows(reg);
        // One whole cycle after the training, so that none of the recorded ones overlaps it.
        double start = completed(reg);
        Poll.until(patience, "a cycle after the training", () -> completed(reg), c -> c >= start + 2);
        double[] seconds = new double[cycles];
        double[] requests = new double[cycles];
        double[] promSeconds = new double[cycles];
        double lastPromSeconds = reg.sum("headroom_prometheus_request_duration_seconds_sum");
        Map<String, double[]> stages = new TreeMap<>();
        double lastCount = reg.value("headroom_cycle_duration_seconds_count");
        double lastSum = reg.value("headroom_cycle_duration_seconds_sum");
        double lastRequests = reg.sum("headroom_prometheus_requests_total");
        Map<String, Double> opsBefore = reg.byLabel("headroom_libvirt_operations_total", "operation");
        double skippedBefore = reg.value("headroom_cycle_skipped_total");
        long heapFirst = heapAfterGc(reg);
        for (int c = 0; c < cycles; c++) {
            double seen = lastCount;
            double count = Poll.until(patience, "cycle " + (c + 1),
                    () -> reg.value("headroom_cycle_duration_seconds_count"), n -> n > seen);
            double sum = reg.value("headroom_cycle_duration_seconds_sum");
            seconds[c] = (sum - lastSum) / (count - lastCount);
            double req = reg.sum("headroom_prometheus_requests_total");
            requests[c] = (req - lastRequests) / (count - lastCount);
            double promNow = reg.sum("headroom_prometheus_request_duration_seconds_sum");
            promSeconds[c] = (promNow - lastPromSeconds) / (count - lastCount);
            lastPromSeconds = promNow;
            for (String stage : List.of("discover", "collect", "score", "actuate")) {
                stages.computeIfAbsent(stage, s -> new double[cycles])[c] =
                        reg.value("headroom_stage_duration_seconds", "stage", stage);
            }
            lastCount = count;
            lastSum = sum;
            lastRequests = req;
        }
        Map<String, Double> ops = new TreeMap<>();
        reg.byLabel("headroom_libvirt_operations_total", "operation").forEach((op, n) -> {
            double d = n - opsBefore.getOrDefault(op, 0.0);
            if (d > 0) {
                ops.put(op, d);
            }
        });
        return new Result(seconds, whileTraining.stream().mapToDouble(Double::doubleValue).toArray(), stages,
                requests, promSeconds, ops, reg.value("headroom_cycle_skipped_total") - skippedBefore,
                trainSeconds, trainSuccess, trainCpu, modelsSkipped, modelsOverBudget, modelsBytes, heapFirst, heapAfterGc(reg),
                historyRows);
    }

    private static double completed(Samples reg) throws IOException, InterruptedException {
        return reg.value("headroom_cycle_completed_total");
    }

    /** The daemon's heap in use after the last collection of each heap pool, as its JVM exports it. */
    private static long heapAfterGc(Samples reg) throws IOException, InterruptedException {
        return (long) reg.sum("jvm_memory_pool_collection_used_bytes");
    }
}
