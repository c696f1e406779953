package io.headroom.act;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.headroom.decide.Allocation;
import java.util.Map;
import java.util.Optional;

/**
 * One running domain's record from {@code virConnectGetAllDomainStats}: the state, CPU, balloon and vCPU groups,
 * numbers by field name ({@code vcpu.current}, {@code balloon.current} in KiB, {@code cpu.time} in ns, ...).
 *
 * @param name   the domain's name
 * @param id     its id, new each time it starts (a restarted guest is a new domain to the tunables cache)
 * @param fields the record's numeric fields
 */
record BulkStats(String name, int id, Map<String, Long> fields) {

    /**
     * Reads the {@code i}th {@code struct virDomainStatsRecord { virDomainPtr dom; virTypedParameterPtr params;
     * int nparams; }} of a NULL-terminated array of record pointers.
     */
    static BulkStats read(Pointer record, LibvirtNative lib) {
        Pointer dom = record.getPointer(0);
        Pointer params = record.getPointer(Native.POINTER_SIZE);
        int n = record.getInt(2L * Native.POINTER_SIZE);
        return new BulkStats(lib.virDomainGetName(dom), lib.virDomainGetID(dom),
                params == null ? Map.of() : TypedParams.numbers(params, n));
    }

    /**
     * Whether the driver reported every field a cycle needs. libvirt's QEMU driver does; the test driver fills only
     * the state group.
     */
    boolean complete() {
        return NEEDED.stream().allMatch(fields::containsKey);
    }

    /** Live vCPUs, of a {@link #complete} record. */
    int vcpus() {
        return fields.get("vcpu.current").intValue();
    }

    /** Live memory (the balloon's size), of a {@link #complete} record. */
    long memoryBytes() {
        return fields.get("balloon.current") * 1024;
    }

    private static final java.util.List<String> NEEDED = java.util.List.of("vcpu.current", "vcpu.maximum",
            "balloon.current", "balloon.maximum", "cpu.time");

    /**
     * The allocation and statistics a cycle reads, from a {@link #complete} record. The CFS quota and the opt-out
     * are in no statistics group: they come with {@code tunables}.
     */
    DomainReading reading(DomainTunables.Entry tunables) {
        if (!complete()) {
            throw new IllegalStateException("domain statistics of " + name + " lack " + NEEDED);
        }
        int vcpus = vcpus();
        long memory = memoryBytes();
        long maxMemory = fields.get("balloon.maximum") * 1024;
        Optional<CpuQuota> quota = tunables.quota(vcpus);
        DomainAllocation allocation = new DomainAllocation(name,
                new Allocation(vcpus, memory, quota.map(CpuQuota::quota).orElse(0L)),
                new Allocation(fields.get("vcpu.maximum").intValue(), maxMemory, quota.map(CpuQuota::max).orElse(0L)),
                quota, tunables.optedOut());
        DomainStats stats = new DomainStats(name, fields.get("cpu.time") / 1e9, vcpus, memory, maxMemory,
                BalloonStats.fromDomainStats(fields));
        return new DomainReading(allocation, stats);
    }
}
