package io.headroom.decide;

import io.headroom.config.DecideConfig;
import io.headroom.config.Durations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The decision rule, as a pure function of {@link PolicyInput}: no I/O, no clock of its own, no hidden state.
 *
 * <p>Per resource the policy first works out the level the workload needs: the effective tier's multiplier of the
 * baseline if the attribution says the resource is under pressure, else the baseline. Below that level it raises,
 * bounded by {@link Guardrails#ceilings}. Above it, it waits until the resource has been above need for
 * {@code decide.decay.after}, then steps down by {@code decide.decay.step} of the baseline per change, never below
 * the baseline. Then come the minimum change, the opt-out, the cooldown and the host rate limit.
 *
 * <p>CPU goes through vCPUs or through the CFS quota, as {@link PolicyInput#cpuControl()} says; the other is left
 * as it is. Under quota control an uncapped guest (quota 0) is capped at once at what its tier needs: "uncapped"
 * is more than any tier gives, so there is nothing to wait for. Memory never decays below
 * {@link PolicyInput#memoryFloorBytes()}.
 */
public final class TierPolicy {

    /** The window of {@code decide.max_changes_per_minute}: changes older than this no longer count. */
    public static final java.time.Duration RATE_WINDOW = Guardrails.RATE_WINDOW;

    private final DecideConfig cfg;
    private final TierTracker tiers;
    private final Guardrails guardrails;

    public TierPolicy(DecideConfig cfg) {
        this.cfg = cfg;
        this.tiers = new TierTracker(cfg);
        this.guardrails = new Guardrails(cfg);
    }

    /** Decides one cycle for one workload. */
    public PolicyOutcome decide(PolicyInput in) {
        if (in.score().isEmpty()) {
            Decision d = new Decision(in.workload(), in.now(), OptionalDouble.empty(), Tier.NONE,
                    Decision.Action.NO_MODEL, in.baseline(), in.current(), in.current(), Set.of(),
                    "no model scores this workload yet; nothing changes", List.of());
            return new PolicyOutcome(d, in.state());
        }
        WorkloadScore score = in.score().get();
        TierTracker.Step step = tiers.next(in.state(), score.score());
        PressureAnalysis pressure = PressureAnalysis.of(score.attribution());
        Set<Resource> pressured = pressure.pressured(cfg.pressureShare());

        List<Clamp> clamps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<Resource, Long> got = new EnumMap<>(Resource.class);
        Map<Resource, Optional<Instant>> calm = new EnumMap<>(Resource.class);
        for (Resource r : Resource.values()) {
            if (!in.cpuControl().manages(r)) {
                got.put(r, in.current().get(r));
                continue;
            }
            ResourceStep rs = resource(r, in, step, pressured.contains(r), clamps, notes);
            got.put(r, rs.got());
            calm.put(r, rs.calmSince());
        }
        holdIfBlocked(in, got, clamps, notes);

        Allocation target = new Allocation(Math.toIntExact(got.get(Resource.CPU)), got.get(Resource.MEMORY),
                got.get(Resource.CPU_QUOTA));
        String reason = header(score.score(), step) + "; " + pressure.describe(cfg.pressureShare())
                + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        Decision d = new Decision(in.workload(), in.now(), OptionalDouble.of(score.score()), step.effective(),
                action(in, target), in.baseline(), in.current(), target, pressured, reason, clamps);
        WorkloadState next = new WorkloadState(step.effective(), step.streaks(), in.state().lastChangeAt(),
                calm.get(in.cpuControl().resource()), calm.get(Resource.MEMORY));
        return new PolicyOutcome(d, next);
    }

    private record ResourceStep(long got, Optional<Instant> calmSince) {}

    private ResourceStep resource(Resource r, PolicyInput in, TierTracker.Step step, boolean pressured,
                                  List<Clamp> clamps, List<String> notes) {
        long current = in.current().get(r);
        long baseline = in.baseline().get(r);
        boolean uncapped = r == Resource.CPU_QUOTA && current == 0;
        long need;
        if (pressured) {
            need = tiers.target(step.raw(), r, baseline);
            long effective = tiers.target(step.effective(), r, baseline);
            if (effective != need) {
                clamps.add(new Clamp(r, need, effective, Clamp.Reason.HYSTERESIS));
                need = effective;
            }
        } else if (uncapped) {
            need = baseline;
        } else {
            // Not under pressure: the baseline is enough. A guest someone shrank below it is not raised back.
            need = Math.min(current, baseline);
        }
        if (uncapped) {
            long got = clampTo(r, need, in.domainMax().get(r), Clamp.Reason.DOMAIN_MAX, clamps);
            notes.add(r.label() + " uncapped -> " + fmt(r, got) + " (quota control caps the guest at what its "
                    + step.effective().label() + " tier needs)");
            return new ResourceStep(got, Optional.empty());
        }
        Optional<Instant> calmSince = need < current
                ? Optional.of(in.state().calmSince(r).orElse(in.now()))
                : Optional.empty();

        long got = current;
        if (need > current) {
            got = guardrails.ceilings(r, current, need, in, clamps);
            if (got > current) {
                notes.add(r.label() + " " + fmt(r, current) + " -> " + fmt(r, got) + " (" + step.effective().label()
                        + " x" + tiers.multiplier(step.effective(), r) + " of baseline " + fmt(r, baseline) + ")");
            }
        } else if (need < current) {
            Instant decayAt = calmSince.get().plus(cfg.decayAfter());
            if (!in.now().isBefore(decayAt)) {
                long stepped = current - Targets.decayStep(r, baseline, cfg.decayStep());
                got = Math.max(need, stepped);
                if (stepped < need && need == baseline) {
                    clamps.add(new Clamp(r, stepped, baseline, Clamp.Reason.NEVER_BELOW_BASELINE));
                }
                if (r == Resource.MEMORY && got < in.memoryFloorBytes()) {
                    // The balloon must not squeeze the guest below what it uses: stop short, and stay if already there.
                    long floor = Math.min(current, Targets.ceilMib(in.memoryFloorBytes()));
                    clamps.add(new Clamp(r, got, floor, Clamp.Reason.MEMORY_FLOOR));
                    got = floor;
                }
                notes.add(r.label() + " " + fmt(r, current) + " -> " + fmt(r, got) + " (decay toward "
                        + fmt(r, need) + ", above need since " + calmSince.get() + ")");
            } else {
                notes.add(r.label() + " above need (" + fmt(r, need) + ") since " + calmSince.get()
                        + ", decays from " + decayAt);
            }
        }
        got = guardrails.minChange(r, current, got, baseline, clamps);
        return new ResourceStep(got, calmSince);
    }

    /** The whole-decision guardrails: opt-out, cooldown and rate limit each hold every resource at once. */
    private void holdIfBlocked(PolicyInput in, Map<Resource, Long> got, List<Clamp> clamps, List<String> notes) {
        Clamp.Reason reason = null;
        if (changes(in, got)) {
            Optional<Instant> coolUntil = guardrails.coolingDownUntil(in.state(), in.now());
            if (cfg.optedOut(in.workload())) {
                reason = Clamp.Reason.OPTED_OUT;
                notes.add("opted out by decide.opt_out: nothing changes");
            } else if (in.domainOptOut()) {
                reason = Clamp.Reason.OPTED_OUT;
                notes.add("opted out by the domain's metadata (headroom:config opt-out): nothing changes");
            } else if (coolUntil.isPresent()) {
                reason = Clamp.Reason.COOLDOWN;
                notes.add("held: cooldown until " + coolUntil.get());
            } else if (guardrails.rateLimited(in.recentChanges(), in.now())) {
                reason = Clamp.Reason.RATE_LIMIT;
                notes.add("held: the host made " + cfg.maxChangesPerMinute() + " changes in the last "
                        + Durations.format(Guardrails.RATE_WINDOW));
            }
        }
        if (reason == null) {
            return;
        }
        for (Resource r : Resource.values()) {
            long current = in.current().get(r);
            if (got.get(r) != current) {
                clamps.add(new Clamp(r, got.get(r), current, reason));
                got.put(r, current);
            }
        }
    }

    private Decision.Action action(PolicyInput in, Allocation target) {
        if (cfg.optedOut(in.workload()) || in.domainOptOut()) {
            return Decision.Action.OPTED_OUT;
        }
        boolean up = false;
        boolean down = false;
        for (Resource r : Resource.values()) {
            up |= rank(r, target.get(r)) > rank(r, in.current().get(r));
            down |= rank(r, target.get(r)) < rank(r, in.current().get(r));
        }
        return up ? Decision.Action.RAISE : down ? Decision.Action.DECAY : Decision.Action.HOLD;
    }

    /** An amount ordered by how much it gives: an uncapped quota (0) gives the most. */
    private static long rank(Resource r, long v) {
        return r == Resource.CPU_QUOTA && v == 0 ? Long.MAX_VALUE : v;
    }

    private static long clampTo(Resource r, long got, long limit, Clamp.Reason reason, List<Clamp> clamps) {
        if (limit > 0 && got > limit) {
            clamps.add(new Clamp(r, got, limit, reason));
            return limit;
        }
        return got;
    }

    private static boolean changes(PolicyInput in, Map<Resource, Long> got) {
        return got.entrySet().stream().anyMatch(e -> e.getValue() != in.current().get(e.getKey()));
    }

    private String header(double score, TierTracker.Step step) {
        String s = "score " + formatScore(score) + " " + step.effective().label();
        if (step.raw() != step.effective()) {
            s += " (score alone says " + step.raw().label() + "; hysteresis)";
        }
        return s;
    }

    static String formatScore(double score) {
        return score == Math.rint(score) ? Long.toString((long) score) : String.format(Locale.ROOT, "%.1f", score);
    }

    private static String fmt(Resource r, long v) {
        return Allocation.format(r, v);
    }
}
