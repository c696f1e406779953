package io.headroom.act;

import io.headroom.decide.Allocation;

/**
 * A running domain's allocation as libvirt reports it.
 *
 * @param name     domain name
 * @param current  live vCPUs and memory (for QEMU, memory is the balloon's size, which lags a change)
 * @param max      the most the domain can have without a restart
 * @param optedOut the domain's own metadata says Headroom must not change it (see
 *                 {@link LibvirtGateway#METADATA_NAMESPACE})
 */
public record DomainAllocation(String name, Allocation current, Allocation max, boolean optedOut) {

    /** A domain whose metadata does not opt it out. */
    public DomainAllocation(String name, Allocation current, Allocation max) {
        this(name, current, max, false);
    }
}
