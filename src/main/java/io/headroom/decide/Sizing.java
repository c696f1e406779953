package io.headroom.decide;

import io.headroom.config.DecideConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Sizes in a resource's own units (vCPUs, quota microseconds, bytes) from measured use (cores, bytes), and the
 * tier steps a size snaps to. A need never buys more than the critical tier: beyond it lie {@code decide.caps} and
 * the tiers' multipliers, which an operator sets.
 */
final class Sizing {

    private final DecideConfig.Sizing cfg;
    private final TierTracker tiers;

    Sizing(DecideConfig.Sizing cfg, TierTracker tiers) {
        this.cfg = cfg;
        this.tiers = tiers;
    }

    /** The reading of {@code r}'s use against what the guest has now; empty when nothing measures it. */
    Optional<UseReading> read(Resource r, PolicyInput in, Usage usage) {
        return switch (r) {
            case CPU -> UseReading.of(usage.cpuCores(), usage.step(), in.current().vcpus(), cfg);
            case CPU_QUOTA -> in.coresPerQuotaUnit() > 0
                    ? UseReading.of(usage.cpuCores(), usage.step(), toUse(r, in, in.current().cpuQuota()), cfg)
                    : Optional.empty();
            case MEMORY -> UseReading.of(usage.memoryBytes(in.domainMax().memoryBytes()), usage.step(),
                    in.current().memoryBytes(), cfg);
        };
    }

    /** An amount of {@code r} in use units: vCPUs and quotas in cores (an uncapped quota: all vCPUs), memory in bytes. */
    static double toUse(Resource r, PolicyInput in, long amount) {
        return switch (r) {
            case CPU, MEMORY -> amount;
            case CPU_QUOTA -> amount == 0 ? in.current().vcpus() : amount * in.coresPerQuotaUnit();
        };
    }

    /** The smallest amount of {@code r} that holds {@code use} (cores or bytes). */
    static long toUnits(Resource r, PolicyInput in, double use) {
        BigDecimal u = BigDecimal.valueOf(use);
        return switch (r) {
            case CPU -> u.setScale(0, RoundingMode.CEILING).longValueExact();
            case MEMORY -> Targets.ceilMib(u.setScale(0, RoundingMode.CEILING).longValueExact());
            case CPU_QUOTA -> u.divide(BigDecimal.valueOf(in.coresPerQuotaUnit() * Targets.QUOTA_UNIT), 0,
                    RoundingMode.CEILING).longValueExact() * Targets.QUOTA_UNIT;
        };
    }

    /**
     * The tier step that holds {@code units}: the baseline if that does, else the smallest tier's target that does,
     * else the critical tier's (the most a need buys).
     */
    long snap(Resource r, long units, long baseline) {
        if (units <= baseline) {
            return baseline;
        }
        for (Tier t : new Tier[] {Tier.MEDIUM, Tier.HIGH, Tier.CRITICAL}) {
            long target = tiers.target(t, r, baseline);
            if (target >= units) {
                return target;
            }
        }
        return tiers.target(Tier.CRITICAL, r, baseline);
    }

    /** The next tier step above {@code current}, or {@code current} when the critical tier gives no more. */
    long nextAbove(Resource r, long current, long baseline) {
        for (Tier t : new Tier[] {Tier.MEDIUM, Tier.HIGH, Tier.CRITICAL}) {
            long target = tiers.target(t, r, baseline);
            if (target > current) {
                return target;
            }
        }
        return current;
    }

    /** The tier whose target {@code amount} is, for explanations ({@code critical x1.3}); "baseline" at the baseline. */
    String tierOf(Resource r, long amount, long baseline) {
        for (Tier t : new Tier[] {Tier.CRITICAL, Tier.HIGH, Tier.MEDIUM}) {
            if (tiers.target(t, r, baseline) == amount && amount != baseline) {
                return t.label() + " x" + tiers.multiplier(t, r);
            }
        }
        return amount == baseline ? "baseline" : "tier step";
    }

    DecideConfig.Sizing config() {
        return cfg;
    }
}
