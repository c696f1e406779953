package io.headroom.daemon;

import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code POST /-/reload}: the same reload as SIGHUP, for where sending a signal is awkward. Answers 403 unless
 * {@code server.enable_reload} is set (like Prometheus' {@code --web.enable-lifecycle}), 200 with what was applied,
 * or 500 with why the file was refused (key paths and file names, never secrets). The reload reads files and may
 * close old clients, so it runs on the HTTP worker pool.
 */
final class ReloadApi {

    static final String PATH = "/-/reload";

    private final Optional<ConfigReloader> reloader;
    private final WorkerExecutor pool;

    /** @param reloader empty when reloading is off */
    ReloadApi(Optional<ConfigReloader> reloader, WorkerExecutor pool) {
        this.reloader = reloader;
        this.pool = pool;
    }

    void mount(Router router) {
        router.post(PATH).handler(this::reload);
    }

    private void reload(RoutingContext ctx) {
        if (reloader.isEmpty()) {
            text(ctx, 403, "Reloading over HTTP is not enabled: set server.enable_reload: true, or send SIGHUP.\n");
            return;
        }
        pool.executeBlocking(() -> reloader.get().reload(), false).onComplete(ar -> {
            if (ar.failed()) {
                text(ctx, 500, "reload failed: " + ar.cause() + "\n");
            } else {
                text(ctx, ar.result().ok() ? 200 : 500, ar.result().message() + "\n");
            }
        });
    }

    private static void text(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }
}
