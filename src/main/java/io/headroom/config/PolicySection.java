package io.headroom.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Reads {@code decide} (tiers and guardrails) and {@code act} (mode and libvirt reconnection). Defaults are the
 * documented defaults of {@code daemon/headroom.yaml}.
 */
final class PolicySection {

    /** The least {@code act.max_data_age} defaults to, whatever the interval. */
    static final Duration MIN_DEFAULT_DATA_AGE = Duration.ofSeconds(10);


    static final DecideConfig.TierSpec DEFAULT_MEDIUM = new DecideConfig.TierSpec(31, 1.10, 1.05);
    static final DecideConfig.TierSpec DEFAULT_HIGH = new DecideConfig.TierSpec(71, 1.25, 1.15);
    static final DecideConfig.TierSpec DEFAULT_CRITICAL = new DecideConfig.TierSpec(91, 1.50, 1.30);
    private static final long MIB = 1L << 20;
    private static final long TIB = 1L << 40;
    /** Beyond 4x a baseline a guest is a different guest; larger factors are almost surely typos. */
    private static final double MAX_MULTIPLIER = 4.0;

    private PolicySection() {}

    static DecideConfig decide(ConfigNode n) {
        n.expectMapping();
        DecideConfig.Tiers tiers = tiers(n.child("tiers"));
        double share = n.child("pressure_share").number(0.3, 0.01, 1.0);

        ConfigNode h = n.child("hysteresis");
        h.expectMapping();
        int escalate = h.child("escalate_after_cycles").integer(2, 1, 100);
        int margin = h.child("step_down_margin").integer(5, 0, 50);
        h.rejectUnknownKeys();

        Duration cooldown = n.child("cooldown").duration(Duration.ofMinutes(5), Duration.ZERO, Duration.ofDays(1));

        ConfigNode mc = n.child("min_change");
        mc.expectMapping();
        int minVcpus = mc.child("vcpus").integer(1, 1, 64);
        long minMemory = mc.child("memory").byteSize(64 * MIB, 0, 64L << 30);
        double minQuota = mc.child("cpu_quota").number(0.05, 0.0, 1.0);
        mc.rejectUnknownKeys();

        int perMinute = n.child("max_changes_per_minute").integer(6, 1, 1000);

        ConfigNode d = n.child("decay");
        d.expectMapping();
        Duration decayAfter = d.child("after").duration(Duration.ofMinutes(30), Duration.ofMinutes(1), Duration.ofDays(30));
        double decayStep = d.child("step").number(0.1, 0.01, 1.0);
        double decayMargin = d.child("margin").number(0.1, 0.0, 0.5);
        d.rejectUnknownKeys();
        Duration horizon = n.child("horizon").duration(Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofDays(7));
        DecideConfig.Sizing sizing = sizing(n.child("sizing"), horizon, decayMargin);

        ConfigNode host = n.child("host");
        host.expectMapping();
        long reserve = host.child("memory_reserve").byteSize(2L << 30, 0, TIB);
        double overcommit = host.child("max_vcpu_overcommit").number(4.0, 1.0, 64.0);
        host.rejectUnknownKeys();

        List<DecideConfig.Cap> caps = new ArrayList<>();
        for (ConfigNode item : n.child("caps").list()) {
            cap(item).ifPresent(caps::add);
        }
        Optional<Pattern> optOut = n.child("opt_out").regex();
        n.rejectUnknownKeys();
        return new DecideConfig(tiers, share, escalate, margin, cooldown, minVcpus, minMemory, minQuota, perMinute, decayAfter,
                decayStep, reserve, overcommit, caps, optOut, sizing);
    }

