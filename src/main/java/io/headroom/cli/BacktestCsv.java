package io.headroom.cli;

import io.headroom.collect.FeatureMatrixCsv;
import io.headroom.collect.ShortestDouble;
import io.headroom.config.DecideConfig;
import io.headroom.decide.Tier;
import io.headroom.detect.Backtest;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Writes backtest rows as CSV, in the conventions of {@link FeatureMatrixCsv} (RFC 3339 UTC times, shortest
 * round-tripping numbers, empty = none, RFC 4180 quoting, {@code \n} line ends).
 *
 * <p>Columns: {@code timestamp,workload,score,tier,top_feature}, then {@code model_scope} (scope key of the model
 * that scored the row), {@code model_trained_at} (when that model was trained) and {@code raw_score} (the
 * detector's uncalibrated score). Without a model, every column after {@code workload} is empty; with a model
 * but no data at the scored row, only the model columns are filled. {@code tier} is the tier the score falls in
 * by {@code decide.tiers.*.min_score} alone, before the decision stage's hysteresis.
 */
final class BacktestCsv implements Backtest.Sink {

    static final String HEADER = "timestamp,workload,score,tier,top_feature,model_scope,model_trained_at,raw_score";

    private final Writer out;
    private final DecideConfig.Tiers tiers;
    private final StringBuilder line = new StringBuilder(128);

    /** Writes the header at once; rows follow through {@link #accept}. */
    BacktestCsv(Writer out, DecideConfig.Tiers tiers) throws IOException {
        this.out = out;
        this.tiers = tiers;
        out.write(HEADER + "\n");
    }

    @Override
    public void accept(Backtest.Row r) throws IOException {
        line.setLength(0);
        line.append(time(r.timestamp())).append(',').append(FeatureMatrixCsv.field(r.workload())).append(',');
        if (r.scored()) {
            line.append(ShortestDouble.format(r.score())).append(',')
                    .append(Tier.forScore(r.score(), tiers).label()).append(',')
                    .append(FeatureMatrixCsv.field(r.topFeature().orElse("")));
        } else {
            line.append(",,");
        }
        line.append(',');
        r.model().ifPresent(m -> line.append(FeatureMatrixCsv.field(m.scope())).append(',').append(time(m.trainedAt())));
        if (r.model().isEmpty()) {
            line.append(',');
        }
        line.append(',');
        if (!Double.isNaN(r.rawScore())) {
            line.append(ShortestDouble.format(r.rawScore()));
        }
        out.write(line.append('\n').toString());
    }

    private static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }
}
