package io.headroom.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.FeatureSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training history cache against a fake Prometheus whose every answer is a pure function of the workload,
 * the timestamp and the feature, with a counter feature that has no rate at the first row of an answer or next
 * to a gap, as {@link FeatureCollector} gives: whatever the cache held, a training reads exactly what one full
 * fetch of its window gives, and asks only for what is new.
 */
class HistoryCacheTest {

    static final Duration STEP = Duration.ofMinutes(1);
    static final Duration WINDOW = Duration.ofDays(1);
    static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    /** Every workload lacks data for these ten minutes, so the counter lacks a rate next to them too. */
    static final Instant GAP = T.minus(Duration.ofHours(3));
    static final FeatureSpec GAUGE = new FeatureSpec("level", "max by (${label}) (level)", FeatureSpec.Kind.GAUGE,
            FeatureSpec.Pressure.CPU, FeatureSpec.Direction.ABOVE);
    static final FeatureSpec COUNTER = new FeatureSpec("bytes", "max by (${label}) (bytes_total)",
            FeatureSpec.Kind.COUNTER, FeatureSpec.Pressure.IO, FeatureSpec.Direction.ABOVE);
    static final List<FeatureSpec> FEATURES = List.of(GAUGE, COUNTER);
    static final List<String> BATCH = List.of("vm a/1", "vm-2", "vm-3%");

    @TempDir
    Path dir;

    /** The fake Prometheus: what it was asked, and a full answer's values. */
    static final class Fake implements HistoryCache.Fetch {
        final List<StepGrid> asked = new ArrayList<>();

        @Override
        public FeatureMatrix rows(List<String> batch, StepGrid grid) {
            asked.add(grid);
            return answer(batch, grid);
        }

        static FeatureMatrix answer(List<String> batch, StepGrid grid) {
            int steps = grid.size();
            double[] v = new double[batch.size() * steps * 2];
            for (int w = 0; w < batch.size(); w++) {
                for (int s = 0; s < steps; s++) {
                    long t = grid.timestampAt(s);
                    int at = (w * steps + s) * 2;
                    v[at] = missing(t) ? Double.NaN : value(batch.get(w), t, 0);
                    boolean noRate = s == 0 || missing(t) || missing(t - STEP.toMillis());
                    v[at + 1] = noRate ? Double.NaN : value(batch.get(w), t, 1);
                }
            }
            return new FeatureMatrix(batch, List.of("level", "bytes"), grid, v);
        }

        static boolean missing(long t) {
            return t >= GAP.toEpochMilli() && t < GAP.plus(Duration.ofMinutes(10)).toEpochMilli();
        }

        static double value(String workload, long t, int feature) {
            return workload.hashCode() % 97 + Math.sin(t / 7_000_000.0 + feature) * 10 + (t % 13) / 13.0;
        }
    }

    static StepGrid window(Instant end) {
        return StepGrid.aligned(end.minus(WINDOW), end, STEP);
    }

    HistoryCache cache() {
        return new HistoryCache(dir, FEATURES, "domain", STEP);
    }

    @Test
    void aRetrainingAsksOnlyForTheNewRowsAndReadsWhatAFullFetchWould() throws Exception {
        Fake fake = new Fake();
        StepGrid first = window(T);
        FeatureMatrix fetched = cache().rows(BATCH, first, fake);
        assertThat(fake.asked).containsExactly(first);
        assertThat(fetched.toArray()).isEqualTo(Fake.answer(BATCH, first).toArray());

        // Six hours later: the gap is now inside what is cached.
        HistoryCache later = cache();
        StepGrid second = window(T.plus(Duration.ofHours(6)));
        FeatureMatrix merged = later.rows(BATCH, second, fake);
        StepGrid tail = fake.asked.get(1);
        assertThat(tail.start()).isEqualTo(first.last().minus(HistoryCache.OVERLAP));
        assertThat(tail.end()).isEqualTo(second.end());
        assertThat(merged.grid()).isEqualTo(second);
        assertThat(merged.workloads()).isEqualTo(List.copyOf(new java.util.TreeSet<>(BATCH)));
        assertThat(merged.toArray()).isEqualTo(Fake.answer(merged.workloads(), second).toArray());
        int fromCache = second.indexOf(tail.start().toEpochMilli()) + 1;
        assertThat(later.takeCounts()).isEqualTo(new HistoryCache.Counts(3L * fromCache,
                3L * (second.size() - fromCache), 0, 0));

        // And again, from what the second training kept.
        StepGrid third = window(T.plus(Duration.ofHours(12)));
        assertThat(cache().rows(BATCH, third, fake).toArray())
                .isEqualTo(Fake.answer(merged.workloads(), third).toArray());
        assertThat(fake.asked.get(2).start()).isEqualTo(second.last().minus(HistoryCache.OVERLAP));
    }

