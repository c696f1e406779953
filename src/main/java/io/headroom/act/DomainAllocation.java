package io.headroom.act;

import io.headroom.decide.Allocation;
import java.util.Optional;

/**
 * A running domain's allocation as libvirt reports it.
 *
 * @param name    domain name
 * @param current live vCPUs, memory and CPU quota (for QEMU, memory is the balloon's size, which lags a change;
 *                the quota is that of {@code quota}'s parameter, 0 when uncapped or unsupported)
 * @param max     the most the domain can have without a restart (for the quota: the value that caps nothing)
 * @param quota   the guest's CFS cap; empty where the driver has no CFS bandwidth control (the test driver)
 */
public record DomainAllocation(String name, Allocation current, Allocation max, Optional<CpuQuota> quota) {

    /** A domain whose driver cannot cap CPU. */
    public DomainAllocation(String name, Allocation current, Allocation max) {
        this(name, current, max, Optional.empty());
    }
}
