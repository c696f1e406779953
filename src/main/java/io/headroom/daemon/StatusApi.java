package io.headroom.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.config.ActConfig;
import io.headroom.http.Readiness;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The read-only status API under {@code /api/v1}: {@code GET /api/v1/workloads} and
 * {@code GET /api/v1/workloads/{name}}, JSON built by {@link WorkloadsJson} from the latest cycle's snapshot.
 *
 * <p>Every other path under {@code /api} answers JSON too: 405 with {@code Allow} for a known path and the wrong
 * method, 404 with the reason for an unknown one, 503 until the first cycle has finished. The snapshot is taken on
 * the event loop (a volatile read); turning it into JSON runs on the given worker pool, so a host with many
 * workloads cannot stall the event loop.
 *
 * <p>Mount it with {@link #mount(Router)} after any other {@code /api} routes (the failure webhook) and before the
 * server's catch-all.
 */
public final class StatusApi {

    public static final String WORKLOADS = "/api/v1/workloads";
    private static final Pattern ONE_WORKLOAD = Pattern.compile(Pattern.quote(WORKLOADS) + "/[^/]+");

    private final Supplier<Optional<Snapshot>> latest;
    private final Readiness readiness;
    private final ActConfig.Mode mode;
    private final Duration interval;
    private final WorkerExecutor pool;
    private final Map<String, String> others;

    /**
     * @param latest    the latest cycle's snapshot
     * @param readiness why there is none yet, for the 503
     * @param mode      the actuation mode, reported with every answer
     * @param interval  the cycle interval, sent as {@code Retry-After} with a 503
     * @param pool      where JSON is rendered
     * @param others    other API paths served by other handlers, with their allowed methods (e.g. the failure
     *                  webhook: {@code POST}), so that a wrong method there is a 405 rather than a 404
     */
    StatusApi(Supplier<Optional<Snapshot>> latest, Readiness readiness, ActConfig.Mode mode,
              Duration interval, WorkerExecutor pool, Map<String, String> others) {
        this.latest = latest;
        this.readiness = readiness;
        this.mode = mode;
        this.interval = interval;
        this.pool = pool;
        this.others = new TreeMap<>(others);
    }

    /** Adds the routes; see the class comment for the order. */
    void mount(Router router) {
        router.route(WORKLOADS).method(HttpMethod.GET).handler(ctx -> answer(ctx, s -> Optional.of(WorkloadsJson.list(s, mode))));
        router.route(WORKLOADS + "/:name").method(HttpMethod.GET).handler(ctx -> {
            String name = ctx.pathParam("name");
            answer(ctx, s -> WorkloadsJson.one(s, mode, name));
        });
        router.route("/api/*").handler(this::fallback);
    }

    private void answer(RoutingContext ctx, Function<Snapshot, Optional<ObjectNode>> render) {
        Optional<Snapshot> snap = latest.get();
        if (snap.isEmpty()) {
            ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, interval.toSeconds())));
            error(ctx, 503, "no cycle has finished yet: " + readiness.notReadyReason().orElse("starting"));
            return;
        }
        Snapshot s = snap.get();
        pool.executeBlocking(() -> render.apply(s).map(o -> o.toString() + "\n"), false).onComplete(ar -> {
            if (ar.failed()) {
                error(ctx, 500, "rendering the status failed: " + ar.cause());
            } else if (ar.result().isEmpty()) {
                error(ctx, 404, "no workload \"" + ctx.pathParam("name") + "\" in cycle " + s.cycle() + " at "
                        + s.takenAt() + "; GET " + WORKLOADS + " lists the workloads");
            } else {
                ctx.response().putHeader("Content-Type", "application/json").end(ar.result().get());
            }
        });
    }

    private void fallback(RoutingContext ctx) {
        String path = ctx.request().path();
        String allowed = path.equals(WORKLOADS) || ONE_WORKLOAD.matcher(path).matches() ? "GET" : others.get(path);
        if (allowed != null) {
            ctx.response().putHeader("Allow", allowed);
            error(ctx, 405, ctx.request().method() + " is not allowed on " + path + "; use " + allowed);
        } else {
            error(ctx, 404, "no API resource at " + path + "; try GET " + WORKLOADS);
        }
    }

    static void error(RoutingContext ctx, int status, String reason) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(WorkloadsJson.JSON.createObjectNode().put("error", reason).toString() + "\n");
    }
}
