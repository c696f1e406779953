package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The shipped example config must load, and must show every key the loader knows. */
class ExampleConfigTest {

    static final Path EXAMPLE = Path.of("daemon/headroom.yaml");

    @Test
    void exampleLoadsAndMatchesTheDefaults() throws Exception {
        HeadroomConfig example = ConfigLoader.load(EXAMPLE);
        HeadroomConfig defaults = ConfigLoader.parse("", null);
        assertThat(example.toString()).isEqualTo(defaults.toString());
    }

    @Test
    void exampleDocumentsEveryKey() throws Exception {
        SortedSet<String> inExample = new TreeSet<>();
        collect(new ObjectMapper(new YAMLFactory()).readTree(Files.readString(EXAMPLE)), "", inExample);
        String text = Files.readString(EXAMPLE);
        SortedSet<String> known = ConfigLoader.keyPaths("");
        // basic_auth is shown commented out because it needs a real password file.
        known.removeIf(k -> k.startsWith("prometheus.basic_auth") && text.contains("# basic_auth:"));
        assertThat(inExample).containsAll(known);
    }

    private static void collect(JsonNode n, String path, SortedSet<String> out) {
        if (n != null && n.isObject()) {
            n.fields().forEachRemaining(e -> {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                out.add(p);
                collect(e.getValue(), p, out);
            });
        }
    }
}
