package io.headroom.act;

/**
 * What Headroom exports about a running guest from its own libvirt connection, so that a host without a libvirt
 * exporter still has these series ({@code headroom_domain_*}).
 *
 * @param name           domain name
 * @param cpuTimeSeconds CPU time the guest used since it started (cumulative)
 * @param vcpus          vCPUs libvirt counts
 * @param memoryBytes    live memory (the balloon's size on QEMU)
 * @param maxMemoryBytes the most the guest can have without a restart
 * @param balloon        the balloon driver's statistics; empty where the driver reports none (the test driver)
 */
public record DomainStats(String name, double cpuTimeSeconds, int vcpus, long memoryBytes, long maxMemoryBytes,
                          BalloonStats balloon) {}
