package io.headroom.simulate;

import io.headroom.collect.ShortestDouble;
import io.headroom.decide.Allocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What prometheus-libvirt-exporter would export for one simulated guest, built from its {@link Physics} samples:
 * the counters advance by each step's rates times the step, so the shipped {@code libvirt-exporter} preset
 * recovers the physics' features from them unchanged. Plus {@value #FAILED}, 1 while the guest is failed, for
 * {@code detection.failure_query}; a failed guest exports nothing else (its exporter scrape fails).
 *
 * <p>Disk latency is exported as time per request: requests advance at one per 64 KiB read or written and their time at the step's latency each, so the preset's
 * {@code (read_time + write_time) / (read_requests + write_requests)} gives the latency back.
 */
final class GuestExporter {

    /** The failure signal: 1 while the simulated guest is failed, else 0. */
    static final String FAILED = "headroom_simulated_guest_failed";
    private static final double REQUEST_BYTES = 65536;

    /** One exported family: name (with {@code _total} for counters), type, help, and the device label if any. */
    record Family(String name, String type, String help, String device) {}

    /** Families in export order; counters first, then gauges. Index = value slot. */
    static final List<Family> FAMILIES = List.of(
            new Family("libvirt_domain_info_cpu_time_seconds_total", "counter", "CPU time used by the domain.", null),
            new Family("libvirt_domain_block_stats_read_bytes_total", "counter", "Bytes read by the block device.", "vda"),
            new Family("libvirt_domain_block_stats_write_bytes_total", "counter", "Bytes written by the block device.", "vda"),
            new Family("libvirt_domain_block_stats_read_requests_total", "counter", "Read requests of the block device.", "vda"),
            new Family("libvirt_domain_block_stats_write_requests_total", "counter", "Write requests of the block device.", "vda"),
            new Family("libvirt_domain_block_stats_read_time_seconds_total", "counter", "Time spent reading.", "vda"),
            new Family("libvirt_domain_block_stats_write_time_seconds_total", "counter", "Time spent writing.", "vda"),
            new Family("libvirt_domain_interface_stats_receive_bytes_total", "counter", "Bytes received.", "vnet0"),
            new Family("libvirt_domain_interface_stats_transmit_bytes_total", "counter", "Bytes sent.", "vnet0"),
            new Family("libvirt_domain_interface_stats_receive_drops_total", "counter", "Received packets dropped.", "vnet0"),
            new Family("libvirt_domain_interface_stats_transmit_drops_total", "counter", "Sent packets dropped.", "vnet0"),
            new Family("libvirt_domain_interface_stats_receive_errors_total", "counter", "Receive errors.", "vnet0"),
            new Family("libvirt_domain_interface_stats_transmit_errors_total", "counter", "Send errors.", "vnet0"),
            new Family("libvirt_domain_info_virtual_cpus", "gauge", "Virtual CPUs of the domain.", null),
            new Family("libvirt_domain_info_memory_usage_bytes", "gauge", "Memory in use by the domain.", null),
            new Family("libvirt_domain_info_maximum_memory_bytes", "gauge", "Maximum memory of the domain.", null),
            new Family(FAILED, "gauge", "1 while the simulated guest is failed (OOM, overloaded, SLO breached), else 0.", null));
    private static final int COUNTERS = 13;
    private static final int FAILED_SLOT = FAMILIES.size() - 1;

    private final String domain;
    private final long maxMemory;
    private final double[] values = new double[FAMILIES.size()];
    private boolean failed;

    GuestExporter(Scenario.Workload w) {
        this.domain = w.name();
        this.maxMemory = w.maxMemory();
    }

    String domain() {
        return domain;
    }

    /** Advances by one step of {@code stepSeconds} that produced {@code s} with allocation {@code a}. */
    void advance(Physics.Sample s, Allocation a, double stepSeconds) {
        failed = s.failed();
        values[FAILED_SLOT] = failed ? 1 : 0;
        if (failed) {
            return; // counters hold: nothing ran
        }
        double[] f = s.features();
        double readReq = f[2] / REQUEST_BYTES;
        double writeReq = f[3] / REQUEST_BYTES;
        // f[0] is cores used (cpu_cores_used): CPU-seconds per second as it stands, whatever the vCPU count.
        double[] rates = {f[0], f[2], f[3], readReq, writeReq, f[4] * readReq, f[4] * writeReq, f[5], f[6],
                f[7], 0, 0, 0};
        for (int i = 0; i < COUNTERS; i++) {
            values[i] += rates[i] * stepSeconds;
        }
        values[COUNTERS] = a.vcpus();
        values[COUNTERS + 1] = f[1] * maxMemory;
        values[COUNTERS + 2] = maxMemory;
    }

    /** True if the last step left the guest failed. */
    boolean failed() {
        return failed;
    }

    /** The labels of family {@code i}'s series for this guest, plus {@code extra}, in name order. */
    Map<String, String> labels(int i, Map<String, String> extra) {
        Map<String, String> l = new TreeMap<>(extra);
        l.put("domain", domain);
        if (FAMILIES.get(i).device() != null) {
            l.put("target_device", FAMILIES.get(i).device());
        }
        return l;
    }

    /** Family {@code i}'s current value, or NaN when the guest exports nothing for it (failed). */
    double value(int i) {
        return failed && i != FAILED_SLOT ? Double.NaN : values[i];
    }

    /** A sample line without the value: {@code name{k="v",...}}. */
    static String series(String name, Map<String, String> labels) {
        List<String> parts = new ArrayList<>();
        labels.forEach((k, v) -> parts.add(k + "=\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\""));
        return name + "{" + String.join(",", parts) + "}";
    }

    /** A value in both exposition formats: shortest round-trip decimal. */
    static String format(double v) {
        return ShortestDouble.format(v);
    }

    /**
     * The live scrape of all guests in Prometheus text format 0.0.4 (no job or instance labels: the scrape adds
     * them). Every sample carries {@code at}, the time of the step that produced it: Prometheus then stores the
     * live samples on the step grid, as the backfilled ones are, instead of at its own scrape times, whose jitter
     * against the steps would add noise to every rate the history never had.
     */
    static String exposition(List<GuestExporter> guests, Instant at) {
        String ts = Long.toString(at.toEpochMilli());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < FAMILIES.size(); i++) {
            Family fam = FAMILIES.get(i);
            sb.append("# HELP ").append(fam.name()).append(' ').append(fam.help()).append('\n');
            sb.append("# TYPE ").append(fam.name()).append(' ').append(fam.type()).append('\n');
            for (GuestExporter g : guests) {
                double v = g.value(i);
                if (!Double.isNaN(v)) {
                    sb.append(series(fam.name(), g.labels(i, Map.of()))).append(' ').append(format(v)).append(' ')
                            .append(ts).append('\n');
                }
            }
        }
        return sb.toString();
    }
}
