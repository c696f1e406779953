package io.headroom.decide;

import io.headroom.config.DecideConfig;
import io.headroom.config.Durations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
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
 * the baseline. Then come the minimum change, the opt-out, the cooldown and the host rate limit. Measured use sizes
 * a raise and holds it ({@link UseReading}); a resource whose use is strained ({@link UseReading.Strain}: near its
 * allocation most of a trailing window, far more often than its usual rate makes likely) puts the workload at the
 * medium tier at least, whatever the score, since a censored metric pinned at its allocation shows the score
 * nothing new.
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
    private final Sizing sizing;

    public TierPolicy(DecideConfig cfg) {
        this.cfg = cfg;
        this.tiers = new TierTracker(cfg);
        this.guardrails = new Guardrails(cfg);
        this.sizing = new Sizing(cfg.sizing(), tiers);
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
        PressureAnalysis pressure = PressureAnalysis.of(score.attribution());
        Set<Resource> attributed = pressure.pressured(cfg.pressureShare());
        Map<Resource, Optional<UseReading>> use = new EnumMap<>(Resource.class);
        for (Resource r : Resource.values()) {
            use.put(r, in.cpuControl().manages(r) ? sizing.read(r, in, score.usage()) : Optional.empty());
        }
        List<String> notes = new ArrayList<>();
        TierTracker.Step step = tiers.next(in.state(), score.score());
        Set<Resource> about = EnumSet.noneOf(Resource.class);
        for (Resource r : Resource.values()) {
            if (pressure.shareAnySide(r) >= cfg.pressureShare()) {
                about.add(r);
            }
        }
        Optional<Resource> saturated = about.stream()
                .filter(r -> use.get(r).map(UseReading::saturated).orElse(false)).findFirst();
        if (step.raw().compareTo(step.effective()) > 0 && saturated.isPresent()) {
            // Hysteresis guards against a score that wobbles across a floor; use saturated at the allocation, on the
            // resource the anomaly is about, corroborates it. A surge fails within minutes: no cycle to wait.
            step = new TierTracker.Step(step.raw(), step.raw(), step.streaks());
            notes.add("hysteresis waived: " + saturated.get().label() + " saturated ("
                    + use.get(saturated.get()).get().describe(saturated.get()) + ")");
        }
        Set<Resource> strained = EnumSet.noneOf(Resource.class);
        for (Resource r : Resource.values()) {
            if (use.get(r).map(UseReading::strained).orElse(false)) {
                strained.add(r);
                notes.add(r.label() + " strained: " + use.get(r).get().describe(r) + ", "
                        + use.get(r).get().strain().describe());
            }
        }
        boolean lifted = !strained.isEmpty() && step.effective().compareTo(Tier.MEDIUM) < 0;
        if (lifted) {
            // The score cannot see demand beyond a censored metric's ceiling (see UseReading.Strain): sustained
            // saturation is the trigger then, at the medium tier, and sizing and escalation take it from there.
            Tier raw = step.raw().compareTo(Tier.MEDIUM) < 0 ? Tier.MEDIUM : step.raw();
            step = new TierTracker.Step(raw, Tier.MEDIUM, step.streaks());
        }

        List<Clamp> clamps = new ArrayList<>();
        Map<Resource, Long> got = new EnumMap<>(Resource.class);
        Map<Resource, ResourceStep> steps = new EnumMap<>(Resource.class);
        Set<Resource> pressured = EnumSet.noneOf(Resource.class);
        Set<Resource> escalated = EnumSet.noneOf(Resource.class);
        for (Resource r : Resource.values()) {
            if (!in.cpuControl().manages(r)) {
                got.put(r, in.current().get(r));
                continue;
            }
            ResourceStep rs = resource(r, in, step, attributed.contains(r) || strained.contains(r), about.contains(r),
                    use.get(r), clamps, notes);
            got.put(r, rs.got());
            steps.put(r, rs);
            if (rs.pressured()) {
                pressured.add(r);
            }
            if (rs.escalated()) {
                escalated.add(r);
            }
        }
        holdIfBlocked(in, got, clamps, notes, !escalated.isEmpty());
        holdRaises(in, use, got, clamps, notes);
        escalated.removeIf(r -> got.get(r) == in.current().get(r));

        Allocation target = new Allocation(Math.toIntExact(got.get(Resource.CPU)), got.get(Resource.MEMORY),
                got.get(Resource.CPU_QUOTA));
        String reason = header(score.score(), step, lifted) + "; " + pressure.describe(cfg.pressureShare())
                + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        Decision d = new Decision(in.workload(), in.now(), OptionalDouble.of(score.score()), step.effective(),
                action(in, target), in.baseline(), in.current(), target, pressured, reason, clamps);
        Resource cpu = in.cpuControl().resource();
        WorkloadState next = new WorkloadState(step.effective(), step.streaks(), in.state().lastChangeAt(),
                steps.get(cpu).calmSince(), steps.get(Resource.MEMORY).calmSince(),
                pressureCycles(steps.get(cpu), got.get(cpu) != in.current().get(cpu)),
                pressureCycles(steps.get(Resource.MEMORY), got.get(Resource.MEMORY) != in.current().memoryBytes()));
        return new PolicyOutcome(d, next, escalated, strained);
    }

    /** A change starts the count again: the next escalation waits for pressure that outlasts this step too. */
    private static int pressureCycles(ResourceStep rs, boolean changed) {
        return changed ? 0 : rs.pressureCycles();
    }

    /**
     * One resource's step.
     *
     * @param got            the amount decided
     * @param calmSince      since when use has left room below the next lower size (the decay timer)
     * @param pressured      attributed pressure, or measured pressure while the tier is up
     * @param pressureCycles cycles the resource has been raised and under measured pressure
     * @param escalated      stepped to the next tier because pressure outlasted a raise
     */
    private record ResourceStep(long got, Optional<Instant> calmSince, boolean pressured, int pressureCycles,
                                boolean escalated) {}

    /**
     * @param attributed the score's attribution says {@code r} is short (its features beyond their range on the
     *                   pressure side), or its use is strained ({@link UseReading.Strain})
     * @param about      the score's attribution is about {@code r} (its features carry the share, on any side)
     */
    private ResourceStep resource(Resource r, PolicyInput in, TierTracker.Step step, boolean attributed, boolean about,
                                  Optional<UseReading> use, List<Clamp> clamps, List<String> notes) {
        long current = in.current().get(r);
        long baseline = in.baseline().get(r);
        boolean uncapped = r == Resource.CPU_QUOTA && current == 0;
        Tier tier = step.effective();
        boolean measured = use.map(UseReading::pressure).orElse(false);
        List<String> imputed = in.score().orElseThrow().imputed(r);
        // Saturation is pressure: a censored metric (cores used cannot pass the vCPUs) sits inside its training
        // range exactly when demand is beyond it. Measured pressure raises only while the score is up and its
        // attribution is about this resource, though: a noisy guest at its daily peak is near its vCPUs every day.
        boolean pressured = attributed || (measured && about && tier != Tier.NONE);
        long need;
        boolean raised = !uncapped && current > baseline;
        boolean escalated = false;
        if (pressured) {
            need = tiers.target(step.raw(), r, baseline);
            long effective = tiers.target(tier, r, baseline);
            if (effective != need) {
                clamps.add(new Clamp(r, need, effective, Clamp.Reason.HYSTERESIS));
                need = effective;
            }
            if (tier != Tier.NONE && use.isPresent()) {
                long sized = sized(r, in, use.get(), need, notes);
                if (raised && sized > Math.max(need, current) && imputed.isEmpty()) {
                    // The use outgrew the step it was given: unrelieved pressure, whatever tier the score is in.
                    notes.add(r.label() + " escalated: use outgrew the raise (" + use.get().describe(r) + ")");
                    escalated = true;
                }
                need = Math.max(need, sized);
            }
        } else if (uncapped) {
            need = baseline;
        } else {
            // Not under pressure: the baseline is enough. A guest someone shrank below it is not raised back.
            need = Math.min(current, baseline);
        }

        // Escalation: a raised resource whose use stays near its allocation, or trends to it, gets the next step
        // whatever the score says; the score only says that something is unusual, use says whether it was enough.
        // A trend alone escalates only while the tier is up, though: hours after an incident, a raise that use
        // still holds (see decay) meets the guest's daily rise, which trends to the raised size every afternoon.
        boolean outgrown = use.map(u -> u.saturated() || (u.reaches() && tier != Tier.NONE)).orElse(false);
        int cycles = raised && outgrown ? Math.min(in.state().pressureCycles(r) + 1, 1_000_000) : 0;
        if (cycles >= sizing.config().escalateAfterCycles() && !escalated && imputed.isEmpty()) {
            long next = Math.max(need, sizing.nextAbove(r, current, baseline));
            if (next > current) {
                notes.add(r.label() + " escalated: still under pressure " + cycles + " cycles after a raise ("
                        + use.get().describe(r) + ") -> " + sizing.tierOf(r, next, baseline));
                need = next;
                escalated = true;
            } else {
                notes.add(r.label() + " still under pressure at the critical tier's size (" + use.get().describe(r) + ")");
            }
        }

        if (uncapped) {
            long got = clampTo(r, need, in.domainMax().get(r), Clamp.Reason.DOMAIN_MAX, clamps);
            notes.add(r.label() + " uncapped -> " + fmt(r, got) + " (quota control caps the guest at what its "
                    + tier.label() + " tier needs)");
            return new ResourceStep(got, Optional.empty(), pressured, 0, false);
        }

        if (need > current && !imputed.isEmpty()) {
            // The model saw the training median where the resource's own measure was missing: whatever the score
            // says about the rest, it cannot say this resource needs more. Holding costs a cycle; a raise from a
            // guess costs the host. Decay is not held: it is judged on use, and a gap never argues for more.
            clamps.add(new Clamp(r, need, current, Clamp.Reason.IMPUTED));
            notes.add(r.label() + " held: " + String.join(", ", imputed) + " missing in the newest row (imputed "
                    + "to the training median), no raise from it");
            need = current;
        }

        long got = current;
        Optional<Instant> calmSince = Optional.empty();
        if (need > current) {
            got = guardrails.ceilings(r, current, need, in, clamps);
            if (got > current && !escalated) {
                notes.add(r.label() + " " + fmt(r, current) + " -> " + fmt(r, got) + " (" + tier.label()
                        + " x" + tiers.multiplier(tier, r) + " of baseline " + fmt(r, baseline)
                        + (need > tiers.target(tier, r, baseline) ? ", sized up to need" : "") + ")");
            }
        } else if (need < current) {
            long lower = Math.max(need, current - Targets.decayStep(r, baseline, cfg.decayStep()));
            // No decay under pressure: only use that stays below the next lower size starts the timer, never a
            // dip in the score. Without a measure of use, the tier's need is all there is to go by.
            boolean calm = use.map(u -> u.calmBelow(Sizing.toUse(r, in, lower), sizing.config().decayMargin()))
                    .orElse(true);
            if (calm) {
                calmSince = Optional.of(in.state().calmSince(r).orElse(in.now()));
                got = decay(r, in, current, baseline, need, calmSince.get(), clamps, notes);
            } else {
                notes.add(r.label() + " above need (" + fmt(r, need) + ") but in use (" + use.get().describe(r)
                        + "): no decay until use stays below " + fmt(r, lower) + " less "
                        + Math.round(sizing.config().decayMargin() * 100) + "%");
            }
        }
        got = guardrails.minChange(r, current, got, baseline, clamps);
        return new ResourceStep(got, calmSince, pressured, cycles, escalated);
    }

    /** What a measured need asks for, snapped to a tier step; explained when it asks for more than the tier. */
    private long sized(Resource r, PolicyInput in, UseReading use, long tierTarget, List<String> notes) {
        long baseline = in.baseline().get(r);
        long current = in.current().get(r);
        long units = Sizing.toUnits(r, in, use.need());
        long wanted = sizing.snap(r, units, baseline);
        String why = "need " + UseReading.fmt(r, use.need()) + " by +"
                + Durations.format(java.time.Duration.ofSeconds(Math.round(use.horizonHours() * 3600)))
                + " (" + use.describe(r) + ", +" + Math.round(sizing.config().margin() * 100) + "%)";
        if (use.saturated()) {
            why += ", saturated at " + UseReading.fmt(r, use.recent()) + " of " + UseReading.fmt(r, use.allocation());
            if (current <= baseline) {
                // Censored: use at the allocation says demand is at least that, not how much more, and a CPU surge
                // fails within minutes of pinning the vCPUs. Two tier steps, not one: a step too small costs the
                // guest, a step too large costs resource-hours until use lets it decay. A resource already raised
                // and still saturated escalates instead, after escalate_after_cycles.
                wanted = Math.max(wanted, sizing.nextAbove(r, sizing.nextAbove(r, current, baseline), baseline));
            }
        }
        if (wanted > tierTarget || use.saturated()) {
            notes.add(r.label() + " " + why + " -> " + sizing.tierOf(r, wanted, baseline)
                    + (units > wanted ? " (capped: the critical tier is the most a need buys)" : ""));
        }
        return wanted;
    }

    /** One decay step toward {@code need} once the resource has been calm for {@code decide.decay.after}. */
    private long decay(Resource r, PolicyInput in, long current, long baseline, long need, Instant calmSince,
                       List<Clamp> clamps, List<String> notes) {
        Instant decayAt = calmSince.plus(cfg.decayAfter());
        if (in.now().isBefore(decayAt)) {
            notes.add(r.label() + " above need (" + fmt(r, need) + ") since " + calmSince + ", decays from " + decayAt);
            return current;
        }
        long stepped = current - Targets.decayStep(r, baseline, cfg.decayStep());
        long got = Math.max(need, stepped);
        if (stepped < need && need == baseline) {
            clamps.add(new Clamp(r, stepped, baseline, Clamp.Reason.NEVER_BELOW_BASELINE));
        }
        if (r == Resource.MEMORY && got < in.memoryFloorBytes()) {
            // The balloon must not squeeze the guest below what it uses: stop short, and stay if already there.
            long floor = Math.min(current, Targets.ceilMib(in.memoryFloorBytes()));
            clamps.add(new Clamp(r, got, floor, Clamp.Reason.MEMORY_FLOOR));
            got = floor;
        }
        notes.add(r.label() + " " + fmt(r, current) + " -> " + fmt(r, got) + " (decay toward " + fmt(r, need)
                + ", above need since " + calmSince + ")");
        return got;
    }

    /** The whole-decision guardrails: opt-out, cooldown and rate limit each hold every resource at once. */
    private void holdIfBlocked(PolicyInput in, Map<Resource, Long> got, List<Clamp> clamps, List<String> notes,
                               boolean escalating) {
        Clamp.Reason reason = null;
        if (changes(in, got)) {
            Optional<Instant> coolUntil = guardrails.coolingDownUntil(in.state(), in.now());
            if (cfg.optedOut(in.workload())) {
                reason = Clamp.Reason.OPTED_OUT;
                notes.add("opted out by decide.opt_out: nothing changes");
            } else if (in.domainOptOut()) {
                reason = Clamp.Reason.OPTED_OUT;
                notes.add("opted out by the domain's metadata (headroom:config opt-out): nothing changes");
            } else if (coolUntil.isPresent() && !escalating) {
                // An escalation does not wait out the cooldown: the step before it was not enough, and a surge
                // fails within minutes. It still counts against the host's rate limit.
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

    /**
     * Feedback's hold: a held resource goes up no further than its cap (the current amount when every raise is held,
     * else the tier step that holds what this kind of anomaly used before, plus the sizing margin); decay toward the
     * baseline goes on.
     */
    private void holdRaises(PolicyInput in, Map<Resource, Optional<UseReading>> use, Map<Resource, Long> got,
                            List<Clamp> clamps, List<String> notes) {
        if (in.hold().isEmpty()) {
            return;
        }
        FeedbackHold hold = in.hold().get();
        List<String> held = new ArrayList<>();
        boolean sized = false;
        for (Resource r : Resource.values()) {
            long current = in.current().get(r);
            if (rank(r, got.get(r)) <= rank(r, current) || !hold.holds(r, use.get(r))) {
                continue;
            }
            long cap = current;
            if (!hold.always()) {
                long step = sizing.snap(r, Sizing.toUnits(r, in, hold.bound(r) * (1 + sizing.config().margin())),
                        in.baseline().get(r));
                cap = rank(r, step) > rank(r, current) ? step : current;
            }
            if (rank(r, cap) < rank(r, got.get(r))) {
                clamps.add(new Clamp(r, got.get(r), cap, Clamp.Reason.FEEDBACK));
                got.put(r, cap);
                held.add(hold.describe(r) + (cap == current ? "" : ", sized to " + sizing.tierOf(r, cap,
                        in.baseline().get(r))));
                sized |= cap != current;
            }
        }
        if (!held.isEmpty()) {
            notes.add((sized ? "right-sized: " : "no raise: ") + String.join("; ", held.stream().distinct().toList()));
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

    private String header(double score, TierTracker.Step step, boolean lifted) {
        String s = "score " + formatScore(score) + " " + step.effective().label();
        if (lifted) {
            s += " (score alone says " + tiers.raw(score).label() + "; strained)";
        } else if (step.raw() != step.effective()) {
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
