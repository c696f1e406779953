package io.headroom.act;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A guest's memory statistics from its balloon driver ({@code virDomainMemoryStats} with all 13 tags), converted to
 * base units: bytes (libvirt reports KiB), counts, unix seconds. A stat the guest does not report (no balloon
 * driver loaded, stats period not set, an older QEMU) is absent, never zero.
 *
 * @param values the stats reported, by tag
 */
public record BalloonStats(Map<Stat, Long> values) {

    public BalloonStats {
        values = Collections.unmodifiableMap(values.isEmpty() ? new EnumMap<>(Stat.class) : new EnumMap<>(values));
    }

    /** {@code virDomainMemoryStatTags}, with the unit libvirt reports each in. */
    public enum Stat {
        /** Data read from swap, cumulative. */
        SWAP_IN(0, true),
        /** Data written to swap, cumulative. */
        SWAP_OUT(1, true),
        /** Page faults that needed disk I/O, cumulative count. */
        MAJOR_FAULT(2, false),
        /** Other page faults, cumulative count. */
        MINOR_FAULT(3, false),
        /** Memory the guest leaves completely unused. */
        UNUSED(4, true),
        /** Memory the guest sees (its MemTotal). */
        AVAILABLE(5, true),
        /** The balloon's current size: what the guest has. */
        ACTUAL(6, true),
        /** Resident set of the QEMU process on the host. */
        RSS(7, true),
        /** Memory the guest could give up without swapping (MemAvailable). */
        USABLE(8, true),
        /** When the guest last updated the stats, unix seconds. */
        LAST_UPDATE(9, false),
        /** Memory the guest could reclaim from disk caches. */
        DISK_CACHES(10, true),
        /** Huge pages allocated, cumulative count. */
        HUGETLB_PGALLOC(11, false),
        /** Huge page allocations that failed, cumulative count. */
        HUGETLB_PGFAIL(12, false);

        /** How many tags libvirt 9.0 knows: {@code VIR_DOMAIN_MEMORY_STAT_NR}. */
        static final int NR = 13;

        private final int tag;
        private final boolean kib;

        Stat(int tag, boolean kib) {
            this.tag = tag;
            this.kib = kib;
        }

        /** The stat for libvirt's tag, or null for one this code does not know. */
        static Stat of(int tag) {
            for (Stat s : values()) {
                if (s.tag == tag) {
                    return s;
                }
            }
            return null;
        }

        /** libvirt's raw value in base units. */
        long toBase(long raw) {
            return kib ? raw * 1024 : raw;
        }
    }

    /** The value of {@code s}, if the guest reports it. */
    public OptionalLong get(Stat s) {
        Long v = values.get(s);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /**
     * Memory the guest uses and could not give back without swapping: the balloon's size minus what is usable.
     * Empty unless the guest reports both.
     */
    public OptionalLong inUseBytes() {
        OptionalLong actual = get(Stat.ACTUAL);
        OptionalLong usable = get(Stat.USABLE);
        if (actual.isEmpty() || usable.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, actual.getAsLong() - usable.getAsLong()));
    }

    /**
     * The same stats from {@code virConnectGetAllDomainStats}' balloon group ({@code balloon.current} is the balloon's
     * size, {@code ACTUAL}; {@code balloon.<name>} the others, named as in {@code virsh domstats}). Names this version
     * does not know are skipped.
     */
    static BalloonStats fromDomainStats(Map<String, Long> params) {
        Map<Stat, Long> values = new java.util.EnumMap<>(Stat.class);
        for (Stat s : Stat.values()) {
            String name = s == Stat.ACTUAL ? "current" : s.name().toLowerCase(java.util.Locale.ROOT);
            Long raw = params.get("balloon." + (s == Stat.LAST_UPDATE ? "last-update" : name));
            if (raw != null) {
                values.put(s, s.toBase(raw));
            }
        }
        return new BalloonStats(values);
    }

    /** Room for every stat libvirt knows, as {@code virDomainMemoryStats} fills it. */
    static com.sun.jna.Memory structs() {
        return new com.sun.jna.Memory(STRUCT_BYTES * Stat.NR);
    }

    /**
     * The first {@code got} entries of {@code raw}, an array of {@code struct virDomainMemoryStat { int tag;
     * unsigned long long val; }}: 16 bytes each, the value at offset 8. Tags this version does not know are skipped.
     */
    static BalloonStats fromStructs(com.sun.jna.Pointer raw, int got) {
        Map<Stat, Long> values = new java.util.EnumMap<>(Stat.class);
        for (int i = 0; i < got; i++) {
            Stat s = Stat.of(raw.getInt(STRUCT_BYTES * i));
            if (s != null) {
                values.put(s, s.toBase(raw.getLong(STRUCT_BYTES * i + 8)));
            }
        }
        return new BalloonStats(values);
    }

    /** The size of one {@code virDomainMemoryStat}. */
    private static final long STRUCT_BYTES = 16;
}