    private static DecideConfig.Sizing sizing(ConfigNode n, Duration horizon, double decayMargin) {
        n.expectMapping();
        Duration window = n.child("window").duration(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofDays(7));
        double margin = n.child("margin").number(0.05, 0.0, 1.0);
        // Below 0.5 "near" would call half-idle guests saturated; above 1.0 nothing could ever be near.
        double near = n.child("near").number(0.95, 0.5, 1.0);
        Duration saturation = n.child("saturation_after").duration(Duration.ofMinutes(2), Duration.ZERO,
                Duration.ofHours(1));
        int escalate = n.child("escalate_after_cycles").integer(2, 1, 100);
        Duration strainWindow = n.child("strain_window").duration(Duration.ofMinutes(10), Duration.ofMinutes(1),
                Duration.ofHours(1));
        // Below half, "most of the time near the allocation" would not be what it says.
        double strainShare = n.child("strain_share").number(0.85, 0.5, 1.0);
        n.rejectUnknownKeys();
        return new DecideConfig.Sizing(horizon, window, margin, near, saturation, escalate, decayMargin, strainWindow,
                strainShare);
    }

    /** {@code interval} is {@code collection.interval}: data is never fresher than one. */
    static ActConfig act(ConfigNode n, Duration interval) {
        n.expectMapping();
        ActConfig.Mode mode = n.child("mode").enumValue(ActConfig.Mode.class, ActConfig.Mode.OBSERVE);
        ConfigNode r = n.child("reconnect");
        r.expectMapping();
        Duration initial = r.child("initial_backoff").duration(Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(10));
        Duration max = r.child("max_backoff").duration(Duration.ofMinutes(1), Duration.ofMillis(10), Duration.ofHours(1));
        if (max.compareTo(initial) < 0) {
            r.child("max_backoff").problem("must be at least initial_backoff " + Durations.format(initial)
                    + " (got " + Durations.format(max) + ")");
        }
        r.rejectUnknownKeys();
        Duration forget = n.child("forget_after").duration(Duration.ofDays(7), Duration.ofHours(1), Duration.ofDays(3650));
        ActConfig.CpuStrategy strategy = n.child("cpu_strategy").enumValue(ActConfig.CpuStrategy.class,
                ActConfig.CpuStrategy.VCPUS);
        // Below 5% a guest barely runs; 1.0 leaves a per-vCPU cap nothing to raise into.
        double share = n.child("quota_baseline_share").number(0.5, 0.05, 1.0);
        long floor = n.child("memory_floor").byteSize(256 * MIB, 0, TIB);
        Duration readback = n.child("memory_readback_timeout").duration(Duration.ofSeconds(5), Duration.ZERO,
                Duration.ofMinutes(1));
        // Two intervals by default: a cycle may take one interval and still act, one that takes two has data a
        // whole cycle old. Never less than 10s by default, though: seconds of age mean nothing to trends read over
        // minutes, and a second-scale interval (demos, tests) would otherwise skip every cycle on a busy host. Less
        // than one interval would skip every cycle that is not instant.
        Duration twice = interval.multipliedBy(2);
        Duration defaultAge = twice.compareTo(MIN_DEFAULT_DATA_AGE) < 0 ? MIN_DEFAULT_DATA_AGE : twice;
        Duration maxAge = n.child("max_data_age").duration(defaultAge, Duration.ofSeconds(1),
                Duration.ofDays(1));
        if (maxAge.compareTo(interval) < 0) {
            n.child("max_data_age").problem("must be at least collection.interval " + Durations.format(interval)
                    + " (got " + Durations.format(maxAge) + ")");
        }
        // libvirt's own wait for a domain's job lock is 30s; a call past that is stuck on a guest (a frozen QEMU
        // monitor), and holding the one libvirt thread for it would hold every other guest too.
        Duration callTimeout = n.child("libvirt_call_timeout").duration(Duration.ofSeconds(45), Duration.ofSeconds(1),
                Duration.ofMinutes(10));
        // libvirtd's own defaults: a daemon silent for ~30s is given up before a call's 45s deadline passes.
        Duration keepalive = n.child("libvirt_keepalive_interval").duration(Duration.ofSeconds(5), Duration.ZERO,
                Duration.ofMinutes(10));
        if (!keepalive.isZero() && keepalive.compareTo(Duration.ofSeconds(1)) < 0) {
            n.child("libvirt_keepalive_interval").problem("must be 0s (off) or at least 1s: libvirt counts whole"
                    + " seconds (got " + Durations.format(keepalive) + ")");
        }
        int keepaliveCount = n.child("libvirt_keepalive_count").integer(5, 1, 100);
        n.rejectUnknownKeys();
        return new ActConfig(mode, initial, max, forget, strategy, share, floor, readback, maxAge, callTimeout,
                keepalive, keepaliveCount);
    }

