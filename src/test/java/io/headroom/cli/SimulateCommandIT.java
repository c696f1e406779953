package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code headroom simulate} end to end with the headroom policy: trains on the history, scores, and changes the
 * guests through libvirt's test driver (a real libvirt, hence IT).
 */
class SimulateCommandIT {

    @TempDir
    Path dir;

    static final String SCENARIO = """
            name: it
            duration: 3h
            history: 12h
            config:
              detection: {retrain_every: 1h}
            workloads:
              - pattern: "vm-{n}"
                count: 2
                vcpus: {baseline: 4, max: 8}
                memory: {baseline: 8GiB, max: 16GiB}
                load:
                  cpu: {mean: 2, daily: 0.2, noise: 0.05}
                  memory: {mean: 5GiB, noise: 0.01}
                  disk_read: {mean: 4MiB, noise: 0.1}
            incidents:
              - {workload: vm-1, kind: memory-leak, start: 30m, ramp: 1h30m, severity: 0.5, duration: 2h}
            """;

    String run(String policy, long seed, String... extra) throws Exception {
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, SCENARIO);
        Path out = dir.resolve(policy + "-" + seed + "-" + System.nanoTime() + ".json");
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), concat(new String[] {"simulate",
                "--scenario", scenario.toString(), "--policy", policy, "--seed", Long.toString(seed), "--out",
                out.toString()}, extra));
        assertThat(code).as(err.toString()).isZero();
        return Files.readString(out);
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void headroomFlagsTheLeakEarlyGrowsTheGuestThroughLibvirtAndAvoidsTheOom() throws Exception {
        Path trace = dir.resolve("trace.csv");
        String first = run("headroom", 3, "--trace", trace.toString());
        JsonNode r = new ObjectMapper().readTree(first);
        JsonNode leak = r.get("incidents").get(0);
        assertThat(leak.get("failure_without_action_at").isNull()).isFalse();
        assertThat(leak.get("failed").asBoolean()).isFalse();
        assertThat(leak.get("lead_seconds").asLong()).isGreaterThanOrEqualTo(300);
        assertThat(r.get("summary").get("extra_memory_hours_pct").asDouble()).isPositive();
        assertThat(r.get("false_action_list").size()).isEqualTo(r.get("summary").get("false_actions").asInt());
        // Trained before the first step, then at 1 h and 2 h of the 3 h run (retrain_every: 1h).
        assertThat(r.get("model_trainings").asInt()).isEqualTo(3);
        // Same seed, same report: training, scoring and the test driver are all deterministic.
        assertThat(run("headroom", 3)).isEqualTo(first);

        // The trace: a row per guest per cycle (3 h at the default 30 s interval, 2 guests); the guest grew in
        // exactly the rows that say raise (allocations are read back from libvirt after the cycle), and the first raise is inside the leak, not before it.
        java.util.List<String> rows = Files.readAllLines(trace);
        assertThat(rows.get(0)).isEqualTo("timestamp,workload,score,tier,action,vcpus,memory_bytes,top_feature,reason");
        assertThat(rows).hasSize(1 + 2 * 360);
        long previous = 8L << 30;
        int previousVcpus = 4;
        Instant firstRaise = null;
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",", 9);
            if (!c[1].equals("vm-1")) {
                continue;
            }
            long memory = Long.parseLong(c[6]);
            int vcpus = Integer.parseInt(c[5]);
            assertThat(memory > previous || vcpus > previousVcpus).as(row).isEqualTo(c[4].equals("raise"));
            previousVcpus = vcpus;
            if (firstRaise == null && c[4].equals("raise")) {
                firstRaise = Instant.parse(c[0]);
            }
            previous = memory;
        }
        assertThat(firstRaise).isNotNull();
        assertThat(firstRaise).isAfter(Instant.parse(leak.get("start").asText()))
                .isBefore(Instant.parse(leak.get("failure_without_action_at").asText()));
    }

    @Test
    void theRealClockNamesEveryMissingOrWrongOption() throws Exception {
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, SCENARIO);
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "simulate", "--scenario",
                scenario.toString(), "--clock", "real", "--policy", "threshold", "--guests-listen", "0.0.0.0:9465",
                "--trace", dir.resolve("t.csv").toString(), "--out", dir.resolve("x.json").toString());
        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--policy: --clock real runs Headroom itself", "--history-end: required",
                "--prometheus: must be the http(s) URL", "--guests-listen: must be a loopback HOST:PORT (got 0.0.0.0:9465)"
                        .replace(" (got", " like 127.0.0.1:9465 (got"), "--trace: is for --clock virtual");
        assertThat(dir.resolve("x.json")).doesNotExist();
    }

    @Test
    void anInvalidScenarioExitsTwoWithKeyPaths() throws Exception {
        Path scenario = dir.resolve("bad.yaml");
        Files.writeString(scenario, "workloads: [{name: a, vcpus: {baseline: 0}}]\n");
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "simulate", "--scenario",
                scenario.toString(), "--out", dir.resolve("x.json").toString());
        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("workloads[0].vcpus.baseline: must be a whole number ≥ 1 (got \"0\")");
    }
}
