package io.headroom.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads YAML into a Jackson tree, resolving anchors and aliases ({@code &load} ... {@code *load}).
 *
 * <p>Jackson's own {@code readTree} hands an alias back as a string holding the anchor's name, so
 * {@code load: *load} would read as {@code load: "load"}: a loader would see a scalar where the operator wrote a
 * whole mapping. Here an alias is replaced by a copy of the mapping or list its anchor marked; an alias to an
 * anchor not (yet) defined is an error naming the line. Jackson's parser does not report anchors on single
 * values, so those are not supported (the alias is an error, never the anchor's name). Merge keys ({@code <<: *x}) are not YAML 1.2 and are read as an
 * ordinary key, which the loaders reject as unknown.
 *
 * <p>Because every alias becomes a copy, a few lines of nested aliases ("billion laughs") would expand to more nodes
 * than memory holds. The tree may therefore hold at most {@value #MAX_NODES} nodes, copies included, and an alias
 * whose copy would pass that is an error naming its line. SnakeYAML's {@code LoaderOptions.maxAliasesForCollections}
 * does not help here: it guards SnakeYAML's own composer, which Jackson's streaming parser does not use. An anchor
 * cannot refer to itself: it is registered only once its node is complete.
 */
public final class YamlTree {

    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    /**
     * Nodes a document may expand to, copies from aliases included: some hundred times the largest config or
     * scenario written by hand, and a few tens of MB of heap at most.
     */
    static final int MAX_NODES = 200_000;

    private YamlTree() {}

    /** The document as a tree; null for an empty document. */
    public static JsonNode read(String yaml) throws JsonProcessingException {
        try (YAMLParser p = (YAMLParser) FACTORY.createParser(yaml)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            return value(p, new HashMap<>(), new int[1]);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading YAML from a string", e);
        }
    }

    /** {@code count[0]} is the number of nodes built so far, copies included. */
    private static JsonNode value(YAMLParser p, Map<String, Anchored> anchors, int[] count) throws IOException {
        if (p.isCurrentAlias()) {
            Anchored target = anchors.get(p.getText());
            if (target == null) {
                throw new AliasException(p, "alias *" + p.getText() + " refers to no anchor on a mapping or list defined"
                        + " before it (anchors on single values are not supported: repeat the value)");
            }
            count[0] += target.nodes();
            checkSize(p, count[0], " expanding alias *" + p.getText());
            return target.node().deepCopy();
        }
        int first = count[0];
        count[0]++;
        checkSize(p, count[0], "");
        String anchor = p.getObjectId();
        JsonNode node = switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    o.set(key, value(p, anchors, count));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(p, anchors, count));
                }
                yield a;
            }
            default -> MAPPER.readTree(p);
        };
        if (anchor != null) {
            anchors.put(anchor, new Anchored(node, count[0] - first));
        }
        return node;
    }

    private static void checkSize(YAMLParser p, int nodes, String doing) throws AliasException {
        if (nodes > MAX_NODES) {
            throw new AliasException(p, "document grows past " + MAX_NODES + " values" + doing
                    + " (aliases copy what their anchor marks; nested aliases multiply)");
        }
    }

    /** An anchored mapping or list and how many nodes a copy of it adds. */
    private record Anchored(JsonNode node, int nodes) {}

    /** An alias without its anchor, reported like any YAML syntax error (with its location). */
    static final class AliasException extends JsonProcessingException {
        private static final long serialVersionUID = 1L;

        AliasException(JsonParser p, String message) {
            super(message, p.currentLocation());
        }
    }
}
