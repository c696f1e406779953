package io.headroom.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A workload's usual level by hour, and what it gives a model scored from a two-hour lookback. */
class SeasonalProfileTest {

    private static final long HOUR = 3_600_000L;
    private static final long MINUTE = 60_000L;

    @Test
    void eachHoursLevelIsTheMedianOfItsTrainableRows() {
        // Two features, two days at one row every 20 minutes from 00:00 UTC: feature 0 is the hour of the day, with
        // one wild row at 05:20 on day 1 and a row at 07:00 that may not be learned; feature 1 is missing before
        // 12:00 on both days.
        long first = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
        int n = 2 * 72;
        double[] raw = new double[n * 2];
        boolean[] trainable = new boolean[n];
        Arrays.fill(trainable, true);
        for (int r = 0; r < n; r++) {
            int hour = (r % 72) / 3;
            raw[r * 2] = hour;
            raw[r * 2 + 1] = hour < 12 ? Double.NaN : 100 + hour;
        }
        raw[(3 * 5 + 1) * 2] = 1e9;
        raw[(3 * 7) * 2] = -1e9;
        trainable[3 * 7] = false;

        SeasonalProfile p = SeasonalProfile.fit(raw, n, 2, trainable, first, 20 * MINUTE);

        for (int hour = 0; hour < 24; hour++) {
            long at = first + hour * HOUR + 30 * MINUTE;
            assertThat(p.at(0, at)).as("feature 0 at %02d:30", hour).isEqualTo(hour);
            if (hour < 12) {
                assertThat(p.at(1, at)).as("feature 1 at %02d:30", hour).isNaN();
            } else {
                assertThat(p.at(1, at)).as("feature 1 at %02d:30", hour).isEqualTo(100 + hour);
            }
        }
        // A later day, and a time before 1970, read the same hours.
        assertThat(p.at(0, first + 40 * 24 * HOUR + 13 * HOUR)).isEqualTo(13);
        assertThat(p.at(0, -24 * HOUR + 23 * HOUR + 59 * MINUTE)).isEqualTo(23);
        assertThat(p.features()).isEqualTo(2);
        assertThat(p.baseline(0, 3, first + 22 * HOUR, HOUR)).containsExactly(22, 23, 0);
    }

    @Test
    void twoWeeksOfHistoryTellTheHoursOfTheWeekApart() {
        // One row an hour, 1 on Saturdays and Sundays (UTC), 0 on weekdays; 2026-03-02 is a Monday.
        long monday = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
        long saturdayNoon = Instant.parse("2026-03-21T12:00:00Z").toEpochMilli();
        long mondayNoon = Instant.parse("2026-03-23T12:00:00Z").toEpochMilli();
        for (int days : new int[] {13, 14}) {
            int n = days * 24;
            double[] raw = new double[n];
            boolean[] trainable = new boolean[n];
            Arrays.fill(trainable, true);
            for (int r = 0; r < n; r++) {
                int dayOfWeek = r / 24 % 7;
                raw[r] = dayOfWeek >= 5 ? 1 : 0;
            }
            // An hour of the week left out of training (Sunday noon) takes its hour of the day's level.
            trainable[6 * 24 + 12] = false;
            if (days == 14) {
                trainable[13 * 24 + 12] = false;
            }
            SeasonalProfile p = SeasonalProfile.fit(raw, n, 1, trainable, monday, HOUR);
            long sundayNoon = Instant.parse("2026-03-22T12:20:00Z").toEpochMilli();
            if (days == 13) {
                assertThat(p.slots()).isEqualTo(SeasonalProfile.DAY);
                assertThat(p.at(0, saturdayNoon)).isZero();
                assertThat(p.at(0, mondayNoon)).isZero();
            } else {
                assertThat(p.slots()).isEqualTo(SeasonalProfile.WEEK);
                assertThat(p.at(0, saturdayNoon)).isEqualTo(1);
                assertThat(p.at(0, mondayNoon)).isZero();
            }
            assertThat(p.at(0, sundayNoon)).as("%d days", days).isZero();
        }
    }

