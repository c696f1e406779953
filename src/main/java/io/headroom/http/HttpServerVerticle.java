package io.headroom.http;

import io.headroom.config.ServerConfig;
import io.headroom.config.WebConfig;
import io.headroom.metrics.Metrics;
import io.prometheus.client.exporter.common.TextFormat;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Serves {@code /metrics} (Prometheus text or OpenMetrics by content negotiation), {@code /-/healthy} and
 * {@code /-/ready}, over TLS and behind basic auth when {@code server.web_config_file} asks. Rendering the registry runs on a worker pool because some collectors (JVM, later libvirt
 * state) do blocking work.
 */
public final class HttpServerVerticle extends VerticleBase {

    private final ServerConfig config;
    private final Metrics metrics;
    private final Readiness readiness;
    private final WorkerExecutor pool;
    private final List<Consumer<Router>> mounts;
    private final Set<String> ownTokenPaths;
    private volatile int actualPort = -1;

    /**
     * @param mounts more routes, e.g. the failure webhook and the status API; mounted before the catch-all 404
     */
    public HttpServerVerticle(ServerConfig config, Metrics metrics, Readiness readiness, WorkerExecutor pool,
                              List<Consumer<Router>> mounts) {
        this(config, metrics, readiness, pool, mounts, Set.of());
    }

    /**
     * @param mounts        more routes, e.g. the failure webhook and the status API; mounted before the catch-all 404
     * @param ownTokenPaths paths that check a bearer token of their own, so basic auth leaves them to it
     */
    public HttpServerVerticle(ServerConfig config, Metrics metrics, Readiness readiness, WorkerExecutor pool,
                              List<Consumer<Router>> mounts, Set<String> ownTokenPaths) {
        this.config = config;
        this.metrics = metrics;
        this.readiness = readiness;
        this.pool = pool;
        this.mounts = List.copyOf(mounts);
        this.ownTokenPaths = Set.copyOf(ownTokenPaths);
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        WebConfig web = config.web();
        if (web.basicAuth()) {
            router.route().handler(new BasicAuth(web.basicAuthUsers(), ownTokenPaths, pool));
        }
        router.route("/metrics").method(HttpMethod.GET).handler(this::metrics);
        router.route("/-/healthy").method(HttpMethod.GET).handler(ctx -> text(ctx, 200, "Healthy.\n"));
        router.route("/-/ready").method(HttpMethod.GET).handler(this::ready);
        mounts.forEach(m -> m.accept(router));
        router.route().handler(ctx -> text(ctx, 404, "Not found: " + ctx.request().path()
                + " (try /metrics, /-/healthy, /-/ready, /api/v1/workloads)\n"));
        return vertx.createHttpServer(ListenerOptions.of(web))
                .requestHandler(router)
                .listen(config.port(), config.host())
                .recover(e -> Future.failedFuture(web.tls().isEmpty() ? e : new IllegalStateException(
                        "server.web_config_file: cannot serve TLS with cert_file " + web.tls().get().certFile()
                                + " and key_file " + web.tls().get().keyFile() + ": " + e.getMessage(), e)))
                .map(HttpServer::actualPort)
                .onSuccess(p -> actualPort = p);
    }

    /** The bound port (useful when configured as 0), or -1 before start. */
    public int actualPort() {
        return actualPort;
    }

    private void metrics(RoutingContext ctx) {
        String contentType = TextFormat.chooseContentType(ctx.request().getHeader("Accept"));
        List<String> names = ctx.queryParam("name[]");
        pool.executeBlocking(() -> {
            StringWriter w = new StringWriter(16 * 1024);
            TextFormat.writeFormat(contentType, w, names.isEmpty()
                    ? metrics.registry().metricFamilySamples()
                    : metrics.registry().filteredMetricFamilySamples(new HashSet<>(names)));
            return w.toString();
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().putHeader("Content-Type", contentType).end(ar.result());
            } else {
                text(ctx, 500, "rendering metrics failed: " + ar.cause() + "\n");
            }
        });
    }

    private void ready(RoutingContext ctx) {
        readiness.notReadyReason().ifPresentOrElse(
                reason -> text(ctx, 503, "Not ready: " + reason + "\n"),
                () -> text(ctx, 200, "Ready.\n"));
    }

    private static void text(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }

}
