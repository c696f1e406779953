package io.headroom.decide;

import static io.headroom.decide.Inputs.MIB;
import static io.headroom.decide.Inputs.T0;
import static io.headroom.decide.Inputs.feature;
import static io.headroom.decide.Inputs.flat;
import static io.headroom.decide.Inputs.rising;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.headroom.config.DecideConfig;
import io.headroom.config.FeatureSpec.Direction;
import io.headroom.config.FeatureSpec.Pressure;
import io.headroom.decide.Decision.Action;
import io.headroom.decide.FeatureAttribution.Side;
import java.time.Duration;
import java.util.List;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The closed loop on measured use, as tables: how big a raise is (the tier's target or the need, snapped up to a
 * tier step), when it escalates, and when it may be given back. Baseline 4 vCPUs / 4096 MiB; tiers medium 5 vCPUs /
 * 4301 MiB, high 5 / 4711, critical 6 / 5325. Use rows are 30 s apart, 120 of them (the default one-hour window).
 */
class SizingPolicyTest {

    static final DecideConfig AT_ONCE = Inputs.config("{hysteresis: {escalate_after_cycles: 1}}");
    static final double GIB = 1L << 30;
    static final int ROWS = 120;

    static PolicyOutcome decide(DecideConfig cfg, Inputs in) {
        return new TierPolicy(cfg).decide(in.build());
    }

    /** Attribution on memory above its range. */
    static List<FeatureAttribution> memoryAbove() {
        return List.of(feature("memory_usage_ratio", Pressure.MEMORY, Direction.ABOVE, Side.ABOVE, 1.0));
    }

    /** Attribution on CPU, but inside its range: what a censored cores-used series shows at its cap. */
    static List<FeatureAttribution> cpuInside() {
        return List.of(feature("cpu_cores_used", Pressure.CPU, Direction.ABOVE, Side.INSIDE, 0.8),
                feature("disk_read_bytes_rate", Pressure.IO, Direction.ABOVE, Side.ABOVE, 0.2));
    }

    /** Attribution on the disk only. */
    static List<FeatureAttribution> diskOnly() {
        return List.of(feature("disk_read_bytes_rate", Pressure.IO, Direction.ABOVE, Side.ABOVE, 1.0));
    }

    @Nested
    class SizedByNeed {
        @ParameterizedTest(name = "memory use {0} GiB rising {1} GiB/h, score {2} -> {3} MiB")
        @CsvSource({
                // need below the baseline: the tier's own target
                "3.0,  0.0, 40, 4301",
                "3.0,  0.0, 75, 4711",
                // need 4.1 x 1.05 = 4.305 GiB: more than the medium tier's 4301 MiB, so the high step
                "4.1,  0.0, 40, 4711",
                // 3.6 GiB now, +1 GiB within the hour: 4.6 x 1.05 = 4.83 GiB -> critical (5.2 GiB)
                "3.6,  1.0, 40, 5325",
                // a need beyond the critical tier buys the critical tier, no more
                "4.0,  4.0, 40, 5325",
                // the critical tier's target stands when it is more than the need
                "3.0,  0.0, 95, 5325"})
        void memoryGetsTheLargerOfTierAndNeed(double useGib, double perHourGib, double score, long targetMib) {
            Inputs in = Inputs.guest().score(score, memoryAbove())
                    .usage(new double[0], rising(ROWS, useGib * GIB, perHourGib * GIB / 120));
            Decision d = decide(AT_ONCE, in).decision();
            assertThat(d.action()).isEqualTo(Action.RAISE);
            assertThat(d.target().memoryBytes()).isEqualTo(targetMib * MIB);
            assertThat(d.target().vcpus()).isEqualTo(4);
        }

        @Test
        void theReasonCarriesTheNeedAndItsEvidence() {
            Inputs in = Inputs.guest().score(40, memoryAbove())
                    .usage(new double[0], rising(ROWS, 3.6 * GIB, 1.0 * GIB / 120));
            String reason = decide(AT_ONCE, in).decision().reason();
            assertThat(reason).contains("memory need 4.83GiB by +1h (use 3.59GiB of 4.00GiB, trend +1.00GiB/h, spread 0.00GiB, +5%) -> critical x1.3");
        }

