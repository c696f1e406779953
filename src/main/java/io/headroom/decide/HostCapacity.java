package io.headroom.decide;

/**
 * What the host can still give, as observed at the start of a cycle and updated after each change in it.
 *
 * @param physicalCpus    the host's CPUs
 * @param vcpusAllocated  vCPUs of all running guests together
 * @param freeMemoryBytes memory not held by running guests (the actuation stage decides how this is measured)
 */
public record HostCapacity(int physicalCpus, int vcpusAllocated, long freeMemoryBytes) {

    /** The capacity left after a guest went from {@code from} to {@code to}. */
    public HostCapacity afterChange(Allocation from, Allocation to) {
        return new HostCapacity(physicalCpus, vcpusAllocated + to.vcpus() - from.vcpus(),
                freeMemoryBytes - (to.memoryBytes() - from.memoryBytes()));
    }
}
