package io.headroom.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code notify} section: {@code alertmanager}, {@code webhook} and {@code admission}. */
final class NotifySection {

    static final String DEFAULT_WEBHOOK_PATH = "/api/v1/alerts/webhook";
    private static final Set<String> DASHBOARD_PLACEHOLDERS = Set.of("workload", "host", "alertname");
    private static final Set<String> HOOK_PLACEHOLDERS = Set.of("workload", "action");

    private NotifySection() {}

    /** {@code server} is needed because a webhook on a non-loopback address must require a token. */
    static NotifyConfig read(ConfigNode n, ServerConfig server) {
        n.expectMapping();
        AlertmanagerConfig alertmanager = alertmanager(n.child("alertmanager"));
        WebhookConfig webhook = webhook(n.child("webhook"), server);
        AdmissionConfig admission = admission(n.child("admission"));
        n.rejectUnknownKeys();
        return new NotifyConfig(alertmanager, webhook, admission);
    }

    static AlertmanagerConfig alertmanager(ConfigNode n) {
        n.expectMapping();
        List<URI> urls = new ArrayList<>();
        for (ConfigNode item : n.child("urls").list()) {
            // The URL becomes a metric label and appears in logs, so it must not carry a password.
            int before = item.problemCount();
            URI u = item.httpUrlWithoutCredentials("http://127.0.0.1:9093");
            if (item.problemCount() == before && urls.contains(u)) {
                item.problem("is listed twice (got \"" + u + "\")");
            }
            urls.add(u);
        }
        Duration resend = n.child("resend_interval").duration(Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofHours(1));
        Duration timeout = n.child("timeout").duration(Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(5));
        int queueSize = n.child("queue_size").integer(10_000, 1, 1_000_000);
        ConfigNode hostNode = n.child("host");
        String host = hostNode.string("");
        if (host.isBlank()) {
            host = LocalHost.name();
        }
        Optional<UrlTemplate> dashboard = template(n.child("dashboard_url"), DASHBOARD_PLACEHOLDERS);
        BackoffConfig retry = backoff(n.child("retry"), Duration.ofSeconds(1), Duration.ofMinutes(1));
        Optional<Path> token = n.child("bearer_token_file").readableFile();
        Optional<Path> ca = n.child("ca_file").readableFile();
        n.rejectUnknownKeys();
        return new AlertmanagerConfig(urls, resend, timeout, queueSize, host, dashboard, retry, token, ca);
    }

    static WebhookConfig webhook(ConfigNode n, ServerConfig server) {
        n.expectMapping();
        boolean enabled = n.child("enabled").bool(false);
        ConfigNode pathNode = n.child("path");
        String path = pathNode.nonEmptyString(DEFAULT_WEBHOOK_PATH);
        if (path != null && !path.matches("(/[A-Za-z0-9._~-]+)+")) {
            pathNode.problem("must be an absolute URL path of letters, digits and . _ ~ - segments, e.g. "
                    + DEFAULT_WEBHOOK_PATH + " (got \"" + path + "\")");
        } else if (path != null && (path.equals("/metrics") || path.startsWith("/-/"))) {
            pathNode.problem("must not take over /metrics or /-/ (got \"" + path + "\")");
        }
        ConfigNode tokenNode = n.child("bearer_token_file");
        Optional<Path> token = tokenNode.readableFile();
        long maxBody = n.child("max_body").byteSize(1L << 20, 1L << 10, 64L << 20);
        ConfigNode labelNode = n.child("workload_label");
        String label = labelNode.nonEmptyString("domain");
        if (label != null && !label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
            labelNode.problem("must be a Prometheus label name [a-zA-Z_][a-zA-Z0-9_]* (got \"" + label + "\")");
        }
        if (enabled && token.isEmpty() && !isLoopback(server.host())) {
            // Anyone who can reach the port could otherwise forge failures and skew training and feedback.
            tokenNode.problem("is required when the webhook is enabled and server.listen is not a loopback address"
                    + " (got nothing, with server.listen host \"" + server.host() + "\")");
        }
        n.rejectUnknownKeys();
        return new WebhookConfig(enabled, path, token, maxBody, label);
    }

    static AdmissionConfig admission(ConfigNode n) {
        n.expectMapping();
        boolean enabled = n.child("enabled").bool(false);
        ConfigNode hookNode = n.child("hook_url");
        Optional<UrlTemplate> hook = template(hookNode, HOOK_PLACEHOLDERS);
        if (enabled && hook.isEmpty() && hookNode.optString().map(String::isBlank).orElse(true)) {
            hookNode.problem("is required when admission.enabled is true (got nothing)");
        }
        AdmissionConfig.Method method = n.child("method").enumValue(AdmissionConfig.Method.class, AdmissionConfig.Method.POST);
        Optional<Path> token = n.child("bearer_token_file").readableFile();
        Duration maxPause = n.child("max_pause").duration(Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1));
        Duration timeout = n.child("timeout").duration(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(1));
        BackoffConfig retry = backoff(n.child("retry"), Duration.ofSeconds(1), Duration.ofSeconds(30));
        Optional<Path> ca = n.child("ca_file").readableFile();
        n.rejectUnknownKeys();
        return new AdmissionConfig(enabled, hook, method, token, maxPause, timeout, retry, ca);
    }

    private static BackoffConfig backoff(ConfigNode n, Duration defInitial, Duration defMax) {
        n.expectMapping();
        Duration initial = n.child("initial_backoff").duration(defInitial, Duration.ofMillis(1), Duration.ofMinutes(5));
        Duration max = n.child("max_backoff").duration(defMax, Duration.ofMillis(1), Duration.ofMinutes(30));
        if (max.compareTo(initial) < 0) {
            n.child("max_backoff").problem("must be at least initial_backoff " + Durations.format(initial)
                    + " (got " + Durations.format(max) + ")");
        }
        n.rejectUnknownKeys();
        return new BackoffConfig(initial, max);
    }

    private static Optional<UrlTemplate> template(ConfigNode n, Set<String> placeholders) {
        String text = n.string("");
        if (text.isBlank()) {
            return Optional.empty();
        }
        Optional<String> problem = UrlTemplate.problem(text, placeholders);
        problem.ifPresent(n::problem);
        return problem.isPresent() ? Optional.empty() : Optional.of(new UrlTemplate(text));
    }

    /**
     * Whether {@code host} can only be reached from this machine. Only IP literals and {@code localhost} count:
     * a name is never resolved here, because DNS can change after the check.
     */
    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return false;
        }
        try {
            // An IP literal: InetAddress parses it without any lookup.
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The machine's hostname, without a DNS lookup where the kernel can tell. */
    static final class LocalHost {
        private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

        private LocalHost() {}

        static String name() {
            try {
                String name = Files.readString(KERNEL_HOSTNAME, StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            } catch (IOException | SecurityException e) {
                // Not Linux, or /proc hidden: fall back to the JDK, which may ask the resolver.
            }
            try {
                return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
    }
}
