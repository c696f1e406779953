package io.headroom.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Runs a real Prometheus server for a test class, optionally with history backfilled by promtool.
 *
 * <pre>{@code
 * @RegisterExtension
 * static PrometheusExtension prom = PrometheusExtension.builder()
 *         .backfill(out -> out.gauge("vm_cpu_ratio", "CPU use.").sample(Map.of("domain", "a"), 0.5, t))
 *         .scrapeTarget("headroom", "127.0.0.1:" + port)
 *         .scrapeInterval(Duration.ofSeconds(1))
 *         .build();
 * }</pre>
 *
 * <p><b>Lifecycle.</b> Register it in a {@code static} field: {@link #beforeAll} starts the server, {@link #afterAll}
 * stops it (SIGTERM, 10 s grace, SIGKILL) and deletes its temporary directory. JUnit calls {@code beforeAll} again for
 * each {@code @Nested} class; those calls find the server running and leave it alone, and only the class that started
 * it stops it. Outside JUnit, call {@link #start()} and {@link #close()}.
 *
 * <p><b>What runs.</b> The {@code prometheus} binary (with {@code promtool} for backfills), looked up in this order:
 * {@link Builder#binary(Path)}, system property or environment variable {@code PROMETHEUS_BIN} (and
 * {@code PROMTOOL_BIN}), {@code PATH}. It listens on a free 127.0.0.1 port and stores its TSDB in a fresh temporary
 * directory; its output goes to {@link #logFile()}. If a binary is missing and Testcontainers finds a Docker engine,
 * the {@value #IMAGE} image runs instead (see {@link Builder#dockerFallback(boolean)}). If neither is possible the
 * start fails, naming the package to install: the tests that need Prometheus fail rather than skip.
 *
 * <p><b>Backfill.</b> Each backfill is written to a file and turned into TSDB blocks with
 * {@code promtool tsdb create-blocks-from openmetrics --max-block-duration=24h} before the server starts.
 * Backfilled samples may reach up to the present: blocks that overlap the (empty) head are queryable right away
 * (Prometheus 2.39+ always allows overlapping blocks). Time-based retention is measured from the newest block, not
 * the wall clock, and Prometheus deletes blocks beyond it at startup; the default retention here is 3650 days, so
 * no backfill is lost. With 24-hour blocks promtool reads its input once per day of data, rather than once per
 * two hours with its default.
 *
 * <p><b>Rules and alerts.</b> {@link Builder#ruleFile(Path)} loads rule files (copied next to the config when the
 * server starts), evaluated every scrape interval; {@link Builder#alertmanager(String)} sends their alerts on.
 *
 * <p><b>Docker fallback.</b> The image's own {@code promtool} fills the data directory inside the container before
 * {@code prometheus} starts (one shell entrypoint), so the backfill is identical; {@link #dataDir()} is then not on
 * this host. Scrape targets on 127.0.0.1 or localhost are rewritten to {@code host.testcontainers.internal} and their
 * ports exposed to the container.
 */
public final class PrometheusExtension extends ServerExtension {

    /** Image used when no binary is installed but Docker is available; same version as Debian 12's package. */
    public static final String IMAGE = "prom/prometheus:v2.42.0";
    /** What to run to install the binaries this extension prefers. */
    public static final String INSTALL_HINT = "apt-get install -y --no-install-recommends prometheus";

    private static final System.Logger LOG = System.getLogger(PrometheusExtension.class.getName());
    private static final Duration PROMTOOL_TIMEOUT = Duration.ofMinutes(10);
    private static final String CONTAINER_DIR = "/etc/headroom-test";
    private static final String CONTAINER_DATA = "/prometheus";
    private static final int CONTAINER_PORT = 9090;

    private final Path binary;
    private final Path promtoolBinary;
    private final boolean dockerFallback;
    private final Map<String, List<String>> scrapeTargets;
    private final Duration scrapeInterval;
    private final Duration retention;
    private final boolean adminApi;
    private final Duration startupTimeout;
    private final List<BackfillSource> backfills;
    private final List<String> extraFlags;
    private final List<Path> ruleFiles;
    private final List<String> alertmanagers;

    private Path dataDir;
    private boolean inContainer;

    private PrometheusExtension(Builder builder) {
        super("Prometheus");
        this.binary = builder.binary;
        this.promtoolBinary = builder.promtoolBinary;
        this.dockerFallback = builder.dockerFallback;
        Map<String, List<String>> targets = new LinkedHashMap<>();
        builder.scrapeTargets.forEach((job, list) -> targets.put(job, List.copyOf(list)));
        this.scrapeTargets = Collections.unmodifiableMap(targets);
        this.scrapeInterval = builder.scrapeInterval;
        this.retention = builder.retention;
        this.adminApi = builder.adminApi;
        this.startupTimeout = builder.startupTimeout;
        this.backfills = List.copyOf(builder.backfills);
        this.extraFlags = List.copyOf(builder.extraFlags);
        this.ruleFiles = List.copyOf(builder.ruleFiles);
        this.alertmanagers = List.copyOf(builder.alertmanagers);
    }

    /**
     * Starts configuring an extension.
     *
     * @return a builder with defaults: no scrape targets, 15 s scrape interval, no backfill, 3650 d retention,
     *         admin API off, 60 s startup timeout, Docker fallback on
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Backfills, starts the server and waits until {@code /-/ready} answers 200.
     *
     * @throws ExtensionConfigurationException if neither the binaries nor Docker are available
     * @throws IllegalStateException           if promtool fails or the server does not become ready; the message
     *                                         includes the tool's output or the end of the server log
     */
    @Override
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("Prometheus is already running at " + server.baseUrl());
        }
        Binaries.Lookup prometheus = Binaries.find(binary, "PROMETHEUS_BIN", "prometheus");
        Binaries.Lookup promtool = backfills.isEmpty() ? null : Binaries.find(promtoolBinary, "PROMTOOL_BIN", "promtool");
        boolean local = prometheus.path().isPresent() && (promtool == null || promtool.path().isPresent());
        if (!local && !(dockerFallback && ContainerServer.dockerAvailable())) {
            throw new ExtensionConfigurationException(missingMessage(prometheus, promtool));
        }
        long begin = System.nanoTime();
        workDir = TempDirs.create("headroom-prometheus-");
        logFile = workDir.resolve("prometheus.log");
        dataDir = workDir.resolve("data");
        inContainer = !local;
        try {
            List<Path> backfillFiles = writeBackfills();
            List<Path> rules = copyRuleFiles();
            Path config = workDir.resolve("prometheus.yml");
            Files.writeString(config, configYaml(inContainer), StandardCharsets.UTF_8);
            long written = System.nanoTime();
            long backfilled = written;
            if (local) {
                for (Path file : backfillFiles) {
                    runPromtool(promtool.path().orElseThrow(), file);
                }
                backfilled = System.nanoTime();
                Path bin = prometheus.path().orElseThrow();
                server = LocalServer.start("Prometheus", port -> localCommand(bin, config, port), workDir, logFile,
                        startupTimeout);
            } else {
                server = startContainer(config, backfillFiles, rules);
            }
            long ready = System.nanoTime();
            LOG.log(Level.INFO, String.format("Prometheus %s ready at %s after %d ms: config and %d backfill"
                            + " file(s) written in %d ms, promtool %d ms, server start %d ms",
                    inContainer ? "container" : "process", server.baseUrl(), millis(ready - begin), backfillFiles.size(),
                    millis(written - begin), millis(backfilled - written), millis(ready - backfilled)));
        } catch (IOException e) {
            discard(workDir.resolve("promtool.log"));
            throw new UncheckedIOException("cannot prepare Prometheus in " + workDir, e);
        } catch (RuntimeException e) {
            discard(workDir.resolve("promtool.log"));
            throw e;
        }
    }

    /**
     * Returns the TSDB directory ({@code --storage.tsdb.path}).
     *
     * @return the directory on this host
     * @throws UnsupportedOperationException when Prometheus runs in a container, where the data never leaves it
     */
    public Path dataDir() {
        running();
        if (inContainer) {
            throw new UnsupportedOperationException("Prometheus runs in a container; its data is in " + CONTAINER_DATA
                    + " inside it");
        }
        return dataDir;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private String missingMessage(Binaries.Lookup prometheus, Binaries.Lookup promtool) {
        StringBuilder message = new StringBuilder("Prometheus is needed by this test but cannot be run: ");
        List<String> missing = new ArrayList<>();
        if (prometheus.path().isEmpty()) {
            missing.add("no prometheus binary (looked for " + prometheus.searched() + ")");
        }
        if (promtool != null && promtool.path().isEmpty()) {
            missing.add("no promtool binary for the backfill (looked for " + promtool.searched() + ")");
        }
        message.append(String.join("; ", missing));
        message.append(dockerFallback
                ? "; and no Docker engine is reachable for the " + IMAGE + " fallback"
                : "; and the Docker fallback is disabled (.dockerFallback(false))");
        message.append(". Install it with: ").append(INSTALL_HINT)
                .append(" (provides /usr/bin/prometheus and /usr/bin/promtool),"
                        + " or point PROMETHEUS_BIN and PROMTOOL_BIN (environment or system property) at the binaries.");
        return message.toString();
    }

    private List<Path> writeBackfills() throws IOException {
        List<Path> files = new ArrayList<>();
        for (BackfillSource backfill : backfills) {
            Path file = workDir.resolve("backfill-" + files.size() + ".om");
            backfill.writeTo(file);
            files.add(file);
        }
        return files;
    }

    private void runPromtool(Path promtool, Path input) {
        List<String> command = List.of(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics",
                "--max-block-duration=24h", input.toString(), dataDir.toString());
        Path output = workDir.resolve("promtool.log");
        long logStart = LogFiles.size(output);
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .start();
            // A bench's week of a large fleet takes longer than a test's backfill: its startup timeout says so.
            Duration deadline = startupTimeout.compareTo(PROMTOOL_TIMEOUT) > 0 ? startupTimeout : PROMTOOL_TIMEOUT;
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("promtool did not finish within " + deadline.toMinutes()
                        + " min: " + String.join(" ", command) + LogFiles.tail(output, logStart));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("promtool backfill failed with exit code " + process.exitValue() + ": "
                        + String.join(" ", command) + LogFiles.tail(output, logStart));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + promtool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running promtool", e);
        }
    }

    private List<String> localCommand(Path bin, Path config, int port) {
        List<String> command = new ArrayList<>();
        command.add(bin.toString());
        command.addAll(flags(config.toString(), dataDir.toString(), "127.0.0.1:" + port));
        return command;
    }

    private List<String> flags(String config, String data, String listen) {
        List<String> flags = new ArrayList<>();
        flags.add("--config.file=" + config);
        flags.add("--storage.tsdb.path=" + data);
        flags.add("--storage.tsdb.retention.time=" + Flags.promDuration(retention));
        flags.add("--web.listen-address=" + listen);
        if (adminApi) {
            flags.add("--web.enable-admin-api");
        }
        flags.addAll(extraFlags);
        return flags;
    }

    /**
     * Copies the rule files next to prometheus.yml as {@code rules-N.yml}: Prometheus resolves {@code rule_files}
     * against the config's directory, so the same relative names work on the host and in a container, and a test
     * that edits its source afterwards does not change what this server loaded.
     */
    private List<Path> copyRuleFiles() throws IOException {
        List<Path> copies = new ArrayList<>();
        for (Path source : ruleFiles) {
            Path copy = workDir.resolve(ruleFileName(copies.size()));
            Files.copy(source, copy);
            copies.add(copy);
        }
        return copies;
    }

    private static String ruleFileName(int index) {
        return "rules-" + index + ".yml";
    }

    private RunningServer startContainer(Path config, List<Path> backfillFiles, List<Path> rules) {
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(config, CONTAINER_DIR + "/prometheus.yml");
        for (Path rule : rules) {
            files.put(rule, CONTAINER_DIR + "/" + rule.getFileName());
        }
        StringBuilder script = new StringBuilder("set -e\n");
        for (Path file : backfillFiles) {
            String target = CONTAINER_DIR + "/" + file.getFileName();
            files.put(file, target);
            script.append("promtool tsdb create-blocks-from openmetrics --max-block-duration=24h ")
                    .append(Flags.shellQuote(target)).append(' ').append(CONTAINER_DATA).append('\n');
        }
        script.append("exec /bin/prometheus");
        for (String flag : flags(CONTAINER_DIR + "/prometheus.yml", CONTAINER_DATA, "0.0.0.0:" + CONTAINER_PORT)) {
            script.append(' ').append(Flags.shellQuote(flag));
        }
        return ContainerServer.start("Prometheus", IMAGE, CONTAINER_PORT, List.of("/bin/sh", "-c", script.toString()),
                List.of(), files, hostPorts(), logFile, startupTimeout);
    }

    private List<Integer> hostPorts() {
        Set<Integer> ports = new LinkedHashSet<>();
        List<String> all = new ArrayList<>(alertmanagers);
        scrapeTargets.values().forEach(all::addAll);
        for (String target : all) {
            if (isLoopback(target)) {
                ports.add(Integer.parseInt(target.substring(target.lastIndexOf(':') + 1)));
            }
        }
        return List.copyOf(ports);
    }

    private static String reachable(String target, boolean forContainer) {
        return forContainer && isLoopback(target)
                ? ContainerServer.HOST_ALIAS + target.substring(target.lastIndexOf(':'))
                : target;
    }

    private static boolean isLoopback(String target) {
        return target.startsWith("127.0.0.1:") || target.startsWith("localhost:");
    }

    /** Renders prometheus.yml; in a container, loopback targets point at the host instead. */
    String configYaml(boolean forContainer) {
        Map<String, Object> global = new LinkedHashMap<>();
        global.put("scrape_interval", Flags.promDuration(scrapeInterval));
        // Prometheus rejects a scrape timeout longer than the interval, and the default timeout is 10s.
        Duration timeout = scrapeInterval.compareTo(Duration.ofSeconds(10)) < 0 ? scrapeInterval : Duration.ofSeconds(10);
        global.put("scrape_timeout", Flags.promDuration(timeout));
        global.put("evaluation_interval", Flags.promDuration(scrapeInterval));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("global", global);
        List<Object> jobs = new ArrayList<>();
        scrapeTargets.forEach((job, targets) -> {
            List<String> rendered = new ArrayList<>();
            for (String target : targets) {
                rendered.add(reachable(target, forContainer));
            }
            Map<String, Object> scrape = new LinkedHashMap<>();
            scrape.put("job_name", job);
            scrape.put("static_configs", List.of(Map.of("targets", rendered)));
            jobs.add(scrape);
        });
        if (!jobs.isEmpty()) {
            root.put("scrape_configs", jobs);
        }
        if (!ruleFiles.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < ruleFiles.size(); i++) {
                names.add(ruleFileName(i));
            }
            root.put("rule_files", names);
        }
        if (!alertmanagers.isEmpty()) {
            List<String> rendered = new ArrayList<>();
            for (String target : alertmanagers) {
                rendered.add(reachable(target, forContainer));
            }
            root.put("alerting", Map.of("alertmanagers", List.of(Map.of("static_configs",
                    List.of(Map.of("targets", rendered))))));
        }
        try {
            return new ObjectMapper(new YAMLFactory()).writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the samples of one backfill file; the writer is closed (and {@code # EOF} written) afterwards. */
    @FunctionalInterface
    public interface Backfill {

        /**
         * Adds samples.
         *
         * @param out the writer for this backfill's file
         * @throws IOException if generating the data fails
         */
        void write(OpenMetricsWriter out) throws IOException;
    }

    /** Produces one backfill file. */
    @FunctionalInterface
    private interface BackfillSource {
        void writeTo(Path file) throws IOException;
    }

    /** Configures a {@link PrometheusExtension}. Every method returns this builder. */
    public static final class Builder extends ServerBuilder<Builder> {

        private Path promtoolBinary;
        private final Map<String, List<String>> scrapeTargets = new LinkedHashMap<>();
        private Duration scrapeInterval = Duration.ofSeconds(15);
        private Duration retention = Duration.ofDays(3650);
        private boolean adminApi;
        private final List<BackfillSource> backfills = new ArrayList<>();
        private final List<Path> ruleFiles = new ArrayList<>();
        private final List<String> alertmanagers = new ArrayList<>();

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Loads a rule file (recording and alerting rules), evaluated every scrape interval. The file is copied
         * when the server starts.
         *
         * @param file an existing rule file
         * @return this builder
         */
        public Builder ruleFile(Path file) {
            if (!Files.isRegularFile(Objects.requireNonNull(file, "file"))) {
                throw new IllegalArgumentException("rule file " + file + " does not exist");
            }
            ruleFiles.add(file);
            return this;
        }

        /**
         * Sends alerts of the loaded rules to an Alertmanager.
         *
         * @param target {@code host:port} of its API
         * @return this builder
         */
        public Builder alertmanager(String target) {
            if (target == null || !target.matches("[^:/\\s]+:\\d{1,5}")) {
                throw new IllegalArgumentException("alertmanager must be host:port, got \"" + target + "\"");
            }
            alertmanagers.add(target);
            return this;
        }

        /**
         * Adds a static scrape target. Targets of the same job share one scrape config.
         *
         * @param job    the job label
         * @param target {@code host:port}, scraped at {@code /metrics}
         * @return this builder
         */
        public Builder scrapeTarget(String job, String target) {
            if (job == null || job.isBlank()) {
                throw new IllegalArgumentException("job name must not be blank");
            }
            if (target == null || !target.matches("[^:/\\s]+:\\d{1,5}")) {
                throw new IllegalArgumentException("scrape target must be host:port, got \"" + target + "\"");
            }
            scrapeTargets.computeIfAbsent(job, j -> new ArrayList<>()).add(target);
            return this;
        }

        /**
         * Sets the global scrape (and rule evaluation) interval; the scrape timeout is the smaller of it and 10 s.
         *
         * @param interval a positive whole number of milliseconds
         * @return this builder
         */
        public Builder scrapeInterval(Duration interval) {
            Flags.promDuration(interval);
            this.scrapeInterval = interval;
            return this;
        }

        /**
         * Adds a backfill produced by a writer callback, streamed to a file.
         *
         * @param backfill writes the samples
         * @return this builder
         */
        public Builder backfill(Backfill backfill) {
            Objects.requireNonNull(backfill, "backfill");
            backfills.add(file -> {
                try (OpenMetricsWriter out = OpenMetricsWriter.create(file)) {
                    backfill.write(out);
                }
            });
            return this;
        }

        /**
         * Adds a backfill given as OpenMetrics text: timestamps in seconds, counters as {@code # TYPE x counter}
         * with samples {@code x_total}, the samples of a family contiguous, and a final {@code # EOF} line.
         *
         * @param openMetrics the complete text
         * @return this builder
         */
        public Builder backfill(String openMetrics) {
            if (!openMetrics.stripTrailing().endsWith("# EOF")) {
                throw new IllegalArgumentException("OpenMetrics text must end with a \"# EOF\" line");
            }
            String text = openMetrics.endsWith("\n") ? openMetrics : openMetrics + "\n";
            backfills.add(file -> Files.writeString(file, text, StandardCharsets.UTF_8));
            return this;
        }

        /**
         * Sets the TSDB retention. Retention is counted back from the newest block; keep it longer than the
         * backfilled history or Prometheus deletes the oldest blocks at startup.
         *
         * @param retention a positive whole number of milliseconds; default 3650 days
         * @return this builder
         */
        public Builder retention(Duration retention) {
            Flags.promDuration(retention);
            this.retention = retention;
            return this;
        }

        /**
         * Enables {@code /api/v1/admin/...} ({@code --web.enable-admin-api}), e.g. to delete series or snapshot.
         *
         * @return this builder
         */
        public Builder enableAdminApi() {
            this.adminApi = true;
            return this;
        }

        /**
         * Uses this promtool binary for backfills instead of looking it up.
         *
         * @param promtool path of the binary
         * @return this builder
         */
        public Builder promtool(Path promtool) {
            this.promtoolBinary = Objects.requireNonNull(promtool, "promtool");
            return this;
        }

        /**
         * Builds the extension; nothing runs until {@code beforeAll} or {@link PrometheusExtension#start()}.
         *
         * @return the extension
         */
        public PrometheusExtension build() {
            return new PrometheusExtension(this);
        }
    }
}
