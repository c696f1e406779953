package io.headroom.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code headroom_domain_*} series: what Headroom reads about each running guest from its own libvirt
 * connection, as the guest's cumulative counters and current gauges say it, so that a host without a libvirt
 * exporter still has them. Values are replaced each cycle per domain; a domain not seen any more is dropped.
 * Counters are libvirt's own cumulative values (they restart with the guest), exposed as counters so that
 * {@code rate()} handles those resets.
 *
 * <p>Labelled {@code domain}, like prometheus-libvirt-exporter, so the same queries and relabelling work.
 */
public final class DomainSeries extends Collector {

    /** Every series, its type and help. Names follow {@code namespace_subsystem_name_unit}. */
    public enum Series {
        CPU_TIME("headroom_domain_cpu_time_seconds", true, "CPU time the guest used since it started."),
        VCPUS("headroom_domain_vcpus", false, "vCPUs libvirt counts for the guest."),
        MEMORY("headroom_domain_memory_bytes", false, "Live memory of the guest (the balloon's size on QEMU)."),
        MAX_MEMORY("headroom_domain_maximum_memory_bytes", false, "The most memory the guest can have without a restart."),
        AVAILABLE("headroom_domain_memory_available_bytes", false, "Memory the guest sees (balloon stat available)."),
        UNUSED("headroom_domain_memory_unused_bytes", false, "Memory the guest leaves unused (balloon stat unused)."),
        USABLE("headroom_domain_memory_usable_bytes", false,
                "Memory the guest could give up without swapping (balloon stat usable)."),
        DISK_CACHES("headroom_domain_memory_disk_caches_bytes", false,
                "Memory the guest could reclaim from disk caches (balloon stat disk_caches)."),
        RSS("headroom_domain_memory_rss_bytes", false, "Resident memory of the guest's QEMU process on the host."),
        MAJOR_FAULTS("headroom_domain_memory_major_faults", true, "Page faults in the guest that needed disk I/O."),
        MINOR_FAULTS("headroom_domain_memory_minor_faults", true, "Other page faults in the guest."),
        SWAP_IN("headroom_domain_memory_swap_in_bytes", true, "Data the guest read from swap."),
        SWAP_OUT("headroom_domain_memory_swap_out_bytes", true, "Data the guest wrote to swap."),
        STATS_UPDATED("headroom_domain_memory_stats_last_update_timestamp_seconds", false,
                "When the guest's balloon driver last updated its statistics.");

        private final String name;
        private final boolean counter;
        private final String help;

        Series(String name, boolean counter, String help) {
            this.name = name;
            this.counter = counter;
            this.help = help;
        }

        /** The exposed name; counters get {@code _total} appended by the exposition. */
        public String metricName() {
            return name;
        }

        public boolean counter() {
            return counter;
        }
    }

    private final Map<String, Map<Series, Double>> byDomain = new TreeMap<>();

    /** Replaces what is known about {@code domain}. */
    public synchronized void replace(String domain, Map<Series, Double> values) {
        byDomain.put(domain, new EnumMap<>(values));
    }

    /** Keeps only {@code domains}. */
    public synchronized void retain(java.util.Set<String> domains) {
        byDomain.keySet().retainAll(domains);
    }

    @Override
    public synchronized List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> out = new ArrayList<>();
        for (Series s : Series.values()) {
            List<String> labels = List.of("domain");
            if (s.counter) {
                CounterMetricFamily f = new CounterMetricFamily(s.name, s.help, labels);
                byDomain.forEach((d, v) -> {
                    if (v.containsKey(s)) {
                        f.addMetric(List.of(d), v.get(s));
                    }
                });
                out.add(f);
            } else {
                GaugeMetricFamily f = new GaugeMetricFamily(s.name, s.help, labels);
                byDomain.forEach((d, v) -> {
                    if (v.containsKey(s)) {
                        f.addMetric(List.of(d), v.get(s));
                    }
                });
                out.add(f);
            }
        }
        return out;
    }
}
