package io.headroom.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StepGridTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void alignedFloorsBothEndsToMultiplesOfTheStep() {
        StepGrid grid = StepGrid.aligned(T0.plusSeconds(30), T0.plusSeconds(5 * 60 + 59), MINUTE);

        assertThat(grid.start()).isEqualTo(T0);
        assertThat(grid.end()).isEqualTo(T0.plusSeconds(5 * 60));
        assertThat(grid.size()).isEqualTo(6);
    }

    @Test
    void gridsOfDifferentCallsShareTheirTimestamps() {
        StepGrid earlier = StepGrid.aligned(T0.plusSeconds(7), T0.plusSeconds(600), MINUTE);
        StepGrid later = StepGrid.aligned(T0.plusSeconds(95), T0.plusSeconds(721), MINUTE);

        assertThat(later.indexOf(earlier.timestampAt(5))).isEqualTo(4);
    }

    @Test
    void timestampsAreStartPlusMultiplesOfTheStepUpToEnd() {
        StepGrid grid = new StepGrid(T0, T0.plusSeconds(150), MINUTE);

        assertThat(grid.size()).isEqualTo(3);
        assertThat(IntStream.range(0, 3).mapToLong(grid::timestampAt))
                .containsExactly(T0.toEpochMilli(), T0.toEpochMilli() + 60_000, T0.toEpochMilli() + 120_000);
        assertThat(grid.last()).isEqualTo(T0.plusSeconds(120));
        assertThatThrownBy(() -> grid.timestampAt(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void indexOfIsMinusOneOffTheGrid() {
        StepGrid grid = new StepGrid(T0, T0.plusSeconds(150), MINUTE);

        assertThat(grid.indexOf(T0.toEpochMilli() + 120_000)).isEqualTo(2);
        assertThat(grid.indexOf(T0.toEpochMilli())).isZero();
        assertThat(grid.indexOf(T0.toEpochMilli() + 1)).isEqualTo(-1);
        assertThat(grid.indexOf(T0.toEpochMilli() - 60_000)).isEqualTo(-1);
        assertThat(grid.indexOf(T0.toEpochMilli() + 180_000)).isEqualTo(-1);
    }

    @Test
    void aSinglePointGridHasSizeOne() {
        assertThat(new StepGrid(T0, T0, MINUTE).size()).isEqualTo(1);
    }

    @Test
    void splitCoversEveryTimestampOnceInOrder() {
        StepGrid grid = new StepGrid(T0, T0.plusSeconds(24 * 60), MINUTE);

        List<StepGrid> chunks = grid.split(10);

        assertThat(chunks).extracting(StepGrid::size).containsExactly(10, 10, 5);
        long[] joined = chunks.stream()
                .flatMapToLong(c -> IntStream.range(0, c.size()).mapToLong(c::timestampAt))
                .toArray();
        assertThat(joined).containsExactly(IntStream.range(0, 25).mapToLong(grid::timestampAt).toArray());
    }

    @Test
    void invalidGridsAreRefused() {
        assertThatThrownBy(() -> new StepGrid(T0, T0.minusSeconds(1), MINUTE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StepGrid(T0, T0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StepGrid(T0, T0, Duration.ofNanos(1500)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
