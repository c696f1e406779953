package io.headroom.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.ops.DashboardFiles.Query;
import io.headroom.testing.AlertmanagerExtension;
import io.headroom.testing.FreePorts;
import io.headroom.testing.PrometheusExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every query of every shipped dashboard (panel targets, annotations, template variables), with its variables set
 * as a user would set them, parses and returns data from a real Prometheus that scrapes running Headroom daemons
 * and evaluates the shipped rules. A panel that would stay empty fails the build, naming dashboard, panel and query.
 *
 * <p>Grafana itself does not run here; what it would send is rebuilt: range queries for time series (over the time
 * the daemons ran), instant queries for targets marked instant, the series API for {@code label_values()}.
 *
 * <p>The fleet is three hosts, because a healthy host never fills the error panels, and an error panel that stays
 * empty until the day it matters could as well query a misspelt metric:
 * <ul>
 *   <li>a healthy one in enforce mode: two guests from {@link GuestSimulator}, web-2 surging (critical, raised),
 *       alerts posted to a real Alertmanager, one failure alert received on its webhook;</li>
 *   <li>one whose Prometheus is unreachable (connect errors, discovery failing) and whose Alertmanager is too
 *       (failed posts, a queue of one that drops);</li>
 *   <li>one whose libvirt cannot be opened (libvirt failures, failed connects).</li>
 * </ul>
 */
