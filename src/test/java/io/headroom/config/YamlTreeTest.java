package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class YamlTreeTest {

    @Test
    void anAliasIsTheAnchoredMappingNotItsName() throws Exception {
        JsonNode n = YamlTree.read("""
                a:
                  load: &load
                    cpu: {mean: 2.0, noise: 0.05}
                    memory: 5GiB
                b:
                  load: *load
                """);
        assertThat(n.get("b").get("load")).isEqualTo(n.get("a").get("load"));
        assertThat(n.get("b").get("load").get("cpu").get("noise").asDouble()).isEqualTo(0.05);
        assertThat(n.get("b").get("load")).isNotSameAs(n.get("a").get("load"));
    }

    @Test
    void sequenceAnchorsResolveTooAndScalarsKeepTheirTypes() throws Exception {
        JsonNode n = YamlTree.read("x: 3\nl: &l [1, two]\nm: *l\nz: null\nt: true\n");
        assertThat(n.get("x").isInt()).isTrue();
        assertThat(n.get("m").toString()).isEqualTo("[1,\"two\"]");
        assertThat(n.get("z").isNull()).isTrue();
        assertThat(n.get("t").isBoolean()).isTrue();
    }

    @Test
    void anAliasWithoutItsAnchorNamesTheLine() {
        assertThatThrownBy(() -> YamlTree.read("a: 1\nb: *nowhere\n"))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("alias *nowhere refers to no anchor on a mapping or list defined before it")
                .hasMessageContaining("line: 2");
    }

    @Test
    void anEmptyDocumentIsNull() throws Exception {
        assertThat(YamlTree.read("")).isNull();
    }

    @Test
    void theConfigLoaderResolvesAliases() throws Exception {
        HeadroomConfig cfg = ConfigLoader.parse("""
                notify:
                  alertmanager:
                    retry: &backoff {initial_backoff: 3s, max_backoff: 2m}
                act:
                  reconnect: *backoff
                """, null);
        assertThat(cfg.act().reconnectInitialBackoff()).hasSeconds(3);
        assertThat(cfg.act().reconnectMaxBackoff()).hasMinutes(2);
    }

    /** Nine levels of nine aliases: 9^8 copies of the first list, hundreds of millions of nodes if expanded. */
    static final String ALIAS_BOMB = """
            a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
            b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
            c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
            d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
            e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
            f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
            g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
            h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
            i: [*h, *h, *h, *h, *h, *h, *h, *h, *h]
            """;

    @Test
    void anAliasBombIsRefusedAtTheLineThatWouldOverflow() {
        assertThatThrownBy(() -> YamlTree.read(ALIAS_BOMB))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("document grows past " + YamlTree.MAX_NODES + " values expanding alias *e")
                .hasMessageContaining("line: 6");
    }

    @Test
    void manyAliasesWithinTheBoundStillExpand() throws Exception {
        StringBuilder yaml = new StringBuilder("base: &b {cpu: 2, memory: 4GiB, tags: [x, y]}\nl:\n");
        for (int i = 0; i < 1000; i++) {
            yaml.append("  - *b\n");
        }
        JsonNode n = YamlTree.read(yaml.toString());
        assertThat(n.get("l")).hasSize(1000);
        assertThat(n.get("l").get(999).get("tags").get(1).asText()).isEqualTo("y");
    }

    @Test
    void theConfigLoaderReportsAnAliasBombAsInvalidYaml() {
        assertThatThrownBy(() -> ConfigLoader.parse(ALIAS_BOMB, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("<root>: not valid YAML at line 6")
                .hasMessageContaining("document grows past");
    }

    @Test
    void theScenarioLoaderRefusesAnAliasBombToo() {
        assertThatThrownBy(() -> io.headroom.simulate.ScenarioLoader.parse(ALIAS_BOMB))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("document grows past");
    }
}
