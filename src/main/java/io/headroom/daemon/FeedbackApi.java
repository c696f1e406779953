package io.headroom.daemon;

import io.headroom.feedback.Adaptations;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/feedback/WORKLOAD/reset}: undoes what feedback learnt about a workload, as
 * {@code headroom feedback reset} asks the running daemon to (the daemon owns {@code feedback.json}; an edit of the
 * file behind its back would be overwritten). Guarded by the failure webhook's bearer token; without the webhook,
 * served on a loopback listener only.
 */
final class FeedbackApi {

    static final String PREFIX = "/api/v1/feedback/";
    static final String RESET = PREFIX + ":workload/reset";
    /** libvirt domain names: printable, no slash; bounded so that a request cannot make the log line huge. */
    private static final Pattern NAME = Pattern.compile("[^/\\p{Cntrl}]{1,256}");

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FeedbackApi.class);

    private final Adaptations store;
    private final Optional<Handler<RoutingContext>> authorize;
    private final boolean loopback;
    private final WorkerExecutor pool;

    /**
     * @param authorize the webhook's token check; empty when the webhook is off
     * @param loopback  the listener is on a loopback address (then no token is needed without the webhook)
     */
    FeedbackApi(Adaptations store, Optional<Handler<RoutingContext>> authorize, boolean loopback, WorkerExecutor pool) {
        this.store = store;
        this.authorize = authorize;
        this.loopback = loopback;
        this.pool = pool;
    }

    void mount(Router router) {
        router.post(RESET).handler(this::guard).handler(this::reset);
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

    private void reset(RoutingContext ctx) {
        String w = ctx.pathParam("workload");
        if (w == null || !NAME.matcher(w).matches()) {
            StatusApi.error(ctx, 400, "not a workload name: 1 to 256 characters, no '/' or control characters");
            return;
        }
        pool.executeBlocking(() -> store.reset(w), false).onComplete(ar -> {
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
