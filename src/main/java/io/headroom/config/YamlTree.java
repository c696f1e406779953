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
 */
public final class YamlTree {

    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private YamlTree() {}

    /** The document as a tree; null for an empty document. */
    public static JsonNode read(String yaml) throws JsonProcessingException {
        try (YAMLParser p = (YAMLParser) FACTORY.createParser(yaml)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            return value(p, new HashMap<>());
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading YAML from a string", e);
        }
    }

    private static JsonNode value(YAMLParser p, Map<String, JsonNode> anchors) throws IOException {
        if (p.isCurrentAlias()) {
            JsonNode target = anchors.get(p.getText());
            if (target == null) {
                throw new AliasException(p, "alias *" + p.getText() + " refers to no anchor on a mapping or list defined"
                        + " before it (anchors on single values are not supported: repeat the value)");
            }
            return target.deepCopy();
        }
        String anchor = p.getObjectId();
        JsonNode node = switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    o.set(key, value(p, anchors));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(p, anchors));
                }
                yield a;
            }
            default -> MAPPER.readTree(p);
        };
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        return node;
    }

    /** An alias without its anchor, reported like any YAML syntax error (with its location). */
    static final class AliasException extends JsonProcessingException {
        private static final long serialVersionUID = 1L;

        AliasException(JsonParser p, String message) {
            super(message, p.currentLocation());
        }
    }
}
