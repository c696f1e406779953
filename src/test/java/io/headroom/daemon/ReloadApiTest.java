package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.ConfigLoader;
import io.headroom.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /-/reload}: refused unless enabled; otherwise 200 for an applied file and 500 for a refused one. */
@ExtendWith(VertxExtension.class)
class ReloadApiTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static int serve(Vertx vertx, Optional<ConfigReloader> reloader) {
        WorkerExecutor pool = vertx.createSharedWorkerExecutor("reload-test", 1);
        Router router = Router.router(vertx);
        new ReloadApi(reloader, pool).mount(router);
        return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").map(HttpServer::actualPort)
                .await();
    }

    static HttpResponse<String> post(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + ReloadApi.PATH))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void disabledItAnswers403AndNamesTheSetting(Vertx vertx) throws Exception {
        HttpResponse<String> r = post(serve(vertx, Optional.empty()));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("server.enable_reload: true");
    }

    @Test
    void enabledItReloadsAndSaysWhetherTheFileWasTaken(Vertx vertx, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("h.yaml"), "state_dir: " + dir + "\n");
        Metrics metrics = Metrics.isolated();
        ConfigReloader reloader = new ConfigReloader(file, ConfigLoader.load(file), List.of(), metrics,
                Clock.systemUTC());
        int port = serve(vertx, Optional.of(reloader));

        HttpResponse<String> ok = post(port);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).startsWith("config reloaded from " + file);

        Files.writeString(file, "collection: {interval: 0s}\n");
        HttpResponse<String> refused = post(port);
        assertThat(refused.statusCode()).isEqualTo(500);
        assertThat(refused.body()).contains("collection.interval: must be a duration between 1s and 1h");
        assertThat(metrics.registry().getSampleValue("headroom_config_last_reload_successful")).isZero();
    }
}
