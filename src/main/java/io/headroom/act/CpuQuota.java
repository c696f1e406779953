package io.headroom.act;

import java.util.Locale;

/**
 * A guest's CFS bandwidth cap as libvirt reports it: which scheduler parameter carries it, its period, the quota
 * and the most the quota can meaningfully be.
 *
 * @param param  the parameter Headroom reads and changes for this guest
 * @param period the CFS period of that parameter, in microseconds
 * @param quota  the quota in microseconds per period; 0 when the guest is uncapped (libvirt's -1)
 * @param max    the quota that caps nothing: one period per vCPU for {@code vcpu_quota} (a vCPU thread can use at
 *               most one host CPU), the period times the vCPUs for {@code global_quota}
 */
public record CpuQuota(Param param, long period, long quota, long max) {

    /**
     * Which cap. Headroom only ever creates {@code vcpu_quota} caps; it manages {@code global_quota} where the guest
     * already came with one, so it never stacks a second cap on top of an operator's.
     */
    public enum Param {
        /** {@code vcpu_quota}/{@code vcpu_period}: each vCPU may use quota/period of a host CPU. */
        VCPU("vcpu_quota", "vcpu_period"),
        /** {@code global_quota}/{@code global_period}: all vCPUs together may use quota/period of a host CPU. */
        GLOBAL("global_quota", "global_period");

        private final String quotaField;
        private final String periodField;

        Param(String quotaField, String periodField) {
            this.quotaField = quotaField;
            this.periodField = periodField;
        }

        /** libvirt's name of the quota parameter. */
        public String quotaField() {
            return quotaField;
        }

        /** libvirt's name of the period parameter. */
        public String periodField() {
            return periodField;
        }

        /** Lower-case name for logs. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** libvirt's smallest accepted quota, in microseconds. */
    public static final long MIN_QUOTA = 1000;

    /** True if the guest runs under a cap. */
    public boolean capped() {
        return quota > 0;
    }

    /** The quota as a share of one host CPU, e.g. 0.55 (for {@code vcpu_quota}: per vCPU). */
    public double share() {
        return (double) quota / period;
    }

    /**
     * The guest's cap from its live scheduler parameters (numeric ones by name), or empty where the driver has no CFS
     * quota (no {@code vcpu_period}). A guest capped by {@code global_quota} alone keeps that parameter, so Headroom
     * never stacks a second cap on an operator's; everything else is {@code vcpu_quota}, 0 when unlimited.
     *
     * @param vcpus the guest's live vCPUs: a global cap's maximum is one period per vCPU
     */
    static java.util.Optional<CpuQuota> fromSchedulerParameters(java.util.Map<String, Long> p, int vcpus) {
        Long vcpuPeriod = p.get(Param.VCPU.periodField());
        if (vcpuPeriod == null || vcpuPeriod <= 0) {
            return java.util.Optional.empty();
        }
        long vcpuQuota = p.getOrDefault(Param.VCPU.quotaField(), -1L);
        long globalQuota = p.getOrDefault(Param.GLOBAL.quotaField(), -1L);
        long globalPeriod = p.getOrDefault(Param.GLOBAL.periodField(), 0L);
        if (vcpuQuota <= 0 && globalQuota > 0 && globalPeriod > 0) {
            return java.util.Optional.of(new CpuQuota(Param.GLOBAL, globalPeriod, globalQuota, globalPeriod * vcpus));
        }
        return java.util.Optional.of(new CpuQuota(Param.VCPU, vcpuPeriod, Math.max(0, vcpuQuota), vcpuPeriod));
    }
}
