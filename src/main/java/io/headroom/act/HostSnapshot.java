package io.headroom.act;

import io.headroom.decide.HostCapacity;
import java.util.OptionalLong;

/**
 * The host as libvirt reports it.
 *
 * @param physicalCpus       the host's CPUs
 * @param memoryBytes        the host's memory
 * @param runningVcpus       vCPUs of all running domains
 * @param runningMemoryBytes memory of all running domains
 * @param libvirtFreeBytes   free memory per {@code virNodeGetFreeMemory}; empty where the driver does not say
 *                           (the test driver never does)
 */
public record HostSnapshot(int physicalCpus, long memoryBytes, int runningVcpus, long runningMemoryBytes,
                           OptionalLong libvirtFreeBytes) {

    /**
     * What the policy may hand out. Free memory is the smaller of the kernel's free memory and the memory not
     * promised to running guests: a raise gives a guest the right to use memory later, so memory that is free
     * now only because guests have not touched their allocation is not really free.
     */
    public HostCapacity capacity() {
        long unpromised = memoryBytes - runningMemoryBytes;
        long free = libvirtFreeBytes.isPresent() ? Math.min(libvirtFreeBytes.getAsLong(), unpromised) : unpromised;
        return new HostCapacity(physicalCpus, runningVcpus, free);
    }
}
