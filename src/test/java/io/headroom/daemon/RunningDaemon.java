package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.testing.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading a packaged daemon the tests started: its port from stdout, its status API and its /metrics. A class of
 * its own, holding no clock: the ITs that use it compute their timelines when they load, and borrowing a helper
 * from another IT would load that one (and start its clock) too early.
 */
final class RunningDaemon {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final long MIB = 1L << 20;

    private RunningDaemon() {}

    /**
     * Writes {@code dir/headroom.yaml} for the closed-loop ITs: the test-driver host {@code node}, enforce mode, a free
     * port, and small steps and windows so that a change in the history shows at once and its end within seconds
     * (5 s steps, a 20 s rate window, the level of each feature only: the trailing transforms would remember it for
     * their window). {@code detection} adds keys to the detection mapping; {@code decide} is the decide mapping.
     */
    static Path enforceConfig(Path dir, String prometheusUrl, Path node, String detection, String decide)
            throws java.io.IOException {
        return java.nio.file.Files.writeString(dir.resolve("headroom.yaml"), """
                prometheus: {url: '%s'}
                workloads: {source: libvirt, libvirt_uri: 'test://%s'}
                collection: {interval: 1s, step: 5s, lookback: 10m}
                features: {rate_window: 20s}
                detection: {training_window: 2h, min_training_rows: 500, retrain_every: 1h,
                            engineering: {transforms: [level], window: 1m}%s}
                decide: %s
                act: {mode: enforce}
                server: {listen: '127.0.0.1:0'}
                state_dir: %s
                """.formatted(prometheusUrl, node.toAbsolutePath(), detection.isEmpty() ? "" : ", " + detection,
                decide, dir.resolve("state")));
    }

    /** {@code headroom run --config cfg} from the packaged jar, its stdout and log under {@code dir}. */
    static Started start(Path cfg, Path dir) throws Exception {
        return start(cfg, dir, Map.of());
    }

    /** As {@link #start(Path, Path)}, with {@code env} added to the daemon's environment. */
    static Started start(Path cfg, Path dir, Map<String, String> env) throws Exception {
        Path log = dir.resolve("headroom.log");
        Path stdout = dir.resolve("stdout.txt");
        String jar = System.getProperty("headroom.jar", "target/headroom.jar");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar, "run", "--config", cfg.toString())
                .redirectOutput(stdout.toFile()).redirectError(log.toFile());
        pb.environment().putAll(env);
        return new Started(pb.start(), stdout, log);
    }

    /**
     * {@code daemon/headroom run --config cfg}: the launcher, with its default JVM options ({@code HEADROOM_JAVA_OPTS}
     * unset), on the packaged jar.
     */
    static Started startWithLauncher(Path cfg, Path dir) throws Exception {
        Path log = dir.resolve("headroom.log");
        Path stdout = dir.resolve("stdout.txt");
        ProcessBuilder pb = new ProcessBuilder(Path.of("daemon/headroom").toAbsolutePath().toString(), "run",
                "--config", cfg.toString()).redirectOutput(stdout.toFile()).redirectError(log.toFile());
        pb.environment().remove("HEADROOM_JAVA_OPTS");
        pb.environment().put("HEADROOM_JAR",
                Path.of(System.getProperty("headroom.jar", "target/headroom.jar")).toAbsolutePath().toString());
        // The launcher runs the first java on the PATH: this JVM's, as for the other daemons the tests start.
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + pb.environment().get("PATH"));
        return new Started(pb.start(), stdout, log);
    }

    /**
     * A daemon the test started.
     *
     * @param process the JVM
     * @param stdout  its standard output (the listening line)
     * @param log     its log (standard error)
     */
    record Started(Process process, Path stdout, Path log) {

        /** The base URL, once the daemon says where it listens. */
        String base() throws Exception {
            return "http://127.0.0.1:" + port(stdout);
        }

        /** {@code e} with the log's last lines, which say what the daemon did. */
        AssertionError failed(Throwable e) {
            return new AssertionError(e.getMessage() + "\n--- headroom log (tail) ---\n" + tail(), e);
        }

        /** SIGTERM, then a kill if it has not stopped within 45 s. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }

        String tail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            } catch (Exception e) {
                return "(no log: " + e + ")";
            }
        }
    }

    /** The status API's view of the last cycle. */
    static JsonNode status(String base) throws Exception {
        HttpResponse<String> r = get(base + "/api/v1/workloads");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static JsonNode workload(JsonNode status, String name) {
        for (JsonNode w : status.path("workloads")) {
            if (w.path("name").asText().equals(name)) {
                return w;
            }
        }
        throw new AssertionError("no workload " + name + " in " + status);
    }

    static JsonNode allocation(int vcpus, long memMib) {
        return JSON.createObjectNode().put("vcpus", vcpus).put("memory_bytes", memMib * MIB);
    }

    /** The exposition's samples by {@code name{labels}} as written (client_java puts a comma after the last label). */
    static Map<String, Double> metrics(String base) throws Exception {
        Map<String, Double> out = new TreeMap<>();
        for (String line : get(base + "/metrics").body().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space).replace(",}", "}"), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The port from {@code headroom listening on http://127.0.0.1:PORT/metrics}, the first line on stdout. */
    static int port(Path stdout) throws Exception {
        Pattern listening = Pattern.compile("headroom listening on http://127\\.0\\.0\\.1:(\\d+)/metrics");
        Optional<Matcher> m = Poll.until(Duration.ofSeconds(60), "the listening line on stdout", () -> Files.readAllLines(
                stdout, StandardCharsets.UTF_8).stream().map(listening::matcher).filter(Matcher::find).findFirst(),
                Optional::isPresent);
        return Integer.parseInt(m.orElseThrow().group(1));
    }
}
