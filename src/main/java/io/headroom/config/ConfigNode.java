package io.headroom.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A position in the YAML tree that knows its key path, records problems instead of throwing (so that all of
 * them are reported at once), and remembers which keys were read so that unknown keys become errors.
 * A missing key or an explicit YAML {@code null} both mean "use the default".
 */
final class ConfigNode {

    private final JsonNode node;
    private final String path;
    private final List<ConfigException.Problem> problems;
    private final Path baseDir;
    private final Set<String> read = new HashSet<>();
    private Set<String> knownPaths;

    ConfigNode(JsonNode node, String path, List<ConfigException.Problem> problems, Path baseDir) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        this.baseDir = baseDir;
    }

    String path() {
        return path;
    }

    boolean present() {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    void problem(String message) {
        problems.add(new ConfigException.Problem(path, message));
    }

    /** Problems found so far in the whole document, to tell whether a read just added one. */
    int problemCount() {
        return problems.size();
    }

    /** Records every key path that any reader asks for, into {@code sink} (used to list the schema). */
    ConfigNode recordingKnownPaths(Set<String> sink) {
        this.knownPaths = sink;
        return this;
    }

    /** The child at {@code key} of this mapping; marks the key as known. */
    ConfigNode child(String key) {
        read.add(key);
        JsonNode c = node != null && node.isObject() ? node.get(key) : null;
        ConfigNode child = new ConfigNode(c, path.isEmpty() ? key : path + "." + key, problems, baseDir);
        if (knownPaths != null) {
            knownPaths.add(child.path);
            child.knownPaths = knownPaths;
        }
        return child;
    }

    /** The keys of this mapping, in document order (empty when absent or not a mapping). */
    List<String> keys() {
        List<String> out = new ArrayList<>();
        if (present() && node.isObject()) {
            node.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    /** Checks this node is a mapping (or absent); reports it otherwise. */
    boolean expectMapping() {
        if (present() && !node.isObject()) {
            problem("must be a mapping of keys to values (got " + describe() + ")");
            return false;
        }
        return true;
    }

    /** Reports every key of this mapping that no reader asked for. Call after reading all children. */
    void rejectUnknownKeys() {
        if (!present() || !node.isObject()) {
            return;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!read.contains(k)) {
                problems.add(new ConfigException.Problem(path.isEmpty() ? k : path + "." + k,
                        "unknown key (known keys here: " + String.join(", ", read.stream().sorted().toList()) + ")"));
            }
        }
    }

    Optional<String> optString() {
        if (!present()) {
            return Optional.empty();
        }
        if (!node.isValueNode()) {
            problem("must be a single value (got " + describe() + ")");
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    String string(String def) {
        return optString().orElse(def);
    }

    String nonEmptyString(String def) {
        String s = string(def);
        if (s == null || s.isBlank()) {
            problem("must not be empty (got \"" + (s == null ? "" : s) + "\")");
        }
        return s;
    }

    Duration duration(Duration def, Duration min, Duration max) {
        Optional<String> s = optString();
        if (s.isEmpty()) {
            return def;
        }
        Optional<Duration> d = Durations.parse(s.get());
        if (d.isEmpty()) {
            problem("must be a duration such as 500ms, 30s, 5m, 1h or 7d (got \"" + s.get() + "\")");
            return def;
        }
        if (d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0) {
            problem("must be a duration between " + Durations.format(min) + " and " + Durations.format(max)
                    + " (got \"" + s.get() + "\")");
            return def;
        }
        return d.get();
    }

    long byteSize(long def, long min, long max) {
        Optional<String> s = optString();
        if (s.isEmpty()) {
            return def;
        }
        Optional<Long> b = ByteSizes.parse(s.get());
        if (b.isEmpty() || b.get() < min || b.get() > max) {
            problem("must be a size between " + ByteSizes.format(min) + " and " + ByteSizes.format(max)
                    + " such as 512MiB (got \"" + s.get() + "\")");
            return def;
        }
        return b.get();
    }

    int integer(int def, int min, int max) {
        if (!present()) {
            return def;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < min || node.asInt() > max) {
            problem("must be a whole number between " + min + " and " + max + " (got " + describe() + ")");
            return def;
        }
        return node.asInt();
    }

    double number(double def, double min, double max) {
        if (!present()) {
            return def;
        }
        if (!node.isNumber() || node.asDouble() < min || node.asDouble() > max) {
            problem("must be a number between " + min + " and " + max + " (got " + describe() + ")");
            return def;
        }
        return node.asDouble();
    }

    boolean bool(boolean def) {
        if (!present()) {
            return def;
        }
        if (!node.isBoolean()) {
            problem("must be true or false (got " + describe() + ")");
            return def;
        }
        return node.asBoolean();
    }

    <E extends Enum<E>> E enumValue(Class<E> type, E def) {
        Optional<String> s = optString();
        if (s.isEmpty()) {
            return def;
        }
        String wanted = s.get().trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        problem("must be one of " + String.join(", ", allowed) + " (got \"" + s.get() + "\")");
        return def;
    }

    Optional<Pattern> regex() {
        Optional<String> s = optString();
        if (s.isEmpty() || s.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pattern.compile(s.get()));
        } catch (PatternSyntaxException e) {
            problem("must be a valid regular expression: " + e.getDescription() + " (got \"" + s.get() + "\")");
            return Optional.empty();
        }
    }

    URI httpUrl(String def) {
        String s = string(def);
        try {
            URI u = new URI(s);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                problem("must be an http:// or https:// URL with a host (got \"" + withoutUserInfo(s) + "\")");
            }
            return u;
        } catch (URISyntaxException e) {
            problem("must be an http:// or https:// URL (got \"" + withoutUserInfo(s) + "\")");
            return URI.create(def);
        }
    }

    /**
     * An http(s) URL that must not carry {@code user:password@}: such URLs end up in logs, metric labels and
     * {@code check-config}'s summary, so credentials belong in a file key instead. The message names only the host.
     */
    URI httpUrlWithoutCredentials(String def) {
        URI u = httpUrl(def);
        if (u.getRawUserInfo() != null) {
            problem("must not contain credentials (got user info in \"" + u.getHost() + "\")");
        }
        return u;
    }

    /** {@code text} with anything between {@code //} and {@code @} hidden, for echoing a URL that failed to parse. */
    static String withoutUserInfo(String text) {
        return text.replaceAll("//[^/?#]*@", "//<redacted>@");
    }

    /**
     * Another YAML document named by this key (e.g. {@code server.web_config_file}): its keys report problems as
     * {@code THIS_KEY[FILE].KEY} with this config's other problems, and its relative paths resolve against the
     * directory of {@code file}.
     */
    ConfigNode document(JsonNode root, Path file) {
        JsonNode doc = root == null || root.isMissingNode() || root.isNull()
                ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : root;
        Path abs = file.toAbsolutePath();
        return new ConfigNode(doc, path + "[" + abs + "]", problems, abs.getParent());
    }

    /** A file that must exist and be readable now; relative paths are relative to the config file. */
    Optional<Path> readableFile() {
        Optional<String> s = optString();
        if (s.isEmpty() || s.get().isEmpty()) {
            return Optional.empty();
        }
        Path p = resolve(s.get());
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            problem("must be a readable file (got \"" + s.get() + "\", resolved to " + p + ")");
        }
        return Optional.of(p);
    }

    /** A directory path (need not exist yet); relative paths are relative to the config file. */
    Path directory(String def) {
        String s = nonEmptyString(def);
        return resolve(s == null || s.isBlank() ? def : s);
    }

    private Path resolve(String s) {
        Path p = Path.of(s);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
    }

    Map<String, String> stringMap() {
        Map<String, String> out = new LinkedHashMap<>();
        if (!present()) {
            return out;
        }
        if (!node.isObject()) {
            problem("must be a mapping of names to strings (got " + describe() + ")");
            return out;
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                problems.add(new ConfigException.Problem(path + "." + e.getKey(),
                        "must be a string (got " + describe(e.getValue()) + ")"));
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    List<String> stringList() {
        List<String> out = new ArrayList<>();
        for (ConfigNode item : list()) {
            item.optString().ifPresent(out::add);
        }
        return out;
    }

    List<ConfigNode> list() {
        List<ConfigNode> out = new ArrayList<>();
        if (!present()) {
            return out;
        }
        if (!node.isArray()) {
            problem("must be a list (got " + describe() + ")");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            out.add(new ConfigNode(node.get(i), path + "[" + i + "]", problems, baseDir));
        }
        return out;
    }

    private String describe() {
        return describe(node);
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isTextual()) {
            return "\"" + n.asText() + "\"";
        }
        return n.asText();
    }
}
