package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.cli.Main;
import io.headroom.feedback.Verdicts;
import io.headroom.testing.FreePorts;
import io.headroom.testing.OpenMetricsWriter;
import io.headroom.testing.Poll;
import io.headroom.testing.PrometheusExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's verdict changes the next training of the packaged daemon: a real Prometheus holds four hours of
 * libvirt-exporter history for web-1 and web-2 (libvirt's test driver), the daemon trains every minute on the last
 * three hours, and {@code headroom feedback mark web-1 --verdict true_positive} reports an incident the failure query
 * never saw. The next model of web-1 leaves it out (its span plus the failure margin on both sides); web-2's does
 * not change. After a hard kill (SIGKILL) a new daemon on the same state dir still leaves it out and keeps the
 * adaptation it made.
 */
class VerdictTrainingIT {

    static final long STEP = 15;
    static final long END = Instant.now().getEpochSecond() / STEP * STEP;
    static final long START = END - 4 * 3600;
    /** The history runs on past the test's start, standing in for live scrapes. */
    static final long LAST = END + 900;
    /** The incident the operator reports on web-1: an hour, ending 30 minutes before the test. */
    static final Instant INCIDENT_FROM = Instant.ofEpochSecond(END - 90 * 60);
    static final Instant INCIDENT_AT = Instant.ofEpochSecond(END - 30 * 60);
    static final Duration MARGIN = Duration.ofMinutes(5);

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder().backfill(VerdictTrainingIT::history)
            .build();

    static void history(OpenMetricsWriter out) {
        OpenMetricsWriter.Family cpu = out.counter("libvirt_domain_info_cpu_time_seconds_total", "CPU time.");
        OpenMetricsWriter.Family vcpus = out.gauge("libvirt_domain_info_virtual_cpus", "vCPUs.");
        OpenMetricsWriter.Family mem = out.gauge("libvirt_domain_info_memory_usage_bytes", "Memory.");
        OpenMetricsWriter.Family max = out.gauge("libvirt_domain_info_maximum_memory_bytes", "Max memory.");
        for (String d : new String[] {"web-1", "web-2"}) {
            SplittableRandom rng = new SplittableRandom(d.hashCode());
            Map<String, String> l = Map.of("domain", d);
            OpenMetricsWriter.Series c = cpu.series(l);
            double used = 0;
            for (long t = START; t <= LAST; t += STEP) {
                used += 2 * (0.3 + 0.1 * Math.sin(2 * Math.PI * t / 3600.0) + 0.03 * rng.nextGaussian()) * STEP;
                c.sample(used, t);
                vcpus.sample(l, 2, t);
                mem.sample(l, (1L << 30) * (1.0 + 0.02 * rng.nextGaussian()), t);
                max.sample(l, 4L << 30, t);
            }
        }
    }

    record Model(Instant trainedAt, int rows) {}

    static Model model(JsonNode status, String workload) {
        JsonNode m = RunningDaemon.workload(status, workload).path("model");
        return m.path("scope").asText().equals("workload:" + workload)
                ? new Model(Instant.parse(m.path("trained_at").asText()), m.path("training_rows").asInt()) : null;
    }

    @Test
    void aTruePositiveIsLeftOutOfTheNextTraining(@TempDir Path dir) throws Exception {
        Path node = Path.of(getClass().getResource("/io/headroom/act/node.xml").toURI());
        Path cfg = dir.resolve("headroom.yaml");
        Path state = dir.resolve("state");
        Files.writeString(cfg, """
                prometheus: {url: '%s'}
                workloads: {source: libvirt, libvirt_uri: 'test://%s'}
                collection: {interval: 2s, step: 15s, lookback: 1h}
                detection: {training_window: 3h, min_training_rows: 200, retrain_every: 1m, failure_margin: 5m}
                server: {listen: '127.0.0.1:%d'}
                state_dir: %s
                """.formatted(prometheus.baseUrl(), node.toAbsolutePath(), FreePorts.loopback(), state));
        Files.createDirectories(dir.resolve("again"));
        RunningDaemon.Started daemon = RunningDaemon.start(cfg, dir);
        try {
            String base = daemon.base();
            JsonNode first = Poll.until(Duration.ofSeconds(120), "both guests' own models",
                    () -> RunningDaemon.status(base), s -> model(s, "web-1") != null && model(s, "web-2") != null);
            Model before = model(first, "web-1");
            Model otherBefore = model(first, "web-2");

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "feedback", "mark", "web-1",
                    "--at", INCIDENT_AT.toString(), "--from", INCIDENT_FROM.toString(), "--verdict", "true_positive",
                    "--note", "batch job stalled", "--config", cfg.toString());
            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString()).contains("recorded true_positive for web-1", "in the running daemon");
            assertThat(Verdicts.read(state)).singleElement()
                    .satisfies(v -> assertThat(v.note()).isEqualTo("batch job stalled"));

            JsonNode next = Poll.until(Duration.ofSeconds(150), "the next training after the verdict",
                    () -> RunningDaemon.status(base), s -> model(s, "web-1") != null
                            && model(s, "web-1").trainedAt().isAfter(before.trainedAt())
                            && model(s, "web-2").trainedAt().isAfter(otherBefore.trainedAt()));
            long excluded = INCIDENT_AT.getEpochSecond() - INCIDENT_FROM.getEpochSecond() + 2 * MARGIN.toSeconds();
            // The window slides a few rows between the two trainings; the verdict's rows are what changes.
            assertThat(before.rows() - model(next, "web-1").rows()).isCloseTo((int) (excluded / STEP), within(8));
            assertThat(model(next, "web-2").rows()).isCloseTo(otherBefore.rows(), within(8));
            // No daemon had acted on web-1 then: the verdict was a miss, and lowered its medium floor.
            assertThat(RunningDaemon.workload(next, "web-1").path("adaptation").path("medium_floor_shift").asInt())
                    .isEqualTo(-5);

            // A hard kill: what the next process finds is what the files held when the verdict was answered.
            daemon.process().destroyForcibly().waitFor();
            daemon = RunningDaemon.start(cfg, dir.resolve("again"));
            String again = daemon.base();
            Model last = model(next, "web-1");
            JsonNode after = Poll.until(Duration.ofSeconds(150), "a training by the restarted daemon",
                    () -> RunningDaemon.status(again), s -> model(s, "web-1") != null
                            && model(s, "web-1").trainedAt().isAfter(last.trainedAt()));
            assertThat(model(after, "web-1").rows()).as("the verdict still leaves the incident out")
                    .isCloseTo(last.rows(), within(8));
            assertThat(RunningDaemon.workload(after, "web-1").path("adaptation").path("medium_floor_shift").asInt())
                    .isEqualTo(-5);
        } catch (AssertionError | Exception e) {
            throw daemon.failed(e);
        } finally {
            daemon.stop();
        }
    }
}
