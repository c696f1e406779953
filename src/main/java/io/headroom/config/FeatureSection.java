package io.headroom.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code features}: a shipped preset (see {@link Preset}) minus {@code disable}, plus {@code custom}
 * entries. Placeholders {@code ${matchers}} and {@code ${rate_window}} are expanded at load, {@code ${label}}
 * too, so the query shown by {@code check-config} is the query sent.
 */
final class FeatureSection {

    /** The feature presets shipped in the jar. */
    enum Preset {
        LIBVIRT_EXPORTER("libvirt-exporter.yaml"),
        NODE_EXPORTER("node-exporter.yaml"),
        /** Headroom's own {@code headroom_domain_*} series, for hosts without a libvirt exporter. */
        HEADROOM_LIBVIRT("headroom-libvirt.yaml"),
        NONE(null);

        final String resource;

        Preset(String resource) {
            this.resource = resource;
        }
    }

    private static final String NAME = "[a-z][a-z0-9_]{0,62}";

    private FeatureSection() {}

    static List<FeatureSpec> read(ConfigNode n, String label) {
        n.expectMapping();
        Preset preset = n.child("preset").enumValue(Preset.class, Preset.LIBVIRT_EXPORTER);
        String matchers = n.child("matchers").string("");
        Duration window = n.child("rate_window").duration(Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofDays(1));
        // In this order: the matchers may use the other placeholders.
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("${matchers}", matchers);
        vars.put("${rate_window}", Durations.format(window));
        vars.put("${label}", label == null ? "domain" : label);

        Map<String, FeatureSpec> byName = new LinkedHashMap<>();
        if (preset.resource != null) {
            List<ConfigException.Problem> presetProblems = new ArrayList<>();
            ConfigNode presetRoot = new ConfigNode(loadPreset(preset), "features.preset(" + preset.name().toLowerCase(Locale.ROOT).replace('_', '-') + ")", presetProblems, null);
            for (ConfigNode item : presetRoot.list()) {
                FeatureSpec f = narrowable(feature(item, vars, label), item, vars, matchers);
                byName.put(f.name(), f);
            }
            if (!presetProblems.isEmpty()) {
                throw new IllegalStateException("shipped preset is invalid: " + presetProblems);
            }
        }
        ConfigNode disable = n.child("disable");
        List<ConfigNode> disabled = disable.list();
        for (ConfigNode d : disabled) {
            String name = d.string("");
            if (byName.remove(name) == null) {
                d.problem("names no feature of preset " + preset.name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + " (got \"" + name + "\")");
            }
        }
        Set<String> seen = new HashSet<>(byName.keySet());
        for (ConfigNode item : n.child("custom").list()) {
            FeatureSpec f = feature(item, vars, label);
            if (f != null && !seen.add(f.name())) {
                item.child("name").problem("must be unique among features (got \"" + f.name() + "\" twice)");
            }
            if (f != null) {
                byName.put(f.name(), f);
            }
        }
        if (byName.isEmpty()) {
            n.problem("must define at least one feature: choose a preset or add custom features (got none)");
        }
        oneUsagePerResource(n, byName.values());
        n.rejectUnknownKeys();
        return List.copyOf(byName.values());
    }

