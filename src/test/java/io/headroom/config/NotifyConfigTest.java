package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code notify} section: one nested class per subsection, YAML inline. */
class NotifyConfigTest {

    static NotifyConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, null).notifications();
    }

    static NotifyConfig parse(String yaml, Path baseDir) throws ConfigException {
        return ConfigLoader.parse(yaml, baseDir).notifications();
    }

    static List<String> problems(String yaml) {
        return ConfigLoaderTest.problems(yaml);
    }

    @Nested
    class Section {
        @Test
        void absentSectionIsAllDefaultsAndEverythingOff() throws Exception {
            NotifyConfig n = parse("");
            assertThat(n.alertmanager().enabled()).isFalse();
            assertThat(n.webhook().enabled()).isFalse();
            assertThat(n.admission().enabled()).isFalse();
        }

        @Test
        void unknownSubsectionIsAnError() {
            assertThat(problems("notify:\n  alertmanger: {}\n")).singleElement().asString()
                    .startsWith("notify.alertmanger: unknown key (known keys here: admission, alertmanager, webhook)");
        }

        @Test
        void mustBeAMapping() {
            assertThat(problems("notify: [1]\n")).contains("notify: must be a mapping of keys to values (got a list)");
        }
    }

    @Nested
    class Alertmanager {
        @Test
        void defaults() throws Exception {
            AlertmanagerConfig a = parse("").alertmanager();
            assertThat(a.urls()).isEmpty();
            assertThat(a.resendInterval()).isEqualTo(Duration.ofMinutes(1));
            assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(a.queueSize()).isEqualTo(10_000);
            assertThat(a.host()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
            assertThat(a.dashboardUrl()).isEmpty();
            assertThat(a.retry()).isEqualTo(new BackoffConfig(Duration.ofSeconds(1), Duration.ofMinutes(1)));
            assertThat(a.bearerTokenFile()).isEmpty();
            assertThat(a.caFile()).isEmpty();
        }

        @Test
        void tokenAndCaFilesResolveAgainstTheConfigDir(@TempDir Path dir) throws Exception {
            Files.writeString(dir.resolve("am-token"), "t");
            Files.writeString(dir.resolve("am-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
            AlertmanagerConfig a = parse("""
                    notify:
                      alertmanager: {urls: [https://am:9093], bearer_token_file: am-token, ca_file: am-ca.pem}
                    """, dir).alertmanager();
            assertThat(a.bearerTokenFile()).contains(dir.resolve("am-token"));
            assertThat(a.caFile()).contains(dir.resolve("am-ca.pem"));
        }

        @Test
        void missingTokenAndCaFilesAreReportedWithTheirKeys() {
            assertThat(problems("""
                    notify:
                      alertmanager: {bearer_token_file: /nonexistent/t, ca_file: /nonexistent/ca.pem}
                    """)).satisfiesExactly(
                    p -> assertThat(p).startsWith("notify.alertmanager.bearer_token_file: must be a readable file"),
                    p -> assertThat(p).startsWith("notify.alertmanager.ca_file: must be a readable file"));
        }

        @Test
        void haPairAndEveryKeySet() throws Exception {
            AlertmanagerConfig a = parse("""
                    notify:
                      alertmanager:
                        urls: [http://am-1:9093, "https://am-2.example/alertmanager/"]
                        resend_interval: 30s
                        timeout: 2s
                        queue_size: 5
                        host: kvm-07
                        dashboard_url: https://grafana.example/d/w?var-workload={workload}&host={host}
                        retry: {initial_backoff: 100ms, max_backoff: 5s}
                    """).alertmanager();
            assertThat(a.urls()).containsExactly(URI.create("http://am-1:9093"),
                    URI.create("https://am-2.example/alertmanager/"));
            assertThat(a.enabled()).isTrue();
            assertThat(a.resendInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(a.queueSize()).isEqualTo(5);
            assertThat(a.host()).isEqualTo("kvm-07");
            assertThat(a.dashboardUrl().orElseThrow().expand(Map.of("workload", "web 1/a", "host", "kvm-07")))
                    .isEqualTo("https://grafana.example/d/w?var-workload=web%201%2Fa&host=kvm-07");
            assertThat(a.retry()).isEqualTo(new BackoffConfig(Duration.ofMillis(100), Duration.ofSeconds(5)));
        }

        @Test
        void badUrlsAreReportedWithTheirIndex() {
            assertThat(problems("""
                    notify:
                      alertmanager:
                        urls: [ftp://am:21, "http://admin:secret@am:9093", http://am:9093, http://am:9093]
                    """)).containsExactly(
                    "notify.alertmanager.urls[0]: must be an http:// or https:// URL with a host (got \"ftp://am:21\")",
                    "notify.alertmanager.urls[1]: must not contain credentials (got user info in \"am\")",
                    "notify.alertmanager.urls[3]: is listed twice (got \"http://am:9093\")");
        }

        @Test
        void credentialsAreNeverEchoedInTheMessage() {
            assertThat(problems("notify:\n  alertmanager:\n    urls: [\"http://admin:secret@am:9093\"]\n"))
                    .singleElement().asString().doesNotContain("secret");
        }

        @Test
        void rangesAreChecked() {
            assertThat(problems("""
                    notify:
                      alertmanager:
                        resend_interval: 2h
                        queue_size: 0
                        retry: {initial_backoff: 10s, max_backoff: 1s}
                    """)).containsExactly(
                    "notify.alertmanager.resend_interval: must be a duration between 1s and 1h (got \"2h\")",
                    "notify.alertmanager.queue_size: must be a whole number between 1 and 1000000 (got 0)",
                    "notify.alertmanager.retry.max_backoff: must be at least initial_backoff 10s (got 1s)");
        }

        @Test
        void dashboardTemplateKnowsOnlyItsPlaceholders() {
            assertThat(problems("notify:\n  alertmanager:\n    dashboard_url: https://g/d?w={domain}\n"))
                    .containsExactly("notify.alertmanager.dashboard_url: must use only the placeholders {alertname},"
                            + " {host}, {workload} (got \"https://g/d?w={domain}\")");
            assertThat(problems("notify:\n  alertmanager:\n    dashboard_url: grafana/{workload}\n"))
                    .containsExactly("notify.alertmanager.dashboard_url: must be an http:// or https:// URL with a"
                            + " host, placeholders filled in (got \"grafana/{workload}\")");
        }

        @Test
        void unknownKeyIsAnError() {
            assertThat(problems("notify:\n  alertmanager:\n    url: http://am:9093\n")).singleElement().asString()
                    .startsWith("notify.alertmanager.url: unknown key (known keys here: bearer_token_file, ca_file,"
                            + " dashboard_url, host, queue_size, resend_interval, retry, timeout, urls)");
        }
    }

    @Nested
    class Webhook {
        @Test
        void defaults() throws Exception {
            WebhookConfig w = parse("").webhook();
            assertThat(w).isEqualTo(new WebhookConfig(false, "/api/v1/alerts/webhook", java.util.Optional.empty(),
                    1L << 20, "domain"));
        }

        @Test
        void enabledOnLoopbackNeedsNoToken() throws Exception {
            for (String listen : List.of("127.0.0.1:9464", "[::1]:9464", "localhost:9464", "127.0.0.2:0")) {
                assertThat(parse("server: {listen: \"" + listen + "\"}\nnotify:\n  webhook: {enabled: true}\n")
                        .webhook().enabled()).as(listen).isTrue();
            }
        }

        @Test
        void enabledOnANonLoopbackAddressRequiresAToken() {
            for (String listen : List.of("0.0.0.0:9464", "[::]:9464", "10.0.0.5:9464", "kvm-01.example:9464")) {
                String host = listen.substring(0, listen.lastIndexOf(':')).replace("[", "").replace("]", "");
                assertThat(problems("server: {listen: \"" + listen + "\"}\nnotify:\n  webhook: {enabled: true}\n"))
                        .as(listen).containsExactly("notify.webhook.bearer_token_file: is required when the webhook"
                                + " is enabled and server.listen is not a loopback address (got nothing, with"
                                + " server.listen host \"" + host + "\")");
            }
        }

        @Test
        void disabledOnANonLoopbackAddressNeedsNoToken() throws Exception {
            assertThat(parse("server: {listen: \"0.0.0.0:9464\"}\n").webhook().enabled()).isFalse();
        }

        @Test
        void tokenFileMakesANonLoopbackListenerValid(@TempDir Path dir) throws Exception {
            Files.writeString(dir.resolve("token"), "s3cret\n");
            WebhookConfig w = parse("""
                    server: {listen: "0.0.0.0:9464"}
                    notify:
                      webhook:
                        enabled: true
                        path: /hooks/failures
                        bearer_token_file: token
                        max_body: 64KiB
                        workload_label: instance_name
                    """, dir).webhook();
            assertThat(w).isEqualTo(new WebhookConfig(true, "/hooks/failures",
                    java.util.Optional.of(dir.resolve("token")), 64 << 10, "instance_name"));
        }

        @Test
        void missingTokenFileIsReported(@TempDir Path dir) {
            assertThat(problems("notify:\n  webhook:\n    bearer_token_file: " + dir.resolve("nope") + "\n"))
                    .singleElement().asString().startsWith("notify.webhook.bearer_token_file: must be a readable file");
        }

        @Test
        void pathLabelAndBodyLimitAreChecked() {
            assertThat(problems("""
                    notify:
                      webhook:
                        path: api/hook
                        max_body: 100MiB
                        workload_label: "my-label"
                    """)).containsExactly(
                    "notify.webhook.path: must be an absolute URL path of letters, digits and . _ ~ - segments,"
                            + " e.g. /api/v1/alerts/webhook (got \"api/hook\")",
                    "notify.webhook.max_body: must be a size between 1KiB and 64MiB such as 512MiB (got \"100MiB\")",
                    "notify.webhook.workload_label: must be a Prometheus label name [a-zA-Z_][a-zA-Z0-9_]*"
                            + " (got \"my-label\")");
        }

        @Test
        void pathCannotShadowTheServersOwnEndpoints() {
            assertThat(problems("notify:\n  webhook:\n    path: /metrics\n"))
                    .containsExactly("notify.webhook.path: must not take over /metrics or /-/ (got \"/metrics\")");
            assertThat(problems("notify:\n  webhook:\n    path: /-/ready\n"))
                    .containsExactly("notify.webhook.path: must not take over /metrics or /-/ (got \"/-/ready\")");
        }
    }

    @Nested
    class Admission {
        @Test
        void defaults() throws Exception {
            AdmissionConfig a = parse("").admission();
            assertThat(a.enabled()).isFalse();
            assertThat(a.hookUrl()).isEmpty();
            assertThat(a.method()).isEqualTo(AdmissionConfig.Method.POST);
            assertThat(a.maxPause()).isEqualTo(Duration.ofMinutes(10));
            assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(a.retry()).isEqualTo(new BackoffConfig(Duration.ofSeconds(1), Duration.ofSeconds(30)));
            assertThat(a.caFile()).isEmpty();
        }

        @Test
        void caFileMustBeReadable() {
            assertThat(problems("notify:\n  admission: {ca_file: /nonexistent/ca.pem}\n")).singleElement().asString()
                    .startsWith("notify.admission.ca_file: must be a readable file (got \"/nonexistent/ca.pem\"");
        }

        @Test
        void enabledRequiresAHook() {
            assertThat(problems("notify:\n  admission: {enabled: true}\n"))
                    .containsExactly("notify.admission.hook_url: is required when admission.enabled is true (got nothing)");
        }

        @Test
        void everyKeySet(@TempDir Path dir) throws Exception {
            Files.writeString(dir.resolve("lb-token"), "t");
            Files.writeString(dir.resolve("lb-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
            AdmissionConfig a = parse("""
                    notify:
                      admission:
                        enabled: true
                        hook_url: https://lb.example/backends/{workload}/{action}
                        method: put
                        bearer_token_file: lb-token
                        ca_file: lb-ca.pem
                        max_pause: 90s
                        timeout: 1s
                        retry: {initial_backoff: 50ms, max_backoff: 2s}
                    """, dir).admission();
            assertThat(a.hookUrl().orElseThrow().expand(Map.of("workload", "db-1", "action", "pause")))
                    .isEqualTo("https://lb.example/backends/db-1/pause");
            assertThat(a.method()).isEqualTo(AdmissionConfig.Method.PUT);
            assertThat(a.bearerTokenFile()).contains(dir.resolve("lb-token"));
            assertThat(a.caFile()).contains(dir.resolve("lb-ca.pem"));
            assertThat(a.maxPause()).isEqualTo(Duration.ofSeconds(90));
            assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(a.retry()).isEqualTo(new BackoffConfig(Duration.ofMillis(50), Duration.ofSeconds(2)));
        }

        @Test
        void badValuesAreReported() {
            assertThat(problems("""
                    notify:
                      admission:
                        enabled: true
                        hook_url: https://lb/{backend}
                        method: PATCH
                        max_pause: 0s
                    """)).containsExactly(
                    "notify.admission.hook_url: must use only the placeholders {action}, {workload}"
                            + " (got \"https://lb/{backend}\")",
                    "notify.admission.method: must be one of post, put, get, delete (got \"PATCH\")",
                    "notify.admission.max_pause: must be a duration between 1s and 1d (got \"0s\")");
        }
    }
}