class DashboardsIT {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardsIT.class);
    /** Long enough for a 1m rate window and the critical alert's `for: 1m` to fire, with room on a busy machine. */
    static final Duration DEADLINE = Duration.ofMinutes(4);

    static final GuestSimulator GUESTS = simulator();
    static final RunningDaemon HEALTHY = new RunningDaemon();
    static final RunningDaemon NO_PROMETHEUS = new RunningDaemon();
    static final RunningDaemon NO_LIBVIRT = new RunningDaemon();
    /** Nothing listens here: the unreachable Prometheus and Alertmanager of NO_PROMETHEUS. */
    static final int DEAD_PORT = FreePorts.loopback();

    /** What a user would pick; "All" is ".*" (the variables' allValue). */
    static final Map<String, String> VARIABLES = Map.of(
            "job", "headroom", "instance", ".*", "workload", GuestSimulator.SURGING, "feature", ".*",
            "__rate_interval", "1m", "__interval", "15s", "__range", "10m");

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder()
            .backfill(GUESTS::writeHistory)
            .scrapeInterval(Duration.ofSeconds(1))
            .scrapeTarget(GuestSimulator.JOB, GUESTS.target())
            .scrapeTarget("headroom", HEALTHY.target())
            .scrapeTarget("headroom", NO_PROMETHEUS.target())
            .scrapeTarget("headroom", NO_LIBVIRT.target())
            .ruleFile(RuleFiles.RECORDING)
            .ruleFile(RuleFiles.ALERTING)
            .build();

    @RegisterExtension
    static final AlertmanagerExtension alertmanager = AlertmanagerExtension.builder().build();

    @TempDir
    static Path dir;

    static Instant started;

    static GuestSimulator simulator() {
        try {
            return new GuestSimulator(Instant.now().getEpochSecond());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A state dir in which feedback already learnt about web-2 (as a daemon that ran for weeks would have): disk
     * anomalies get no more resources and network-transmit anomalies are held inside an envelope, neither of which
     * its CPU surge is, so the adaptation panels have something to show and the surge is still raised.
     */
    static Path learnt(Path stateDir) throws Exception {
        Files.createDirectory(stateDir);
        Files.writeString(stateDir.resolve("feedback.json"), """
                {"version": 1, "workloads": {"web-2": {"floor_shift": 5, "unnecessary_streak": 0, "futile_streaks": {},
                  "no_resources": ["disk_read_bytes"],
                  "envelopes": {"net_tx_bytes": {"episodes": 3, "cpu_cores": 0.6, "memory_bytes": 1288490188,
                                                 "in_force": true}},
                  "last_change": "no more resources for disk_read_bytes anomalies",
                  "changed_at": "2026-12-01T00:00:00Z"}}}
                """);
        return stateDir;
    }

    @BeforeAll
    static void startTheFleet() throws Exception {
        started = Instant.now();
        Path node = Path.of(DashboardsIT.class.getResource("/io/headroom/act/node.xml").toURI()).toAbsolutePath();
        HEALTHY.start("""
                prometheus: {url: '%s'}
                workloads: {source: libvirt, libvirt_uri: 'test://%s'}
                collection: {interval: 1s, step: 15s, lookback: 1h}
                features: {rate_window: 1m}
                detection: {training_window: 5h, min_training_rows: 200, retrain_every: 1h,
                            failure_query: 'max by (domain) (guest_failing)', failure_margin: 5m}
                act: {mode: enforce}
                # Caps web-2's raise runs into, so the guardrail panels have a clamp to show (a saturated surge
                # skips the hysteresis cycle, which used to provide one).
                decide: {caps: [{match: 'web-2', max_vcpus: 2, max_memory: 2300MiB}]}
                notify:
                  alertmanager: {urls: ['%s'], resend_interval: 5s, host: kvm-healthy}
                  webhook: {enabled: true}
                state_dir: %s
                """.formatted(prometheus.baseUrl(), node, alertmanager.baseUrl(), learnt(dir.resolve("a"))), dir);
        NO_PROMETHEUS.start("""
                prometheus: {url: 'http://127.0.0.1:%d', retry: {max_attempts: 1}}
                workloads: {source: prometheus}
                collection: {interval: 1s, step: 15s, lookback: 1h}
                notify:
                  alertmanager: {urls: ['http://127.0.0.1:%d'], resend_interval: 1s, queue_size: 1, host: kvm-no-prometheus,
                                 retry: {initial_backoff: 1s, max_backoff: 2s}}
                state_dir: %s
                """.formatted(DEAD_PORT, DEAD_PORT, Files.createDirectory(dir.resolve("b"))), dir);
        NO_LIBVIRT.start("""
                prometheus: {url: '%s'}
                workloads: {source: libvirt, libvirt_uri: 'test:///nonexistent/node.xml'}
                collection: {interval: 1s, step: 15s, lookback: 1h}
                act: {reconnect: {initial_backoff: 100ms, max_backoff: 1s}}
                state_dir: %s
                """.formatted(prometheus.baseUrl(), Files.createDirectory(dir.resolve("c"))), dir);
        // A failure alert as Alertmanager would deliver it, so the webhook panel has something to count.
        Http.Answer a = Http.post(HEALTHY.baseUrl() + "/api/v1/alerts/webhook", Map.of(
                "version", "4", "status", "firing", "receiver", "headroom", "groupKey", "{}:{}",
                "groupLabels", Map.of(), "commonLabels", Map.of(), "commonAnnotations", Map.of(),
                "externalURL", "http://alertmanager:9093", "truncatedAlerts", 0,
                "alerts", List.of(Map.of("status", "firing", "labels", Map.of("alertname", "GuestOOM", "domain", "web-1"),
                        "annotations", Map.of(), "startsAt", Instant.now().toString(),
                        "endsAt", "0001-01-01T00:00:00Z", "generatorURL", "", "fingerprint", "0123456789abcdef"))));
        assertThat(a.status()).as("webhook answer: %s", a.body()).isEqualTo(200);
    }

    @AfterAll
    static void stopTheFleet() {
        HEALTHY.close();
        NO_PROMETHEUS.close();
        NO_LIBVIRT.close();
        GUESTS.close();
    }

    /** A query as sent: the dashboard's, with variables substituted. */
    record Sent(Query query, String expr) {
        @Override
        public String toString() {
            return query.dashboard() + " / " + query.panel() + " (" + query.kind() + "): " + expr;
        }
    }

    static List<Sent> allQueries() {
        List<Sent> out = new ArrayList<>();
        for (Path f : DashboardFiles.files()) {
            for (Query q : DashboardFiles.queries(DashboardFiles.read(f))) {
                out.add(new Sent(q, DashboardFiles.substitute(q.expr(), VARIABLES)));
            }
        }
        return out;
    }

    @Test
    void everyQueryParsesAndReturnsDataFromPrometheusScrapingHeadroom() throws Exception {
        List<Sent> queries = allQueries();
        assertThat(queries).hasSizeGreaterThan(40);

        // Parsing does not wait for data: a syntax error is reported at once, all of them together.
        List<String> unparsable = new ArrayList<>();
        for (Sent s : queries) {
            parseError(s).ifPresent(e -> unparsable.add(s + "\n    " + e));
        }
        assertThat(unparsable).as("queries Prometheus cannot parse").isEmpty();

        // Data comes as the daemons train, score, change, fail and alert; wait for all of it, then name what is missing.
        Set<Sent> empty = new LinkedHashSet<>(queries);
        Map<Sent, Duration> firstData = new LinkedHashMap<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!empty.isEmpty() && System.nanoTime() < deadline) {
            for (Sent s : List.copyOf(empty)) {
                if (hasData(s)) {
                    empty.remove(s);
                    firstData.put(s, Duration.between(started, Instant.now()));
                }
            }
            if (!empty.isEmpty()) {
                Thread.sleep(1000);
            }
        }
        Duration slowest = firstData.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
        LOG.info("{} of {} dashboard queries returned data; the last after {} s", firstData.size(), queries.size(),
                slowest.toSeconds());
        assertThat(empty.stream().map(Sent::toString).toList())
                .as("dashboard queries still without data %d s after the daemons started", DEADLINE.toSeconds())
                .isEmpty();
    }

    static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*(\\w+)\\)$");

    /** The parse error Prometheus reports for the query, if any. */
    private static Optional<String> parseError(Sent s) throws Exception {
        Http.Answer a;
        if (s.query().kind().equals("variable")) {
            Matcher m = LABEL_VALUES.matcher(s.expr());
            if (!m.matches()) {
                return Optional.of("not label_values(selector, label): the only variable query checked here");
            }
            a = Http.get(prometheus.baseUrl() + "/api/v1/series", Map.of("match[]", m.group(1)));
        } else {
            a = Http.get(prometheus.baseUrl() + "/api/v1/query", Map.of("query", s.expr()));
        }
        return a.status() == 200 ? Optional.empty()
                : Optional.of("HTTP " + a.status() + ": " + a.json().path("error").asText(a.body()));
    }

    private static boolean hasData(Sent s) throws Exception {
        String base = prometheus.baseUrl();
        String start = String.valueOf(started.getEpochSecond());
        String now = String.valueOf(Instant.now().getEpochSecond());
        switch (s.query().kind()) {
            case "variable" -> {
                Matcher m = LABEL_VALUES.matcher(s.expr());
                m.matches();
                JsonNode data = ok(Http.get(base + "/api/v1/label/" + m.group(2) + "/values",
                        Map.of("match[]", m.group(1), "start", start, "end", now)), s);
                return data.size() > 0;
            }
            default -> {
                if (s.query().instant()) {
                    return ok(Http.get(base + "/api/v1/query", Map.of("query", s.expr())), s).path("result").size() > 0;
                }
                JsonNode result = ok(Http.get(base + "/api/v1/query_range", Map.of("query", s.expr(), "start", start,
                        "end", now, "step", "5")), s).path("result");
                for (JsonNode series : result) {
                    if (series.path("values").size() > 0) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    private static JsonNode ok(Http.Answer a, Sent s) {
        if (a.status() != 200 || !a.json().path("status").asText().equals("success")) {
            throw new AssertionError("Prometheus answered " + a.status() + " to " + s + ": " + a.body());
        }
        return a.json().path("data");
    }
}
