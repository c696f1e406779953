package io.headroom.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The shipped rule files and their promtool tests, read as data. Paths are relative to the project root. */
final class RuleFiles {

    static final Path DIR = Path.of("rules");
    static final Path RECORDING = DIR.resolve("headroom.rules.yml");
    static final Path ALERTING = DIR.resolve("headroom.alerts.yml");
    static final Path TESTS = DIR.resolve("tests");
    static final Path ALERTMANAGER_EXAMPLE = DIR.resolve("alertmanager.yml");
    /** Alerts Headroom posts to Alertmanager itself (daemon.Notifications); the runbook covers them too. */
    static final List<String> DIRECT_ALERTS =
            List.of("HeadroomCriticalAnomaly", "HeadroomActuationFailed", "HeadroomPrometheusUnreachable",
                    "HeadroomLibvirtUnreachable", "HeadroomStateUnwritable", "HeadroomCycleFailed");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RuleFiles() {}

    /** One rule: {@code name} is the alert or the recorded series. {@code forDuration} is "" for recording rules. */
    record Rule(String group, String name, boolean alert, String expr, String forDuration, Map<String, String> labels,
                Map<String, String> annotations) {}

    static List<Rule> rules(Path file) {
        List<Rule> out = new ArrayList<>();
        for (JsonNode group : read(file).path("groups")) {
            for (JsonNode r : group.path("rules")) {
                boolean alert = r.has("alert");
                out.add(new Rule(group.path("name").asText(), r.path(alert ? "alert" : "record").asText(), alert,
                        r.path("expr").asText(), r.path("for").asText(""), strings(r.path("labels")),
                        strings(r.path("annotations"))));
            }
        }
        return out;
    }

    static List<Rule> alerts() {
        return rules(ALERTING);
    }

    static List<Path> testFiles() {
        try (Stream<Path> files = Files.list(TESTS)) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
