package io.headroom.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** What the benches read of their own JVM, and the quantiles they report. */
public final class JvmMeasures {

    private JvmMeasures() {}

    /**
     * This JVM's peak resident set (VmHWM): the daemon's and the exporter's, not Prometheus', which a wrapper's
     * {@code time -v} would report as the largest of its descendants.
     */
    public static double peakRssMib() {
        return peakRssMib(ProcessHandle.current().pid());
    }

    /** Process {@code pid}'s peak resident set (VmHWM) in MiB, or NaN if it cannot be read. */
    public static double peakRssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (java.io.IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** CPU time this JVM has used, all threads, in seconds. */
    public static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** Heap in use after the last collection of each heap pool: what the heap holds, without forcing a GC. */
    public static long heapAfterGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            used += u == null ? 0 : u.getUsed();
        }
        return used;
    }

    public static double median(double[] v) {
        return quantile(v, 0.5);
    }

    /** The nearest-rank quantile; NaN of nothing. */
    public static double quantile(double[] v, double q) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, Math.max(0, (int) Math.ceil(q * s.length) - 1))];
    }
}
