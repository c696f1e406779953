package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.collect.PrometheusClient;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.metrics.Metrics;
import io.headroom.notify.AdmissionGate;
import io.headroom.notify.AlertSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading a real config file into real parts: what is applied, what waits for a restart, what is refused. */
class ConfigReloaderTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final String SECRET = "tok-3f9a-super-secret";

    @TempDir
    Path dir;
    Path file;
    Path token;
    final Metrics metrics = Metrics.isolated();
    final List<String> commits = new ArrayList<>();
    PrometheusClient client;
    Notifications notifications;
    ConfigReloader reloader;

    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("headroom.yaml");
        token = Files.writeString(dir.resolve("prom-token"), SECRET + "\n");
        write("prometheus: {url: 'http://127.0.0.1:9', timeout: 5s, bearer_token_file: prom-token}");
        HeadroomConfig cfg = ConfigLoader.load(file);
        client = new PrometheusClient(cfg.prometheus(), metrics);
        notifications = new Notifications(AlertSink.none(), new AdmissionGate(cfg.notifications().admission(), metrics),
                List.of());
        Reloadable spy = next -> new Reloadable.Prepared() {
            @Override
            public List<String> changes() {
                return List.of();
            }

            @Override
            public void commit() {
                commits.add(String.valueOf(next.prometheus().timeout()));
            }

            @Override
            public void discard() {
                commits.add("discarded");
            }
        };
        reloader = new ConfigReloader(file, cfg, List.of(spy, new PrometheusReload(client, cfg),
                new NotifyReload(notifications, cfg, metrics)), metrics, Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        notifications.close();
    }

    void write(String yaml) throws Exception {
        Files.writeString(file, yaml + "\nstate_dir: " + dir.resolve("state") + "\n");
    }

    double metric(String name) {
        return metrics.registry().getSampleValue(name);
    }

    @Test
    void startCountsAsASuccessfulLoad() {
        assertThat(metric("headroom_config_last_reload_successful")).isEqualTo(1);
        assertThat(metric("headroom_config_last_reload_success_timestamp_seconds")).isEqualTo(T0.getEpochSecond());
        assertThat(metric("headroom_config_restart_required")).isZero();
    }

    @Test
    void anUnchangedFileAppliesNothing() {
        ConfigReloader.Result r = reloader.reload();
        assertThat(r.ok()).isTrue();
        assertThat(r.applied()).isEmpty();
        assertThat(r.message()).contains("applied: nothing changed");
    }

    @Test
    void prometheusAndAlertmanagerChangesAreAppliedLive() throws Exception {
        write("""
                prometheus: {url: 'http://127.0.0.1:9', timeout: 7s, bearer_token_file: prom-token}
                notify: {alertmanager: {urls: ['http://127.0.0.1:9']}}
                act: {forget_after: 2d}
                """);
        ConfigReloader.Result r = reloader.reload();
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(r.applied()).containsExactly("prometheus", "notify.alertmanager");
        assertThat(r.restartRequired()).as("the act section is read at start only").containsExactly("act");
        assertThat(commits).containsExactly("PT7S");
        assertThat(metric("headroom_config_restart_required")).isEqualTo(1);
    }

    @Test
    void aRotatedSecretFileIsReadAgainThoughTheConfigTextIsUnchanged() throws Exception {
        Files.writeString(token, "a-new-token\n");
        assertThat(reloader.reload().applied()).containsExactly("prometheus");
    }

    @Test
    void listenAddressAndStateDirChangesAreReportedAsNeedingARestart() throws Exception {
        Files.writeString(file, "prometheus: {url: 'http://127.0.0.1:9', timeout: 5s, bearer_token_file: prom-token}\n"
                + "server: {listen: '127.0.0.1:9999'}\nstate_dir: " + dir.resolve("elsewhere") + "\n");
        ConfigReloader.Result r = reloader.reload();
        assertThat(r.ok()).isTrue();
        assertThat(r.restartRequired()).containsExactly("server", "state_dir");
        assertThat(r.message()).contains("changed but needing a restart: server, state_dir");
        assertThat(metric("headroom_config_restart_required")).isEqualTo(1);
    }

    @Test
    void aWebhookPathChangeNeedsARestartButItsTokenFileDoesNot() throws Exception {
        Files.writeString(dir.resolve("hook-token"), "h\n");
        write("""
                prometheus: {url: 'http://127.0.0.1:9', timeout: 5s, bearer_token_file: prom-token}
                notify: {webhook: {bearer_token_file: hook-token}}
                """);
        assertThat(reloader.reload().restartRequired()).isEmpty();
        write("""
                prometheus: {url: 'http://127.0.0.1:9', timeout: 5s, bearer_token_file: prom-token}
                notify: {webhook: {path: /hooks/failures}}
                """);
        assertThat(reloader.reload().restartRequired()).containsExactly("notify.webhook");
    }

    @Test
    void anInvalidFileIsRefusedNamingTheKeyAndNothingChanges() throws Exception {
        write("prometheus: {url: 'http://127.0.0.1:9', timeout: 0s}");
        ConfigReloader.Result r = reloader.reload();
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).contains("prometheus.timeout: must be a duration between 100ms and 10m");
        assertThat(commits).isEmpty();
        assertThat(metric("headroom_config_last_reload_successful")).isZero();
        assertThat(metric("headroom_config_last_reload_success_timestamp_seconds")).isEqualTo(T0.getEpochSecond());
    }

    @Test
    void anEmptySecretFileIsRefusedWithoutTouchingAnyPartAndWithoutTheSecret() throws Exception {
        write("prometheus: {url: 'http://127.0.0.1:9', timeout: 7s, bearer_token_file: prom-token}");
        Files.writeString(token, "\n");
        ConfigReloader.Result r = reloader.reload();
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).contains("secret file " + token + " is empty").doesNotContain(SECRET);
        assertThat(commits).as("the spy was prepared, then discarded, never committed").containsExactly("discarded");
        assertThat(metric("headroom_config_last_reload_successful")).isZero();
    }

    @Test
    void aGoodReloadAfterARefusedOneSucceedsAgain() throws Exception {
        write("prometheus: {timeout: nonsense}");
        assertThat(reloader.reload().ok()).isFalse();
        write("prometheus: {url: 'http://127.0.0.1:9', timeout: 5s, bearer_token_file: prom-token}");
        assertThat(reloader.reload().ok()).isTrue();
        assertThat(metric("headroom_config_last_reload_successful")).isEqualTo(1);
    }
}