    private static DecideConfig.Tiers tiers(ConfigNode n) {
        n.expectMapping();
        DecideConfig.TierSpec medium = tier(n.child("medium"), DEFAULT_MEDIUM);
        DecideConfig.TierSpec high = tier(n.child("high"), DEFAULT_HIGH);
        DecideConfig.TierSpec critical = tier(n.child("critical"), DEFAULT_CRITICAL);
        ordered(n, "medium", medium, "high", high);
        ordered(n, "high", high, "critical", critical);
        n.rejectUnknownKeys();
        return new DecideConfig.Tiers(medium, high, critical);
    }

    private static DecideConfig.TierSpec tier(ConfigNode n, DecideConfig.TierSpec def) {
        n.expectMapping();
        // Score 0 is "nothing unusual", so no tier may start there: that would raise every guest all the time.
        int min = n.child("min_score").integer(def.minScore(), 1, 100);
        double cpu = n.child("cpu").number(def.cpu(), 1.0, MAX_MULTIPLIER);
        double memory = n.child("memory").number(def.memory(), 1.0, MAX_MULTIPLIER);
        n.rejectUnknownKeys();
        return new DecideConfig.TierSpec(min, cpu, memory);
    }

    /** A higher tier must start higher and never give less than the tier below it. */
    private static void ordered(ConfigNode tiers, String lowName, DecideConfig.TierSpec low,
                                String highName, DecideConfig.TierSpec high) {
        ConfigNode h = tiers.child(highName);
        String lowPath = tiers.path() + "." + lowName;
        if (high.minScore() <= low.minScore()) {
            h.child("min_score").problem("must be greater than " + lowPath + ".min_score " + low.minScore()
                    + " (got " + high.minScore() + ")");
        }
        if (high.cpu() < low.cpu()) {
            h.child("cpu").problem("must be at least " + lowPath + ".cpu " + low.cpu() + " (got " + high.cpu() + ")");
        }
        if (high.memory() < low.memory()) {
            h.child("memory").problem("must be at least " + lowPath + ".memory " + low.memory()
                    + " (got " + high.memory() + ")");
        }
    }

    private static Optional<DecideConfig.Cap> cap(ConfigNode item) {
        if (!item.expectMapping()) {
            return Optional.empty();
        }
        ConfigNode matchNode = item.child("match");
        Optional<Pattern> match = matchNode.regex();
        if (match.isEmpty() && matchNode.optString().filter(s -> !s.isEmpty()).isEmpty()) {
            matchNode.problem("is required: a regular expression on the workload name (got nothing)");
        }
        ConfigNode vcpusNode = item.child("max_vcpus");
        OptionalInt vcpus = vcpusNode.present() ? OptionalInt.of(vcpusNode.integer(1, 1, 4096)) : OptionalInt.empty();
        ConfigNode memNode = item.child("max_memory");
        OptionalLong mem = memNode.present() ? OptionalLong.of(memNode.byteSize(MIB, MIB, TIB)) : OptionalLong.empty();
        if (vcpus.isEmpty() && mem.isEmpty()) {
            item.problem("must set max_vcpus, max_memory or both (got neither)");
        }
        item.rejectUnknownKeys();
        return match.map(p -> new DecideConfig.Cap(p, vcpus, mem));
    }
}
