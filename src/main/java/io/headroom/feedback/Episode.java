package io.headroom.feedback;

import io.headroom.decide.Allocation;
import io.headroom.decide.Resource;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * One episode of Headroom's help to a workload, from the first cycle it was flagged or raised until it is calm and
 * back at its baseline.
 *
 * @param workload   the workload
 * @param start      the first active cycle
 * @param end        the first cycle after it, calm and at baseline
 * @param pressure   every resource the attribution named during the episode
 * @param topFeature the top feature when the episode began
 * @param baseline   the baseline when the episode began, if known
 * @param peakCpu    the most CPU in use during the episode, in cores; NaN if never measured
 * @param peakMemory the most memory in use during the episode, in bytes; NaN if never measured
 * @param failedAt   when the guest was first seen failed during the episode
 */
public record Episode(String workload, Instant start, Instant end, Set<Resource> pressure, Optional<String> topFeature,
                      Optional<Allocation> baseline, double peakCpu, double peakMemory, Optional<Instant> failedAt) {

    public Episode {
        pressure = Set.copyOf(pressure);
    }
}
