package io.headroom.cli;

import io.headroom.config.HeadroomConfig;
import io.headroom.detect.FeatureEngineering;
import io.headroom.detect.ModelTrainer;
import io.headroom.detect.WorkloadModel;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code headroom score}: fits a model on one CSV series and scores another, offline, with the config's
 * {@code detection} section; the way to measure the detector on labelled data and to compare it with others.
 *
 * <p>TEST is scored as a series of its own by default: its engineering windows warm up on its own first rows (they
 * see missing history, which the model imputes as ordinary). That is what a comparison with another detector, which
 * sees each file alone, needs, and it holds whatever TEST's relation to TRAIN. {@code --continue} instead treats
 * TEST as the continuation of TRAIN, so its first rows have TRAIN's tail as history, as the live loop would.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Fits a model on TRAIN and scores every row of TEST, offline, with the config's detection section.",
                "Input CSV: a header, an optional first column 'timestamp' (RFC 3339 or unix seconds), then numeric",
                "feature columns, the same in both files; empty or NaN = missing. Output CSV: row,raw_score,score,",
                "top_feature, one line per TEST row in order (row 0 = first data row)."})
final class ScoreCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--train", required = true, paramLabel = "TRAIN.csv", description = "Rows to learn from (all of them).")
    Path train;

    @Option(names = "--test", required = true, paramLabel = "TEST.csv", description = "Rows to score.")
    Path test;

    @Mixin
    OutputOption out;

    @Option(names = "--raw-features",
            description = "No feature engineering and no range guard: the plain detector on the given columns.")
    boolean rawFeatures;

    @Option(names = "--continue",
            description = "TEST continues TRAIN: engineering windows at TEST's start reach back into TRAIN's tail.")
    boolean continueTrain;

    @Option(names = "--step", paramLabel = "DURATION",
            description = "Time between rows (default: inferred from the timestamps, else collection.step).")
    String step;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HeadroomConfig cfg = config.load();
        long started = System.nanoTime();
        SeriesCsv trainCsv = SeriesCsv.read(train);
        SeriesCsv testCsv = SeriesCsv.read(test);
        checkSameColumns(trainCsv, testCsv);
        List<String> features = trainCsv.features();
        int nf = features.size();
        long stepSeconds = stepSeconds(cfg.collection().step(), trainCsv, testCsv);
        int lookback = rawFeatures ? 0 : WorkloadModel.engineeringFor(cfg.detection().engineering(), features, stepSeconds)
                .stream().mapToInt(FeatureEngineering.Settings::lookback).max().orElse(0);

        int[] trainPos = RowLayout.positions(trainCsv, stepSeconds, lookback);
        int[] testPos = RowLayout.positions(testCsv, stepSeconds, lookback);
        int trainRows = trainPos[trainPos.length - 1] + 1;
        int testRows = testPos[testPos.length - 1] + 1;
        double[] trainGrid = RowLayout.emptyGrid(trainRows, nf, trainCsv.file());
        RowLayout.place(trainCsv, trainPos, trainGrid, 0);

        WorkloadModel model;
        try {
            boolean[] trainable = new boolean[trainRows];
            Arrays.fill(trainable, true);
            model = new ModelTrainer(cfg.detection()).train("offline", features,
                    List.of(new ModelTrainer.History(trainGrid, trainRows, trainable)), stepSeconds, rawFeatures,
                    Instant.now());
        } catch (ModelTrainer.InsufficientDataException e) {
            throw new InputException(trainCsv.file() + ": " + e.getMessage().replaceFirst("^offline: ", "")
                    + " (detection.min_training_rows)");
        }

        int from = continueTrain ? trainRows + RowLayout.stepsBetween(trainCsv, testCsv, stepSeconds, lookback) - 1 : 0;
        double[] history = RowLayout.emptyGrid(from + testRows, nf, testCsv.file());
        if (continueTrain) {
            System.arraycopy(trainGrid, 0, history, 0, trainGrid.length);
        }
        RowLayout.place(testCsv, testPos, history, from);
        WorkloadModel.Scored scored = model.score(history, from + testRows, from);

        out.write(w -> {
            write(w, scored, testPos, features);
            return null;
        });
        spec.commandLine().getErr().printf("%s on %d rows x %d model columns (%s, step %ds); %d rows scored in %.1fs -> %s%n",
                model.type(), model.trainingRows(), model.modelWidth(), rawFeatures ? "raw features" : "engineered",
                stepSeconds, testCsv.rows(), (System.nanoTime() - started) / 1e9, out);
        return 0;
    }

    /** The step: --step, else the timestamps' spacing (TRAIN's and TEST's must agree), else the training step. */
    private long stepSeconds(Duration configured, SeriesCsv trainCsv, SeriesCsv testCsv) throws InputException {
        if (step != null) {
            return StepArg.parse(step, configured, spec).toSeconds();
        }
        long fromTrain = RowLayout.inferStepSeconds(trainCsv.timestamps());
        long fromTest = RowLayout.inferStepSeconds(testCsv.timestamps());
        if (fromTrain > 0 && fromTest > 0 && fromTrain != fromTest) {
            throw new InputException(trainCsv.file() + " has a row every " + fromTrain + "s, " + testCsv.file()
                    + " every " + fromTest + "s; resample one, or pass --step");
        }
        long inferred = Math.max(fromTrain, fromTest);
        return inferred > 0 ? inferred : configured.toSeconds();
    }

    private static void checkSameColumns(SeriesCsv a, SeriesCsv b) throws InputException {
        for (String f : a.features()) {
            if (!b.features().contains(f)) {
                throw new InputException(b.file() + " has no column \"" + f + "\", which " + a.file() + " has");
            }
        }
        for (String f : b.features()) {
            if (!a.features().contains(f)) {
                throw new InputException(b.file() + " has a column \"" + f + "\" that " + a.file() + " lacks");
            }
        }
        for (int i = 0; i < a.features().size(); i++) {
            if (!a.features().get(i).equals(b.features().get(i))) {
                throw new InputException(b.file() + ": column \"" + b.features().get(i) + "\" is where " + a.file()
                        + " has \"" + a.features().get(i) + "\"; the feature columns must be in the same order");
            }
        }
    }

    /** One line per TEST row; a row whose features are all missing has no score (empty fields), never 0. */
    private static void write(Writer w, WorkloadModel.Scored s, int[] positions, List<String> features) throws IOException {
        int nf = s.nFeatures();
        StringBuilder line = new StringBuilder(64).append("row,raw_score,score,top_feature\n");
        for (int i = 0; i < positions.length; i++) {
            int k = positions[i];
            line.append(i).append(',');
            if (!Double.isNaN(s.score()[k])) {
                line.append(s.raw()[k]).append(',').append(s.score()[k]).append(',');
                int top = -1;
                for (int f = 0; f < nf; f++) {
                    if (s.attribution()[k * nf + f] > (top < 0 ? 0 : s.attribution()[k * nf + top])) {
                        top = f;
                    }
                }
                line.append(top < 0 ? "" : SeriesCsv.field(features.get(top)));
            } else {
                line.append(",,");
            }
            w.write(line.append('\n').toString());
            line.setLength(0);
        }
    }
}
