package io.headroom.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureMatrixTest {

    private static final double NaN = Double.NaN;
    private static final Instant T0 = Instant.parse("2026-01-02T03:00:00Z");
    private static final StepGrid GRID = new StepGrid(T0, T0.plusSeconds(60), Duration.ofMinutes(1));

    /** 2 workloads × 2 steps × 3 features; cell value 100w + 10s + f encodes its coordinates. */
    private static final double[] VALUES = {
        0, 1, 2, /* vm-a step 0 */ 10, NaN, 12, /* vm-a step 1 */
        100, NaN, 102, /* vm-b step 0 */ 110, NaN, NaN, /* vm-b step 1 */
    };

    private final FeatureMatrix matrix =
            new FeatureMatrix(List.of("vm-a", "vm-b"), List.of("cpu", "mem", "io"), GRID, VALUES);

    @Test
    void valuesAreWorkloadMajorThenStepThenFeature() {
        assertThat(matrix.value(0, 1, 2)).isEqualTo(12);
        assertThat(matrix.value(1, 0, 0)).isEqualTo(100);
        assertThat(matrix.value(1, 1, 0)).isEqualTo(110);
        assertThat(matrix.value(0, 1, 1)).isNaN();
    }

    @Test
    void rowIsACopyOfOneWorkloadAtOneStep() {
        double[] row = matrix.row("vm-b", 0);
        assertThat(row).containsExactly(100, NaN, 102);

        row[0] = -1;
        assertThat(matrix.value(1, 0, 0)).isEqualTo(100);
        assertThatThrownBy(() -> matrix.row("vm-c", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMatrixDoesNotShareTheCallersArray() {
        double[] values = VALUES.clone();
        FeatureMatrix m = new FeatureMatrix(List.of("vm-a", "vm-b"), List.of("cpu", "mem", "io"), GRID, values);

        values[0] = 99;

        assertThat(m.value(0, 0, 0)).isZero();
    }

    @Test
    void missingCellsAreCountedPerFeature() {
        assertThat(matrix.missingCounts()).containsExactly(entry("cpu", 0), entry("mem", 3), entry("io", 1));
        assertThat(matrix.missingCount(1)).isEqualTo(3);
    }

    @Test
    void lookupsByName() {
        assertThat(matrix.workloadIndex("vm-b")).isEqualTo(1);
        assertThat(matrix.workloadIndex("vm-0")).isEqualTo(-1);
        assertThat(matrix.featureIndex("io")).isEqualTo(2);
        assertThat(matrix.featureIndex("net")).isEqualTo(-1);
    }

    @Test
    void inconsistentShapesAreRefused() {
        assertThatThrownBy(() -> new FeatureMatrix(List.of("vm-b", "vm-a"), List.of("cpu", "mem", "io"), GRID, VALUES))
                .hasMessageContaining("sorted");
        assertThatThrownBy(() -> new FeatureMatrix(List.of("vm-a", "vm-b"), List.of("cpu", "cpu", "io"), GRID, VALUES))
                .hasMessageContaining("distinct");
        assertThatThrownBy(() -> new FeatureMatrix(List.of("vm-a"), List.of("cpu", "mem", "io"), GRID, VALUES))
                .hasMessageContaining("expected 6 values");
    }
}
