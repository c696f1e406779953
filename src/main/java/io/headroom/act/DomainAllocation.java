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
 * @param optedOut the domain's own metadata says Headroom must not change it (see
 *                 {@link LibvirtGateway#METADATA_NAMESPACE})
 */
public record DomainAllocation(String name, Allocation current, Allocation max, Optional<CpuQuota> quota,
                               boolean optedOut) {

    /** A domain with the given quota whose metadata does not opt it out. */
    public DomainAllocation(String name, Allocation current, Allocation max, Optional<CpuQuota> quota) {
        this(name, current, max, quota, false);
    }

    /** A domain whose driver cannot cap CPU, opted out or not by its metadata. */
    public DomainAllocation(String name, Allocation current, Allocation max, boolean optedOut) {
        this(name, current, max, Optional.empty(), optedOut);
    }

    /** A domain whose driver cannot cap CPU. */
    public DomainAllocation(String name, Allocation current, Allocation max) {
        this(name, current, max, Optional.empty(), false);
    }
}
