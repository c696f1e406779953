package io.headroom.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One small reader per config record. Each reads its keys with their defaults and ranges, then rejects
 * the keys it did not read. Defaults here are the documented defaults of {@code daemon/headroom.yaml}.
 */
final class Sections {

    static final String DEFAULT_PROMETHEUS_URL = "http://127.0.0.1:9090";
    static final String DEFAULT_STATE_DIR = "/var/lib/headroom";
    static final String DEFAULT_LISTEN = "127.0.0.1:9464";
    private static final Duration MAX = Duration.ofDays(3650);

    private Sections() {}

    static HeadroomConfig headroom(ConfigNode root) {
        PrometheusConfig prometheus = prometheus(root.child("prometheus"));
        WorkloadsConfig workloads = workloads(root.child("workloads"));
        CollectionConfig collection = collection(root.child("collection"));
        var features = FeatureSection.read(root.child("features"), workloads.label());
        ServerConfig server = server(root.child("server"));
        Path stateDir = root.child("state_dir").directory(DEFAULT_STATE_DIR);
        DetectionConfig detection = DetectionSection.read(root.child("detection"), features);
        DecideConfig decide = PolicySection.decide(root.child("decide"));
        ActConfig act = PolicySection.act(root.child("act"), collection.interval());
        NotifyConfig notifications = NotifySection.read(root.child("notify"), server);
        StateLogsConfig stateLogs = stateLogs(root.child("state_logs"));
        FeedbackConfig feedback = feedback(root.child("feedback"), decide);
        root.rejectUnknownKeys();
        return new HeadroomConfig(prometheus, workloads, collection, features, server, stateDir, detection, decide,
                act, notifications, stateLogs, feedback);
    }

    static FeedbackConfig feedback(ConfigNode n, DecideConfig decide) {
        n.expectMapping();
        FeedbackConfig d = FeedbackConfig.DEFAULT;
        boolean adapt = n.child("adapt").bool(d.adapt());
        int step = n.child("floor_step").integer(d.floorStep(), 1, 50);
        int medium = decide.tiers().medium().minScore();
        int high = decide.tiers().high().minScore();
        // The medium floor moves between 1 and just below the high floor: the high and critical tiers never move.
        int raise = n.child("max_floor_raise").integer(Math.min(d.maxFloorRaise(), high - 1 - medium), 0, 99);
        if (medium + raise >= high) {
            n.child("max_floor_raise").problem("must keep the medium floor below decide.tiers.high.min_score " + high
                    + ": at most " + (high - 1 - medium) + " (got " + raise + ")");
        }
        int drop = n.child("max_floor_drop").integer(Math.min(d.maxFloorDrop(), medium - 1), 0, 99);
        if (medium - drop < 1) {
            n.child("max_floor_drop").problem("must keep the medium floor at 1 or more: at most " + (medium - 1)
                    + " (got " + drop + ")");
        }
        int unnecessary = n.child("unnecessary_to_raise").integer(d.unnecessaryToRaise(), 1, 100);
        int futile = n.child("futile_to_stop").integer(d.futileToStop(), 1, 100);
        double explore = n.child("explore").number(d.explore(), 0, 0.5);
        n.rejectUnknownKeys();
        return new FeedbackConfig(adapt, step, raise, drop, unnecessary, futile, explore);
    }

    static PrometheusConfig prometheus(ConfigNode n) {
        n.expectMapping();
        // Logged at start and printed by check-config, so it must not carry a password (basic_auth has a file).
        URI url = n.child("url").httpUrlWithoutCredentials(DEFAULT_PROMETHEUS_URL);
        Duration timeout = n.child("timeout").duration(Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMinutes(10));
        Optional<Path> token = n.child("bearer_token_file").readableFile();
        Optional<PrometheusConfig.BasicAuth> basic = basicAuth(n.child("basic_auth"));
        Optional<Path> ca = n.child("ca_file").readableFile();
        var headers = n.child("headers").stringMap();
        if (headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"))) {
            n.child("headers").problem("must not set Authorization; use bearer_token_file or basic_auth so the secret stays in a file (got an Authorization header)");
        }
        if (token.isPresent() && basic.isPresent()) {
            n.child("basic_auth").problem("cannot be combined with bearer_token_file; choose one (got both)");
        }
        if (headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Accept-Encoding"))) {
            n.child("headers").problem("must not set Accept-Encoding; use prometheus.compression (auto, gzip or none) "
                    + "(got an Accept-Encoding header)");
        }
        int maxPoints = n.child("max_points_per_query").integer(11_000, 2, 11_000);
        RetryConfig retry = retry(n.child("retry"));
        PrometheusConfig.Compression compression = n.child("compression")
                .enumValue(PrometheusConfig.Compression.class, PrometheusConfig.Compression.AUTO);
        n.rejectUnknownKeys();
        return new PrometheusConfig(url, timeout, token, basic, ca, headers, maxPoints, retry, compression);
    }

