package io.headroom.daemon;

import io.headroom.testing.OpenMetricsWriter;
import java.util.List;
import java.util.Map;

/**
 * The libvirt-exporter history the closed-loop ITs backfill: per domain, the CPU-time counter integrated from the
 * cores it uses, its memory in use and its maximum memory, every {@code step} seconds from {@code start} to
 * {@code last} (the samples after "now" stand in for live scrapes).
 */
final class ExporterHistory {

    /** A domain's value at a second. */
    interface Curve {
        double at(String domain, long t);
    }

    private ExporterHistory() {}

    static void write(OpenMetricsWriter out, List<String> domains, long start, long last, long step, Curve coresUsed,
                      Curve memoryInUse, long maxMemory) {
        OpenMetricsWriter.Family cpu = out.counter("libvirt_domain_info_cpu_time_seconds_total", "CPU time.");
        OpenMetricsWriter.Family mem = out.gauge("libvirt_domain_info_memory_usage_bytes", "Memory.");
        OpenMetricsWriter.Family max = out.gauge("libvirt_domain_info_maximum_memory_bytes", "Max memory.");
        for (String d : domains) {
            Map<String, String> l = Map.of("domain", d);
            OpenMetricsWriter.Series c = cpu.series(l);
            double used = 0;
            for (long t = start; t <= last; t += step) {
                used += coresUsed.at(d, t) * step;
                c.sample(used, t);
                mem.sample(l, memoryInUse.at(d, t), t);
                max.sample(l, maxMemory, t);
            }
        }
    }
}
