package io.headroom.decide;

import io.headroom.config.ByteSizes;

/**
 * What a guest has: vCPUs, memory in bytes and a CPU quota.
 *
 * @param vcpus       virtual CPUs, at least 1
 * @param memoryBytes memory in bytes, positive
 * @param cpuQuota    CFS quota in microseconds per period of the guest's quota parameter ({@code vcpu_quota} or
 *                    {@code global_quota}); 0 means uncapped. Only meaningful for a guest whose CPU is controlled
 *                    by quota ({@link CpuControl#QUOTA}).
 */
public record Allocation(int vcpus, long memoryBytes, long cpuQuota) {

    public Allocation {
        if (vcpus < 1 || memoryBytes < 1 || cpuQuota < 0) {
            throw new IllegalArgumentException("an allocation needs at least 1 vCPU, 1 byte and a quota of 0 (uncapped) "
                    + "or more (got " + vcpus + " vCPUs, " + memoryBytes + " bytes, quota " + cpuQuota + ")");
        }
    }

    /** An uncapped allocation. */
    public Allocation(int vcpus, long memoryBytes) {
        this(vcpus, memoryBytes, 0);
    }

    /** The amount of {@code r}: vCPUs, bytes of memory, or microseconds of quota. */
    public long get(Resource r) {
        return switch (r) {
            case CPU -> vcpus;
            case MEMORY -> memoryBytes;
            case CPU_QUOTA -> cpuQuota;
        };
    }

    /** A copy with {@code r} set to {@code value}. */
    public Allocation with(Resource r, long value) {
        return switch (r) {
            case CPU -> new Allocation(Math.toIntExact(value), memoryBytes, cpuQuota);
            case MEMORY -> new Allocation(vcpus, value, cpuQuota);
            case CPU_QUOTA -> new Allocation(vcpus, memoryBytes, value);
        };
    }

    /** Human form of one resource's amount: {@code 3}, {@code 2304MiB} or {@code 55000us}. */
    public static String format(Resource r, long value) {
        return switch (r) {
            case CPU -> Long.toString(value);
            case MEMORY -> ByteSizes.format(value);
            case CPU_QUOTA -> value == 0 ? "uncapped" : value + "us";
        };
    }

    @Override
    public String toString() {
        return vcpus + " vCPUs, " + ByteSizes.format(memoryBytes) + (cpuQuota > 0 ? ", quota " + cpuQuota + "us" : "");
    }
}
