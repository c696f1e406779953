package io.headroom.collect;

import java.time.Instant;
import java.util.SortedSet;

/**
 * Finds the workloads to look after. Implementations may block (they talk to Prometheus or libvirt), so call
 * them from a worker pool.
 */
public interface WorkloadDiscovery {

    /**
     * The names of the current workloads, already filtered by the configured include and exclude patterns.
     *
     * @param now the time of the collection cycle
     * @return an unmodifiable sorted set, possibly empty
     */
    SortedSet<String> discover(Instant now);
}
