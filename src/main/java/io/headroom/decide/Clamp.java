package io.headroom.decide;

/**
 * One guardrail that changed what the policy wanted for one resource.
 *
 * @param resource the resource
 * @param wanted   the amount before this guardrail (vCPUs, or bytes)
 * @param got      the amount after it
 * @param reason   which guardrail
 */
public record Clamp(Resource resource, long wanted, long got, Reason reason) {

    /** The guardrails, in the order they are applied. */
    public enum Reason {
        /** The tier has not held long enough to escalate, or the score is not low enough to step down. */
        HYSTERESIS,
        /** A feature measuring the resource's pressure had no value in the newest row: no raise from a guess. */
        IMPUTED,
        /** The domain's maximum vCPUs or memory. */
        DOMAIN_MAX,
        /** A configured per-workload cap ({@code decide.caps}). */
        WORKLOAD_CAP,
        /** The host would keep less free memory than {@code decide.host.memory_reserve}. */
        HOST_MEMORY_RESERVE,
        /** The host's running vCPUs would exceed {@code decide.host.max_vcpu_overcommit}. */
        HOST_VCPU_OVERCOMMIT,
        /** A decay step would have gone below the baseline. */
        NEVER_BELOW_BASELINE,
        /** Ballooning down would leave the guest less than {@code act.memory_floor} beyond what it uses. */
        MEMORY_FLOOR,
        /** The change is smaller than {@code decide.min_change}. */
        MIN_CHANGE,
        /** The workload matches {@code decide.opt_out}, or its domain metadata opts it out. */
        OPTED_OUT,
        /** The workload changed less than {@code decide.cooldown} ago. */
        COOLDOWN,
        /** The host already made {@code decide.max_changes_per_minute} changes in the last minute. */
        RATE_LIMIT,
        /** Feedback found that more resources do not help this workload's kind of anomaly. */
        FEEDBACK;

        /** Lower-case name for logs and metric labels. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return resource.label() + " " + reason.label() + " wanted " + Allocation.format(resource, wanted) + " got "
                + Allocation.format(resource, got);
    }
}
