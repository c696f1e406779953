package io.headroom.notify;

import io.headroom.config.WebhookConfig;
import io.headroom.metrics.Metrics;
import io.headroom.net.SecretFile;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alertmanager webhook receiver (format version 4) that records failure alerts routed to Headroom as
 * {@link FailureSignal}s in a {@link FailureLog}.
 *
 * <p>Answers: 200 with counts once the signals are durable; 400 with the reason for a body that is not the format
 * (Alertmanager does not retry 4xx, and sending the same body again could not help); 401 without the configured
 * bearer token (checked before the body is read); 413 over {@code max_body}; 500 when the log cannot be written,
 * so that Alertmanager retries. Parsing and the fsync run on the given worker pool, never the event loop.
 *
 * <p>Mount it with {@link #mount(Router)} before any catch-all route.
 */
public final class WebhookReceiver implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);

    private final WebhookConfig cfg;
    private final FailureLog log;
    private final WorkerExecutor pool;
    private final Metrics metrics;
    /** Replaced when a reload brings a new token ({@link #prepareToken}); read on the event loop. */
    private volatile Optional<byte[]> expectedAuthorization;

    /**
     * Reads the token file now, so that a missing or empty one stops the daemon at start.
     *
     * @param pool where parsing and the blocking journal write run
     */
    public WebhookReceiver(WebhookConfig cfg, FailureLog log, WorkerExecutor pool, Metrics metrics) {
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        this.log = Objects.requireNonNull(log, "log");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.expectedAuthorization = authorization(cfg);
    }

    private static Optional<byte[]> authorization(WebhookConfig cfg) {
        return cfg.bearerTokenFile().map(f -> ("Bearer " + SecretFile.read(f)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the token file of {@code next} now (so a missing or empty one throws here) and returns the swap that
     * makes callers need that token from then on. Only the token can change this way: the route is fixed.
     */
    public Runnable prepareToken(WebhookConfig next) {
        Optional<byte[]> token = authorization(next);
        return () -> expectedAuthorization = token;
    }

    /**
     * Adds {@code POST <path>} to {@code router}: the token check, then the bounded body, this handler and the 413
     * answer. Two routes, because Vert.x only lets a body handler come first on its route, and the token must be
     * checked before a stranger's body is read.
     */
    public void mount(Router router) {
        router.post(cfg.path()).handler(this::authorize);
        router.post(cfg.path())
                // No file uploads: BodyHandler would otherwise create an uploads directory in the working dir.
                .handler(BodyHandler.create(false).setBodyLimit(cfg.maxBodyBytes()))
                .handler(this)
                .failureHandler(this::failed);
    }

    @Override
    public void handle(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            answer(ctx, 400, "empty body; expected Alertmanager's webhook JSON (version \"4\")");
            return;
        }
        byte[] bytes = body.getBytes();
        pool.executeBlocking(() -> store(bytes), false).onComplete(ar -> {
            if (ar.succeeded()) {
                answerJson(ctx, ar.result());
            } else if (ar.cause() instanceof InvalidPayloadException e) {
                LOG.warn("webhook refused a notification from {}: {}", ctx.request().remoteAddress(), e.getMessage());
                answer(ctx, 400, "invalid webhook payload: " + e.getMessage());
            } else {
                LOG.error("webhook could not store failure signals; answering 500 so that Alertmanager retries",
                        ar.cause());
                answer(ctx, 500, "failure signals could not be stored: " + ar.cause().getMessage());
            }
        });
    }

    private JsonObject store(byte[] body) throws Exception {
        WebhookPayload.Parsed parsed = WebhookPayload.parse(body, cfg.workloadLabel());
        List<FailureLog.Outcome> outcomes = log.record(parsed.signals());
        JsonObject counts = new JsonObject().put("new", 0).put("resolved", 0).put("duplicate", 0)
                .put("ignored", parsed.ignored());
        for (FailureLog.Outcome o : outcomes) {
            String key = o.name().toLowerCase(java.util.Locale.ROOT);
            counts.put(key, counts.getInteger(key) + 1);
        }
        for (String result : counts.fieldNames()) {
            metrics.webhookAlerts.labels(result).inc(counts.getInteger(result));
        }
        if (counts.getInteger("new") + counts.getInteger("resolved") > 0) {
            LOG.info("failure signals recorded: {}", counts.encode());
        }
        return counts;
    }

    /**
     * Passes a request that carries the webhook's bearer token (or any, without a token file) on to the next handler;
     * answers 401 otherwise. Also guards the feedback API, whose changes need the same trust.
     */
    public void authorize(RoutingContext ctx) {
        Optional<byte[]> expected = expectedAuthorization; // one read: a reload may swap it meanwhile
        if (expected.isEmpty()) {
            ctx.next();
            return;
        }
        String given = ctx.request().getHeader("Authorization");
        byte[] normalized = given == null ? new byte[0] : normalize(given).getBytes(StandardCharsets.UTF_8);
        // Constant-time, so response timing does not reveal how much of a guess was right.
        if (MessageDigest.isEqual(normalized, expected.get())) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"headroom\"");
        answer(ctx, 401, given == null ? "missing bearer token (Authorization: Bearer ...)" : "wrong bearer token");
    }

    /** The scheme is case-insensitive (RFC 7235); the token is not. */
    private static String normalize(String header) {
        return header.regionMatches(true, 0, "Bearer ", 0, 7) ? "Bearer " + header.substring(7).strip() : header;
    }

    private void failed(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            answer(ctx, 413, "request body larger than " + cfg.maxBodyBytes() + " bytes (notify.webhook.max_body)");
            return;
        }
        LOG.error("webhook request failed", ctx.failure());
        answer(ctx, ctx.statusCode() >= 400 ? ctx.statusCode() : 500, "request failed");
    }

    private void answer(RoutingContext ctx, int status, String message) {
        metrics.webhookRequests.labels(Integer.toString(status)).inc();
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end(message + "\n");
        }
    }

    private void answerJson(RoutingContext ctx, JsonObject body) {
        metrics.webhookRequests.labels("200").inc();
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
