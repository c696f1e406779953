package io.headroom.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.decide.Allocation;
import io.headroom.decide.Resource;
import io.headroom.notify.FailureInterval;
import io.headroom.notify.FailureLog;
import io.headroom.ops.WebhookSink.Received;
import io.headroom.testing.AlertmanagerExtension;
import io.headroom.testing.Poll;
import io.headroom.testing.PrometheusExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerting path end to end, on real components: a Headroom daemon (libvirt's test driver, enforce mode) scoring
 * a guest in a critical surge; Prometheus scraping it and evaluating the shipped rules; Alertmanager routing with
 * the shipped example's route tree and inhibitions, its receivers pointed at a {@link WebhookSink} (pager, chat,
 * email) and at Headroom's failure webhook. In order:
 * <ol>
 *   <li>Headroom's direct alert (HeadroomCriticalAnomaly) reaches the pager within group_wait of reaching
 *       Alertmanager, with its labels, score, top features, the change Headroom made and the dashboard link;</li>
 *   <li>the shipped rule HeadroomWorkloadCritical fires in Prometheus (its real {@code for: 1m}, no test copy of the
 *       rules), reaches Alertmanager, and is inhibited there by the direct alert, so the pager is paged once;</li>
 *   <li>a failure alert labelled {@code headroom_failure="true"} is routed to Headroom's webhook, with its bearer
 *       token, and recorded in the daemon's failure log (and still reaches the people's receiver);</li>
 *   <li>the surge ends: the rule's alert leaves Prometheus and the direct alert is resolved, and the pager hears
 *       of it.</li>
 * </ol>
 * The guests' recent metrics are served live by {@link GuestSimulator}, so the surge ends when the test says, after
 * the rule has fired, however long a loaded machine took to get there.
 */
class AlertingEndToEndIT {

    private static final Logger LOG = LoggerFactory.getLogger(AlertingEndToEndIT.class);

    static final Duration GROUP_WAIT = Duration.ofSeconds(1);
    /** Alertmanager flushes aggregation groups on its own tick, and the sink is another HTTP hop. */
    static final Duration MARGIN = Duration.ofSeconds(4);
    static final String HOST = "kvm-e2e";
    static final String DASHBOARD = "https://grafana.example/d/headroom-workload/headroom-workload?var-workload=";
    static final String WORKLOAD = GuestSimulator.SURGING;

    static final Path DIR = tempDir();
    static final String TOKEN = "e2e-" + UUID.randomUUID();
    static final GuestSimulator GUESTS = simulator();
    static final RunningDaemon HEADROOM = new RunningDaemon();
    static final WebhookSink SINK = sink();

    @RegisterExtension
    static final AlertmanagerExtension alertmanager = AlertmanagerExtension.builder().config(alertmanagerConfig()).build();

    static PrometheusExtension prometheus;

