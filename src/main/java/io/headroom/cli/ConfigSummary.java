package io.headroom.cli;

import io.headroom.config.ActConfig;
import io.headroom.config.DecideConfig;
import io.headroom.config.DetectionConfig;
import io.headroom.config.Durations;
import io.headroom.config.FeatureSpec;
import io.headroom.config.HeadroomConfig;
import io.headroom.config.NotifyConfig;
import io.headroom.config.PrometheusConfig;
import io.headroom.config.WorkloadsConfig;
import java.math.BigDecimal;
import java.util.Locale;

/** A one-screen, secret-free description of a config, as printed by {@code check-config}. */
final class ConfigSummary {

    private static final int QUERY_WIDTH = 90;

    private ConfigSummary() {}

    static String render(HeadroomConfig c) {
        StringBuilder sb = new StringBuilder();
        PrometheusConfig p = c.prometheus();
        sb.append(String.format(Locale.ROOT, "prometheus:  %s (timeout %s, %d attempts, %s, auth: %s%s%s)%n",
                p.url(), Durations.format(p.timeout()), p.retry().maxAttempts(),
                p.gzip() ? "gzip" : "uncompressed" + (p.compression() == PrometheusConfig.Compression.AUTO
                        ? " (loopback)" : ""), auth(p),
                p.caFile().map(f -> ", CA " + f).orElse(""),
                p.headers().isEmpty() ? "" : ", headers: " + String.join(", ", p.headers().keySet())));
        WorkloadsConfig w = c.workloads();
        String source = w.source() == WorkloadsConfig.Source.LIBVIRT
                ? "running domains of libvirt " + w.libvirtUri()
                : "values of label " + w.label() + " on " + w.selector();
        sb.append(String.format(Locale.ROOT, "workloads:   %s; label %s; include /%s/%s%n", source, w.label(),
                w.include().pattern(), w.exclude().map(e -> ", exclude /" + e.pattern() + "/").orElse("")));
        sb.append(String.format(Locale.ROOT, "collection:  every %s, step %s, lookback %s, refetch %s%n",
                Durations.format(c.collection().interval()), Durations.format(c.collection().step()),
                Durations.format(c.collection().lookback()),
                c.collection().refetch().isZero() ? "0 (whole lookback)" : Durations.format(c.collection().refetch())));
        sb.append(String.format(Locale.ROOT, "features:    %d%n", c.features().size()));
        for (FeatureSpec f : c.features()) {
            sb.append(String.format(Locale.ROOT, "  %-26s %-7s %-5s %-7s %s%n", f.name(), lower(f.pressure()),
                    lower(f.direction()), lower(f.kind()), abbreviate(f.queryFor(w.label()))));
        }
        DetectionConfig d = c.detection();
        sb.append(String.format(Locale.ROOT, "detection:   %s, scope %s, trained on %s (min %d rows) every %s; failures: %s%n",
                lower(d.model()).replace('_', '-'), lower(d.scope()), Durations.format(d.trainingWindow()),
                d.minTrainingRows(), Durations.format(d.retrainEvery()),
                d.failureQuery().isEmpty() ? "none" : abbreviate(d.failureQuery(), 40)));
        DecideConfig.Tiers t = c.decide().tiers();
        sb.append(String.format(Locale.ROOT, "decide:      %s, %s, %s (cpu/memory x baseline); cooldown %s, decay after %s%s%n",
                tier("medium", t.medium()), tier("high", t.high()), tier("critical", t.critical()),
                Durations.format(c.decide().cooldown()), Durations.format(c.decide().decayAfter()),
                c.decide().optOut().map(re -> "; opt_out /" + re.pattern() + "/").orElse("")));
        sb.append(String.format(Locale.ROOT, "act:         %s%n", c.act().mode() == ActConfig.Mode.ENFORCE
                ? "enforce (guests are resized live)" : "observe (decisions recorded, guests unchanged)"));
        NotifyConfig n = c.notifications();
        sb.append(String.format(Locale.ROOT, "notify:      alertmanager %d url(s), webhook %s, admission %s%n",
                n.alertmanager().urls().size(), n.webhook().enabled() ? "on at " + n.webhook().path() : "off",
                n.admission().enabled() ? "on" : "off"));
        sb.append(String.format(Locale.ROOT, "server:      http://%s:%d (/metrics, /-/healthy, /-/ready, /api/v1/workloads%s)%n",
                c.server().host().contains(":") ? "[" + c.server().host() + "]" : c.server().host(), c.server().port(),
                c.server().enableReload() ? ", POST /-/reload" : ""));
        sb.append(String.format(Locale.ROOT, "state_dir:   %s%n", c.stateDir()));
        return sb.toString();
    }

    private static String tier(String name, DecideConfig.TierSpec t) {
        return name + " >=" + t.minScore() + " x" + number(t.cpu()) + "/x" + number(t.memory());
    }

    /** {@code 1.1}, not {@code 1.100000}: as the operator wrote it. */
    private static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
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
        return abbreviate(q, QUERY_WIDTH);
    }

    private static String abbreviate(String q, int width) {
        return q.length() <= width ? q : q.substring(0, width - 3) + "...";
    }
}
