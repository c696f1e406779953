package io.headroom.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureMatrixCsvTest {

    private static final double NaN = Double.NaN;
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    private static String csv(FeatureMatrix matrix) throws IOException {
        StringWriter out = new StringWriter();
        FeatureMatrixCsv.write(matrix, out);
        return out.toString();
    }

    @Test
    void rowsAreOrderedByTimestampThenWorkloadWithMissingValuesEmpty() throws IOException {
        StepGrid grid = new StepGrid(T0, T0.plusSeconds(60), Duration.ofMinutes(1));
        FeatureMatrix matrix = new FeatureMatrix(List.of("vm-a", "vm-b"), List.of("cpu", "mem_bytes"), grid,
                new double[] {
                    0.5, 1234, /* vm-a 03:04:05 */ NaN, 1.5e-7, /* vm-a 03:05:05 */
                    2.0, NaN, /* vm-b 03:04:05 */ -0.25, 1e21, /* vm-b 03:05:05 */
                });

        assertThat(csv(matrix)).isEqualTo("""
                timestamp,workload,cpu,mem_bytes
                2026-01-02T03:04:05Z,vm-a,0.5,1234
                2026-01-02T03:04:05Z,vm-b,2,
                2026-01-02T03:05:05Z,vm-a,,1.5E-7
                2026-01-02T03:05:05Z,vm-b,-0.25,1E21
                """);
    }

    @Test
    void namesThatNeedQuotingAreQuoted() throws IOException {
        FeatureMatrix matrix = new FeatureMatrix(List.of("a,b", "say \"hi\""), List.of("cpu"),
                new StepGrid(T0, T0, Duration.ofSeconds(1)), new double[] {1, 2});

        assertThat(csv(matrix)).isEqualTo("""
                timestamp,workload,cpu
                2026-01-02T03:04:05Z,"a,b",1
                2026-01-02T03:04:05Z,"say ""hi\""",2
                """);
    }

    @Test
    void subSecondStepsKeepTheirMilliseconds() throws IOException {
        FeatureMatrix matrix = new FeatureMatrix(List.of("vm"), List.of("cpu"),
                new StepGrid(T0, T0.plusMillis(500), Duration.ofMillis(500)), new double[] {1, Double.POSITIVE_INFINITY});

        assertThat(csv(matrix)).isEqualTo("""
                timestamp,workload,cpu
                2026-01-02T03:04:05Z,vm,1
                2026-01-02T03:04:05.500Z,vm,+Inf
                """);
    }
}