    @Test
    void aWorkloadWithNothingCachedHasItsBatchFetchedWhole() throws Exception {
        Fake fake = new Fake();
        cache().rows(BATCH.subList(0, 2), window(T), fake);
        StepGrid next = window(T.plus(Duration.ofHours(6)));
        FeatureMatrix m = cache().rows(BATCH, next, fake);
        assertThat(fake.asked).containsExactly(window(T), next);
        assertThat(m.toArray()).isEqualTo(Fake.answer(m.workloads(), next).toArray());
    }

    @Test
    void otherQueriesAnotherStepOrALongerWindowStartOverFromPrometheus() throws Exception {
        Fake fake = new Fake();
        cache().rows(BATCH, window(T), fake);
        StepGrid next = window(T.plus(Duration.ofHours(6)));
        FeatureSpec edited = new FeatureSpec("level", "max by (${label}) (level{job=\"kvm\"})",
                FeatureSpec.Kind.GAUGE, FeatureSpec.Pressure.CPU, FeatureSpec.Direction.ABOVE);
        new HistoryCache(dir, List.of(edited, COUNTER), "domain", STEP).rows(BATCH, next, fake);
        assertThat(fake.asked.get(1)).isEqualTo(next);
        // The edited queries' histories replaced the files: the original config starts over too.
        cache().rows(BATCH, next, fake);
        assertThat(fake.asked.get(2)).isEqualTo(next);

        StepGrid longer = StepGrid.aligned(T.minus(Duration.ofDays(2)), T.plus(Duration.ofHours(6)), STEP);
        FeatureMatrix m = cache().rows(BATCH, longer, fake);
        assertThat(fake.asked.get(3)).isEqualTo(longer);
        assertThat(m.toArray()).isEqualTo(Fake.answer(m.workloads(), longer).toArray());
    }

    @Test
    void aDamagedFileIsCountedAndItsBatchFetchedWhole() throws Exception {
        Fake fake = new Fake();
        cache().rows(BATCH, window(T), fake);
        Path file;
        try (Stream<Path> files = Files.list(dir)) {
            file = files.filter(p -> p.toString().endsWith(".history")).sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        HistoryCache next = cache();
        StepGrid later = window(T.plus(Duration.ofHours(6)));
        FeatureMatrix m = next.rows(BATCH, later, fake);
        assertThat(fake.asked.get(1)).isEqualTo(later);
        assertThat(m.toArray()).isEqualTo(Fake.answer(m.workloads(), later).toArray());
        assertThat(next.takeCounts().errors()).isEqualTo(1);
        // Rewritten whole: the training after reads it again.
        cache().rows(BATCH, window(T.plus(Duration.ofHours(7))), fake);
        assertThat(fake.asked.get(2).start()).isEqualTo(later.last().minus(HistoryCache.OVERLAP));
    }

    @Test
    void aDiskWithoutRoomForTheStateKeepsNoHistoryButTheTrainingItsRows() throws Exception {
        Fake fake = new Fake();
        cache().rows(BATCH, window(T), fake);
        // Nothing more fits: the files from before stay, and serve the training after (with a longer tail).
        HistoryCache full = new HistoryCache(dir, FEATURES, "domain", STEP, Long.MAX_VALUE / 4);
        StepGrid later = window(T.plus(Duration.ofHours(6)));
        FeatureMatrix m = full.rows(BATCH, later, fake);
        assertThat(m.toArray()).isEqualTo(Fake.answer(m.workloads(), later).toArray());
        HistoryCache.Counts counts = full.takeCounts();
        assertThat(counts.notWritten()).isEqualTo(3);
        assertThat(counts.errors()).isZero();
        StepGrid next = window(T.plus(Duration.ofHours(12)));
        FeatureMatrix n = cache().rows(BATCH, next, fake);
        assertThat(fake.asked.get(2).start()).isEqualTo(window(T).last().minus(HistoryCache.OVERLAP));
        assertThat(n.toArray()).isEqualTo(Fake.answer(n.workloads(), next).toArray());
    }

    @Test
    void switchedOffItFetchesWholeAndKeepsNothing() throws Exception {
        Fake fake = new Fake();
        HistoryCache off = cache();
        FeatureMatrix m = off.fetchOnly(BATCH, window(T), fake);
        assertThat(m.toArray()).isEqualTo(Fake.answer(m.workloads(), window(T)).toArray());
        assertThat(off.takeCounts()).isEqualTo(new HistoryCache.Counts(0, 3L * window(T).size(), 0, 0));
        assertThat(Files.exists(dir.resolve("vm-2.history"))).isFalse();
    }

    @Test
    void departedWorkloadsLoseTheirHistory() throws Exception {
        cache().rows(BATCH, window(T), new Fake());
        cache().retain(List.of("vm-2"));
        assertThat(names()).containsExactly("vm-2.history");
        cache().retain(List.of());
        assertThat(names()).isEmpty();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
