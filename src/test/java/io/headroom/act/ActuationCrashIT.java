package io.headroom.act;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.ConfigLoader;
import io.headroom.decide.Allocation;
import io.headroom.decide.WorkloadScore;
import io.headroom.metrics.Metrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kill -9 during actuation, then restart on the same state dir: baselines are intact, the step is not applied a
 * second time, and the raised guest still decays back to its baseline.
 *
 * <p>Limitation of the test driver: each process rebuilds the host from the XML, so the restarted process would
 * see web-1 at its defined size, as after a guest reboot. A real libvirtd keeps the guest running with what the
 * killed process gave it; the test reproduces that by setting web-1, through the restarted process's own
 * connection, to the allocation the killed process reported, before the restarted service looks at it. Everything
 * Headroom knows after the restart comes from its state dir.
 */
class ActuationCrashIT {

    static final long MIB = 1L << 20;
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final Allocation BASELINE = new Allocation(2, 2048 * MIB);
    static final Allocation RAISED = new Allocation(3, 2663 * MIB);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "killed {0}")
    @CsvSource({"after-commit, COMMITTED", "before-commit, APPLIED"})
    void aRestartKeepsBaselinesAppliesNoStepTwiceAndStillDecays(String stage, String signal) throws Exception {
        Path stateDir = dir.resolve("state");
        String uri = TestDriver.uri("actuation-node.xml");
        Allocation leftByChild = runChildUntil(uri, stateDir, stage, signal);
        assertThat(leftByChild).isEqualTo(RAISED);
        ActuationState onDisk = StateStore.under(stateDir).load();
        assertThat(onDisk.workloads().get("web-1").pending().isPresent()).isEqualTo(stage.equals("before-commit"));

        Metrics metrics = Metrics.isolated();
        try (LibvirtGateway gateway = new LibvirtGateway(uri, false)) {
            // The guest kept running with what the killed process gave it (see the class comment).
            gateway.setVcpus("web-1", leftByChild.vcpus());
            gateway.setMemory("web-1", leftByChild.memoryBytes());
            ActuationService restarted = new ActuationService(ConfigLoader.parse(CrashChild.CONFIG, null).decide(),
                    ConfigLoader.parse(CrashChild.CONFIG, null).act(), gateway, new LibvirtActuator(gateway), StateStore.under(stateDir), metrics);
            assertThat(restarted.records().get("web-1").baseline()).isEqualTo(BASELINE);

            // The anomaly goes on well past the cooldown: the same tier, the same target, no second step.
            for (int i = 1; i <= 5; i++) {
                WorkloadReport r = cycle(gateway, restarted, T0.plus(Duration.ofMinutes(i)), Scores.pressure(95));
                assertThat(r.results()).as("cycle %d after the restart", i).isEmpty();
                assertThat(r.decision().orElseThrow().target()).isEqualTo(RAISED);
                assertThat(gateway.allocation("web-1").current()).isEqualTo(RAISED);
            }
            assertThat(restarted.records().get("web-1").baseline()).isEqualTo(BASELINE);
            assertThat(restarted.records().get("web-1").applied()).isEqualTo(RAISED);
            assertThat(restarted.records().get("web-1").pending()).isEmpty();

            Instant calm = T0.plus(Duration.ofMinutes(10));
            cycle(gateway, restarted, calm, Scores.calm());
            WorkloadReport decay = cycle(gateway, restarted, calm.plus(Duration.ofMinutes(10)), Scores.calm());
            assertThat(decay.results()).extracting(ActuationResult::status)
                    .containsExactly(ActuationResult.Status.APPLIED, ActuationResult.Status.APPLIED);
            assertThat(gateway.allocation("web-1").current()).isEqualTo(BASELINE);
        }
        List<String> audit = Files.readAllLines(StateStore.under(stateDir).auditFile());
        assertThat(audit).filteredOn(l -> l.contains("\"event\":\"intent\"") && l.contains("\"action\":\"raise\""))
                .as("one raise in the whole audit trail").hasSize(1);
        assertThat(audit).filteredOn(l -> l.contains("\"event\":\"recovered\""))
                .hasSize(stage.equals("before-commit") ? 1 : 0);
    }

    static WorkloadReport cycle(LibvirtGateway gateway, ActuationService s, Instant at, WorkloadScore web1) {
        SortedSet<String> running = gateway.runningDomainNames();
        Map<String, WorkloadScore> scores = new HashMap<>();
        running.forEach(w -> scores.put(w, Scores.calm()));
        scores.put("web-1", web1);
        return s.cycle(running, scores, at).stream().filter(r -> r.workload().equals("web-1")).findFirst().orElseThrow();
    }

    /** Starts {@link CrashChild}, waits for its {@code signal} line, kills it hard, and returns what it reported. */
    Allocation runChildUntil(String uri, Path stateDir, String stage, String signal) throws Exception {
        Path log = dir.resolve("child-" + stage + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), uri, stateDir.toString(), T0.toString(), stage)
                .redirectError(log.toFile())
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> readLine(out, signal));
            String reported;
            try {
                reported = line.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the child never said " + signal + "; its log:\n" + Files.readString(log), e);
            }
            if (reported == null) {
                throw new AssertionError("the child exited without saying " + signal + "; its log:\n" + Files.readString(log));
            }
            String[] parts = reported.split(" ");
            return new Allocation(Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child died").isTrue();
        }
    }

    private static String readLine(BufferedReader out, String prefix) {
        try {
            for (String l = out.readLine(); l != null; l = out.readLine()) {
                if (l.startsWith(prefix + " ")) {
                    return l;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
