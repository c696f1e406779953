package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.cli.Main;
import io.headroom.config.FeedbackConfig;
import io.headroom.config.ServerConfig;
import io.headroom.config.WebhookConfig;
import io.headroom.feedback.Adaptations;
import io.headroom.feedback.Judgement;
import io.headroom.feedback.Outcome;
import io.headroom.feedback.Verdict;
import io.headroom.feedback.Verdicts;
import io.headroom.http.HttpServerVerticle;
import io.headroom.metrics.Metrics;
import io.headroom.notify.FailureLog;
import io.headroom.notify.WebhookReceiver;
import io.headroom.testing.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Undoing what feedback learnt: {@code POST /api/v1/feedback/WORKLOAD/reset} on the real HTTP verticle behind the
 * real webhook token check, {@code headroom feedback reset} through it, {@code headroom feedback list}, and the
 * reset a command makes itself when no daemon listens.
 */
@ExtendWith(VertxExtension.class)
class FeedbackApiTest {

    static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;
    Path state;
    Path token;
    Adaptations store;
    Verdicts verdicts;
    static final Instant NOW = T.plusSeconds(86_400);

    record Run(int exit, String out, String err) {}

    static Run headroom(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void learnt() throws Exception {
        state = dir.resolve("state");
        token = dir.resolve("token");
        Files.writeString(token, "s3cret\n");
        store = Adaptations.open(state);
        verdicts = Verdicts.open(state);
        FeedbackConfig cfg = FeedbackConfig.DEFAULT;
        for (int i = 0; i < 3; i++) {
            store.learn(List.of(new Judgement("web-1", Outcome.UNNECESSARY, T, T.plusSeconds(600), "peak within",
                    Optional.of("cpu_utilisation"))), cfg);
            store.learn(List.of(new Judgement("db-1", Outcome.NOT_RESOURCE, T, T.plusSeconds(600), "no pressure",
                    Optional.of("disk_read_bytes"))), cfg);
        }
    }

    Path config(int port) throws Exception {
        Path cfg = dir.resolve("headroom.yaml");
        Files.writeString(cfg, String.join("\n", "server: {listen: '127.0.0.1:" + port + "'}",
                "state_dir: " + state, "notify: {webhook: {bearer_token_file: " + token + "}}", ""));
        return cfg;
    }

    int serve(Vertx vertx) throws Exception {
        WorkerExecutor pool = vertx.createSharedWorkerExecutor("headroom-http-test", 1);
        WebhookReceiver webhook = new WebhookReceiver(new WebhookConfig(true, "/api/v1/alerts/webhook",
                Optional.of(token), 1 << 20, "domain"), FailureLog.open(dir.resolve("failures.jsonl")), pool,
                Metrics.isolated());
        FeedbackApi api = new FeedbackApi(store, verdicts, v -> v.workload().equals("acted-on"), FeedbackConfig.DEFAULT,
                java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC), Optional.of(webhook::authorize), true, pool);
        HttpServerVerticle http = new HttpServerVerticle(new ServerConfig("127.0.0.1", 0), Metrics.isolated(),
                Optional::empty, pool, List.<Consumer<Router>>of(api::mount));
        vertx.deployVerticle(http).await();
        return http.actualPort();
    }

    static HttpResponse<String> post(int port, String path, Optional<String> bearer) throws Exception {
        return post(port, path, bearer, null);
    }