    @Test
    void aZeroStepIsRefused() {
        assertThatThrownBy(() -> SeasonalProfile.fit(new double[1], 1, 1, new boolean[] {true}, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step");
    }

    @Test
    void anOwnModelKeepsItsProfileAndSubtractsItUnderATwoHourLookback() throws Exception {
        WorkloadModel m = trainedOnThreeDays();
        assertThat(m.profile()).isPresent();
        // Engineered over the two hours before 18:00 on day 4: the seasonal column is the level minus its hour's
        // training median, with no row from a day before.
        int n = 120;
        long first = DAY0 + 3 * 24 * HOUR + 16 * HOUR;
        double[] raw = WorkloadModelTest.series(n, 5, (int) ((first - DAY0) / MINUTE));
        double[] eng = m.engineer(raw, n, first, MINUTE);
        int width = eng.length / n;
        int seasonal = FeatureEngineering.columnNames(WorkloadModelTest.FEATURES, new ModelTrainer(
                WorkloadModelTest.config("")).engineering(WorkloadModelTest.FEATURES, 60, false).settings().get(0))
                .indexOf("cpu:seasonal");
        assertThat(seasonal).isNotNegative();
        for (int r = 0; r < n; r++) {
            long at = first + r * MINUTE;
            assertThat(eng[r * width + seasonal]).isEqualTo(raw[r * 3] - m.profile().get().at(0, at));
        }
    }

    @Test
    void theDailyPeaksLevelAtTheTroughsHourScoresHighAndAtThePeaksHourDoesNot() throws Exception {
        WorkloadModel m = trainedOnThreeDays();
        // The training cpu peaks at 0.6 at 06:00 and bottoms at 0.2 at 18:00. Two hours steady at 0.6 are nothing
        // new to the trailing transforms: only the hour tells them apart.
        double atPeak = steadyAtPeakLevel(m, 6, MINUTE);
        double atTrough = steadyAtPeakLevel(m, 18, MINUTE);
        assertThat(atPeak).isLessThanOrEqualTo(30);
        assertThat(atTrough).isGreaterThan(50);
        // Without the rows' times the profile cannot be read, and two hours of rows do not reach yesterday's.
        assertThat(steadyAtPeakLevel(m, 18, 0)).isLessThanOrEqualTo(30);
    }

    @Test
    void aSharedModelKeepsNoOnesProfile() throws Exception {
        ModelTrainer trainer = new ModelTrainer(WorkloadModelTest.config(""));
        ModelTrainer.Engineering e = trainer.engineering(WorkloadModelTest.FEATURES, 60, false);
        ModelTrainer.Sample shared = trainer.sharedSample(e, "global", 50_000);
        int n = 3 * 1440;
        ModelTrainer.Trainable t = trainer.trainable(e, history(n));
        assertThat(t.profile()).isNotNull();
        shared.add(t);
        assertThat(trainer.fit("global", shared, Instant.EPOCH).profile()).isEmpty();
        // Nor does an own sample given two histories, nor one whose rows' times are unknown.
        ModelTrainer.Sample two = trainer.sample(e, "workload:x");
        two.add(t);
        two.add(trainer.trainable(e, history(n)));
        assertThat(trainer.fit("workload:x", two, Instant.EPOCH).profile()).isEmpty();
        ModelTrainer.Sample timeless = trainer.sample(e, "workload:y");
        timeless.add(trainer.trainable(e, new ModelTrainer.History(WorkloadModelTest.series(n, 1, 0), n,
                WorkloadModelTest.all(n))));
        assertThat(trainer.fit("workload:y", timeless, Instant.EPOCH).profile()).isEmpty();
    }

    /** Midnight UTC; {@link WorkloadModelTest#series} at offset 0 starts its day here. */
    private static final long DAY0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();

    private static ModelTrainer.History history(int n) {
        return new ModelTrainer.History(WorkloadModelTest.series(n, 1, 0), n, WorkloadModelTest.all(n), DAY0, MINUTE);
    }

    private static WorkloadModel trainedOnThreeDays() throws Exception {
        int n = 3 * 1440;
        ModelTrainer trainer = new ModelTrainer(WorkloadModelTest.config(""));
        ModelTrainer.Sample s = trainer.sample(trainer.engineering(WorkloadModelTest.FEATURES, 60, false),
                "workload:web-1");
        s.adopt(trainer.trainable(trainer.engineering(WorkloadModelTest.FEATURES, 60, false), history(n)));
        return trainer.fit("workload:web-1", s, Instant.EPOCH);
    }

    /** The score after two hours of rows ending at {@code hour}:00 on day 4 with cpu steady at the peak's 0.6. */
    private static double steadyAtPeakLevel(WorkloadModel m, int hour, long stepMillis) {
        int n = 120;
        long first = DAY0 + 3 * 24 * HOUR + hour * HOUR - n * MINUTE;
        double[] raw = WorkloadModelTest.series(n, 7, (int) ((first - DAY0) / MINUTE));
        SplittableRandom rng = new SplittableRandom(11);
        for (int r = 0; r < n; r++) {
            raw[r * 3] = 0.6 + 0.02 * rng.nextGaussian();
        }
        return m.score(raw, n, n - 1, first, stepMillis).score()[0];
    }
}
