package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.ConfigLoader;
import io.headroom.detect.Backtest;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The backtest CSV: which columns are empty when, tiers from the configured floors, quoting. */
class BacktestCsvTest {

    static final Instant T = Instant.parse("2026-11-28T10:00:30Z");
    static final Backtest.ModelInfo GLOBAL = new Backtest.ModelInfo("global", "isolation-forest",
            Instant.parse("2026-11-28T09:00:00Z"), Instant.parse("2026-11-28T08:59:30Z"));

    @Test
    void writesOneLinePerRowWithEmptyFieldsForWhatIsMissing() throws Exception {
        StringWriter out = new StringWriter();
        BacktestCsv csv = new BacktestCsv(out, ConfigLoader.parse("decide: {tiers: {medium: {min_score: 40}}}", null)
                .decide().tiers());
        csv.accept(new Backtest.Row(T, "web-1", Optional.empty(), Double.NaN, Double.NaN, Optional.empty()));
        csv.accept(new Backtest.Row(T, "web-2", Optional.of(GLOBAL), Double.NaN, Double.NaN, Optional.empty()));
        csv.accept(new Backtest.Row(T, "web,3", Optional.of(GLOBAL), 39.5, 0.4375, Optional.of("cpu")));
        csv.accept(new Backtest.Row(T, "web-4", Optional.of(GLOBAL), 40, 0.5, Optional.of("memory")));
        csv.accept(new Backtest.Row(T, "web-5", Optional.of(GLOBAL), 95.25, 0.75, Optional.of("cpu")));

        assertThat(out.toString()).isEqualTo("""
                timestamp,workload,score,tier,top_feature,model_scope,model_trained_at,raw_score
                2026-11-28T10:00:30Z,web-1,,,,,,
                2026-11-28T10:00:30Z,web-2,,,,global,2026-11-28T09:00:00Z,
                2026-11-28T10:00:30Z,"web,3",39.5,none,cpu,global,2026-11-28T09:00:00Z,0.4375
                2026-11-28T10:00:30Z,web-4,40,medium,memory,global,2026-11-28T09:00:00Z,0.5
                2026-11-28T10:00:30Z,web-5,95.25,critical,cpu,global,2026-11-28T09:00:00Z,0.75
                """);
    }
}
