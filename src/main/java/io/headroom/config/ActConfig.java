package io.headroom.config;

import java.time.Duration;

/**
 * How decisions are carried out.
 *
 * @param mode                    {@link Mode#OBSERVE} only records what would be done; {@link Mode#ENFORCE} changes guests
 * @param reconnectInitialBackoff wait before reopening a libvirt connection that failed to open; doubles per failure
 * @param reconnectMaxBackoff     upper bound of that wait
 * @param forgetAfter             a workload not seen for this long loses its saved baseline and state
 * @param cpuStrategy             how CPU is given: whole vCPUs, a CFS quota, or per guest
 * @param quotaBaselineShare      under quota control, the cap given to a guest that has none, as a share of each of
 *                                its vCPUs; the tier multipliers apply to it
 * @param memoryFloor             ballooning down never leaves a guest less than this beyond what it uses (balloon
 *                                stats), nor less than this in all where it reports no stats
 * @param memoryReadbackTimeout   how long a memory change is polled until the balloon shows it
 * @param maxDataAge              no change is made from a cycle's data once this long has passed since it was asked
 *                                for: slow queries, retries and a busy libvirt pool must not resize guests on what
 *                                was true minutes ago
 * @param libvirtCallTimeout      the longest one libvirt call may take (a change's read-back polling on top); a call
 *                                still running then is abandoned with its connection, which is reopened
 * @param libvirtKeepaliveInterval libvirt keepalive ping interval on each connection; zero turns keepalive off
 * @param libvirtKeepaliveCount   unanswered pings after which libvirt closes the connection
 */
public record ActConfig(Mode mode, Duration reconnectInitialBackoff, Duration reconnectMaxBackoff, Duration forgetAfter,
                        CpuStrategy cpuStrategy, double quotaBaselineShare, long memoryFloor,
                        Duration memoryReadbackTimeout, Duration maxDataAge, Duration libvirtCallTimeout,
                        Duration libvirtKeepaliveInterval, int libvirtKeepaliveCount) {

    /** Whether decisions change guests. */
    public enum Mode { OBSERVE, ENFORCE }

    /** How CPU is given and taken back. */
    public enum CpuStrategy {
        /** Hot-add whole vCPUs, unplug them on decay (where the hypervisor can: QEMU 7.2 cannot). */
        VCPUS,
        /** Keep the vCPUs; raise and lower a CFS quota (caps uncapped guests at {@code quota_baseline_share}). */
        QUOTA,
        /** Quota for guests that already have a cap, vCPUs for the rest. */
        AUTO
    }
}
