package io.headroom.decide;

/**
 * How a guest's CPU is given and taken back, per guest: the actuation stage resolves {@code act.cpu_strategy}
 * (and what it knows about the guest, e.g. a failed vCPU unplug) into one of these.
 */
public enum CpuControl {
    /** Whole vCPUs, hot-added and (where the hypervisor can) unplugged. The quota is left alone. */
    VCPUS,
    /** The vCPU count stays; a CFS quota caps the guest and is raised and lowered. */
    QUOTA;

    /** The resource that carries CPU changes under this control. */
    public Resource resource() {
        return this == VCPUS ? Resource.CPU : Resource.CPU_QUOTA;
    }

    /** True if the policy changes {@code r} under this control (memory always). */
    public boolean manages(Resource r) {
        return r == Resource.MEMORY || r == resource();
    }
}
