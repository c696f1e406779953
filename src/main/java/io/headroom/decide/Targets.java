package io.headroom.decide;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The arithmetic of targets, in exact decimals: {@code 1.10 * 10} must give 11 vCPUs, not the 12 that
 * {@code ceil(11.000000000000002)} would.
 */
final class Targets {

    static final long MIB = 1L << 20;
    /** Quotas move in whole milliseconds of CPU time per period: libvirt's smallest quota is 1000 us. */
    static final long QUOTA_UNIT = 1000;

    private Targets() {}

    /**
     * {@code multiplier} times the baseline of {@code r}: vCPUs rounded up, memory rounded up to whole MiB, quotas
     * rounded up to whole milliseconds.
     */
    static long scaled(Resource r, long baseline, double multiplier) {
        BigDecimal product = BigDecimal.valueOf(multiplier).multiply(BigDecimal.valueOf(baseline));
        if (product.compareTo(BigDecimal.valueOf(baseline)) <= 0) {
            // x1.0 keeps the baseline exactly, even one that is not a whole MiB.
            return baseline;
        }
        if (r == Resource.CPU) {
            return product.setScale(0, RoundingMode.CEILING).longValueExact();
        }
        long unit = unit(r);
        return product.divide(BigDecimal.valueOf(unit), 0, RoundingMode.CEILING).longValueExact() * unit;
    }

    /** The granularity of {@code r}: 1 vCPU, 1 MiB, 1 ms of quota. */
    static long unit(Resource r) {
        return switch (r) {
            case CPU -> 1;
            case MEMORY -> MIB;
            case CPU_QUOTA -> QUOTA_UNIT;
        };
    }

    /** One decay step of {@code r}: {@code share} of the baseline, at least one unit ({@link #unit}). */
    static long decayStep(Resource r, long baseline, double share) {
        long unit = unit(r);
        BigDecimal units = BigDecimal.valueOf(share).multiply(BigDecimal.valueOf(baseline))
                .divide(BigDecimal.valueOf(unit), 0, RoundingMode.CEILING);
        return Math.max(1, units.longValueExact()) * unit;
    }

    /** The smallest whole number of MiB not below {@code bytes}. */
    static long ceilMib(long bytes) {
        return Math.floorDiv(bytes + MIB - 1, MIB) * MIB;
    }

    /** The largest whole number of MiB not above {@code bytes}. */
    static long floorMib(long bytes) {
        return Math.floorDiv(bytes, MIB) * MIB;
    }
}