        @Test
        void withoutAMeasureOfUseTheTierAloneSizes() {
            Decision d = decide(AT_ONCE, Inputs.guest().score(40, memoryAbove())).decision();
            assertThat(d.target().memoryBytes()).isEqualTo(4301 * MIB);
        }
    }

    @Nested
    class Saturation {
        @ParameterizedTest(name = "cores used {0} of 4, score {1}, attribution {2} -> {3} vCPUs")
        @CsvSource({
                // pinned at the vCPUs: censored, so two tier steps more than the guest has (medium gives 5,
                // high 5 too, critical 6), although inside the range
                "4.0,  40, cpu,  6",
                "3.9,  40, cpu,  6",
                // not near the allocation: inside the range means no pressure
                "3.0,  40, cpu,  4",
                // saturated, but the anomaly is about the disk: CPU is not what the score says is wrong
                "4.0,  40, disk, 4",
                // saturated, but the score is calm: a busy guest at its daily peak is not anomalous
                "4.0,  20, cpu,  4"})
        void saturationIsPressureWhileTheScoreIsUpAndAboutTheResource(double cores, double score, String about,
                                                                     int vcpus) {
            Inputs in = Inputs.guest().score(score, about.equals("cpu") ? cpuInside() : diskOnly())
                    .usage(flat(ROWS, cores), new double[0]);
            Decision d = decide(AT_ONCE, in).decision();
            assertThat(d.target().vcpus()).isEqualTo(vcpus);
            assertThat(d.pressure().contains(Resource.CPU)).isEqualTo(vcpus > 4);
        }

        @ParameterizedTest(name = "first cycle at score 40, cores used {0}, about {1} -> {2} vCPUs")
        @CsvSource({
                // saturation on the resource the anomaly is about corroborates the score: no cycle of hysteresis
                "4.0, cpu,  6",
                // without it, the tier waits for decide.hysteresis.escalate_after_cycles as ever
                "3.0, cpu,  4",
                "4.0, disk, 4"})
        void saturationWaivesTheHysteresisWait(double cores, String about, int vcpus) {
            Inputs in = Inputs.guest().score(40, about.equals("cpu") ? cpuInside() : diskOnly())
                    .usage(flat(ROWS, cores), new double[0]);
            Decision d = decide(Inputs.config(""), in).decision();
            assertThat(d.target().vcpus()).isEqualTo(vcpus);
            assertThat(d.tier()).isEqualTo(vcpus > 4 ? Tier.MEDIUM : Tier.NONE);
            assertThat(d.reason().contains("hysteresis waived: cpu saturated")).isEqualTo(vcpus > 4);
        }

        @Test
        void aRunOfPinnedRowsAfterAQuietHourIsSaturation() {
            double[] cores = flat(ROWS, 2.0);
            for (int i = ROWS - 4; i < ROWS; i++) {
                cores[i] = 4.0;
            }
            Decision d = decide(AT_ONCE, Inputs.guest().score(40, cpuInside()).usage(cores, new double[0])).decision();
            assertThat(d.target().vcpus()).isEqualTo(6);
            assertThat(d.reason()).contains("saturated at 4.00 cores of 4.00 cores");
        }
    }

    @Nested
    class Strain {
        /**
         * 120 rows of cores used on 4 vCPUs: {@code before} of every 10 of the first 100 pinned at 4.0, the others
         * at 3.0; then {@code pinned} of the last 20 at 4.0, the unpinned ones first (the newest rows are pinned).
         */
        double[] cores(int pinned, int before) {
            double[] c = new double[ROWS];
            for (int i = 0; i < ROWS - 20; i++) {
                c[i] = i % 10 < before ? 4.0 : 3.0;
            }
            for (int i = ROWS - 20; i < ROWS; i++) {
                c[i] = i >= ROWS - pinned ? 4.0 : 3.0;
            }
            return c;
        }

