package io.headroom.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The shipped Grafana dashboards, and every PromQL query in them. Paths are relative to the project root. */
final class DashboardFiles {

    static final Path DIR = Path.of("dashboards");
    static final Path PROVISIONING = DIR.resolve("provisioning/headroom.yaml");
    static final ObjectMapper JSON = new ObjectMapper();

    /** Grafana's own variables; every other {@code $name} must be defined in the dashboard's templating. */
    static final List<String> BUILT_IN = List.of("__rate_interval", "__interval", "__interval_ms", "__range",
            "__range_s", "__range_ms", "__from", "__to", "__url_time_range", "__data", "__all", "__dashboard");
    /** {@code $name}, {@code ${name}}, {@code ${name:format}} and {@code [[name]]}. */
    static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?:[:.][^}]*)?}|\\$(\\w+)|\\[\\[(\\w+)(?::\\w+)?]]");

    private DashboardFiles() {}

    /** Where a query sits. {@code kind}: target, annotation or variable; {@code instant} for instant targets. */
    record Query(String dashboard, String panel, String kind, String expr, boolean instant) {
        @Override
        public String toString() {
            return dashboard + " / " + panel + " (" + kind + "): " + expr;
        }
    }

    static List<Path> files() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Panels, rows' nested panels included, in file order. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    /** Every PromQL query of a dashboard: panel targets, annotation queries, variable queries. */
    static List<Query> queries(JsonNode d) {
        String title = d.path("title").asText();
        List<Query> out = new ArrayList<>();
        for (JsonNode p : panels(d)) {
            for (JsonNode t : p.path("targets")) {
                out.add(new Query(title, p.path("title").asText(), "target", t.path("expr").asText(),
                        t.path("instant").asBoolean(false) && !t.path("range").asBoolean(false)));
            }
        }
        for (JsonNode a : d.at("/annotations/list")) {
            String expr = a.has("expr") ? a.path("expr").asText() : a.at("/target/expr").asText("");
            if (!a.path("builtIn").asBoolean(false)) {
                out.add(new Query(title, "annotation " + a.path("name").asText(), "annotation", expr, false));
            }
        }
        for (JsonNode v : d.at("/templating/list")) {
            if (v.path("type").asText().equals("query")) {
                JsonNode q = v.path("query");
                out.add(new Query(title, "variable " + v.path("name").asText(), "variable",
                        q.isObject() ? q.path("query").asText() : q.asText(), false));
            }
        }
        return out;
    }

    /** Names of the {@code $variables} a text uses. */
    static List<String> variablesIn(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            names.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
        }
        return names;
    }

    /** Replaces every variable by its value in {@code values}; a variable without one is an error. */
    static String substitute(String text, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = values.get(name);
            if (value == null) {
                throw new AssertionError("no test value for $" + name + " in " + text);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
