package io.headroom.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads {@code headroom.yaml} into an immutable {@link HeadroomConfig}, validating everything at load.
 * All problems are collected and thrown together as one {@link ConfigException}; unknown keys are errors
 * so that a typo never silently falls back to a default.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigLoader() {}

    /** Loads and validates a config file; relative file paths inside it resolve against its directory. */
    public static HeadroomConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("", "cannot read config file " + file + ": " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, dir);
    }

    /**
     * Every key path the loader reads when given {@code yaml} (defaults included), e.g.
     * {@code prometheus.retry.max_attempts}. Used to check that the example config documents every key.
     */
    static java.util.SortedSet<String> keyPaths(String yaml) {
        java.util.SortedSet<String> paths = new java.util.TreeSet<>();
        List<ConfigException.Problem> problems = new ArrayList<>();
        try {
            JsonNode root = YamlTree.read(yaml);
            Sections.headroom(new ConfigNode(root == null || root.isNull() ? YAML.createObjectNode() : root, "",
                    problems, null).recordingKnownPaths(paths));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return paths;
    }

    /** Parses and validates YAML text; {@code baseDir} resolves relative paths (may be null). */
    public static HeadroomConfig parse(String yaml, Path baseDir) throws ConfigException {
        JsonNode root;
        try {
            root = YamlTree.read(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw new ConfigException("", "not valid YAML" + where + ": " + e.getOriginalMessage());
        }
        List<ConfigException.Problem> problems = new ArrayList<>();
        ConfigNode top = new ConfigNode(root, "", problems, baseDir);
        if (root == null || root.isMissingNode() || root.isNull()) {
            // An empty file is a valid config: every key takes its default.
            top = new ConfigNode(YAML.createObjectNode(), "", problems, baseDir);
        }
        if (!top.expectMapping()) {
            throw new ConfigException(problems);
        }
        HeadroomConfig cfg = Sections.headroom(top);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return cfg;
    }
}