        @ParameterizedTest(name = "{0} of the last 20 rows pinned, {1} in 10 before, score {2} -> {3} vCPUs, {4}")
        @CsvSource({
                // pinned most of the last 10 minutes, a tenth of the time before: strained, whatever the score;
                // saturated at the baseline, so two tier steps (the censored demand is beyond what it shows)
                "18, 1, 13, 6, MEDIUM",
                "17, 1, 13, 6, MEDIUM",
                // half the window pinned is a one in ten billion chance at a tenth: strained before it fails
                "10, 1, 13, 6, MEDIUM",
                // four minutes is under half the window: a busy stretch of a noisy peak
                "8, 1, 13, 4, NONE",
                // a guest that was near 30% of the time before is under the limit of usual (a third), and nine
                // minutes pinned is no chance for it
                "18, 3, 13, 6, MEDIUM",
                // but five minutes is not (one in 60,000 at its rate, six windows tried, against one in a million)
                "10, 3, 13, 4, NONE",
                // one whose peaks were near 40% of the time may be near most of ten minutes by chance
                "18, 4, 13, 4, NONE",
                // one that lives there is not strained by being there again
                "18, 6, 13, 4, NONE",
                "20, 10, 13, 4, NONE",
                // a high score waits out its hysteresis cycle as ever; strain is the medium tier meanwhile
                "18, 1, 75, 6, MEDIUM"})
        void mostOfTheWindowNearTheAllocationUnlikeBeforeRaisesWhateverTheScore(int pinned, int before, double score,
                                                                              int vcpus, Tier tier) {
            // The score is about the disk: strain does not need the attribution.
            Inputs in = Inputs.guest().score(score, diskOnly()).usage(cores(pinned, before), new double[0]);
            Decision d = decide(Inputs.config(""), in).decision();
            assertThat(d.target().vcpus()).isEqualTo(vcpus);
            assertThat(d.tier()).isEqualTo(tier);
            assertThat(d.pressure().contains(Resource.CPU)).isEqualTo(vcpus > 4);
        }

        @ParameterizedTest(name = "P(X >= {0}) for Binomial({1}, {2})")
        @CsvSource({"17, 20, 0.3333", "9, 12, 0.2", "0, 5, 0.5", "3, 40, 0.02"})
        void theChanceIsTheBinomialTail(int k, int n, double p) {
            double expected = 1 - new BinomialDistribution(null, n, p).cumulativeProbability(k - 1);
            assertThat(UseReading.Strain.binomialTail(k, n, p)).isCloseTo(expected, within(1e-12));
        }

        @Test
        void aTinyChanceIsNotLostToRounding() {
            // 1 minus a cumulative probability would round this to 0 or to a multiple of 1e-16.
            assertThat(UseReading.Strain.binomialTail(20, 20, 0.1)).isCloseTo(1e-20, withinPercentage(1e-6));
        }

        @Test
        void theReasonSaysItIsStrainAndShowsTheCount() {
            Inputs in = Inputs.guest().score(13, diskOnly()).usage(cores(18, 1), new double[0]);
            String reason = decide(Inputs.config(""), in).decision().reason();
            assertThat(reason).startsWith("score 13 medium (score alone says none; strained)")
                    .contains("cpu strained: use 4.00 cores of 4.00 cores")
                    .contains("near in 18 of the last 18 rows (10% before them)");
        }

