package io.headroom.daemon;

import io.headroom.act.LibvirtGateway;
import io.headroom.collect.PrometheusClient;
import io.headroom.collect.PrometheusWorkloadDiscovery;
import io.headroom.collect.WorkloadDiscovery;
import io.headroom.config.HeadroomConfig;
import io.headroom.config.WorkloadsConfig;
import java.time.Duration;
import java.util.SortedSet;
import java.util.TreeSet;

/** Builds the configured {@link WorkloadDiscovery}. */
public final class Workloads {

    private Workloads() {}

    /**
     * Discovery as configured: the running domains of libvirt, or the values of the workload label in
     * Prometheus over the trailing {@code window}.
     */
    public static WorkloadDiscovery discovery(HeadroomConfig cfg, PrometheusClient client, LibvirtGateway gateway, Duration window) {
        WorkloadsConfig w = cfg.workloads();
        if (w.source() == WorkloadsConfig.Source.PROMETHEUS) {
            return new PrometheusWorkloadDiscovery(client, w, window);
        }
        return now -> {
            SortedSet<String> names = new TreeSet<>();
            for (String n : gateway.runningDomainNames()) {
                if (w.accepts(n)) {
                    names.add(n);
                }
            }
            return names;
        };
    }
}
