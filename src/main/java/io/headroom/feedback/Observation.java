package io.headroom.feedback;

import io.headroom.decide.Allocation;
import io.headroom.decide.Resource;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What one cycle showed of one workload, as far as judging Headroom's help goes.
 *
 * @param workload   the workload
 * @param at         the cycle's time
 * @param flagged    the policy's tier was medium or above
 * @param raised     Headroom held a change on the guest after the cycle
 * @param pressure   the resources the attribution said were under pressure (empty: I/O, network, a fall)
 * @param topFeature the feature with the largest share of the score; empty without a score
 * @param baseline   the guest's baseline allocation, once known
 * @param cpuCores   cores' worth of CPU in use at the newest row; NaN when not measured
 * @param memory     memory in use at the newest row, in bytes; NaN when not measured
 * @param failing    the guest was failed (failure query or failure webhook)
 */
public record Observation(String workload, Instant at, boolean flagged, boolean raised, Set<Resource> pressure,
                          Optional<String> topFeature, Optional<Allocation> baseline, double cpuCores, double memory,
                          boolean failing) {

    public Observation {
        pressure = Set.copyOf(pressure);
    }

    /** True while the workload is in an episode: flagged, or still holding a change. */
    boolean active() {
        return flagged || raised;
    }
}
