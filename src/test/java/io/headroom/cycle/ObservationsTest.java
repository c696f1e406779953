package io.headroom.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.act.WorkloadRecord;
import io.headroom.act.WorkloadReport;
import io.headroom.config.FeatureSpec;
import io.headroom.decide.Allocation;
import io.headroom.decide.Decision;
import io.headroom.decide.FeatureAttribution;
import io.headroom.decide.Resource;
import io.headroom.decide.Tier;
import io.headroom.decide.Usage;
import io.headroom.decide.WorkloadScore;
import io.headroom.decide.WorkloadState;
import io.headroom.feedback.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ObservationsTest {

    static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    static final long GIB = 1L << 30;
    static final Allocation BASE = new Allocation(2, 8 * GIB);
    static final Allocation MAX = new Allocation(8, 16 * GIB);

    static WorkloadReport report(String w, Tier tier, Set<Resource> pressure) {
        Decision d = new Decision(w, T, OptionalDouble.of(80), tier, Decision.Action.HOLD, BASE, BASE, BASE, pressure,
                "test", List.of());
        return new WorkloadReport(w, T, WorkloadReport.Outcome.DECIDED, Optional.of(BASE), Optional.of(BASE),
                Optional.of(d), List.of(), Optional.empty(), List.of(), Optional.of(MAX));
    }

    static WorkloadScore score(boolean shareOfMax, double newestMemory) {
        List<FeatureAttribution> attribution = List.of(
                new FeatureAttribution("cpu_cores_used", FeatureSpec.Pressure.CPU, FeatureSpec.Direction.ABOVE,
                        FeatureAttribution.Side.INSIDE, 0.2, false),
                new FeatureAttribution("memory_usage_ratio", FeatureSpec.Pressure.MEMORY, FeatureSpec.Direction.ABOVE,
                        FeatureAttribution.Side.ABOVE, 0.8, false));
        return new WorkloadScore(80, attribution, new Usage(Duration.ofSeconds(30), new double[] {1.0, 1.5},
                new double[] {0.1, newestMemory}, shareOfMax));
    }

    static WorkloadRecord record(Allocation applied) {
        return new WorkloadRecord(BASE, applied, BASE.memoryBytes(), Optional.empty(), Optional.empty(),
                WorkloadState.initial(), T);
    }

    @Test
    void aShareOfMaximumMemoryIsTurnedIntoBytesOfTheDomainMaximumAndTheNewestRowCounts() {
        List<Observation> out = Observations.of(new TreeSet<>(Set.of("web-1")),
                List.of(report("web-1", Tier.HIGH, Set.of(Resource.MEMORY))), Map.of("web-1", score(true, 0.6)),
                Map.of("web-1", record(new Allocation(2, 10 * GIB))), Set.of(), T);

        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.flagged()).isTrue();
            assertThat(o.raised()).isTrue();
            assertThat(o.memory()).isEqualTo(0.6 * 16 * GIB);
            assertThat(o.cpuCores()).isEqualTo(1.5);
            assertThat(o.topFeature()).contains("memory_usage_ratio");
            assertThat(o.pressure()).containsExactly(Resource.MEMORY);
            assertThat(o.failing()).isFalse();
        });
    }

    @Test
    void memoryInBytesIsTakenAsItIsAndALowTierIsNotFlagged() {
        List<Observation> out = Observations.of(new TreeSet<>(Set.of("web-1")),
                List.of(report("web-1", Tier.NONE, Set.of())), Map.of("web-1", score(false, 5.0 * GIB)),
                Map.of("web-1", record(BASE)), Set.of(), T);

        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.flagged()).isFalse();
            assertThat(o.raised()).isFalse();
            assertThat(o.memory()).isEqualTo(5.0 * GIB);
        });
    }

    @Test
    void aFailedGuestOfThisHostThatActuationDidNotReachIsObservedButAnotherHostsIsNot() {
        List<Observation> out = Observations.of(new TreeSet<>(Set.of("web-1", "web-2")),
                List.of(report("web-1", Tier.NONE, Set.of())), Map.of(), Map.of(), Set.of("web-2", "elsewhere-9"), T);

        assertThat(out).extracting(Observation::workload).containsExactly("web-1", "web-2");
        assertThat(out.get(1).failing()).isTrue();
        assertThat(Double.isNaN(out.get(0).memory())).isTrue();
    }
}
