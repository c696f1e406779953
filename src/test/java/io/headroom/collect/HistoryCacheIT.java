package io.headroom.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.HeadroomConfig;
import io.headroom.metrics.Metrics;
import io.headroom.testing.PrometheusExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training history cache against a real Prometheus, over the preset's rate() queries and a counter-kind
 * feature, with a counter reset, a gap and a guest that starts late: a training that reads most of its window
 * from the cache gets the matrix a full fetch of the window gives, bit for bit, and asks Prometheus only for what
 * is new.
 */
class HistoryCacheIT {

    static final long END = RollingCollectorIT.END;

    @RegisterExtension
    static final PrometheusExtension prometheus = PrometheusExtension.builder()
            .backfill(RollingCollectorIT::history).build();

    @TempDir
    Path dir;

    @Test
    void aTrainingFromTheCacheEqualsAFullFetchBitForBit() throws Exception {
        HeadroomConfig cfg = RollingCollectorIT.config(prometheus.baseUrl(), 300);
        List<String> batch = RollingCollectorIT.DOMAINS;
        try (PrometheusClient client = new PrometheusClient(cfg.prometheus(), Metrics.isolated())) {
            FeatureCollector collector = new FeatureCollector(client, Metrics.isolated());
            List<StepGrid> asked = new ArrayList<>();
            HistoryCache.Fetch fetch = (rows, grid) -> {
                asked.add(grid);
                return collector.collect(cfg.features(), "domain", Optional.of(new TreeSet<>(rows)), grid);
            };
            // Trainings half an hour apart over a two-hour window: the gap (vm-2), the reset (vm-1) and the late
            // guest's start each fall into the cached part of some.
            int trainings = 0;
            for (long end = END - 4 * 3600; end <= END; end += 1800) {
                StepGrid grid = StepGrid.aligned(Instant.ofEpochSecond(end).minus(Duration.ofHours(2)),
                        Instant.ofEpochSecond(end), cfg.collection().step());
                HistoryCache cache = new HistoryCache(dir, cfg.features(), "domain", cfg.collection().step());
                FeatureMatrix got = cache.rows(batch, grid, fetch);
                FeatureMatrix full = collector.collect(cfg.features(), "domain", Optional.of(new TreeSet<>(batch)),
                        grid);
                assertThat(RollingCollectorIT.firstDifference(got, full)).as("training ending %s",
                        Instant.ofEpochSecond(end)).isEmpty();
                assertThat(full.missingCount(0)).isLessThan(batch.size() * grid.size());
                HistoryCache.Counts counts = cache.takeCounts();
                if (trainings++ == 0) {
                    assertThat(asked.get(0)).isEqualTo(grid);
                    assertThat(counts.cached()).isZero();
                } else {
                    // The new 30 minutes and the hour fetched again; the window's first 30 minutes from the cache.
                    assertThat(asked.get(trainings - 1).start()).isEqualTo(Instant.ofEpochSecond(end - 1800)
                            .minus(HistoryCache.OVERLAP));
                    assertThat(counts.cached()).isEqualTo(batch.size() * 61L);
                    assertThat(counts.errors()).isZero();
                }
            }
            assertThat(trainings).isEqualTo(9);
        }
    }
}
