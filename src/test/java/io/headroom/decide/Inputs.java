package io.headroom.decide;

import io.headroom.config.ConfigException;
import io.headroom.config.ConfigLoader;
import io.headroom.config.DecideConfig;
import io.headroom.config.FeatureSpec.Direction;
import io.headroom.config.FeatureSpec.Pressure;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Policy inputs for tests: a guest with a 4 vCPU / 4096 MiB baseline on a roomy host, changed by small
 * {@code with...} steps so that each table row says only what differs.
 */
record Inputs(String workload, Optional<WorkloadScore> score, WorkloadState state, Allocation baseline,
              Allocation current, Allocation domainMax, HostCapacity host, List<Instant> recent, Instant now) {

    static final long MIB = 1L << 20;
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final Allocation BASELINE = new Allocation(4, 4096 * MIB);

    static Inputs guest() {
        return new Inputs("web-1", Optional.empty(), WorkloadState.initial(), BASELINE, BASELINE,
                new Allocation(16, 16384 * MIB), new HostCapacity(32, 8, 65536 * MIB), List.of(), T0);
    }

    /** Config from inline YAML under {@code decide:} (empty for the defaults). */
    static DecideConfig config(String decideYaml) {
        try {
            return ConfigLoader.parse(decideYaml.isBlank() ? "" : "decide: " + decideYaml, null).decide();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Attribution: all weight on CPU and memory pressure, above normal. */
    static List<FeatureAttribution> cpuAndMemoryPressure() {
        return List.of(
                new FeatureAttribution("cpu_utilisation", Pressure.CPU, Direction.ABOVE, FeatureAttribution.Side.ABOVE, 0.5),
                new FeatureAttribution("memory_usage_ratio", Pressure.MEMORY, Direction.ABOVE, FeatureAttribution.Side.ABOVE, 0.5));
    }

    static FeatureAttribution feature(String name, Pressure p, Direction d, FeatureAttribution.Side side, double w) {
        return new FeatureAttribution(name, p, d, side, w);
    }

    Inputs score(double s) {
        return score(s, cpuAndMemoryPressure());
    }

    Inputs score(double s, List<FeatureAttribution> attribution) {
        return new Inputs(workload, Optional.of(new WorkloadScore(s, attribution)), state, baseline, current, domainMax,
                host, recent, now);
    }

    /** The same score with measured use ({@code cpu} in cores, {@code memory} in bytes; 30 s rows, oldest first). */
    Inputs usage(double[] cpu, double[] memory) {
        WorkloadScore s = score.orElseThrow();
        return new Inputs(workload, Optional.of(new WorkloadScore(s.score(), s.attribution(),
                new Usage(java.time.Duration.ofSeconds(30), cpu, memory, false))), state, baseline, current, domainMax,
                host, recent, now);
    }

    /** {@code n} rows of {@code v}. */
    static double[] flat(int n, double v) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, v);
        return out;
    }

    /** {@code n} rows rising evenly to {@code to} at the newest row, by {@code perRow} a row. */
    static double[] rising(int n, double to, double perRow) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = to - (n - 1 - i) * perRow;
        }
        return out;
    }

    Inputs noScore() {
        return new Inputs(workload, Optional.empty(), state, baseline, current, domainMax, host, recent, now);
    }

    Inputs workload(String name) {
        return new Inputs(name, score, state, baseline, current, domainMax, host, recent, now);
    }

    Inputs state(WorkloadState s) {
        return new Inputs(workload, score, s, baseline, current, domainMax, host, recent, now);
    }

    /** Effective tier already {@code t}, as if it had escalated earlier. */
    Inputs inTier(Tier t) {
        return state(new WorkloadState(t, new WorkloadState.Streaks(9, t.compareTo(Tier.HIGH) >= 0 ? 9 : 0,
                t == Tier.CRITICAL ? 9 : 0), state.lastChangeAt(), state.cpuCalmSince(), state.memoryCalmSince()));
    }

    Inputs lastChange(Instant at) {
        return state(state.withLastChange(at));
    }

    Inputs baseline(int vcpus, long memMib) {
        Allocation b = new Allocation(vcpus, memMib * MIB);
        return new Inputs(workload, score, state, b, b, domainMax, host, recent, now);
    }

    Inputs current(int vcpus, long memMib) {
        return new Inputs(workload, score, state, baseline, new Allocation(vcpus, memMib * MIB), domainMax, host,
                recent, now);
    }

    Inputs domainMax(int vcpus, long memMib) {
        return new Inputs(workload, score, state, baseline, current, new Allocation(vcpus, memMib * MIB), host,
                recent, now);
    }

    Inputs host(int pcpus, int allocated, long freeMib) {
        return new Inputs(workload, score, state, baseline, current, domainMax,
                new HostCapacity(pcpus, allocated, freeMib * MIB), recent, now);
    }

    Inputs recent(List<Instant> r) {
        return new Inputs(workload, score, state, baseline, current, domainMax, host, r, now);
    }

    Inputs at(Instant t) {
        return new Inputs(workload, score, state, baseline, current, domainMax, host, recent, t);
    }

    PolicyInput build() {
        return new PolicyInput(workload, score, state, baseline, current, domainMax, host, recent, now);
    }

    /**
     * The input of the next cycle after {@code outcome}, as the actuation stage would build it: the policy's
     * next state, the target applied (and the change time recorded) if it was a change, the clock advanced.
     */
    Inputs after(PolicyOutcome outcome, Instant next) {
        WorkloadState s = outcome.next();
        Allocation cur = current;
        if (outcome.decision().isChange()) {
            s = s.withLastChange(now);
            cur = outcome.decision().target();
        }
        return new Inputs(workload, score, s, baseline, cur, domainMax, host, recent, next);
    }
}
