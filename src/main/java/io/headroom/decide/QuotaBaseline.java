package io.headroom.decide;

import java.util.Optional;

/**
 * The CFS quota a guest under quota control is sized from, and why: its baseline's share of the host's CPU that
 * the tier multipliers apply to. Derived once, then kept in the guest's record. Pure: tested as a table.
 *
 * @param quota the baseline quota, microseconds per period, a multiple of {@link #MIN_QUOTA}
 * @param why   where it comes from, for the log and the audit line
 */
public record QuotaBaseline(long quota, String why) {

    /** The smallest quota, and the grain every baseline quota is rounded down to: 1 ms. */
    public static final long MIN_QUOTA = 1000;

    /**
     * The guest's own cap if it came with one; for an uncapped guest {@code share} of each vCPU; after a failed
     * unplug of an uncapped guest, the share of the counted vCPUs that its baseline vCPUs make (2 of 3 counted: 2/3
     * of each), so that the stuck vCPU adds no CPU. Empty when the record's quota ({@code kept}) is still valid.
     *
     * @param kept           the quota the record holds, 0 if none
     * @param perVcpu        the quota parameter is per vCPU ({@code vcpu_quota}) rather than for the whole guest
     * @param period         the CFS period, microseconds
     * @param current        the guest's quota now, 0 when uncapped
     * @param max            the largest quota the parameter takes
     * @param baselineVcpus  the guest's baseline vCPUs
     * @param countedVcpus   the vCPUs libvirt counts now
     * @param unplugFailed   a vCPU unplug of this guest failed
     * @param share          {@code act.quota_baseline_share}
     */
    public static Optional<QuotaBaseline> derive(long kept, boolean perVcpu, long period, long current, long max,
                                                 int baselineVcpus, int countedVcpus, boolean unplugFailed,
                                                 double share) {
        if (kept > 0 && kept <= max) {
            return Optional.empty();
        }
        boolean capped = current > 0;
        long derived;
        String why;
        if (unplugFailed && !capped) {
            derived = !perVcpu ? period * baselineVcpus : period * baselineVcpus / Math.max(1, countedVcpus);
            why = "its " + baselineVcpus + " baseline vCPUs' share of the " + countedVcpus + " libvirt counts";
        } else if (capped) {
            derived = current;
            why = "the cap it came with";
        } else {
            derived = Math.round(share * period);
            why = "act.quota_baseline_share " + share + " of each vCPU";
        }
        return Optional.of(new QuotaBaseline(Math.max(MIN_QUOTA, derived / MIN_QUOTA * MIN_QUOTA), why));
    }

    /**
     * The memory the balloon must leave the guest: what it uses plus {@code floor}; without balloon statistics, the
     * floor is all there is.
     */
    public static long memoryFloor(java.util.OptionalLong inUse, long floor) {
        return inUse.isPresent() ? inUse.getAsLong() + floor : floor;
    }
}
