package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static HeadroomConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, null);
    }

    static List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigException.Problem::toString).toList();
        }
        throw new AssertionError("expected the config to be rejected:\n" + yaml);
    }

    @Nested
    class Document {
        @Test
        void emptyDocumentTakesAllDefaults() throws Exception {
            HeadroomConfig c = parse("");
            assertThat(c.prometheus().url()).hasToString("http://127.0.0.1:9090");
            assertThat(c.workloads().source()).isEqualTo(WorkloadsConfig.Source.LIBVIRT);
            assertThat(c.server().host()).isEqualTo("127.0.0.1");
            assertThat(c.server().port()).isEqualTo(9464);
            assertThat(c.features()).hasSize(8);
            assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/headroom"));
        }

        @Test
        void unknownTopLevelKeyIsAnError() {
            assertThat(problems("prometheus:\n  url: http://x:9090\npromethues: {}\n"))
                    .singleElement().asString().startsWith("promethues: unknown key");
        }

        @Test
        void invalidYamlNamesTheLine() {
            assertThat(problems("prometheus:\n  url: [unclosed\n")).singleElement().asString()
                    .contains("not valid YAML at line");
        }

        @Test
        void topLevelMustBeAMapping() {
            assertThat(problems("- a\n- b\n")).singleElement().asString()
                    .isEqualTo("<root>: must be a mapping of keys to values (got a list)");
        }

        @Test
        void reportsEveryProblemAtOnce() {
            assertThat(problems("""
                    prometheus:
                      timeout: soon
                    collection:
                      interval: 0s
                    server:
                      listen: nowhere
                    """)).containsExactly(
                    "prometheus.timeout: must be a duration such as 500ms, 30s, 5m, 1h or 7d (got \"soon\")",
                    "collection.interval: must be a duration between 1s and 1h (got \"0s\")",
                    "server.listen: must be host:port, e.g. 127.0.0.1:9464 or [::1]:9464, port 0-65535 (got \"nowhere\")");
        }

        @Test
        void missingFileIsReported(@TempDir Path dir) {
            assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
        }
    }

    @Nested
    class Prometheus {
        @Test
        void readsEveryKey(@TempDir Path dir) throws Exception {
            Files.writeString(dir.resolve("token"), "s3cret\n");
            Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
            HeadroomConfig c = ConfigLoader.parse("""
                    prometheus:
                      url: https://mimir.example:8080/prometheus
                      timeout: 5s
                      bearer_token_file: token
                      ca_file: ca.pem
                      headers: {X-Scope-OrgID: tenant-1}
                      max_points_per_query: 5000
                      retry: {max_attempts: 5, initial_backoff: 100ms, max_backoff: 2s}
                    """, dir);
            PrometheusConfig p = c.prometheus();
            assertThat(p.url()).hasToString("https://mimir.example:8080/prometheus");
            assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(p.bearerTokenFile()).contains(dir.resolve("token"));
            assertThat(p.caFile()).contains(dir.resolve("ca.pem"));
            assertThat(p.headers()).containsEntry("X-Scope-OrgID", "tenant-1");
            assertThat(p.maxPointsPerQuery()).isEqualTo(5000);
            assertThat(p.retry()).isEqualTo(new RetryConfig(5, Duration.ofMillis(100), Duration.ofSeconds(2)));
        }

        @Test
        void urlMustBeHttp() {
            assertThat(problems("prometheus: {url: 'ftp://x'}")).containsExactly(
                    "prometheus.url: must be an http:// or https:// URL with a host (got \"ftp://x\")");
        }

        @Test
        void credentialsInTheUrlAreRefusedWithoutEchoingThem() {
            assertThat(problems("prometheus: {url: 'https://admin:hunter2@prom.example:9090'}")).containsExactly(
                    "prometheus.url: must not contain credentials (got user info in \"prom.example\")");
        }

        @Test
        void aUrlThatDoesNotParseIsEchoedWithoutItsUserInfo() {
            assertThat(problems("prometheus: {url: 'http://admin:hunter2@prom example:9090'}")).singleElement()
                    .asString().startsWith("prometheus.url: must be an http:// or https:// URL")
                    .doesNotContain("hunter2");
        }

        @Test
        void tokenFileMustExist() {
            assertThat(problems("prometheus: {bearer_token_file: /nonexistent/token}")).singleElement().asString()
                    .startsWith("prometheus.bearer_token_file: must be a readable file (got \"/nonexistent/token\"");
        }

        @Test
        void basicAuthNeedsPasswordFile() {
            assertThat(problems("prometheus: {basic_auth: {username: bob}}")).containsExactly(
                    "prometheus.basic_auth.password_file: is required with basic_auth: a file holding the password (got nothing)");
        }

        @Test
        void authorizationHeaderIsRefusedSoSecretsStayInFiles() {
            assertThat(problems("prometheus: {headers: {Authorization: 'Bearer x'}}")).singleElement().asString()
                    .startsWith("prometheus.headers: must not set Authorization");
        }

        @Test
        void compressionIsGzipExceptOnLoopbackUnlessChosen() throws Exception {
            java.util.Map<String, Boolean> auto = new java.util.LinkedHashMap<>();
            auto.put("http://127.0.0.1:9090", false);
            auto.put("http://127.0.10.2:9090", false);
            auto.put("http://localhost:9090", false);
            auto.put("http://[::1]:9090", false);
            auto.put("http://prom.example:9090", true);
            auto.put("https://10.0.0.7/prometheus", true);
            auto.put("http://127.0.0.1.example:9090", true);
            for (var e : auto.entrySet()) {
                PrometheusConfig p = ConfigLoader.parse("prometheus: {url: '" + e.getKey() + "'}", null).prometheus();
                assertThat(p.compression()).isEqualTo(PrometheusConfig.Compression.AUTO);
                assertThat(p.gzip()).as(e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(ConfigLoader.parse("prometheus: {url: 'http://127.0.0.1:9090', compression: gzip}", null)
                    .prometheus().gzip()).isTrue();
            assertThat(ConfigLoader.parse("prometheus: {url: 'http://prom.example:9090', compression: none}", null)
                    .prometheus().gzip()).isFalse();
        }

        @Test
        void compressionMustBeKnownAndNotSetThroughHeaders() {
            assertThat(problems("prometheus: {compression: brotli}")).singleElement().asString()
                    .startsWith("prometheus.compression: must be one of auto, gzip, none");
            assertThat(problems("prometheus: {headers: {accept-encoding: gzip}}")).containsExactly(
                    "prometheus.headers: must not set Accept-Encoding; use prometheus.compression (auto, gzip or "
                            + "none) (got an Accept-Encoding header)");
        }

        @Test
        void maxPointsWithinApiLimit() {
            assertThat(problems("prometheus: {max_points_per_query: 20000}")).containsExactly(
                    "prometheus.max_points_per_query: must be a whole number between 2 and 11000 (got 20000)");
        }

        @Test
        void retryBackoffOrder() {
            assertThat(problems("prometheus: {retry: {initial_backoff: 5s, max_backoff: 1s}}")).containsExactly(
                    "prometheus.retry.max_backoff: must be at least initial_backoff 5s (got 1s)");
        }

        @Test
        void unknownNestedKey() {
            assertThat(problems("prometheus: {retry: {attempts: 3}}")).singleElement().asString()
                    .startsWith("prometheus.retry.attempts: unknown key");
        }

        @Test
        void backoffDoublesUpToTheCap() {
            RetryConfig r = new RetryConfig(5, Duration.ofMillis(100), Duration.ofMillis(350));
            assertThat(List.of(r.backoffBefore(2), r.backoffBefore(3), r.backoffBefore(4)))
                    .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(350));
        }
    }

    @Nested
    class Workloads {
        @Test
        void prometheusSourceWithFilters() throws Exception {
            WorkloadsConfig w = parse("""
                    workloads:
                      source: prometheus
                      label: vm
                      selector: 'up{job="guests"}'
                      include: 'web-.*'
                      exclude: 'web-canary'
                    features: {preset: none, custom: [{name: a, query: 'sum by (vm) (x)', pressure: cpu}]}
                    """).workloads();
            assertThat(w.source()).isEqualTo(WorkloadsConfig.Source.PROMETHEUS);
            assertThat(w.accepts("web-1")).isTrue();
            assertThat(w.accepts("web-canary")).isFalse();
            assertThat(w.accepts("db-1")).isFalse();
        }

        @Test
        void badSource() {
            assertThat(problems("workloads: {source: consul}")).containsExactly(
                    "workloads.source: must be one of libvirt, prometheus (got \"consul\")");
        }

        @Test
        void badRegex() {
            assertThat(problems("workloads: {include: 'web-(' }")).singleElement().asString()
                    .startsWith("workloads.include: must be a valid regular expression");
        }

        @Test
        void badLabel() {
            assertThat(problems("workloads: {label: 'my-label'}")).contains(
                    "workloads.label: must be a Prometheus label name [a-zA-Z_][a-zA-Z0-9_]* (got \"my-label\")");
        }
    }

    @Nested
    class Feedback {
        @Test
        void defaultsAndExploration() throws Exception {
            assertThat(parse("").feedback()).isEqualTo(FeedbackConfig.DEFAULT);
            assertThat(FeedbackConfig.DEFAULT.explore()).as("exploration off by default").isZero();
            assertThat(parse("feedback: {explore: 0.05, unnecessary_to_raise: 4}").feedback())
                    .isEqualTo(new FeedbackConfig(true, 5, 15, 10, 4, 3, 0.05));
        }

        @Test
        void boundsNameTheKey() {
            assertThat(problems("feedback: {explore: 0.9}")).singleElement().asString().startsWith("feedback.explore: ");
            assertThat(problems("feedback: {futile_to_stop: 0}")).singleElement().asString()
                    .startsWith("feedback.futile_to_stop: ");
            assertThat(problems("feedback: {floor: 3}")).singleElement().asString().startsWith("feedback.floor: ");
        }
    }

    @Nested
    class Collection {
        @Test
        void durations() throws Exception {
            CollectionConfig c = parse("collection: {interval: 1m, step: 15s, lookback: 1h30m}").collection();
            assertThat(c).isEqualTo(new CollectionConfig(Duration.ofMinutes(1), Duration.ofSeconds(15), Duration.ofMinutes(90)));
        }

        @Test
        void refetch() throws Exception {
            assertThat(parse("collection: {refetch: 0s}").collection().refetch()).isZero();
            assertThat(parse("collection: {step: 15s, refetch: 15s}").collection().refetch())
                    .isEqualTo(Duration.ofSeconds(15));
            assertThat(parse("{}").collection().refetch()).isEqualTo(Duration.ofMinutes(5));
            // unset with a step longer than the default: one step, not an error about a key nobody wrote
            assertThat(parse("collection: {step: 1h, interval: 1h}").collection().refetch())
                    .isEqualTo(Duration.ofHours(1));
            assertThat(problems("collection: {step: 1m, refetch: 30s}")).containsExactly(
                    "collection.refetch: must be 0s or at least collection.step 1m (got 30s)");
        }

        @Test
        void lookbackAtLeastStep() {
            assertThat(problems("collection: {step: 5m, lookback: 1m}")).containsExactly(
                    "collection.lookback: must be at least collection.step 5m (got 1m)");
        }

        @Test
        void stepWholeSeconds() {
            assertThat(problems("collection: {step: 1500ms}")).containsExactly(
                    "collection.step: must be a whole number of seconds (got 1s500ms)");
        }

        @Test
        void numberIsNotADuration() {
            assertThat(problems("collection: {interval: 30}")).containsExactly(
                    "collection.interval: must be a duration such as 500ms, 30s, 5m, 1h or 7d (got \"30\")");
        }
    }

    @Nested
    class Features {

        @org.junit.jupiter.params.ParameterizedTest
        @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "libvirt-exporter|''", "libvirt-exporter|'host=\"kvm-01\"'", "node-exporter|''",
            "node-exporter|'host=\"kvm-01\"'", "headroom-libvirt|'job=\"headroom\"'"})
        void presetQueriesCanBeNarrowedInTheirSelectorsCustomOnesNot(String preset, String matchers) throws Exception {
            HeadroomConfig cfg = parse("features: {preset: " + preset + ", matchers: '" + matchers.replace("'", "''")
                    + "', custom: [{name: extra, query: 'sum by (${label}) (x{${matchers}})', pressure: none}]}");
            for (FeatureSpec f : cfg.features()) {
                if (f.name().equals("extra")) {
                    assertThat(f.narrowable()).isEmpty();
                    continue;
                }
                String narrowable = f.narrowable().orElseThrow();
                // Without the workload matcher it is the query itself, and every selector has one.
                String sep = matchers.isEmpty() ? "" : ",";
                assertThat(narrowable.replace(sep + FeatureSpec.WORKLOADS, "")).isEqualTo(f.query());
                assertThat(narrowable.split(java.util.regex.Pattern.quote(FeatureSpec.WORKLOADS), -1).length - 1)
                        .as(narrowable).isEqualTo(f.query().split("\\{", -1).length - 1).isPositive();
            }
        }

        @Test
        void libvirtPresetExpandsPlaceholders() throws Exception {
            List<FeatureSpec> f = parse("features: {matchers: 'host=\"kvm1\"', rate_window: 5m}").features();
            assertThat(f).extracting(FeatureSpec::name).containsExactly("cpu_cores_used", "memory_usage_ratio",
                    "disk_read_bytes_rate", "disk_write_bytes_rate", "disk_latency_seconds", "net_rx_bytes_rate",
                    "net_tx_bytes_rate", "net_drops_rate");
            assertThat(f.get(0).query()).isEqualTo("max by (domain) (rate(libvirt_domain_info_cpu_time_seconds_total{host=\"kvm1\"}[5m]))");
            assertThat(f.get(0).pressure()).isEqualTo(FeatureSpec.Pressure.CPU);
            assertThat(f).allSatisfy(s -> assertThat(s.query()).doesNotContain("${"));
        }

        @Test
        void libvirtPresetsSayWhichFeaturesMeasureUse() throws Exception {
            for (String preset : List.of("libvirt-exporter", "headroom-libvirt")) {
                List<FeatureSpec> f = parse("features: {preset: " + preset + "}").features();
                assertThat(f).filteredOn(s -> s.usage() != FeatureSpec.Usage.NONE)
                        .extracting(FeatureSpec::name, FeatureSpec::usage)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("cpu_cores_used", FeatureSpec.Usage.CPU_CORES),
                                org.assertj.core.groups.Tuple.tuple("memory_usage_ratio",
                                        FeatureSpec.Usage.MEMORY_SHARE_OF_MAX));
            }
        }

        @Test
        void usageMustMatchThePressureAndBeOnePerResource() {
            assertThat(problems("""
                    features:
                      custom:
                        - {name: rss, query: 'sum by (domain) (rss)', pressure: cpu, usage: memory-bytes}
                    """)).containsExactly("features.custom[0].usage: measures memory use, so pressure must be memory "
                    + "(got pressure cpu)");
            assertThat(problems("""
                    features:
                      custom:
                        - {name: rss, query: 'sum by (domain) (rss)', pressure: memory, usage: memory-bytes}
                    """)).containsExactly("features.custom: may have one feature with a usage per resource: "
                    + "memory_usage_ratio and rss both measure memory use (disable one, or drop its usage key)");
            assertThat(problems("features: {custom: [{name: x, query: 'sum by (domain) (x)', pressure: cpu, usage: cores}]}"))
                    .containsExactly("features.custom[0].usage: must be one of none, cpu-cores, memory-bytes, "
                            + "memory-share-of-max (got \"cores\")");
        }

        @Test
        void nodeExporterPresetHasABelowFeature() throws Exception {
            List<FeatureSpec> f = parse("features: {preset: node-exporter}").features();
            assertThat(f).filteredOn(s -> s.name().equals("memory_available_ratio")).singleElement()
                    .extracting(FeatureSpec::direction).isEqualTo(FeatureSpec.Direction.BELOW);
        }

        @Test
        void disableAndCustom() throws Exception {
            List<FeatureSpec> f = parse("""
                    features:
                      disable: [net_drops_rate, disk_latency_seconds]
                      custom:
                        - name: request_latency_p99_seconds
                          query: histogram_quantile(0.99, sum by (domain, le) (rate(http_request_duration_seconds_bucket[5m])))
                          pressure: cpu
                          direction: above
                        - name: restarts
                          query: sum by (domain) (x_total)
                          kind: counter
                          pressure: none
                          direction: both
                    """).features();
            assertThat(f).hasSize(8);
            assertThat(f.get(6).name()).isEqualTo("request_latency_p99_seconds");
            assertThat(f.get(7).kind()).isEqualTo(FeatureSpec.Kind.COUNTER);
            assertThat(f.get(7).direction()).isEqualTo(FeatureSpec.Direction.BOTH);
        }

        @Test
        void customFeatureProblemsNameTheIndex() {
            assertThat(problems("""
                    features:
                      custom:
                        - name: Bad-Name
                          query: sum(x)
                          pressure: disk
                          colour: red
                    """)).containsExactly(
                    "features.custom[0].name: must match [a-z][a-z0-9_]{0,62} (got \"Bad-Name\")",
                    "features.custom[0].query: must return one series per workload, aggregated by the workload label,"
                            + " e.g. sum by (${label}) (...) (got a query that never mentions ${label} or domain)",
                    "features.custom[0].pressure: must be one of cpu, memory, io, network, none (got \"disk\")",
                    "features.custom[0].colour: unknown key (known keys here: direction, kind, name, pressure, query, usage)");
        }

        @Test
        void pressureIsRequired() {
            assertThat(problems("features: {custom: [{name: x, query: 'sum by (domain) (y)'}]}")).containsExactly(
                    "features.custom[0].pressure: is required: one of cpu, memory, io, network, none (got nothing)");
        }

        @Test
        void duplicateNames() {
            assertThat(problems("features: {custom: [{name: cpu_cores_used, query: 'sum by (domain) (y)', pressure: cpu}]}"))
                    .containsExactly("features.custom[0].name: must be unique among features (got \"cpu_cores_used\" twice)");
        }

        @Test
        void disableUnknown() {
            assertThat(problems("features: {disable: [cpu]}")).containsExactly(
                    "features.disable[0]: names no feature of preset libvirt-exporter (got \"cpu\")");
        }

        @Test
        void noFeaturesAtAll() {
            assertThat(problems("features: {preset: none}")).containsExactly(
                    "features: must define at least one feature: choose a preset or add custom features (got none)");
        }
    }

    @Nested
    class Server {
        @Test
        void ipv6() throws Exception {
            assertThat(parse("server: {listen: '[::1]:0'}").server()).isEqualTo(new ServerConfig("::1", 0));
        }

        @Test
        void reloadEndpointIsOffUnlessAsked() throws Exception {
            assertThat(parse("").server().enableReload()).isFalse();
            assertThat(parse("server: {enable_reload: true}").server())
                    .isEqualTo(new ServerConfig("127.0.0.1", 9464, true));
            assertThat(problems("server: {enable_reload: yes please}")).containsExactly(
                    "server.enable_reload: must be true or false (got \"yes please\")");
        }

        @Test
        void portRange() {
            assertThat(problems("server: {listen: '127.0.0.1:70000'}")).singleElement().asString()
                    .startsWith("server.listen: must be host:port");
        }
    }

    @Nested
    class StateLogs {
        @Test
        void defaults() throws Exception {
            StateLogsConfig l = parse("").stateLogs();
            assertThat(l.audit()).isEqualTo(new RotationConfig(64L << 20, 5));
            assertThat(l.failures()).isEqualTo(new RotationConfig(16L << 20, 5));
        }

        @Test
        void readsEveryKey() throws Exception {
            StateLogsConfig l = parse("state_logs: {audit: {max_size: 1GiB, keep: 10}, failures: {max_size: 2MiB,"
                    + " keep: 1}}").stateLogs();
            assertThat(l.audit()).isEqualTo(new RotationConfig(1L << 30, 10));
            assertThat(l.failures()).isEqualTo(new RotationConfig(2L << 20, 1));
        }

        @Test
        void rangesAreCheckedWithTheKeyPath() {
            assertThat(problems("state_logs: {audit: {max_size: 10KiB, keep: 0}, failures: {size: 1MiB}}"))
                    .containsExactly(
                            "state_logs.audit.max_size: must be a size between 1MiB and 64GiB such as 512MiB"
                                    + " (got \"10KiB\")",
                            "state_logs.audit.keep: must be a whole number between 1 and 100 (got 0)",
                            "state_logs.failures.size: unknown key (known keys here: keep, max_size)");
        }
    }

    @Nested
    class Sizes {
        @Test
        void parsesBinaryAndDecimalUnits() {
            assertThat(ByteSizes.parse("512MiB")).contains(512L << 20);
            assertThat(ByteSizes.parse("1.5GiB")).contains(3L << 29);
            assertThat(ByteSizes.parse("2GB")).contains(2_000_000_000L);
            assertThat(ByteSizes.parse("12 parsecs")).isEmpty();
            assertThat(ByteSizes.format(512L << 20)).isEqualTo("512MiB");
        }

        @Test
        void durationsRoundTrip() {
            assertThat(Durations.parse("1h30m")).contains(Duration.ofMinutes(90));
            assertThat(Durations.parse("7d")).contains(Duration.ofDays(7));
            assertThat(Durations.parse("1.5h")).isEmpty();
            assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        }
    }
}
