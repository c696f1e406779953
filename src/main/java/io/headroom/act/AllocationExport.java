package io.headroom.act;

import io.headroom.decide.Allocation;
import io.headroom.decide.CpuControl;
import io.headroom.metrics.DomainSeries;
import io.headroom.metrics.Metrics;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The allocation gauges ({@code headroom_workload_*}) and domain series ({@code headroom_domain_*}) of the guests
 * the actuation stage observed, set each cycle and retired for a guest it could not observe, so that dashboards do
 * not show stale sizes.
 */
final class AllocationExport {

    private final Metrics metrics;
    private final Set<String> exported = new HashSet<>();

    AllocationExport(Metrics metrics) {
        this.metrics = metrics;
    }

    void export(String w, DomainAllocation observed, Allocation current, WorkloadRecord record,
                        CpuControl control, boolean leftAlone) {
        exported.add(w);
        metrics.vcpuUnplugFailed.labels(w).set(record.unplugFailed().isPresent() ? 1 : 0);
        Optional<CpuQuota> q = observed.quota();
        if (q.isPresent() && current.cpuQuota() > 0) {
            metrics.workloadCpuQuota.labels(w).set(cores(q.get(), current.cpuQuota(), current.vcpus()));
        } else {
            metrics.workloadCpuQuota.remove(w);
        }
        if (q.isPresent() && control == CpuControl.QUOTA) {
            metrics.workloadBaselineCpuQuota.labels(w).set(cores(q.get(), record.baseline().cpuQuota(), current.vcpus()));
        } else {
            metrics.workloadBaselineCpuQuota.remove(w);
        }
        metrics.workloadVcpus.labels(w).set(current.vcpus());
        metrics.workloadMemory.labels(w).set(current.memoryBytes());
        metrics.workloadMaxVcpus.labels(w).set(observed.max().vcpus());
        metrics.workloadMaxMemory.labels(w).set(observed.max().memoryBytes());
        metrics.workloadBaselineVcpus.labels(w).set(record.baseline().vcpus());
        metrics.workloadBaselineMemory.labels(w).set(record.baseline().memoryBytes());
        metrics.workloadTier.labels(w).set(record.policy().tier().ordinal());
        metrics.workloadLeftAlone.labels(w).set(leftAlone ? 1 : 0);
    }

    /** Host cores one microsecond of quota gives the whole guest: a per-vCPU quota counts once per vCPU. */
    static double coresPerQuotaUnit(CpuQuota q, int vcpus) {
        return cores(q, 1, vcpus);
    }

    /** A quota in host CPUs for the whole guest. */
    private static double cores(CpuQuota q, long quota, int vcpus) {
        double perPeriod = (double) quota / q.period();
        return q.param() == CpuQuota.Param.VCPU ? perPeriod * vcpus : perPeriod;
    }

    /** The guest's {@code headroom_domain_*} series, in base units. */
    void exportDomain(DomainStats s) {
        Map<DomainSeries.Series, Double> v = new EnumMap<>(DomainSeries.Series.class);
        v.put(DomainSeries.Series.CPU_TIME, s.cpuTimeSeconds());
        v.put(DomainSeries.Series.VCPUS, (double) s.vcpus());
        v.put(DomainSeries.Series.MEMORY, (double) s.memoryBytes());
        v.put(DomainSeries.Series.MAX_MEMORY, (double) s.maxMemoryBytes());
        BalloonStats b = s.balloon();
        put(v, DomainSeries.Series.AVAILABLE, b.get(BalloonStats.Stat.AVAILABLE));
        put(v, DomainSeries.Series.UNUSED, b.get(BalloonStats.Stat.UNUSED));
        put(v, DomainSeries.Series.USABLE, b.get(BalloonStats.Stat.USABLE));
        put(v, DomainSeries.Series.DISK_CACHES, b.get(BalloonStats.Stat.DISK_CACHES));
        put(v, DomainSeries.Series.RSS, b.get(BalloonStats.Stat.RSS));
        put(v, DomainSeries.Series.MAJOR_FAULTS, b.get(BalloonStats.Stat.MAJOR_FAULT));
        put(v, DomainSeries.Series.MINOR_FAULTS, b.get(BalloonStats.Stat.MINOR_FAULT));
        put(v, DomainSeries.Series.SWAP_IN, b.get(BalloonStats.Stat.SWAP_IN));
        put(v, DomainSeries.Series.SWAP_OUT, b.get(BalloonStats.Stat.SWAP_OUT));
        put(v, DomainSeries.Series.STATS_UPDATED, b.get(BalloonStats.Stat.LAST_UPDATE));
        metrics.domains.replace(s.name(), v);
    }

    private static void put(Map<DomainSeries.Series, Double> v, DomainSeries.Series s, OptionalLong value) {
        value.ifPresent(x -> v.put(s, (double) x));
    }

    /** Drops the gauges of workloads this cycle could not observe, so dashboards do not show stale sizes. */
    void unexport(List<WorkloadReport> reports) {
        Set<String> shown = reports.stream().filter(r -> r.current().isPresent()).map(WorkloadReport::workload)
                .collect(Collectors.toSet());
        for (String w : new ArrayList<>(exported)) {
            if (!shown.contains(w)) {
                metrics.forgetAllocation(w);
                exported.remove(w);
            }
        }
    }
}