    private static FeatureSpec feature(ConfigNode item, Map<String, String> vars, String label) {
        if (!item.expectMapping()) {
            return null;
        }
        ConfigNode nameNode = item.child("name");
        String name = nameNode.nonEmptyString("");
        if (name != null && !name.isEmpty() && !name.matches(NAME)) {
            nameNode.problem("must match " + NAME + " (got \"" + name + "\")");
        }
        ConfigNode queryNode = item.child("query");
        String query = queryNode.nonEmptyString("");
        if (query != null && !query.isBlank() && label != null
                && !query.contains("${label}") && !java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(label) + "\\b").matcher(query).find()) {
            queryNode.problem("must return one series per workload, aggregated by the workload label, e.g. "
                    + "sum by (${label}) (...) (got a query that never mentions ${label} or " + label + ")");
        }
        FeatureSpec.Kind kind = item.child("kind").enumValue(FeatureSpec.Kind.class, FeatureSpec.Kind.GAUGE);
        ConfigNode pressureNode = item.child("pressure");
        if (!pressureNode.present()) {
            pressureNode.problem("is required: one of cpu, memory, io, network, none (got nothing)");
        }
        FeatureSpec.Pressure pressure = pressureNode.enumValue(FeatureSpec.Pressure.class, FeatureSpec.Pressure.NONE);
        FeatureSpec.Direction direction = item.child("direction").enumValue(FeatureSpec.Direction.class, FeatureSpec.Direction.ABOVE);
        ConfigNode usageNode = item.child("usage");
        FeatureSpec.Usage usage = usageNode.enumValue(FeatureSpec.Usage.class, FeatureSpec.Usage.NONE);
        if (usage != FeatureSpec.Usage.NONE && usage.resource() != pressure) {
            usageNode.problem("measures " + usage.resource().name().toLowerCase(Locale.ROOT) + " use, so pressure must be "
                    + usage.resource().name().toLowerCase(Locale.ROOT) + " (got pressure "
                    + pressure.name().toLowerCase(Locale.ROOT) + ")");
        }
        item.rejectUnknownKeys();
        return new FeatureSpec(name, expand(query == null ? "" : query, vars), kind, pressure, direction, usage);
    }

    /**
     * A preset feature with its {@link FeatureSpec#narrowable} query: {@code ${matchers}} becomes the configured
     * matchers followed by {@link FeatureSpec#WORKLOADS}.
     */
    private static FeatureSpec narrowable(FeatureSpec f, ConfigNode item, Map<String, String> vars, String matchers) {
        String raw = item.child("query").string("");
        if (!raw.contains("${matchers}")) {
            return f;
        }
        Map<String, String> slotted = new LinkedHashMap<>(vars);
        slotted.put("${matchers}", matchers.isBlank() ? FeatureSpec.WORKLOADS
                : matchers.strip().replaceAll(",$", "") + "," + FeatureSpec.WORKLOADS);
        return new FeatureSpec(f.name(), f.query(), f.kind(), f.pressure(), f.direction(), f.usage(),
                Optional.of(expand(raw, slotted)));
    }

    /** {@code raw} with each placeholder of {@code vars} replaced by its value, in {@code vars}' order. */
    private static String expand(String raw, Map<String, String> vars) {
        String out = raw;
        for (Map.Entry<String, String> v : vars.entrySet()) {
            out = out.replace(v.getKey(), v.getValue());
        }
        return out;
    }

    /** Sizing reads one measure of use per resource; two would leave it guessing which one to trust. */
    private static void oneUsagePerResource(ConfigNode n, java.util.Collection<FeatureSpec> features) {
        Map<FeatureSpec.Pressure, String> seen = new java.util.EnumMap<>(FeatureSpec.Pressure.class);
        for (FeatureSpec f : features) {
            if (f.usage() == FeatureSpec.Usage.NONE || f.usage().resource() != f.pressure()) {
                continue; // none, or already reported as not matching its pressure
            }
            String other = seen.putIfAbsent(f.usage().resource(), f.name());
            if (other != null) {
                n.child("custom").problem("may have one feature with a usage per resource: " + other + " and " + f.name()
                        + " both measure " + f.usage().resource().name().toLowerCase(Locale.ROOT)
                        + " use (disable one, or drop its usage key)");
            }
        }
    }

    private static JsonNode loadPreset(Preset preset) {
        try (InputStream in = FeatureSection.class.getResourceAsStream("presets/" + preset.resource)) {
            if (in == null) {
                throw new IllegalStateException("preset resource missing from the jar: " + preset.resource);
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
