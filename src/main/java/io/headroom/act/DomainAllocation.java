package io.headroom.act;

import io.headroom.decide.Allocation;

/**
 * A running domain's allocation as libvirt reports it.
 *
 * @param name    domain name
 * @param current live vCPUs and memory (for QEMU, memory is the balloon's size, which lags a change)
 * @param max     the most the domain can have without a restart
 */
public record DomainAllocation(String name, Allocation current, Allocation max) {}
