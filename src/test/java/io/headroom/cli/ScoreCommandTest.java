package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.cli.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code headroom score} on small seeded CSVs: what it writes, how it treats time, and how it fails. */
class ScoreCommandTest {

    static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");

    @TempDir
    Path dir;

    /** cpu, mem, net rows with a daily cpu cycle; one row a minute from {@code first}. */
    static List<double[]> rows(int n, long seed, int first) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<double[]> out = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            out.add(new double[] {
                0.4 + 0.2 * Math.sin(2 * Math.PI * i / 1440.0) + 0.02 * rng.nextGaussian(),
                0.6 + 0.005 * rng.nextGaussian(),
                1e6 * (1 + 0.1 * rng.nextGaussian())});
        }
        return out;
    }

    /** Writes rows as CSV; with timestamps, row k of the list is at {@code T0 + minutes[k]}. */
    Path csv(String name, List<double[]> rows, int[] minutes) throws IOException {
        StringBuilder sb = new StringBuilder(minutes == null ? "cpu,mem,net\n" : "timestamp,cpu,mem,net\n");
        for (int k = 0; k < rows.size(); k++) {
            if (minutes != null) {
                sb.append(T0.plusSeconds(60L * minutes[k])).append(',');
            }
            double[] r = rows.get(k);
            for (int f = 0; f < r.length; f++) {
                sb.append(f > 0 ? "," : "").append(Double.isNaN(r[f]) ? "" : String.format(Locale.ROOT, "%.6f", r[f]));
            }
            sb.append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb);
        return p;
    }

    Path config(String detection) throws IOException {
        Path p = dir.resolve("h.yaml");
        Files.writeString(p, "detection: {min_training_rows: 500" + detection + "}\n");
        return p;
    }

    Run score(Path cfg, Path train, Path test, String... extra) {
        List<String> args = new ArrayList<>(List.of("score", "--config", cfg.toString(), "--train", train.toString(),
                "--test", test.toString(), "--out", "-"));
        args.addAll(List.of(extra));
        return CliTest.run(args.toArray(String[]::new));
    }

    /** Output lines after the header, split into fields (trailing empty fields kept). */
    static List<String[]> body(Run r) {
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("row,raw_score,score,top_feature");
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
    }

    static double score(String[] fields) {
        return Double.parseDouble(fields[2]);
    }

    static int[] minutes(int from, int n) {
        int[] m = new int[n];
        for (int i = 0; i < n; i++) {
            m[i] = from + i;
        }
        return m;
    }

    @Test
    void scoresEveryTestRowInOrderAndFlagsTheInjectedSurge() throws Exception {
        List<double[]> test = rows(400, 2, 2000);
        for (int i = 300; i < 310; i++) {
            test.get(i)[0] = 0.99;
        }
        Run r = score(config(""), csv("train.csv", rows(2000, 1, 0), null), csv("test.csv", test, null));
        assertThat(r.exit()).as(r.err()).isZero();
        List<String[]> body = body(r);
        assertThat(body).hasSize(400);
        int clean = 0;
        int cleanAbove30 = 0;
        for (int i = 0; i < 400; i++) {
            String[] f = body.get(i);
            assertThat(f).hasSize(4);
            assertThat(f[0]).isEqualTo(Integer.toString(i));
            assertThat(Double.parseDouble(f[1])).isBetween(0.0, 1.0);
            if (i >= 300 && i < 310) {
                assertThat(score(f)).as("surge row %d", i).isGreaterThan(70);
                assertThat(f[3]).as("surge row %d", i).isEqualTo("cpu");
            } else if (i < 300) {
                clean++;
                cleanAbove30 += score(f) > 30 ? 1 : 0;
            }
        }
        assertThat(cleanAbove30).as("clean rows above 30").isLessThanOrEqualTo(clean / 100);
        assertThat(r.err()).contains("isolation-forest on 2000 rows", "engineered", "step 30s", "400 rows scored");
    }

    @Test
    void rawFeaturesScoreEachRowOnItsOwn() throws Exception {
        // Without engineering a row's score cannot depend on its neighbours: reversing TEST reverses the scores.
        List<double[]> test = rows(300, 3, 2000);
        List<double[]> reversed = new ArrayList<>(test);
        java.util.Collections.reverse(reversed);
        Path cfg = config("");
        Path train = csv("train.csv", rows(1000, 1, 0), null);
        List<String[]> forward = body(score(cfg, train, csv("test.csv", test, null), "--raw-features"));
        List<String[]> backward = body(score(cfg, train, csv("reversed.csv", reversed, null), "--raw-features"));
        for (int i = 0; i < 300; i++) {
            assertThat(forward.get(i)[1]).isEqualTo(backward.get(299 - i)[1]);
        }
        // With engineering they do depend on neighbours (the test above would fail).
        List<String[]> engineered = body(score(cfg, train, csv("test.csv", test, null)));
        List<String[]> engineeredBack = body(score(cfg, train, csv("reversed.csv", reversed, null)));
        assertThat(engineered.get(150)[1]).isNotEqualTo(engineeredBack.get(149)[1]);
    }

    @Test
    void continueScoresTestAsTheTailOfOneSeriesWithTrain() throws Exception {
        List<double[]> train = rows(1000, 1, 0);
        List<double[]> test = rows(200, 4, 1000);
        List<double[]> both = new ArrayList<>(train);
        both.addAll(test);
        Path cfg = config(", engineering: {window: 10m, transforms: [level, deviation, variability, rate]}");
        Path trainCsv = csv("train.csv", train, null);
        List<String[]> continued = body(score(cfg, trainCsv, csv("test.csv", test, null), "--continue"));
        List<String[]> whole = body(score(cfg, trainCsv, csv("both.csv", both, null)));
        List<String[]> alone = body(score(cfg, trainCsv, csv("test.csv", test, null)));
        for (int i = 0; i < 200; i++) {
            assertThat(continued.get(i)[1]).as("row %d", i).isEqualTo(whole.get(1000 + i)[1]);
        }
        // Alone, the first rows have no history; that changes their score.
        assertThat(alone.get(0)[1]).isNotEqualTo(continued.get(0)[1]);
    }

    @Nested
    class Time {
        @Test
        void aMissingStepIsAGapNotAShorterWindow() throws Exception {
            // Minute 50 is absent from one file and an empty row in the other: the same series.
            List<double[]> test = rows(100, 5, 2000);
            List<double[]> gapped = new ArrayList<>(test);
            gapped.remove(50);
            int[] gappedMinutes = new int[99];
            for (int k = 0, m = 0; m < 100; m++) {
                if (m != 50) {
                    gappedMinutes[k++] = 2000 + m;
                }
            }
            List<double[]> holed = new ArrayList<>(test);
            holed.set(50, new double[] {Double.NaN, Double.NaN, Double.NaN});
            Path cfg = config(", engineering: {window: 10m}");
            Path train = csv("train.csv", rows(1000, 1, 0), minutes(0, 1000));
            Run g = score(cfg, train, csv("gapped.csv", gapped, gappedMinutes));
            List<String[]> withGap = body(g);
            List<String[]> withHole = body(score(cfg, train, csv("holed.csv", holed, minutes(2000, 100))));
            assertThat(withGap).hasSize(99);
            assertThat(withHole.get(50)).containsExactly("50", "", "", "");
            for (int k = 0; k < 99; k++) {
                int m = k < 50 ? k : k + 1;
                assertThat(withGap.get(k)[0]).isEqualTo(Integer.toString(k));
                assertThat(withGap.get(k)[1]).as("row %d", k).isEqualTo(withHole.get(m)[1]);
            }
            assertThat(g.err()).contains("step 60s");
        }

        @Test
        void unixSecondsWork() throws Exception {
            Path train = dir.resolve("train.csv");
            StringBuilder sb = new StringBuilder("timestamp,x\n");
            for (int i = 0; i < 600; i++) {
                sb.append(1_790_000_000L + 30L * i).append(',').append(i % 7).append('\n');
            }
            Files.writeString(train, sb);
            Run r = score(config(""), train, train);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).contains("step 30s");
        }

        @Test
        void rowsOutOfOrderAreRefusedWithTheirLine() throws Exception {
            Path test = csv("test.csv", rows(10, 5, 0), new int[] {0, 1, 2, 3, 5, 4, 6, 7, 8, 9});
            Run r = score(config(""), csv("train.csv", rows(1000, 1, 0), null), test);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains(test + " line 7: timestamp 2026-11-28T00:04:00Z is not after the previous row's");
        }

        @Test
        void differentStepsAreRefused() throws Exception {
            int[] everyTwo = new int[1000];
            for (int i = 0; i < 1000; i++) {
                everyTwo[i] = 2 * i;
            }
            Run r = score(config(""), csv("train.csv", rows(1000, 1, 0), everyTwo),
                    csv("test.csv", rows(10, 5, 0), minutes(3000, 10)));
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("has a row every 120s", "every 60s; resample one, or pass --step");
        }

        @Test
        void continueNeedsTestAfterTrain() throws Exception {
            Path test = csv("test.csv", rows(10, 5, 0), minutes(500, 10));
            Run r = score(config(""), csv("train.csv", rows(1000, 1, 0), minutes(0, 1000)), test, "--continue");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains(test + " line 2: --continue needs it to start at least a step after");
        }
    }

    @Nested
    class Errors {
        @Test
        void aBadNumberNamesFileLineAndColumn() throws Exception {
            Path test = dir.resolve("test.csv");
            Files.writeString(test, "cpu,mem,net\n0.1,0.2,3\n0.1,0.2,3\n0.1,1d,3\n");
            Run r = score(config(""), csv("train.csv", rows(1000, 1, 0), null), test);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("error: " + test + " line 4, column 2 (mem): \"1d\" is not a number");
            assertThat(r.out()).isEmpty();
        }

        @Test
        void missingValuesAreNotErrors() throws Exception {
            Path test = dir.resolve("test.csv");
            Files.writeString(test, "cpu,mem,net\n0.4,,1e6\nNaN,0.6,+Inf\n,,\n");
            Run r = score(config(""), csv("train.csv", rows(1000, 1, 0), null), test);
            assertThat(r.exit()).as(r.err()).isZero();
            List<String[]> body = body(r);
            assertThat(score(body.get(0))).isBetween(0.0, 100.0);
            assertThat(score(body.get(1))).isBetween(0.0, 100.0);
            assertThat(body.get(2)).as("no data, no score").containsExactly("2", "", "", "");
        }

        @Test
        void differentColumnsAreNamed() throws Exception {
            Path test = dir.resolve("test.csv");
            Files.writeString(test, "cpu,memory,net\n0.1,0.2,3\n");
            Run r = score(config(""), csv("train.csv", rows(1000, 1, 0), null), test);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains(test + " has no column \"mem\"");
        }

        @Test
        void columnsInAnotherOrderAreRefused() throws Exception {
            Path test = dir.resolve("test.csv");
            Files.writeString(test, "mem,cpu,net\n0.1,0.2,3\n");
            Run r = score(config(""), csv("train.csv", rows(1000, 1, 0), null), test);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains(": column \"mem\" is where", "has \"cpu\"; the feature columns must be in the same order");
        }

        @Test
        void aShortLineIsRefused() throws Exception {
            Path test = dir.resolve("test.csv");
            Files.writeString(test, "cpu,mem,net\n0.1,0.2,3\n0.1,0.2\n");
            Run r = score(config(""), csv("train.csv", rows(1000, 1, 0), null), test);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains(test + " line 3: 2 fields, the header has 3");
        }

        @Test
        void tooLittleTrainingDataIsAnInputError() throws Exception {
            Path train = csv("train.csv", rows(100, 1, 0), null);
            Run r = score(config(""), train, train);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains(train + ": 100 clean training rows, 500 needed (detection.min_training_rows)");
        }

        @Test
        void aMissingFileIsAnInputError() throws Exception {
            Run r = score(config(""), dir.resolve("absent.csv"), dir.resolve("absent.csv"));
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("absent.csv: no such file");
        }

        @Test
        void aBadStepIsAUsageError() throws Exception {
            Path train = csv("train.csv", rows(1000, 1, 0), null);
            Run r = score(config(""), train, train, "--step", "1.5m");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--step: must be a whole number of seconds");
        }

        @Test
        void anUnwritableOutputIsARuntimeFailure() throws Exception {
            Path train = csv("train.csv", rows(1000, 1, 0), null);
            Run r = CliTest.run("score", "--config", config("").toString(), "--train", train.toString(),
                    "--test", train.toString(), "--out", dir.resolve("no/such/dir/out.csv").toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: ");
        }

        @Test
        void anInvalidConfigExits2() throws Exception {
            Path train = csv("train.csv", rows(1000, 1, 0), null);
            Path cfg = dir.resolve("bad.yaml");
            Files.writeString(cfg, "detection: {forest: {trees: 0}}\n");
            Run r = score(cfg, train, train);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("detection.forest.trees");
        }
    }
}
