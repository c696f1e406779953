package io.headroom.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.headroom.config.ByteSizes;
import io.headroom.config.ConfigException;
import io.headroom.config.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads a scenario file, validating everything at load like the config loader: every problem is collected with
 * its key path ({@code incidents[3].severity: must be a number > 0 (got "x")}) and thrown together as one
 * {@link ConfigException}; unknown keys are errors.
 */
public final class ScenarioLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String PATTERN_SLOT = "{n}";

    private ScenarioLoader() {}

    /** Loads and validates a scenario file. */
    public static Scenario load(Path file) throws ConfigException {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("", "cannot read scenario file " + file + ": " + e.getMessage());
        }
    }

    /** Parses and validates scenario YAML. */
    public static Scenario parse(String yaml) throws ConfigException {
        JsonNode root;
        try {
            root = io.headroom.config.YamlTree.read(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException("", "not valid YAML: " + e.getOriginalMessage());
        }
        List<ConfigException.Problem> problems = new ArrayList<>();
        Node top = new Node(root, "", problems);
        if (root == null || !root.isObject()) {
            throw new ConfigException("", "must be a mapping with at least 'workloads'");
        }
        String name = top.child("name").string("scenario");
        Instant start = top.child("start").instant(Instant.parse("2026-11-30T00:00:00Z"));
        Duration step = top.child("step").duration(Duration.ofSeconds(30), Duration.ofSeconds(1));
        Duration duration = top.child("duration").duration(null, step);
        Duration history = top.child("history").duration(Duration.ofDays(1), Duration.ZERO);
        Node s = top.child("slo");
        Scenario.Slo slo = new Scenario.Slo(s.child("sustain").duration(Duration.ofMinutes(5), step),
                s.child("disk_latency").number(0.05, 0, false), s.child("net_latency").number(0.2, 0, false),
                s.child("min_request_ratio").number(0.5, 0, false));
        s.rejectUnknown();
        String config = "";
        Node cfg = top.child("config");
        if (cfg.present()) {
            if (!cfg.node.isObject()) {
                cfg.problem("must be a mapping of Headroom config keys", cfg.node.toString());
            } else {
                try {
                    config = new ObjectMapper(new YAMLFactory()).writeValueAsString(cfg.node);
                } catch (JsonProcessingException e) {
                    cfg.problem("cannot be re-serialized: " + e.getOriginalMessage(), null);
                }
            }
        }
        List<Scenario.Workload> workloads = workloads(top.child("workloads"));
        Node h = top.child("host");
        long sumMem = workloads.stream().mapToLong(Scenario.Workload::maxMemory).sum();
        int sumCpu = workloads.stream().mapToInt(Scenario.Workload::maxVcpus).sum();
        // By default the host fits every guest at its maximum, so host guardrails never decide an outcome.
        Scenario.Host host = new Scenario.Host((int) h.child("cpus").number(Math.max(1, sumCpu), 1, true),
                h.child("memory").bytes(sumMem + (8L << 30)));
        h.rejectUnknown();
        Map<String, Scenario.Workload> byName = new HashMap<>();
        workloads.forEach(w -> byName.put(w.name(), w));
        List<Scenario.Incident> incidents = incidents(top.child("incidents"), byName, duration);
        top.rejectUnknown();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        if (duration.toMillis() % step.toMillis() != 0 || history.toMillis() % step.toMillis() != 0) {
            throw new ConfigException("step", "must divide duration and history (got " + Durations.format(step) + ")");
        }
        incidents.sort(Comparator.comparing(Scenario.Incident::start).thenComparing(Scenario.Incident::workload));
        return new Scenario(name, start, duration, step, history, slo, host, workloads, incidents, config);
    }

    private static List<Scenario.Workload> workloads(Node list) {
        List<Scenario.Workload> out = new ArrayList<>();
        if (!list.present()) {
            list.problem("is required: at least one workload", null);
            return out;
        }
        Set<String> seen = new TreeSet<>();
        for (Node w : list.items()) {
            String name = w.child("name").string(null);
            String pattern = w.child("pattern").string(null);
            int count = (int) w.child("count").number(1, 1, true);
            List<String> names = new ArrayList<>();
            if ((name == null) == (pattern == null)) {
                w.problem("needs exactly one of 'name' or 'pattern'", null);
            } else if (name != null) {
                names.add(name);
            } else if (!pattern.contains(PATTERN_SLOT)) {
                w.child("pattern").problem("must contain " + PATTERN_SLOT + " (numbered from 1)", pattern);
            } else {
                for (int i = 1; i <= count; i++) {
                    names.add(pattern.replace(PATTERN_SLOT, Integer.toString(i)));
                }
            }
            Node v = w.child("vcpus");
            int baseV = (int) v.child("baseline").number(2, 1, true);
            int maxV = (int) v.child("max").number(baseV * 2, 1, true);
            if (maxV < baseV) {
                v.child("max").problem("must be ≥ vcpus.baseline (" + baseV + ")", Integer.toString(maxV));
            }
            v.rejectUnknown();
            Node m = w.child("memory");
            long baseM = m.child("baseline").bytes(4L << 30);
            long maxM = m.child("max").bytes(baseM * 2);
            if (maxM < baseM) {
                m.child("max").problem("must be ≥ memory.baseline (" + ByteSizes.format(baseM) + ")", ByteSizes.format(maxM));
            }
            m.rejectUnknown();
            Node l = w.child("load");
            Scenario.Profile load = new Scenario.Profile(
                    l.child("cpu").signal(baseV * 0.5, false), l.child("memory").signal(baseM * 0.6, true),
                    l.child("disk_read").signal(2e6, true), l.child("disk_write").signal(1e6, true),
                    l.child("disk_latency").signal(0.004, false), l.child("net_rx").signal(5e6, true),
                    l.child("net_tx").signal(3e6, true), l.child("net_drops").signal(0.5, false),
                    l.child("net_latency").signal(0.02, false), l.child("requests").signal(200, false));
            l.rejectUnknown();
            double phase = w.child("phase_hours").number(0, -24, false);
            double phaseStep = w.child("phase_step_hours").number(0, -24, false);
            boolean clean = w.child("clean").bool(false);
            w.rejectUnknown();
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                if (!seen.add(n)) {
                    w.problem("workload name " + n + " is declared twice", n);
                }
                out.add(new Scenario.Workload(n, baseV, maxV, baseM, maxM, load, phase + i * phaseStep, clean));
            }
        }
        out.sort(Comparator.comparing(Scenario.Workload::name));
        return out;
    }

    private static List<Scenario.Incident> incidents(Node list, Map<String, Scenario.Workload> workloads,
                                                     Duration duration) {
        List<Scenario.Incident> out = new ArrayList<>();
        for (Node i : list.items()) {
            String w = i.child("workload").string(null);
            if (w == null) {
                i.child("workload").problem("is required", null);
            } else if (!workloads.containsKey(w)) {
                i.child("workload").problem("is not a declared workload", w);
            } else if (workloads.get(w).clean()) {
                i.child("workload").problem("is declared clean: a clean workload has no incidents", w);
            }
            Scenario.Kind kind = i.child("kind").kind();
            Duration start = i.child("start").duration(null, Duration.ZERO);
            Duration ramp = i.child("ramp").duration(Duration.ZERO, Duration.ZERO);
            double severity = i.child("severity").number(Double.NaN, 0, false);
            Duration length = i.child("duration").duration(null, Duration.ofSeconds(1));
            if (start != null && duration != null && start.compareTo(duration) >= 0) {
                i.child("start").problem("must be before the scenario's duration (" + Durations.format(duration) + ")",
                        Durations.format(start));
            }
            if (ramp != null && length != null && ramp.compareTo(length) > 0) {
                i.child("ramp").problem("must not exceed the incident's duration", Durations.format(ramp));
            }
            i.rejectUnknown();
            if (w != null && kind != null && start != null && ramp != null && !Double.isNaN(severity) && length != null) {
                out.add(new Scenario.Incident(w, kind, start, ramp, severity, length));
            }
        }
        return out;
    }

    /** A position in the tree that knows its key path and records problems rather than throwing. */
    private static final class Node {
        final JsonNode node;
        final String path;
        final List<ConfigException.Problem> problems;
        final Set<String> read = new TreeSet<>();
        boolean notMappingReported;

        Node(JsonNode node, String path, List<ConfigException.Problem> problems) {
            this.node = node == null || node.isNull() || node.isMissingNode() ? null : node;
            this.path = path;
            this.problems = problems;
        }

        boolean present() {
            return node != null;
        }

        Node child(String key) {
            read.add(key);
            if (node != null && !node.isObject() && !notMappingReported) {
                // e.g. "load: 3", or an alias read as a string: defaults must not stand in for what was meant.
                problem("must be a mapping", node.asText(node.toString()));
                notMappingReported = true;
            }
            JsonNode c = node != null && node.isObject() ? node.get(key) : null;
            return new Node(c, path.isEmpty() ? key : path + "." + key, problems);
        }

        List<Node> items() {
            List<Node> out = new ArrayList<>();
            if (node == null) {
                return out;
            }
            if (!node.isArray()) {
                problem("must be a list", node.toString());
                return out;
            }
            for (int i = 0; i < node.size(); i++) {
                out.add(new Node(node.get(i), path + "[" + i + "]", problems));
            }
            return out;
        }

        void problem(String message, String got) {
            problems.add(new ConfigException.Problem(path, message + (got == null ? "" : " (got \"" + got + "\")")));
        }

        /** Keys nobody read are typos: report them rather than silently using defaults. */
        void rejectUnknown() {
            if (node == null || !node.isObject()) {
                return;
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!read.contains(k)) {
                    problems.add(new ConfigException.Problem(path.isEmpty() ? k : path + "." + k,
                            "unknown key (known: " + String.join(", ", read) + ")"));
                }
            }
        }

        String string(String dflt) {
            if (node == null) {
                return dflt;
            }
            if (!node.isTextual() || node.asText().isBlank()) {
                problem("must be a non-empty string", node.toString());
                return dflt;
            }
            return node.asText();
        }

        boolean bool(boolean dflt) {
            if (node == null) {
                return dflt;
            }
            if (!node.isBoolean()) {
                problem("must be true or false", node.asText());
                return dflt;
            }
            return node.asBoolean();
        }

        double number(double dflt, double min, boolean integer) {
            if (node == null) {
                if (Double.isNaN(dflt)) {
                    problem("is required", null);
                }
                return dflt;
            }
            if (!node.isNumber() || (integer && !node.canConvertToInt()) || node.asDouble() < min
                    || (integer && node.asDouble() != Math.rint(node.asDouble()))) {
                problem("must be " + (integer ? "a whole number" : "a number") + " ≥ " + fmt(min), node.asText());
                return Double.isNaN(dflt) ? Double.NaN : dflt;
            }
            return node.asDouble();
        }

        long bytes(long dflt) {
            if (node == null) {
                return dflt;
            }
            Optional<Long> b = node.isNumber() ? Optional.of(node.asLong()) : ByteSizes.parse(node.asText());
            if (b.isEmpty() || b.get() <= 0) {
                problem("must be a size > 0 like 512MiB or 4GiB", node.asText());
                return dflt;
            }
            return b.get();
        }

        /** A duration ≥ {@code min}; a null default makes the key required. */
        Duration duration(Duration dflt, Duration min) {
            if (node == null) {
                if (dflt == null) {
                    problem("is required", null);
                }
                return dflt;
            }
            Optional<Duration> d = Durations.parse(node.asText());
            if (d.isEmpty() || d.get().compareTo(min) < 0) {
                problem("must be a duration ≥ " + Durations.format(min) + " like 30s, 5m, 2h", node.asText());
                return dflt;
            }
            return d.get();
        }

        Instant instant(Instant dflt) {
            if (node == null) {
                return dflt;
            }
            try {
                return Instant.parse(node.asText());
            } catch (DateTimeParseException e) {
                problem("must be an RFC 3339 UTC time like 2026-11-30T00:00:00Z", node.asText());
                return dflt;
            }
        }

        Scenario.Kind kind() {
            if (node == null) {
                problem("is required", null);
                return null;
            }
            for (Scenario.Kind k : Scenario.Kind.values()) {
                if (k.label().equals(node.asText())) {
                    return k;
                }
            }
            List<String> labels = new ArrayList<>();
            for (Scenario.Kind k : Scenario.Kind.values()) {
                labels.add(k.label());
            }
            problem("must be one of " + String.join(", ", labels), node.asText());
            return null;
        }

        /** A number (the mean, no seasonality or noise) or {mean, daily, weekly, noise}. */
        Scenario.Signal signal(double dfltMean, boolean size) {
            if (node == null) {
                return new Scenario.Signal(dfltMean, 0, 0, 0);
            }
            if (!node.isObject()) {
                return new Scenario.Signal(size ? bytes((long) dfltMean) : number(dfltMean, 0, false), 0, 0, 0);
            }
            Node mean = child("mean");
            double m = size ? mean.bytes((long) dfltMean) : mean.number(dfltMean, 0, false);
            Scenario.Signal sig = new Scenario.Signal(m, child("daily").number(0, 0, false),
                    child("weekly").number(0, 0, false), child("noise").number(0, 0, false));
            if (sig.daily() + sig.weekly() >= 1) {
                problem("daily + weekly must be < 1 so the signal stays positive", fmt(sig.daily() + sig.weekly()));
            }
            rejectUnknown();
            return sig;
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
        }
    }
}
