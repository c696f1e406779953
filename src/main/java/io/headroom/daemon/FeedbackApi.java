package io.headroom.daemon;

import io.headroom.config.FeedbackConfig;
import io.headroom.feedback.Adaptations;
import io.headroom.feedback.Verdict;
import io.headroom.feedback.Verdicts;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Predicate;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/feedback/WORKLOAD/reset}: undoes what feedback learnt about a workload, as
 * {@code headroom feedback reset} asks the running daemon to (the daemon owns {@code feedback.json}; an edit of the
 * file behind its back would be overwritten). {@code POST /api/v1/feedback/WORKLOAD/verdicts} records an operator's
 * verdict ({@code headroom feedback mark}): a JSON object with {@code verdict}, {@code at} (RFC 3339) and optionally
 * {@code from}, {@code kind} and {@code note}; 201 with the verdict and the adaptation it made, 400 with the reason
 * for bad input. Guarded by the failure webhook's bearer token; without the webhook, served on a loopback listener
 * only.
 */
final class FeedbackApi {

    static final String PREFIX = "/api/v1/feedback/";
    static final String RESET = PREFIX + ":workload/reset";
    static final String VERDICTS = PREFIX + ":workload/verdicts";
    /** A verdict is a few fields and a note of at most {@link Verdict#MAX_NOTE} characters. */
    private static final int MAX_BODY = 16 * 1024;
    /** libvirt domain names: printable, no slash; bounded so that a request cannot make the log line huge. */
    private static final Pattern NAME = Pattern.compile("[^/\\p{Cntrl}]{1,256}");

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FeedbackApi.class);

    private final Adaptations store;
    private final Verdicts verdicts;
    private final Predicate<Verdict> acted;
    private final FeedbackConfig cfg;
    private final Clock clock;
    private final Optional<Handler<RoutingContext>> authorize;
    private final boolean loopback;
    private final WorkerExecutor pool;

    /**
     * @param authorize the webhook's token check; empty when the webhook is off
     * @param loopback  the listener is on a loopback address (then no token is needed without the webhook)
     */
    FeedbackApi(Adaptations store, Verdicts verdicts, Predicate<Verdict> acted, FeedbackConfig cfg, Clock clock,
                Optional<Handler<RoutingContext>> authorize, boolean loopback, WorkerExecutor pool) {
        this.store = store;
        this.verdicts = verdicts;
        this.acted = acted;
        this.cfg = cfg;
        this.clock = clock;
        this.authorize = authorize;
        this.loopback = loopback;
        this.pool = pool;
    }

    void mount(Router router) {
        router.post(RESET).handler(this::guard).handler(this::reset);
        // Vert.x wants a body handler first on its route: the token check is a route of its own before it, as the
        // webhook's is, so that a request without the token is refused before its body is read.
        router.post(VERDICTS).handler(this::guard);
        router.post(VERDICTS).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(this::mark);
    }

    private void guard(RoutingContext ctx) {
        if (authorize.isPresent()) {
            authorize.get().handle(ctx);
        } else if (loopback) {
            ctx.next();
        } else {
            StatusApi.error(ctx, 403, "feedback changes need a bearer token: enable notify.webhook with a "
                    + "bearer_token_file, whose token guards them too");
        }
    }

    /** The path's workload name, or a 400 answered and empty. */
    private static Optional<String> workload(RoutingContext ctx) {
        String w = ctx.pathParam("workload");
        if (w == null || !NAME.matcher(w).matches()) {
            StatusApi.error(ctx, 400, "not a workload name: 1 to 256 characters, no '/' or control characters");
            return Optional.empty();
        }
        return Optional.of(w);
    }

    private void mark(RoutingContext ctx) {
        Optional<String> workload = workload(ctx);
        if (workload.isEmpty()) {
            return;
        }
        Verdict v;
        try {
            v = parse(workload.get(), ctx.body().asString(), clock.instant());
        } catch (IllegalArgumentException e) {
            StatusApi.error(ctx, 400, "bad verdict: " + e.getMessage());
            return;
        }
        pool.executeBlocking(() -> verdicts.mark(v, acted.test(v), store, cfg), false).onComplete(ar -> {
            if (ar.failed()) {
                StatusApi.error(ctx, 500, "verdict not recorded: " + ar.cause().getMessage());
                return;
            }
            com.fasterxml.jackson.databind.node.ObjectNode out = WorkloadsJson.JSON.createObjectNode();
            out.set("verdict", Verdicts.encode(v));
            out.put("adaptation", ar.result().map(Adaptations.Change::what).orElse(null));
            ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(out + "\n");
        });
    }

    /** The request body as a verdict on {@code workload}; every problem named. */
    static Verdict parse(String workload, String body, Instant now) {
        com.fasterxml.jackson.databind.JsonNode n;
        try {
            n = WorkloadsJson.JSON.readTree(body == null ? "" : body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object with verdict and at");
        }
        for (java.util.Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!java.util.Set.of("verdict", "at", "from", "kind", "note").contains(k)) {
                throw new IllegalArgumentException("unknown field \"" + k + "\" (known: verdict, at, from, kind, note)");
            }
        }
        Verdict.Call call = Verdict.Call.parse(required(n, "verdict"));
        return new Verdict(workload, call, time(n, "at", required(n, "at")),
                optional(n, "from").map(t -> time(n, "from", t)), optional(n, "kind"),
                optional(n, "note").orElse(""), now);
    }

    private static String required(com.fasterxml.jackson.databind.JsonNode n, String key) {
        return optional(n, key).orElseThrow(() -> new IllegalArgumentException("missing " + key));
    }

    private static Optional<String> optional(com.fasterxml.jackson.databind.JsonNode n, String key) {
        com.fasterxml.jackson.databind.JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(key + " must be a string");
        }
        return Optional.of(v.asText());
    }

    private static Instant time(com.fasterxml.jackson.databind.JsonNode n, String key, String text) {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(key + " \"" + text + "\" is not an RFC 3339 time such as "
                    + "2026-12-01T10:00:00Z");
        }
    }

    private void reset(RoutingContext ctx) {
        Optional<String> workload = workload(ctx);
        if (workload.isEmpty()) {
            return;
        }
        String w = workload.get();
        // Both, not either: a workload may have verdicts and nothing learnt yet, or the other way round.
        pool.executeBlocking(() -> store.reset(w) | verdicts.forget(w), false).onComplete(ar -> {
            if (ar.failed()) {
                StatusApi.error(ctx, 500, "reset failed: " + ar.cause().getMessage());
            } else if (!ar.result()) {
                StatusApi.error(ctx, 404, "feedback has learnt nothing about workload \"" + w + "\"; nothing to reset");
            } else {
                LOG.info("feedback reset workload={} by={}", w, ctx.request().remoteAddress());
                ctx.response().putHeader("Content-Type", "application/json").end(WorkloadsJson.JSON.createObjectNode()
                        .put("workload", w).put("reset", true).toString() + "\n");
            }
        });
    }
}
