package io.headroom.act;

import io.headroom.config.ActConfig;
import io.headroom.decide.Decision;
import java.util.List;
import java.util.Optional;

/**
 * Carries out decisions: {@link LibvirtActuator} changes guests ({@code act.mode: enforce}),
 * {@link DryRunActuator} only records what it would do ({@code act.mode: observe}).
 */
public interface Actuator {

    /** The mode this actuator implements. */
    ActConfig.Mode mode();

    /**
     * Carries out the changes of {@code decision}: vCPUs first, then memory, then the CPU quota, one result per
     * resource that changes. Stops after a result that makes the next change pointless (domain gone, connection
     * lost). May block on libvirt: call on the {@code headroom-libvirt} worker pool.
     *
     * @param quota the guest's cap as last read, which says which scheduler parameter a quota change sets
     */
    List<ActuationResult> apply(Decision decision, Optional<CpuQuota> quota);
}