    static HttpResponse<String> post(int port, String path, Optional<String> bearer, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).POST(json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        bearer.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void resetsThroughTheApiWithTheWebhookTokenOnly(Vertx vertx) throws Exception {
        int port = serve(vertx);
        assertThat(post(port, "/api/v1/feedback/web-1/reset", Optional.empty()).statusCode()).isEqualTo(401);
        assertThat(post(port, "/api/v1/feedback/web-1/reset", Optional.of("guess")).statusCode()).isEqualTo(401);
        assertThat(store.of("web-1").inForce()).as("nothing changed without the token").isTrue();

        HttpResponse<String> bad = post(port, "/api/v1/feedback/we%01b/reset", Optional.of("s3cret"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("not a workload name");
        HttpResponse<String> unknown = post(port, "/api/v1/feedback/nobody/reset", Optional.of("s3cret"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("learnt nothing about workload \\\"nobody\\\"");

        Run r = headroom("feedback", "reset", "web-1", "--config", config(port).toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("reset web-1 in the running daemon");
        assertThat(store.all()).containsOnlyKeys("db-1");
        assertThat(Adaptations.read(state)).as("persisted by the daemon").containsOnlyKeys("db-1");
    }

    @Test
    void listsWhatWasLearntAndResetsTheFileWhenNoDaemonListens() throws Exception {
        Path cfg = config(FreePorts.loopback());
        Run list = headroom("feedback", "list", "--config", cfg.toString());
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out().lines().toList()).hasSize(3);
        assertThat(list.out()).contains("db-1", "disk_read_bytes", "no more resources for disk_read_bytes anomalies")
                .contains("web-1", "+5", "medium floor 0 -> +5 after 3 unnecessary episodes in a row");

        Run reset = headroom("feedback", "reset", "db-1", "--config", cfg.toString());
        assertThat(reset.exit()).as(reset.err()).isZero();
        assertThat(reset.out()).contains("reset db-1 in " + state.resolve("feedback.json"), "no daemon listens");
        assertThat(Adaptations.read(state)).containsOnlyKeys("web-1");
        Run again = headroom("feedback", "reset", "db-1", "--config", cfg.toString());
        assertThat(again.exit()).isEqualTo(Main.EXIT_RUNTIME);
        assertThat(again.out()).contains("learnt nothing about db-1");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "not json | the body is not JSON",
            "[] | must be a JSON object",
            "{\"at\": \"2026-12-01T10:00:00Z\"} | missing verdict",
            "{\"verdict\": \"false_positive\"} | missing at",
            "{\"verdict\": \"maybe\", \"at\": \"2026-12-01T10:00:00Z\"} | unknown verdict \\\"maybe\\\"",
            "{\"verdict\": \"false_positive\", \"at\": \"yesterday\"} | is not an RFC 3339 time",
            "{\"verdict\": \"false_positive\", \"at\": \"2026-12-05T00:00:00Z\"} | is in the future",
            "{\"verdict\": \"true_positive\", \"at\": \"2026-12-01T10:00:00Z\", \"from\": \"2026-12-01T11:00:00Z\"} | is after at",
            "{\"verdict\": \"false_positive\", \"at\": \"2026-12-01T10:00:00Z\", \"from\": \"2026-12-01T09:00:00Z\"} | from is only for a true_positive",
            "{\"verdict\": \"false_positive\", \"at\": \"2026-12-01T10:00:00Z\", \"when\": 1} | unknown field \\\"when\\\"",
            "{\"verdict\": \"false_positive\", \"at\": 5} | at must be a string"})
    void aBadVerdictIsA400WithTheReasonAndRecordsNothing(String body, String reason, Vertx vertx) throws Exception {
        int port = serve(vertx);
        HttpResponse<String> r = post(port, "/api/v1/feedback/web-1/verdicts", Optional.of("s3cret"), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("bad verdict: ").contains(reason);
        assertThat(verdicts.all()).isEmpty();
        assertThat(Verdicts.read(state)).isEmpty();
    }

    @Test
    void verdictsNeedTheTokenAreKeptAndAdaptThePolicy(Vertx vertx) throws Exception {
        int port = serve(vertx);
        String fp = "{\"verdict\": \"false_positive\", \"at\": \"2026-12-01T10:00:00Z\", \"kind\": \"net_latency\","
                + " \"note\": \"nightly backup\"}";
        assertThat(post(port, "/api/v1/feedback/db-1/verdicts", Optional.empty(), fp).statusCode()).isEqualTo(401);
        assertThat(verdicts.all()).isEmpty();

        // db-1 has a floor shift of 0 and no unnecessary count yet: three false positives raise its floor.
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = post(port, "/api/v1/feedback/db-1/verdicts", Optional.of("s3cret"), fp);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(r.body()).contains("\"verdict\":\"false_positive\"", "\"note\":\"nightly backup\"");
        }
        assertThat(store.of("db-1").floorShift()).isEqualTo(5);
        assertThat(store.of("db-1").lastChange()).hasValueSatisfying(c -> assertThat(c)
                .contains("operator verdict false_positive at 2026-12-01T10:00:00Z: nightly backup"));

        // A true positive when Headroom held no change is a miss: the floor falls a step.
        HttpResponse<String> tp = post(port, "/api/v1/feedback/db-1/verdicts", Optional.of("s3cret"),
                "{\"verdict\": \"true_positive\", \"at\": \"2026-12-01T12:00:00Z\", \"from\": \"2026-12-01T11:00:00Z\"}");
        assertThat(tp.statusCode()).as(tp.body()).isEqualTo(201);
        assertThat(tp.body()).contains("medium floor +5 -> 0 after a missed failure");
        // One Headroom acted on confirms the policy: recorded, nothing learnt.
        HttpResponse<String> confirmed = post(port, "/api/v1/feedback/acted-on/verdicts", Optional.of("s3cret"),
                "{\"verdict\": \"true_positive\", \"at\": \"2026-12-01T12:00:00Z\"}");
        assertThat(confirmed.body()).contains("\"adaptation\":null");
        assertThat(store.all()).doesNotContainKey("acted-on");

        List<Verdict> kept = Verdicts.read(state);
        assertThat(kept).hasSize(5).extracting(v -> v.call().label())
                .containsExactly("false_positive", "false_positive", "false_positive", "true_positive", "true_positive");
        assertThat(kept.get(3).from()).hasValue(Instant.parse("2026-12-01T11:00:00Z"));
        assertThat(kept.get(0).recordedAt()).isEqualTo(NOW);
    }

    @Test
    void markGoesThroughTheDaemonOrIntoTheFilesWhenNoneListens(Vertx vertx) throws Exception {
        int port = serve(vertx);
        Run r = headroom("feedback", "mark", "web-1", "--at", "2026-12-01T10:00:00Z", "--verdict", "not_resource",
                "--kind", "disk_read_bytes", "--config", config(port).toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("recorded not_resource for web-1 at 2026-12-01T10:00:00Z in the running daemon");
        assertThat(store.of("web-1").futileStreaks()).containsEntry("disk_read_bytes", 1);

        Run bad = headroom("feedback", "mark", "web-1", "--at", "2026-12-01T10:00:00Z", "--verdict", "wrong",
                "--config", config(port).toString());
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("unknown verdict \"wrong\"");

        Path offline = config(FreePorts.loopback());
        Run file = headroom("feedback", "mark", "db-1", "--at", "2026-12-01T10:00:00Z", "--verdict", "true_positive",
                "--note", "disk full", "--config", offline.toString());
        assertThat(file.exit()).as(file.err()).isZero();
        assertThat(file.out()).contains("in " + state.resolve("verdicts.json"), "no daemon listens",
                "adaptation: medium floor 0 -> -5");
        Run list = headroom("feedback", "list", "--config", offline.toString());
        assertThat(list.out()).contains("verdicts (2, newest 20 shown):",
                "web-1  not_resource  at 2026-12-01T10:00:00Z  kind disk_read_bytes",
                "db-1  true_positive  at 2026-12-01T10:00:00Z  \"disk full\"");

        // Reset drops a workload's verdicts with what was learnt: training sees its history as if none were given.
        Run reset = headroom("feedback", "reset", "db-1", "--config", offline.toString());
        assertThat(reset.exit()).as(reset.err()).isZero();
        assertThat(Verdicts.read(state)).extracting(Verdict::workload).containsExactly("web-1");
        assertThat(Adaptations.read(state)).doesNotContainKey("db-1");
    }
}
