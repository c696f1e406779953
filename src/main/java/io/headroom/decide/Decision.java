package io.headroom.decide;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * What the policy decided for one workload in one cycle: the target allocation, why, and every guardrail
 * that bounded it. Immutable, so it can be logged, persisted and served as it is.
 *
 * @param workload workload (domain) name
 * @param at       decision time
 * @param score    the score it was based on; empty when there was no model
 * @param tier     the effective tier after hysteresis
 * @param action   what the decision does, in one word
 * @param baseline the guest's baseline
 * @param current  the allocation the decision starts from
 * @param target   the allocation to reach; vCPUs are whole, memory is whole MiB unless a domain limit is not
 * @param pressure the resources the attribution says are under pressure
 * @param reason   human-readable explanation, for logs and the API
 * @param clamps   the guardrails that changed the target, in the order applied
 */
public record Decision(
        String workload,
        Instant at,
        OptionalDouble score,
        Tier tier,
        Action action,
        Allocation baseline,
        Allocation current,
        Allocation target,
        Set<Resource> pressure,
        String reason,
        List<Clamp> clamps) {

    public Decision {
        pressure = Set.copyOf(pressure);
        clamps = List.copyOf(clamps);
    }

    /** What a decision does. */
    public enum Action {
        /** No model covers the workload: nothing changes. */
        NO_MODEL,
        /** The workload is opted out (by {@code decide.opt_out} or its domain metadata): nothing changes. */
        OPTED_OUT,
        /** Nothing changes this cycle. */
        HOLD,
        /** At least one resource goes up. */
        RAISE,
        /** Resources go down toward what the tier needs (never below baseline). */
        DECAY;

        /** Lower-case name for logs and metric labels. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** True if the target differs from the current allocation. */
    public boolean isChange() {
        return !target.equals(current);
    }

    /** True if {@code r} changes. */
    public boolean changes(Resource r) {
        return target.get(r) != current.get(r);
    }

    /** Target vCPUs. */
    public int targetVcpus() {
        return target.vcpus();
    }

    /** Target memory in bytes. */
    public long targetMemoryBytes() {
        return target.memoryBytes();
    }

    /** True if the event should be logged for investigation (high and critical tiers). */
    public boolean logEvent() {
        return tier.logsEvent();
    }

    /** True if operators should be notified (critical tier); wired by the notify stage. */
    public boolean notifyOperators() {
        return tier.notifies();
    }

    /** True if new requests may be paused (critical tier); wired by the notify stage. */
    public boolean pauseRequests() {
        return tier.pausesRequests();
    }
}
