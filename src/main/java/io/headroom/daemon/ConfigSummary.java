package io.headroom.daemon;

import io.headroom.config.Durations;
import io.headroom.config.FeatureSpec;
import io.headroom.config.HeadroomConfig;
import io.headroom.config.PrometheusConfig;
import io.headroom.config.WorkloadsConfig;
import java.util.Locale;

/** A one-screen, secret-free description of a config, as printed by {@code check-config}. */
final class ConfigSummary {

    private static final int QUERY_WIDTH = 90;

    private ConfigSummary() {}

    static String render(HeadroomConfig c) {
        StringBuilder sb = new StringBuilder();
        PrometheusConfig p = c.prometheus();
        sb.append(String.format(Locale.ROOT, "prometheus:  %s (timeout %s, %d attempts, auth: %s%s%s)%n",
                p.url(), Durations.format(p.timeout()), p.retry().maxAttempts(), auth(p),
                p.caFile().map(f -> ", CA " + f).orElse(""),
                p.headers().isEmpty() ? "" : ", headers: " + String.join(", ", p.headers().keySet())));
        WorkloadsConfig w = c.workloads();
        String source = w.source() == WorkloadsConfig.Source.LIBVIRT
                ? "running domains of libvirt " + w.libvirtUri()
                : "values of label " + w.label() + " on " + w.selector();
        sb.append(String.format(Locale.ROOT, "workloads:   %s; label %s; include /%s/%s%n", source, w.label(),
                w.include().pattern(), w.exclude().map(e -> ", exclude /" + e.pattern() + "/").orElse("")));
        sb.append(String.format(Locale.ROOT, "collection:  every %s, step %s, lookback %s%n",
                Durations.format(c.collection().interval()), Durations.format(c.collection().step()),
                Durations.format(c.collection().lookback())));
        sb.append(String.format(Locale.ROOT, "features:    %d%n", c.features().size()));
        for (FeatureSpec f : c.features()) {
            sb.append(String.format(Locale.ROOT, "  %-26s %-7s %-5s %-7s %s%n", f.name(), lower(f.pressure()),
                    lower(f.direction()), lower(f.kind()), abbreviate(f.queryFor(w.label()))));
        }
        sb.append(String.format(Locale.ROOT, "server:      http://%s:%d (/metrics, /-/healthy, /-/ready)%n",
                c.server().host().contains(":") ? "[" + c.server().host() + "]" : c.server().host(), c.server().port()));
        sb.append(String.format(Locale.ROOT, "state_dir:   %s%n", c.stateDir()));
        return sb.toString();
    }

    private static String auth(PrometheusConfig p) {
        if (p.bearerTokenFile().isPresent()) {
            return "bearer token from " + p.bearerTokenFile().get();
        }
        return p.basicAuth().map(b -> "basic as " + b.username() + ", password from " + b.passwordFile()).orElse("none");
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String q) {
        return q.length() <= QUERY_WIDTH ? q : q.substring(0, QUERY_WIDTH - 3) + "...";
    }
}