    private static Optional<PrometheusConfig.BasicAuth> basicAuth(ConfigNode n) {
        if (!n.present() || !n.expectMapping()) {
            return Optional.empty();
        }
        String user = n.child("username").nonEmptyString("");
        Optional<Path> pw = n.child("password_file").readableFile();
        if (pw.isEmpty()) {
            n.child("password_file").problem("is required with basic_auth: a file holding the password (got nothing)");
        }
        n.rejectUnknownKeys();
        return pw.map(p -> new PrometheusConfig.BasicAuth(user, p));
    }

    static RetryConfig retry(ConfigNode n) {
        n.expectMapping();
        int attempts = n.child("max_attempts").integer(3, 1, 20);
        Duration initial = n.child("initial_backoff").duration(Duration.ofMillis(500), Duration.ofMillis(1), Duration.ofMinutes(5));
        Duration max = n.child("max_backoff").duration(Duration.ofSeconds(10), Duration.ofMillis(1), Duration.ofMinutes(30));
        if (max.compareTo(initial) < 0) {
            n.child("max_backoff").problem("must be at least initial_backoff " + Durations.format(initial)
                    + " (got " + Durations.format(max) + ")");
        }
        n.rejectUnknownKeys();
        return new RetryConfig(attempts, initial, max);
    }

    static WorkloadsConfig workloads(ConfigNode n) {
        n.expectMapping();
        WorkloadsConfig.Source source = n.child("source").enumValue(WorkloadsConfig.Source.class, WorkloadsConfig.Source.LIBVIRT);
        String uri = n.child("libvirt_uri").nonEmptyString("qemu:///system");
        ConfigNode labelNode = n.child("label");
        String label = labelNode.nonEmptyString("domain");
        if (label != null && !label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
            labelNode.problem("must be a Prometheus label name [a-zA-Z_][a-zA-Z0-9_]* (got \"" + label + "\")");
        }
        String selector = n.child("selector").nonEmptyString("libvirt_domain_info_virtual_cpus");
        Pattern include = n.child("include").regex().orElse(Pattern.compile(".*"));
        Optional<Pattern> exclude = n.child("exclude").regex();
        n.rejectUnknownKeys();
        return new WorkloadsConfig(source, uri, label, selector, include, exclude);
    }

    static CollectionConfig collection(ConfigNode n) {
        n.expectMapping();
        Duration interval = n.child("interval").duration(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1));
        Duration step = n.child("step").duration(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1));
        Duration lookback = n.child("lookback").duration(Duration.ofHours(2), Duration.ofSeconds(1), MAX);
        if (lookback.compareTo(step) < 0) {
            n.child("lookback").problem("must be at least collection.step " + Durations.format(step)
                    + " (got " + Durations.format(lookback) + ")");
        }
        if (step.toMillis() % 1000 != 0) {
            n.child("step").problem("must be a whole number of seconds (got " + Durations.format(step) + ")");
        }
        // Unset, it is at least one step: an hourly series would otherwise be refused for a key nobody wrote.
        Duration refetch = n.child("refetch").duration(
                CollectionConfig.DEFAULT_REFETCH.compareTo(step) < 0 ? step : CollectionConfig.DEFAULT_REFETCH,
                Duration.ZERO, MAX);
        if (!refetch.isZero() && refetch.compareTo(step) < 0) {
            n.child("refetch").problem("must be 0s or at least collection.step " + Durations.format(step)
                    + " (got " + Durations.format(refetch) + ")");
        }
        n.rejectUnknownKeys();
        return new CollectionConfig(interval, step, lookback, refetch);
    }

    static StateLogsConfig stateLogs(ConfigNode n) {
        n.expectMapping();
        RotationConfig audit = rotation(n.child("audit"), RotationConfig.AUDIT_DEFAULT);
        RotationConfig failures = rotation(n.child("failures"), RotationConfig.FAILURES_DEFAULT);
        n.rejectUnknownKeys();
        return new StateLogsConfig(audit, failures);
    }

    private static RotationConfig rotation(ConfigNode n, RotationConfig def) {
        n.expectMapping();
        long maxSize = n.child("max_size").byteSize(def.maxBytes(), 1L << 20, 64L << 30);
        int keep = n.child("keep").integer(def.keep(), 1, 100);
        n.rejectUnknownKeys();
        return new RotationConfig(maxSize, keep);
    }

    static ServerConfig server(ConfigNode n) {
        n.expectMapping();
        ConfigNode listen = n.child("listen");
        String text = listen.nonEmptyString(DEFAULT_LISTEN);
        ServerConfig cfg = parseListen(text);
        if (cfg == null) {
            listen.problem("must be host:port, e.g. 127.0.0.1:9464 or [::1]:9464, port 0-65535 (got \"" + text + "\")");
            cfg = parseListen(DEFAULT_LISTEN);
        }
        boolean reload = n.child("enable_reload").bool(false);
        ConfigNode webNode = n.child("web_config_file");
        WebConfig web = webNode.readableFile().filter(java.nio.file.Files::isReadable)
                .map(f -> WebConfigFile.read(webNode, f)).orElse(WebConfig.NONE);
        n.rejectUnknownKeys();
        return new ServerConfig(cfg.host(), cfg.port(), reload, web);
    }

    private static ServerConfig parseListen(String text) {
        if (text == null) {
            return null;
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            return port < 0 || port > 65535 || host.isEmpty() ? null : new ServerConfig(host, port);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
