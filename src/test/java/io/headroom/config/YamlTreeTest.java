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
}