        @Test
        void memoryNearItsBalloonMostOfTheWindowIsStrainedToo() {
            double[] mem = flat(ROWS, 3.0 * GIB);
            for (int i = ROWS - 20; i < ROWS; i++) {
                mem[i] = 3.95 * GIB;
            }
            Decision d = decide(Inputs.config(""), Inputs.guest().score(13, diskOnly()).usage(new double[0], mem))
                    .decision();
            assertThat(d.tier()).isEqualTo(Tier.MEDIUM);
            assertThat(d.target().memoryBytes()).isGreaterThan(4096 * MIB);
            assertThat(d.target().vcpus()).isEqualTo(4);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
                // a share of a few rows is noise: the window needs three quarters of its rows with data
                "gaps in the window",
                // without rows before the window there is no "usual" to compare with
                "no rows before the window"})
        void tooFewRowsAreNoStrain(String what) {
            double[] c = cores(20, 0);
            if (what.startsWith("gaps")) {
                for (int i = ROWS - 20; i < ROWS - 2; i += 2) {
                    c[i] = Double.NaN;
                }
            } else {
                c = java.util.Arrays.copyOfRange(c, ROWS - 20, ROWS);
            }
            Decision d = decide(Inputs.config(""), Inputs.guest().score(13, diskOnly()).usage(c, new double[0]))
                    .decision();
            assertThat(d.tier()).isEqualTo(Tier.NONE);
            assertThat(d.target().vcpus()).isEqualTo(4);
        }
    }

    @Nested
    class Escalation {
        /** Memory raised to the high tier (4711 MiB), its use at 4.5 GiB: near (95% is 4.37 GiB). */
        Inputs raisedAndNear(int pressureCycles, double score) {
            return raised(Tier.NONE, pressureCycles, score, flat(ROWS, 4.5 * GIB));
        }

        /**
         * Memory raised to the high tier (4711 MiB) a minute ago, in tier {@code tier}, under pressure for
         * {@code pressureCycles} cycles before, its use {@code memory}.
         */
        Inputs raised(Tier tier, int pressureCycles, double score, double[] memory) {
            WorkloadState s = new WorkloadState(tier, WorkloadState.Streaks.NONE, java.util.Optional.of(T0.minusSeconds(60)),
                    java.util.Optional.empty(), java.util.Optional.empty(), 0, pressureCycles);
            return Inputs.guest().current(4, 4711).state(s).score(score, memoryAbove()).usage(new double[0], memory);
        }

        @ParameterizedTest(name = "pressure for {0} cycles before, score {1} -> {2} MiB, escalated {3}")
        @CsvSource({
                // the second cycle under pressure escalates (decide.sizing.escalate_after_cycles 2), whatever the
                // score says and although the cooldown from the last change runs
                "1, 10, 5325, true",
                "1, 95, 5325, true",
                "5, 10, 5325, true",
                // the first cycle under pressure waits
                "0, 10, 4711, false"})
        void pressureThatOutlastsARaiseStepsToTheNextTier(int before, double score, long mib, boolean escalated) {
            PolicyOutcome out = decide(AT_ONCE, raisedAndNear(before, score));
            assertThat(out.decision().target().memoryBytes()).isEqualTo(mib * MIB);
            assertThat(out.escalated().contains(Resource.MEMORY)).isEqualTo(escalated);
            // the count starts again after a change; it goes on while the resource waits
            assertThat(out.next().memoryPressureCycles()).isEqualTo(escalated ? 0 : before + 1);
        }

        @ParameterizedTest(name = "memory raised to 4711 MiB, use rising to {0} GiB, score {1} -> escalated {2}")
        @CsvSource({
                // 4.2 GiB rising 0.6 GiB/h reaches 4.6 GiB within the hour: pressure while the score is up
                "4.2, 40, true",
                // the same trend with the score calm is a daily rise meeting a raise that use has not let decay
                "4.2, 10, false",
                // near the allocation, the score does not matter
                "4.5, 10, true"})
        void aTrendAloneEscalatesOnlyWhileTheTierIsUp(double gib, double score, boolean escalated) {
            double[] mem = gib < 4.5 ? rising(ROWS, gib * GIB, 0.6 * GIB / 120) : flat(ROWS, gib * GIB);
            PolicyOutcome out = decide(AT_ONCE, raised(score >= 31 ? Tier.MEDIUM : Tier.NONE, 1, score, mem));
            assertThat(out.escalated().contains(Resource.MEMORY)).isEqualTo(escalated);
        }

        @Test
        void noEscalationWhileTheResourcesOwnMeasureIsMissingInTheNewestRow() {
            // the same guest that escalates to 5325 MiB above, but its memory feature was imputed this cycle
            Inputs in = raisedAndNear(1, 95);
            List<FeatureAttribution> imputed = List.of(new FeatureAttribution("memory_usage_ratio", Pressure.MEMORY,
                    Direction.ABOVE, Side.ABOVE, 1.0, true));
            PolicyOutcome out = decide(AT_ONCE, in.score(95, imputed).usage(new double[0], flat(ROWS, 4.5 * GIB)));
            assertThat(out.decision().target().memoryBytes()).isEqualTo(4711 * MIB);
            assertThat(out.escalated()).isEmpty();
            assertThat(out.decision().reason()).doesNotContain("escalated")
                    .contains("memory held: memory_usage_ratio missing in the newest row");
        }

        @Test
        void aNeedBeyondTheRaiseWhileTheScoreIsUpIsAnEscalationAtOnce() {
            // at the medium tier's 4301 MiB, using 4.2 GiB and the score still medium: the need (4.41 GiB) buys the
            // high step now, without waiting for the pressure count, and bypassing the cooldown of the last change
            WorkloadState s = new WorkloadState(Tier.MEDIUM, WorkloadState.Streaks.NONE,
                    java.util.Optional.of(T0.minusSeconds(60)), java.util.Optional.empty(), java.util.Optional.empty(), 0, 0);
            PolicyOutcome out = decide(AT_ONCE, Inputs.guest().current(4, 4301).state(s).score(40, memoryAbove())
                    .usage(new double[0], flat(ROWS, 4.2 * GIB)));
            assertThat(out.decision().target().memoryBytes()).isEqualTo(4711 * MIB);
            assertThat(out.escalated()).containsExactly(Resource.MEMORY);
            assertThat(out.decision().reason()).contains("memory escalated: use outgrew the raise (use 4.20GiB of 4.20GiB");
        }

        @Test
        void theExplanationSaysWhy() {
            String reason = decide(AT_ONCE, raisedAndNear(1, 10)).decision().reason();
            assertThat(reason).contains("memory escalated: still under pressure 2 cycles after a raise "
                    + "(use 4.50GiB of 4.60GiB, trend +0.00GiB/h, spread 0.00GiB) -> critical x1.3");
        }

        @Test
        void atTheCriticalTierThereIsNoFurtherStep() {
            WorkloadState s = new WorkloadState(Tier.CRITICAL, WorkloadState.Streaks.NONE, java.util.Optional.empty(),
                    java.util.Optional.empty(), java.util.Optional.empty(), 0, 3);
            Inputs in = Inputs.guest().current(4, 5325).state(s).score(95, memoryAbove())
                    .usage(new double[0], flat(ROWS, 5.1 * GIB));
            PolicyOutcome out = decide(AT_ONCE, in);
            assertThat(out.decision().isChange()).isFalse();
            assertThat(out.escalated()).isEmpty();
            assertThat(out.decision().reason()).contains("still under pressure at the critical tier's size");
        }

        @Test
        void aResourceAtItsBaselineDoesNotEscalate() {
            WorkloadState s = new WorkloadState(Tier.NONE, WorkloadState.Streaks.NONE, java.util.Optional.empty(),
                    java.util.Optional.empty(), java.util.Optional.empty(), 0, 7);
            PolicyOutcome out = decide(AT_ONCE, Inputs.guest().state(s).score(10, memoryAbove())
                    .usage(new double[0], flat(ROWS, 3.95 * GIB)));
            assertThat(out.decision().isChange()).isFalse();
            assertThat(out.next().memoryPressureCycles()).isZero();
        }
    }

    @Nested
    class NoDecayUnderPressure {
        /** Memory at the high tier (4711 MiB) and the score calm: the tier alone would let it decay. */
        Inputs raised(double[] memory) {
            return Inputs.guest().current(4, 4711).score(10, memoryAbove()).usage(new double[0], memory);
        }

        @ParameterizedTest(name = "use {0} GiB -> calm timer {1}")
        @CsvSource({
                // the next lower size is 4301 MiB; less 10% that is 3.78 GiB
                "3.0,  true",
                "3.7,  true",
                "3.9,  false",
                "4.4,  false"})
        void onlyUseBelowTheNextLowerSizeStartsTheDecayTimer(double gib, boolean calm) {
            PolicyOutcome out = decide(AT_ONCE, raised(flat(ROWS, gib * GIB)));
            assertThat(out.decision().isChange()).isFalse();
            assertThat(out.next().memoryCalmSince().isPresent()).isEqualTo(calm);
        }

        @Test
        void calmForDecayAfterStepsDown() {
            Inputs in = raised(flat(ROWS, 3.0 * GIB));
            PolicyOutcome first = decide(AT_ONCE, in);
            Inputs later = in.after(first, T0.plus(Duration.ofMinutes(31)));
            Decision d = decide(AT_ONCE, later).decision();
            assertThat(d.action()).isEqualTo(Action.DECAY);
            assertThat(d.target().memoryBytes()).isEqualTo(4301 * MIB);
        }

        @Test
        void useAboveTheLowerSizeRestartsTheTimer() {
            Inputs in = raised(flat(ROWS, 3.0 * GIB));
            PolicyOutcome first = decide(AT_ONCE, in);
            Inputs busy = in.after(first, T0.plus(Duration.ofMinutes(20))).usage(new double[0], flat(ROWS, 4.3 * GIB));
            PolicyOutcome second = decide(AT_ONCE, busy);
            assertThat(second.next().memoryCalmSince()).isEmpty();
            Inputs calmAgain = busy.after(second, T0.plus(Duration.ofMinutes(31))).usage(new double[0], flat(ROWS, 3.0 * GIB));
            PolicyOutcome third = decide(AT_ONCE, calmAgain);
            assertThat(third.decision().isChange()).isFalse();
            assertThat(third.next().memoryCalmSince()).contains(T0.plus(Duration.ofMinutes(31)));
        }

        @Test
        void withoutAMeasureOfUseTheScoreDipStartsTheTimerAsBefore() {
            PolicyOutcome out = decide(AT_ONCE, Inputs.guest().current(4, 4711).score(10, memoryAbove()));
            assertThat(out.next().memoryCalmSince()).contains(T0);
        }
    }

    @Nested
    class Readings {
        static final DecideConfig.Sizing SIZING = AT_ONCE.sizing();

        @Test
        void aRowWithoutDataAtTheNewestEndGivesNoReading() {
            double[] use = flat(ROWS, 3.0);
            use[ROWS - 1] = Double.NaN;
            assertThat(UseReading.of(use, Duration.ofSeconds(30), 4, SIZING)).isEmpty();
        }

        @Test
        void aShortWindowIsNotExtrapolatedBeyondItsOwnLength() {
            // ten minutes of an hourly wave rising 1.2 a hour: read ten minutes ahead, not decide.horizon's hour
            UseReading r = UseReading.of(rising(20, 3.0, 0.01), Duration.ofSeconds(30), 4, SIZING).orElseThrow();
            assertThat(r.horizonHours()).isCloseTo(10.0 / 60, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(r.need()).isCloseTo((3.0 + 1.2 / 6) * 1.05, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(r.reaches()).isFalse();
        }

        @Test
        void aSurgeThatEndedIsNotExtrapolated() {
            // calm at 1.0, a surge at 3.0 through most of the newest third, then calm again for the last two minutes
            double[] use = flat(ROWS, 1.0);
            for (int i = ROWS - 40; i < ROWS - 4; i++) {
                use[i] = 3.0;
            }
            UseReading r = UseReading.of(use, Duration.ofSeconds(30), 4, SIZING).orElseThrow();
            assertThat(r.perHour()).isZero();
            assertThat(r.level()).isEqualTo(1.0);
            assertThat(r.calmBelow(2.0, 0.1)).isTrue();
        }

        @Test
        void aSpikeDoesNotFakeATrend() {
            double[] use = flat(ROWS, 2.0);
            use[10] = 50;
            use[ROWS - 10] = 50;
            UseReading r = UseReading.of(use, Duration.ofSeconds(30), 4, SIZING).orElseThrow();
            assertThat(r.perHour()).isZero();
            assertThat(r.level()).isEqualTo(2.0);
        }

        @Test
        void theTrendIsPerHourAtTheNewestRow() {
            UseReading r = UseReading.of(rising(ROWS, 3.0, 0.01), Duration.ofSeconds(30), 4, SIZING).orElseThrow();
            assertThat(r.perHour()).isCloseTo(1.2, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(r.level()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
            // 3.0 now + 1.2 within the hour, plus 5%
            assertThat(r.need()).isCloseTo(4.2 * 1.05, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(r.reaches()).isTrue();
            assertThat(r.saturated()).isFalse();
        }
    }
}
