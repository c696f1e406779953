package io.headroom.detect;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Accuracy-comparison main (not a test): grows forests on a Server Machine Dataset machine's train
 * file and writes their scores of its test file, one per line, for {@code src/bench/smd_accuracy.py}
 * to compare with scikit-learn. Reads the data where it lies; never copies it.
 *
 * <p>Arguments: {@code smdDir outDir seeds machine...}. Writes {@code outDir/<machine>.seed<k>.txt}.
 */
public final class SmdScores {
    private SmdScores() {
    }

    public static void main(String[] args) throws IOException {
        Path smd = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int seeds = Integer.parseInt(args[2]);
        Files.createDirectories(out);
        for (int m = 3; m < args.length; m++) {
            String machine = args[m];
            Matrix train = read(smd.resolve("train").resolve(machine + ".txt"));
            Matrix test = read(smd.resolve("test").resolve(machine + ".txt"));
            for (int seed = 0; seed < seeds; seed++) {
                IsolationForest forest = IsolationForest.fit(train.values, train.rows, train.cols,
                        IsolationForest.Settings.defaults(), new SplittableRandom(seed));
                double[] scores = forest.scoreBatch(test.values, test.rows, test.cols);
                try (Writer w = Files.newBufferedWriter(out.resolve(machine + ".seed" + seed + ".txt"), StandardCharsets.UTF_8)) {
                    for (double s : scores) {
                        w.write(Double.toString(s));
                        w.write('\n');
                    }
                }
            }
        }
    }

    private record Matrix(double[] values, int rows, int cols) {
    }

    private static Matrix read(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        lines.removeIf(String::isBlank);
        int cols = lines.get(0).split(",").length;
        double[] values = new double[lines.size() * cols];
        for (int r = 0; r < lines.size(); r++) {
            String[] fields = lines.get(r).split(",");
            if (fields.length != cols) {
                throw new IOException(path + " line " + (r + 1) + ": " + fields.length + " columns, expected " + cols);
            }
            for (int c = 0; c < cols; c++) {
                values[r * cols + c] = Double.parseDouble(fields[c]);
            }
        }
        return new Matrix(values, lines.size(), cols);
    }
}
