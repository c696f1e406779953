package io.headroom.ops;

import io.headroom.metrics.Metrics;
import io.headroom.ops.RuleFiles.Rule;
import io.prometheus.client.Collector;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series names a query may use: what {@link Metrics} registers (with the suffixes of its type) and what the
 * shipped recording rules record. A rule or panel naming anything else has a typo, which neither promtool tests
 * (their input series repeat the typo) nor an empty panel would reveal.
 */
final class MetricNames {

    /** Names Headroom's queries use: {@code headroom_...} metrics and {@code headroom:...} recording rules. */
    private static final Pattern HEADROOM_NAME = Pattern.compile("(?<![\\w:\"])(headroom[_:][A-Za-z0-9_:]*)");

    private MetricNames() {}

    /** Every series name Headroom's own registry can expose. */
    static Set<String> exported() {
        Set<String> names = new TreeSet<>();
        for (Collector.MetricFamilySamples f : Collections.list(Metrics.isolated().registry().metricFamilySamples())) {
            switch (f.type) {
                case COUNTER -> {
                    names.add(f.name + "_total");
                    names.add(f.name + "_created");
                }
                case HISTOGRAM -> {
                    for (String suffix : List.of("_bucket", "_sum", "_count", "_created")) {
                        names.add(f.name + suffix);
                    }
                }
                default -> names.add(f.name);
            }
        }
        return names;
    }

    /** Series recorded by rules/headroom.rules.yml. */
    static Set<String> recorded() {
        Set<String> names = new TreeSet<>();
        RuleFiles.rules(RuleFiles.RECORDING).stream().map(Rule::name).forEach(names::add);
        return names;
    }

    /** exported() and recorded(). */
    static Set<String> known() {
        Set<String> all = new TreeSet<>(exported());
        all.addAll(recorded());
        return all;
    }

    /** The Headroom series names an expression refers to. */
    static Set<String> referenced(String expr) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = HEADROOM_NAME.matcher(expr);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
