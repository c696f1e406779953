package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.act.ActuationResult;
import io.headroom.act.WorkloadRecord;
import io.headroom.act.WorkloadReport;
import io.headroom.collect.FeatureMatrix;
import io.headroom.collect.StepGrid;
import io.headroom.config.ActConfig;
import io.headroom.config.ConfigLoader;
import io.headroom.config.ServerConfig;
import io.headroom.decide.Allocation;
import io.headroom.decide.Clamp;
import io.headroom.decide.Decision;
import io.headroom.decide.Resource;
import io.headroom.decide.Tier;
import io.headroom.decide.WorkloadState;
import io.headroom.detect.ModelTrainer;
import io.headroom.detect.Scorer;
import io.headroom.feedback.Judgement;
import io.headroom.feedback.Outcome;
import io.headroom.detect.WorkloadModel;
import io.headroom.http.HttpServerVerticle;
import io.headroom.metrics.Metrics;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /api/v1/workloads} on the real HTTP verticle, mounted as the daemon mounts it, from a hand-built cycle:
 * the JSON shape of every kind of workload (raised, left alone, opted out, without a model), and the answers for
 * unknown workloads, unknown paths, wrong methods and a daemon that has not finished a cycle.
 */
@ExtendWith(VertxExtension.class)
public class StatusApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final long MIB = 1L << 20;
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final Instant TRAINED = Instant.parse("2026-11-28T04:00:00Z");
    static final List<String> FEATURES = List.of("cpu_utilisation", "memory_usage_ratio", "disk_read_bytes");
    static final String WEBHOOK = "/api/v1/alerts/webhook";

    final AtomicReference<Snapshot> latest = new AtomicReference<>();
    int port;

    @BeforeEach
    void start(Vertx vertx) {
        StatusApi api = new StatusApi(() -> Optional.ofNullable(latest.get()),
                () -> Optional.of("no collection cycle has finished yet"), ActConfig.Mode.ENFORCE, Duration.ofSeconds(30),
                vertx.createSharedWorkerExecutor("headroom-http-test", 1), Map.of(WEBHOOK, "POST"));
        HttpServerVerticle http = new HttpServerVerticle(new ServerConfig("127.0.0.1", 0), Metrics.isolated(),
                Optional::empty, vertx.createSharedWorkerExecutor("headroom-http-test", 1), List.of(api::mount));
        vertx.deployVerticle(http).await();
        port = http.actualPort();
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    @Test
    void beforeTheFirstCycleItIs503WithTheReason() throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/workloads");
        assertThat(json(r, 503).get("error").asText())
                .isEqualTo("no cycle has finished yet: no collection cycle has finished yet");
        assertThat(r.headers().firstValue("Retry-After")).hasValue("30");
    }

    @Test
    void listsEveryWorkloadOfTheLastCycleByName() throws Exception {
        latest.set(cycle());
        JsonNode body = json(send("GET", "/api/v1/workloads"), 200);
        assertThat(body.get("cycle")).isEqualTo(JSON.readTree("{\"number\": 7, \"at\": \"2026-11-28T10:00:00Z\"}"));
        assertThat(body.get("mode").asText()).isEqualTo("enforce");
        assertThat(body.get("workloads").findValuesAsText("name")).containsExactly("legacy", "new-1", "web-1", "web-2");
    }

    @Test
    void aRaisedWorkloadShowsScoreAttributionModelDecisionAndChange() throws Exception {
        latest.set(cycle());
        JsonNode w = json(send("GET", "/api/v1/workloads/web-2"), 200).get("workload");
        // Spelled out once here, as the README documents it. "current" is what libvirt read back after the change
        // (the balloon still 1 MiB short), not what was asked for.
        assertThat(w).isEqualTo(JSON.readTree("""
                {
                  "name": "web-2",
                  "mode": "enforce",
                  "score": 97.5,
                  "tier": "critical",
                  "attribution": [
                    {"feature": "cpu_utilisation", "share": 0.7, "side": "above"},
                    {"feature": "memory_usage_ratio", "share": 0.3, "side": "above"}
                  ],
                  "model": {"scope": "workload:web-2", "type": "isolation-forest", "trained_at": "2026-11-28T04:00:00Z",
                            "training_rows": 200},
                  "baseline": {"vcpus": 2, "memory_bytes": 2147483648},
                  "current": {"vcpus": 3, "memory_bytes": 2791309312},
                  "last_decision": {
                    "at": "2026-11-28T10:00:00Z", "action": "raise", "tier": "critical", "score": 97.5,
                    "current": {"vcpus": 2, "memory_bytes": 2147483648},
                    "target": {"vcpus": 3, "memory_bytes": 2792357888},
                    "pressure": ["cpu", "memory"],
                    "reason": "score 97.5 critical; cpu 2 -> 3",
                    "clamps": [{"resource": "memory", "reason": "domain_max", "wanted": 3145728000, "got": 2792357888}]
                  },
                  "last_change": {
                    "at": "2026-11-28T10:00:00Z",
                    "from": {"vcpus": 2, "memory_bytes": 2147483648},
                    "to": {"vcpus": 3, "memory_bytes": 2792357888},
                    "result": "applied",
                    "results": [
                      {"resource": "cpu", "result": "applied", "requested": 3, "observed": 3, "detail": ""},
                      {"resource": "memory", "result": "applied", "requested": 2792357888, "observed": 2791309312,
                       "detail": "balloon on its way"}
                    ]
                  },
                  "episode": {"since": "2026-11-28T09:50:00Z"},
                  "last_outcome": null,
                  "adaptation": {"in_force": true, "medium_floor_shift": 5, "no_resources_for": ["disk_read_bytes"],
                                 "raises_held_within": {"cpu_cores_used": {"episodes": 3, "cpu_cores": 1.75,
                                                                           "memory_bytes": 1610612736}},
                                 "unnecessary_in_a_row": 1, "futile_in_a_row": {},
                                 "last_change": "medium floor 0 -> +5 after 3 unnecessary episodes in a row",
                                 "changed_at": "2026-11-27T10:00:00Z"},
                  "outcome": "decided",
                  "left_alone": false,
                  "opted_out": false,
                  "notes": []
                }
                """));
    }

    @Test
    void leftAloneOptedOutAndUnscoredWorkloadsSayWhy() throws Exception {
        latest.set(cycle());
        JsonNode list = json(send("GET", "/api/v1/workloads"), 200).get("workloads");

        JsonNode web1 = list.get(2);
        assertThat(web1.get("left_alone").asBoolean()).isTrue();
        assertThat(web1.get("outcome").asText()).isEqualTo("left_alone");
        assertThat(web1.get("notes").get(0).asText()).contains("by someone else");
        assertThat(web1.get("current")).isEqualTo(JSON.readTree("{\"vcpus\": 6, \"memory_bytes\": 2147483648}"));
        assertThat(web1.get("tier").asText()).as("the persisted tier, without a decision").isEqualTo("high");
        assertThat(web1.get("last_decision").isNull()).isTrue();
        assertThat(web1.get("last_change")).as("known from the persisted state only")
                .isEqualTo(JSON.readTree("{\"at\": \"2026-11-28T09:00:00Z\", \"from\": null, \"to\": null, \"result\": null,"
                        + " \"results\": []}"));
        assertThat(web1.get("attribution").findValuesAsText("feature")).as("top first")
                .containsExactly("disk_read_bytes", "cpu_utilisation", "memory_usage_ratio");
        assertThat(web1.get("attribution").get(0).get("side").isNull()).as("no side without data").isTrue();
        assertThat(web1.get("attribution").get(1).get("side").asText()).isEqualTo("below");
        assertThat(web1.get("episode").isNull()).isTrue();
        assertThat(web1.get("adaptation").isNull()).as("nothing learnt").isTrue();
        assertThat(web1.get("last_outcome")).isEqualTo(JSON.readTree("{\"outcome\": \"relieved\", \"from\":"
                + " \"2026-11-28T08:00:00Z\", \"to\": \"2026-11-28T09:00:00Z\", \"evidence\":"
                + " \"peak memory 2.50 GiB over the baseline 2.00 GiB\"}"));

        JsonNode legacy = list.get(0);
        assertThat(legacy.get("opted_out").asBoolean()).isTrue();
        assertThat(legacy.get("last_decision").get("action").asText()).isEqualTo("opted_out");
        assertThat(legacy.get("last_decision").get("clamps").findValuesAsText("reason")).containsExactly("opted_out");
        assertThat(legacy.get("last_change").isNull()).isTrue();

        JsonNode fresh = list.get(1);
        assertThat(fresh.get("score").isNull()).isTrue();
        assertThat(fresh.get("model").isNull()).isTrue();
        assertThat(fresh.get("attribution").isEmpty()).isTrue();
        assertThat(fresh.get("tier").asText()).isEqualTo("none");
        assertThat(fresh.get("last_decision").get("action").asText()).isEqualTo("no_model");
    }

    @Test
    void anUnknownWorkloadIs404WithTheReason() throws Exception {
        latest.set(cycle());
        assertThat(json(send("GET", "/api/v1/workloads/web-9"), 404).get("error").asText())
                .isEqualTo("no workload \"web-9\" in cycle 7 at 2026-11-28T10:00:00Z; GET /api/v1/workloads lists the workloads");
    }

    @Test
    void unknownApiPathsAre404AndWrongMethods405() throws Exception {
        latest.set(cycle());
        assertThat(json(send("GET", "/api/v2/workloads"), 404).get("error").asText())
                .isEqualTo("no API resource at /api/v2/workloads; try GET /api/v1/workloads");
        assertThat(json(send("GET", "/api/v1/workloads/web-2/history"), 404).get("error").asText())
                .contains("no API resource");

        HttpResponse<String> post = send("POST", "/api/v1/workloads");
        assertThat(json(post, 405).get("error").asText()).isEqualTo("POST is not allowed on /api/v1/workloads; use GET");
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(json(send("DELETE", "/api/v1/workloads/web-2"), 405).get("error").asText()).contains("use GET");
        HttpResponse<String> hook = send("GET", WEBHOOK);
        assertThat(json(hook, 405).get("error").asText()).contains("use POST");
        assertThat(hook.headers().firstValue("Allow")).hasValue("POST");

        HttpResponse<String> outside = send("GET", "/nope");
        assertThat(outside.statusCode()).isEqualTo(404);
        assertThat(outside.body()).as("outside /api the server's own text answer").contains("/api/v1/workloads");
    }

    /** Cycle 7: web-2 raised, web-1 left alone, legacy opted out, new-1 without a model. */
    public static Snapshot cycle() throws Exception {
        Allocation base = new Allocation(2, 2048 * MIB);
        Allocation raised = new Allocation(3, 2663 * MIB);
        List<String> names = List.of("legacy", "new-1", "web-1", "web-2");
        StepGrid grid = StepGrid.aligned(T0.minusSeconds(15), T0, Duration.ofSeconds(15));
        double[] values = new double[names.size() * grid.size() * FEATURES.size()];
        Arrays.fill(values, 0.5);
        FeatureMatrix matrix = new FeatureMatrix(names, FEATURES, grid, values);

        Map<String, Scorer.Result> scores = new TreeMap<>();
        scores.put("web-2", new Scorer.Result("web-2", Optional.of(model()), 97.5, new double[] {0.7, 0.3, 0},
                new double[] {1, 1, 0}));
        scores.put("web-1", new Scorer.Result("web-1", Optional.empty(), 40, new double[] {0.3, 0.1, 0.6},
                new double[] {-1, 1, 0}));
        scores.put("legacy", new Scorer.Result("legacy", Optional.empty(), 95, new double[] {1, 0, 0},
                new double[] {1, 0, 0}));
        scores.put("new-1", new Scorer.Result("new-1", Optional.empty(), Double.NaN, new double[0], new double[0]));

        Decision raise = new Decision("web-2", T0, OptionalDouble.of(97.5), Tier.CRITICAL, Decision.Action.RAISE, base,
                base, raised, Set.of(Resource.MEMORY, Resource.CPU), "score 97.5 critical; cpu 2 -> 3",
                List.of(new Clamp(Resource.MEMORY, 3000 * MIB, 2663 * MIB, Clamp.Reason.DOMAIN_MAX)));
        List<ActuationResult> applied = List.of(
                new ActuationResult("web-2", Resource.CPU, ActuationResult.Status.APPLIED, 3, OptionalLong.of(3), ""),
                new ActuationResult("web-2", Resource.MEMORY, ActuationResult.Status.APPLIED, 2663 * MIB,
                        OptionalLong.of(2662 * MIB), "balloon on its way"));
        Decision optedOut = new Decision("legacy", T0, OptionalDouble.of(95), Tier.CRITICAL, Decision.Action.OPTED_OUT,
                base, base, base, Set.of(Resource.CPU), "opted out by the domain's metadata",
                List.of(new Clamp(Resource.CPU, 3, 2, Clamp.Reason.OPTED_OUT)));
        Decision noModel = new Decision("new-1", T0, OptionalDouble.empty(), Tier.NONE, Decision.Action.NO_MODEL, base,
                base, base, Set.of(), "no model scores this workload yet; nothing changes", List.of());
        List<WorkloadReport> reports = List.of(
                new WorkloadReport("legacy", T0, WorkloadReport.Outcome.DECIDED, Optional.of(base), Optional.of(base),
                        Optional.of(optedOut), List.of(), Optional.empty(), List.of()),
                new WorkloadReport("new-1", T0, WorkloadReport.Outcome.DECIDED, Optional.of(base), Optional.of(base),
                        Optional.of(noModel), List.of(), Optional.empty(), List.of("new: first seen")),
                new WorkloadReport("web-1", T0, WorkloadReport.Outcome.LEFT_ALONE, Optional.of(base),
                        Optional.of(new Allocation(6, 2048 * MIB)), Optional.empty(), List.of(),
                        Optional.of(T0.minusSeconds(3600)), List.of("changed to 6 vCPUs, 2GiB by someone else")),
                new WorkloadReport("web-2", T0, WorkloadReport.Outcome.DECIDED, Optional.of(base), Optional.of(base),
                        Optional.of(raise), applied, Optional.of(T0), List.of()));

        TreeMap<String, WorkloadRecord> records = new TreeMap<>();
        for (String w : names) {
            WorkloadState policy = WorkloadState.initial();
            if (w.equals("web-1")) {
                policy = new WorkloadState(Tier.HIGH, WorkloadState.Streaks.NONE, Optional.of(T0.minusSeconds(3600)),
                        Optional.empty(), Optional.empty());
            }
            records.put(w, new WorkloadRecord(base, base, base.memoryBytes(), Optional.empty(), Optional.empty(), policy, T0));
        }
        // web-2's episode began with its raise ten minutes ago; web-1's last one ended, judged, an hour ago.
        Judgement judged = new Judgement("web-1", Outcome.RELIEVED, T0.minusSeconds(7200), T0.minusSeconds(3600),
                "peak memory 2.50 GiB over the baseline 2.00 GiB");
        return new Snapshot(T0, T0, 7, new TreeSet<>(names), matrix, Set.of(), scores, reports, records,
                LastChange.next(Map.of(), reports, records), Map.of("web-2", T0.minusSeconds(600)),
                new java.util.TreeMap<>(Map.of("web-1", judged)), new java.util.TreeMap<>(Map.of("web-2",
                        new io.headroom.feedback.Adaptation(5, 1, Map.of(), Set.of("disk_read_bytes"),
                                Map.of("cpu_cores_used", new io.headroom.feedback.Envelope(3, 1.75, 1.5 * (1L << 30), true),
                                        "net_latency", new io.headroom.feedback.Envelope(1, 0.5, Double.NaN, false)),
                                Optional.of("medium floor 0 -> +5 after 3 unnecessary episodes in a row"),
                                Optional.of(T0.minusSeconds(86_400))))));
    }

    /** A small real model, so that the model fields come from the class the daemon uses. */
    static WorkloadModel model() throws Exception {
        var cfg = ConfigLoader.parse("""
                detection: {min_training_rows: 50, engineering: {transforms: [level]}, forest: {trees: 5, sample_size: 32}}
                """, null).detection();
        int n = 200;
        double[] raw = new double[n * FEATURES.size()];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = rng.nextDouble();
        }
        boolean[] all = new boolean[n];
        Arrays.fill(all, true);
        return new ModelTrainer(cfg).train("workload:web-2", FEATURES, List.of(new ModelTrainer.History(raw, n, all)), 15,
                false, TRAINED);
    }
}
