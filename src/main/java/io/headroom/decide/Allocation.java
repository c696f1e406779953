package io.headroom.decide;

import io.headroom.config.ByteSizes;

/**
 * What a guest has: vCPUs and memory in bytes.
 *
 * @param vcpus       virtual CPUs, at least 1
 * @param memoryBytes memory in bytes, positive
 */
public record Allocation(int vcpus, long memoryBytes) {

    public Allocation {
        if (vcpus < 1 || memoryBytes < 1) {
            throw new IllegalArgumentException("an allocation needs at least 1 vCPU and 1 byte (got " + vcpus
                    + " vCPUs, " + memoryBytes + " bytes)");
        }
    }

    /** The amount of {@code r}: vCPUs, or bytes of memory. */
    public long get(Resource r) {
        return r == Resource.CPU ? vcpus : memoryBytes;
    }

    /** A copy with {@code r} set to {@code value}. */
    public Allocation with(Resource r, long value) {
        return r == Resource.CPU ? new Allocation(Math.toIntExact(value), memoryBytes) : new Allocation(vcpus, value);
    }

    /** Human form of one resource's amount: {@code 3} or {@code 2304MiB}. */
    public static String format(Resource r, long value) {
        return r == Resource.CPU ? Long.toString(value) : ByteSizes.format(value);
    }

    @Override
    public String toString() {
        return vcpus + " vCPUs, " + ByteSizes.format(memoryBytes);
    }
}