    static Path tempDir() {
        try {
            return Files.createTempDirectory("headroom-e2e-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GuestSimulator simulator() {
        try {
            return new GuestSimulator(Instant.now().getEpochSecond());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static WebhookSink sink() {
        try {
            return new WebhookSink();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The shipped rules/alertmanager.yml with only what a test must change: receivers point at the sink and at this
     * daemon's webhook (with this test's token file), timers are seconds instead of minutes, and the SMTP settings of
     * the replaced email receiver go. Routes, matchers, continue flags and inhibitions are the shipped ones.
     */
    static String alertmanagerConfig() {
        try {
            Path tokenFile = Files.writeString(DIR.resolve("headroom-webhook-token"), TOKEN + "\n");
            ObjectNode config = (ObjectNode) RuleFiles.read(RuleFiles.ALERTMANAGER_EXAMPLE);
            ObjectNode global = (ObjectNode) config.path("global");
            List<String> smtp = new java.util.ArrayList<>();
            global.fieldNames().forEachRemaining(k -> {
                if (k.startsWith("smtp_")) {
                    smtp.add(k);
                }
            });
            global.remove(smtp);
            shortenTimers((ObjectNode) config.path("route"), true);
            ArrayNode receivers = config.putArray("receivers");
            for (String name : List.of("pager", "chat", "email-digest")) {
                ObjectNode webhook = receivers.addObject().put("name", name).putArray("webhook_configs").addObject();
                webhook.put("url", SINK.url("/" + name)).put("send_resolved", true);
            }
            ObjectNode headroom = receivers.addObject().put("name", "headroom").putArray("webhook_configs").addObject();
            headroom.put("url", HEADROOM.baseUrl() + "/api/v1/alerts/webhook").put("send_resolved", true);
            headroom.putObject("http_config").putObject("authorization").put("type", "Bearer")
                    .put("credentials_file", tokenFile.toString());
            return RuleFiles.YAML.writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void shortenTimers(ObjectNode route, boolean root) {
        if (root || route.has("group_wait")) {
            route.put("group_wait", GROUP_WAIT.toSeconds() + "s");
        }
        if (root || route.has("group_interval")) {
            route.put("group_interval", "1s");
        }
        if (root || route.has("repeat_interval")) {
            route.put("repeat_interval", "1h");
        }
        route.path("routes").forEach(child -> shortenTimers((ObjectNode) child, false));
    }

    @BeforeAll
    static void start() throws Exception {
        // Alertmanager's port is known only now, so Prometheus starts here rather than as an extension.
        prometheus = PrometheusExtension.builder()
                .backfill(GUESTS::writeHistory)
                .scrapeInterval(Duration.ofSeconds(1))
                .scrapeTarget(GuestSimulator.JOB, GUESTS.target())
                .scrapeTarget("headroom", HEADROOM.target())
                .ruleFile(RuleFiles.RECORDING)
                .ruleFile(RuleFiles.ALERTING)
                .alertmanager(alertmanager.baseUrl().replaceFirst("^http://", ""))
                .build();
        prometheus.start();
        Path node = Path.of(AlertingEndToEndIT.class.getResource("/io/headroom/act/node.xml").toURI()).toAbsolutePath();
        // Level features only: the trailing transforms (deviation, variability over 30 minutes) would keep the score
        // up long after the surge, and this test waits for it to fall. rate_window 1m: four backfill steps.
        HEADROOM.start("""
                prometheus: {url: '%s'}
                workloads: {source: libvirt, libvirt_uri: 'test://%s'}
                collection: {interval: 1s, step: 15s, lookback: 1h}
                features: {rate_window: 1m}
                detection: {training_window: 5h, min_training_rows: 200, retrain_every: 1h,
                            failure_query: 'max by (domain) (guest_failing)', failure_margin: 5m,
                            engineering: {transforms: [level]}}
                act: {mode: enforce}
                notify:
                  alertmanager: {urls: ['%s'], resend_interval: 2s, host: %s,
                                 dashboard_url: '%s{workload}'}
                  webhook: {enabled: true, bearer_token_file: '%s'}
                state_dir: %s
                """.formatted(prometheus.baseUrl(), node, alertmanager.baseUrl(), HOST, DASHBOARD,
                DIR.resolve("headroom-webhook-token"), Files.createDirectories(DIR.resolve("state"))), DIR);
    }

    @AfterAll
    static void stop() {
        HEADROOM.close();
        if (prometheus != null) {
            prometheus.close();
        }
        SINK.close();
        GUESTS.close();
        try (var files = Files.walk(DIR)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", DIR, e.toString());
        }
    }

    @Test
    void criticalAlertsReachThePagerOnceAndResolveAndFailureAlertsReachHeadroom() throws Exception {
        Instant t0 = Instant.now();

        // 1. Headroom's own alert: in Alertmanager, then at the pager within group_wait.
        JsonNode direct = Poll.until(Duration.ofMinutes(2), "HeadroomCriticalAnomaly for web-2 in Alertmanager",
                () -> amAlert("HeadroomCriticalAnomaly"), Optional::isPresent).orElseThrow();
        Instant inAlertmanager = Instant.now();
        Received paged = Poll.until(GROUP_WAIT.plus(MARGIN), "the direct alert at the pager",
                () -> SINK.alerts("/pager", "HeadroomCriticalAnomaly"), l -> !l.isEmpty()).get(0);
        LOG.info("direct alert: in Alertmanager {} s after the daemon started, at the pager {} ms later (group_wait {} s)",
                Duration.between(t0, inAlertmanager).toSeconds(),
                Duration.between(inAlertmanager, paged.received()).toMillis(), GROUP_WAIT.toSeconds());
        assertThat(direct.path("labels").toString()).isEqualTo(paged.alert().path("labels").toString());
        assertThat(paged.status()).isEqualTo("firing");
        assertThat(Http.JSON.convertValue(paged.alert().path("labels"), Map.class)).isEqualTo(Map.of(
                "alertname", "HeadroomCriticalAnomaly", "workload", WORKLOAD, "host", HOST, "severity", "critical",
                "tier", "critical"));
        double score = Double.parseDouble(paged.annotation("score"));
        assertThat(score).isGreaterThanOrEqualTo(91);
        assertThat(paged.annotation("summary")).isEqualTo(WORKLOAD + " is critical: anomaly score " + paged.annotation("score"));
        // The surge strains CPU and memory: both are among the top features, with their shares.
        assertThat(paged.annotation("top_features")).containsPattern("memory_usage_ratio \\d+%")
                .containsPattern("cpu_cores_used \\d+%");
        // The first post comes from the cycle that raised the guest, and already says what it did, as the gauges do.
        assertThat(paged.annotation("changes")).isNotEmpty().isEqualTo(changesShownByGauges());
        assertThat(paged.annotation("description")).contains("Headroom changed " + paged.annotation("changes") + ".");
        assertThat(paged.annotation("dashboard")).isEqualTo(DASHBOARD + WORKLOAD);

        // 2. The shipped rule fires in Prometheus, reaches Alertmanager, and is inhibited there by the direct alert.
        JsonNode rule = Poll.until(Duration.ofSeconds(150), "HeadroomWorkloadCritical firing in Prometheus",
                () -> promAlert("HeadroomWorkloadCritical"), a -> a.isPresent()
                        && a.get().path("state").asText().equals("firing")).orElseThrow();
        LOG.info("rule alert firing {} s after the daemon started", Duration.between(t0, Instant.now()).toSeconds());
        assertThat(rule.at("/labels/job").asText()).isEqualTo("headroom");
        assertThat(rule.at("/labels/instance").asText()).isEqualTo(HEADROOM.target());
        assertThat(rule.at("/labels/severity").asText()).isEqualTo("critical");
        assertThat(rule.at("/annotations/summary").asText()).matches(WORKLOAD + " is critically anomalous \\(score \\d+\\)");
        JsonNode inhibited = Poll.until(Duration.ofSeconds(30), "the rule's alert inhibited in Alertmanager",
                () -> amAlert("HeadroomWorkloadCritical"), a -> a.isPresent()
                        && a.get().at("/status/state").asText().equals("suppressed")).orElseThrow();
        assertThat(inhibited.at("/status/inhibitedBy").size()).isEqualTo(1);
        assertThat(SINK.alertsAnywhere("HeadroomWorkloadCritical")).as("one page per critical workload").isEmpty();

        // 3. A failure alert routed to Headroom's webhook becomes a failure signal.
        Instant failedAt = Instant.now();
        post(List.of(Map.of("labels", Map.of("alertname", "GuestOOM", "domain", GuestSimulator.CALM,
                        "severity", "warning", "headroom_failure", "true"),
                "annotations", Map.of("summary", "web-1 ran out of memory"), "startsAt", failedAt.toString())));
        Poll.until(GROUP_WAIT.plus(MARGIN), "the failure alert at Headroom's webhook",
                () -> HEADROOM.value("headroom_webhook_alerts_total", new String[] {"result"}, "new"), v -> v >= 1);
        assertThat(HEADROOM.value("headroom_webhook_requests_total", new String[] {"code"}, "401"))
                .as("Alertmanager sent the token from credentials_file").isZero();
        try (FailureLog journal = FailureLog.open(DIR.resolve("state").resolve(FailureLog.FILE_NAME))) {
            List<FailureInterval> failures = journal.between(failedAt.minusSeconds(1), Instant.now(), GuestSimulator.CALM);
            assertThat(failures).singleElement().satisfies(f -> {
                assertThat(f.alertname()).isEqualTo("GuestOOM");
                assertThat(f.open()).isTrue();
            });
        }
        Poll.until(GROUP_WAIT.plus(MARGIN), "the failure alert also at the chat (continue: true)",
                () -> SINK.alerts("/chat", "GuestOOM"), l -> !l.isEmpty());

        // 4. The surge ends; both alerts resolve.
        Instant calm = Instant.now();
        GUESTS.endSurge();
        Poll.until(Duration.ofMinutes(3), "HeadroomWorkloadCritical gone from Prometheus",
                () -> promAlert("HeadroomWorkloadCritical"), Optional::isEmpty);
        LOG.info("rule alert resolved {} s after the surge ended", Duration.between(calm, Instant.now()).toSeconds());
        Received resolved = Poll.until(Duration.ofMinutes(2), "the direct alert resolved at the pager",
                () -> SINK.alerts("/pager", "HeadroomCriticalAnomaly"),
                l -> l.stream().anyMatch(r -> r.status().equals("resolved"))).stream()
                .filter(r -> r.status().equals("resolved")).findFirst().orElseThrow();
        LOG.info("direct alert resolved at the pager {} s after the surge ended",
                Duration.between(calm, resolved.received()).toSeconds());
        assertThat(resolved.label("workload")).isEqualTo(WORKLOAD);
        assertThat(Instant.parse(resolved.alert().path("endsAt").asText())).isAfter(calm);
        assertThat(HEADROOM.value("headroom_anomaly_score", new String[] {"workload"}, WORKLOAD))
                .as("score once resolved").isLessThan(91);
        Poll.until(Duration.ofSeconds(30), "no HeadroomWorkloadCritical active in Alertmanager",
                () -> amAlert("HeadroomWorkloadCritical"), Optional::isEmpty);
    }

    /** "resource from -> to" for each resource of web-2 Headroom holds above its baseline, as its metrics show. */
    static String changesShownByGauges() {
        List<String> out = new java.util.ArrayList<>();
        // The test driver has no CPU quota, so only vCPUs and memory can have changed.
        for (Resource r : List.of(Resource.CPU, Resource.MEMORY)) {
            String[] names = r == Resource.CPU
                    ? new String[] {"headroom_workload_baseline_vcpus", "headroom_workload_vcpus"}
                    : new String[] {"headroom_workload_baseline_memory_bytes", "headroom_workload_memory_bytes"};
            long base = (long) HEADROOM.value(names[0], new String[] {"workload"}, WORKLOAD);
            long now = (long) HEADROOM.value(names[1], new String[] {"workload"}, WORKLOAD);
            if (base != now) {
                out.add(r.label() + " " + Allocation.format(r, base) + " -> " + Allocation.format(r, now));
            }
        }
        return String.join("; ", out);
    }

    /** The alert named so about web-2 that Alertmanager lists (active, suppressed or unprocessed), if any. */
    static Optional<JsonNode> amAlert(String alertname) throws Exception {
        Http.Answer a = Http.get(alertmanager.baseUrl() + "/api/v2/alerts",
                Map.of("filter", "alertname=\"" + alertname + "\""));
        assertThat(a.status()).as("Alertmanager alerts API: %s", a.body()).isEqualTo(200);
        for (JsonNode alert : a.json()) {
            if (alert.at("/labels/workload").asText().equals(WORKLOAD)) {
                return Optional.of(alert);
            }
        }
        return Optional.empty();
    }

    /** The pending or firing alert named so about web-2 in Prometheus, if any. */
    static Optional<JsonNode> promAlert(String alertname) throws Exception {
        Http.Answer a = Http.get(prometheus.baseUrl() + "/api/v1/alerts", Map.of());
        assertThat(a.status()).as("Prometheus alerts API: %s", a.body()).isEqualTo(200);
        for (JsonNode alert : a.json().at("/data/alerts")) {
            if (alert.at("/labels/alertname").asText().equals(alertname)
                    && alert.at("/labels/workload").asText().equals(WORKLOAD)) {
                return Optional.of(alert);
            }
        }
        return Optional.empty();
    }

    static void post(Object alerts) throws Exception {
        Http.Answer a = Http.post(alertmanager.baseUrl() + "/api/v2/alerts", alerts);
        assertThat(a.status()).as("POST /api/v2/alerts: %s", a.body()).isEqualTo(200);
    }
}
