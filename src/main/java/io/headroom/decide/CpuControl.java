package io.headroom.decide;

import io.headroom.config.ActConfig;

/**
 * How a guest's CPU is given and taken back, per guest: the actuation stage resolves {@code act.cpu_strategy}
 * (and what it knows about the guest, e.g. a failed vCPU unplug) into one of these.
 */
public enum CpuControl {
    /** Whole vCPUs, hot-added and (where the hypervisor can) unplugged. The quota is left alone. */
    VCPUS,
    /** The vCPU count stays; a CFS quota caps the guest and is raised and lowered. */
    QUOTA;

    /**
     * How a guest's CPU is controlled: as {@code act.cpu_strategy} says, except that a guest whose driver has no CFS
     * quota can only get vCPUs, and a guest whose vCPU unplug failed only gets quota (its vCPUs are stuck). Under
     * {@code auto}, a guest that came capped keeps being capped; an uncapped one gets vCPUs.
     *
     * @param hasQuota     the driver exposes a CFS quota for the guest
     * @param capped       the guest has a quota set (not unlimited)
     * @param unplugFailed a vCPU unplug of this guest failed earlier
     */
    public static CpuControl choose(ActConfig.CpuStrategy strategy, boolean hasQuota, boolean capped,
                                    boolean unplugFailed) {
        if (!hasQuota) {
            return VCPUS;
        }
        if (unplugFailed) {
            return QUOTA;
        }
        return switch (strategy) {
            case VCPUS -> VCPUS;
            case QUOTA -> QUOTA;
            case AUTO -> capped ? QUOTA : VCPUS;
        };
    }

    /** The resource that carries CPU changes under this control. */
    public Resource resource() {
        return this == VCPUS ? Resource.CPU : Resource.CPU_QUOTA;
    }

    /** True if the policy changes {@code r} under this control (memory always). */
    public boolean manages(Resource r) {
        return r == Resource.MEMORY || r == resource();
    }
}
