package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.FeatureSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchQueriesTest {

    @Test
    void wrapsEachQueryToKeepTheBatchOnly() {
        FeatureSpec cpu = new FeatureSpec("cpu", "sum by (${label}) (rate(cpu_seconds_total[2m]))",
                FeatureSpec.Kind.GAUGE, FeatureSpec.Pressure.CPU, FeatureSpec.Direction.ABOVE);
        FeatureSpec only = BatchQueries.only(List.of(cpu), List.of("web-1", "db-1")).get(0);
        assertThat(only.queryFor("domain")).isEqualTo("(sum by (domain) (rate(cpu_seconds_total[2m]))) and on(domain) ("
                + "label_replace(vector(1), \"domain\", \"web-1\", \"\", \"\") or "
                + "label_replace(vector(1), \"domain\", \"db-1\", \"\", \"\"))");
        assertThat(only.name()).isEqualTo("cpu");
        assertThat(only.kind()).isEqualTo(cpu.kind());
        assertThat(only.usage()).isEqualTo(cpu.usage());
    }

    @Test
    void quotesNamesAndKeepsDollarsLiteral() {
        assertThat(BatchQueries.replacement("a\"b\\c$1")).isEqualTo("\"a\\\"b\\\\c$$1\"");
    }
}
