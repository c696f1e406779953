package io.headroom.ops;

import com.sun.net.httpserver.HttpServer;
import io.headroom.testing.OpenMetricsWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Two guests, web-1 and web-2, as prometheus-libvirt-exporter shows them: six hours of history backfilled into
 * Prometheus, then served live on {@code /metrics} for Prometheus to scrape, continuing the same series (the
 * history carries the labels the scrape adds, {@code job="libvirt"} and this server's {@code instance}).
 *
 * <p>Each vCPU of a guest runs at 0.3 ± 0.1 (an hourly wave) plus noise that changes every 15 s, in the history and
 * live alike (a guest without noise would be anomalous for its flatness), and uses 1 GiB of its 4 GiB. web-2 surges
 * from ten minutes before the history ends until {@link #endSurge()}: a flat 0.97 per vCPU and 3.8 GiB, extreme on
 * two features so that its score reaches the critical tier; {@code guest_failing} marks the surge so that training
 * leaves it out. Because the live part is served, not backfilled, a test decides when the surge ends instead of guessing
 * ahead of time how long the daemon, Prometheus and Alertmanager will take.
 */
final class GuestSimulator implements AutoCloseable {

    /** Backfill resolution; the daemon's feature rate window must be at least four of these. */
    static final long STEP = 15;
    static final String JOB = "libvirt";
    static final double SURGE = 0.97;
    static final long MEMORY = 1L << 30;
    static final long SURGE_MEMORY = 3891L << 20;
    static final String SURGING = "web-2";
    static final String CALM = "web-1";
    static final int VCPUS = 2;

    private final HttpServer server;
    /** End of the backfilled history (unix seconds, a multiple of STEP); live values continue from it. */
    final long end;
    final long start;
    final long surgeFrom;
    private volatile double surgeUntil = Double.POSITIVE_INFINITY;
    /** CPU seconds of each guest at {@link #end}, known once the history is written. */
    private final Map<String, Double> cpuAtEnd = new ConcurrentHashMap<>();

    /** Binds the exporter on a free loopback port now, so Prometheus can be configured with it; serves at once. */
    GuestSimulator(long nowSeconds) throws IOException {
        this.end = nowSeconds / STEP * STEP;
        this.start = end - 6 * 3600;
        this.surgeFrom = end - 600;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body;
            int code;
            if (cpuAtEnd.size() < 2) {
                code = 503;
                body = "history not written yet\n".getBytes(StandardCharsets.UTF_8);
            } else {
                code = 200;
                body = exposition(System.currentTimeMillis() / 1000.0).getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** host:port to scrape. */
    String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Ends web-2's surge now: from here on its vCPUs run at the normal level again. */
    void endSurge() {
        surgeUntil = System.currentTimeMillis() / 1000.0;
    }

    /** Per-vCPU utilisation without surge: the same wave the history follows, minus its noise. */
    static double normal(double t) {
        return 0.3 + 0.1 * Math.sin(2 * Math.PI * t / 3600.0);
    }

    /** Integral of {@link #normal} from 0 to t. */
    private static double normalIntegral(double t) {
        return 0.3 * t - 0.1 * 3600.0 / (2 * Math.PI) * Math.cos(2 * Math.PI * t / 3600.0);
    }

    /** Noise of the live part: one value per guest and 15 s bucket, the same on every scrape. */
    static double noise(String domain, long bucket) {
        return 0.03 * new SplittableRandom(domain.hashCode() * 31L + bucket).nextGaussian();
    }

    /** CPU seconds a guest has used at {@code t} (>= end): the history's last value plus the live utilisation. */
    double cpuSeconds(String domain, double t) {
        double perVcpu = 0;
        // Bucket by bucket: the wave and the bucket's noise, or the flat surge where it overlaps the bucket.
        for (long b = end / STEP; b * STEP < t; b++) {
            double from = Math.max(end, b * STEP);
            double to = Math.min(t, (b + 1) * STEP);
            double surging = domain.equals(SURGING) ? Math.max(0, Math.min(to, surgeUntil) - from) : 0;
            double calm = (to - from) - surging;
            double calmFrom = from + surging;
            perVcpu += SURGE * surging + normalIntegral(to) - normalIntegral(calmFrom) + noise(domain, b) * calm;
        }
        return cpuAtEnd.get(domain) + VCPUS * perVcpu;
    }

    boolean surging(String domain, double t) {
        return domain.equals(SURGING) && t >= surgeFrom && t < surgeUntil;
    }

    /** The backfill: what the exporter showed from {@link #start} to {@link #end}, with noise. */
    void writeHistory(OpenMetricsWriter out) {
        OpenMetricsWriter.Family cpu = out.counter("libvirt_domain_info_cpu_time_seconds_total", "CPU time.");
        OpenMetricsWriter.Family vcpus = out.gauge("libvirt_domain_info_virtual_cpus", "vCPUs.");
        OpenMetricsWriter.Family mem = out.gauge("libvirt_domain_info_memory_usage_bytes", "Memory.");
        OpenMetricsWriter.Family max = out.gauge("libvirt_domain_info_maximum_memory_bytes", "Max memory.");
        OpenMetricsWriter.Family failing = out.gauge("guest_failing", "1 while the guest is failing.");
        for (String d : new String[] {CALM, SURGING}) {
            SplittableRandom rng = new SplittableRandom(d.hashCode());
            Map<String, String> l = labels(d);
            OpenMetricsWriter.Series c = cpu.series(l);
            double used = 0;
            for (long t = start; t <= end; t += STEP) {
                boolean surge = surging(d, t);
                double perVcpu = surge ? SURGE : normal(t) + 0.03 * rng.nextGaussian();
                used += VCPUS * perVcpu * STEP;
                c.sample(used, t);
                vcpus.sample(l, VCPUS, t);
                mem.sample(l, surge ? SURGE_MEMORY : MEMORY * (1.0 + 0.02 * rng.nextGaussian()), t);
                max.sample(l, 4L << 30, t);
                failing.sample(l, surge ? 1 : 0, t);
            }
            cpuAtEnd.put(d, used);
        }
    }

    private Map<String, String> labels(String domain) {
        return Map.of("domain", domain, "job", JOB, "instance", target());
    }

    private String exposition(double t) {
        StringBuilder s = new StringBuilder();
        s.append("# TYPE libvirt_domain_info_cpu_time_seconds_total counter\n");
        for (String d : new String[] {CALM, SURGING}) {
            line(s, "libvirt_domain_info_cpu_time_seconds_total", d, cpuSeconds(d, t));
        }
        s.append("# TYPE libvirt_domain_info_virtual_cpus gauge\n");
        for (String d : new String[] {CALM, SURGING}) {
            line(s, "libvirt_domain_info_virtual_cpus", d, VCPUS);
        }
        s.append("# TYPE libvirt_domain_info_memory_usage_bytes gauge\n");
        for (String d : new String[] {CALM, SURGING}) {
            line(s, "libvirt_domain_info_memory_usage_bytes", d, surging(d, t) ? SURGE_MEMORY
                    : MEMORY * (1.0 + noise(d, (long) Math.floor(t / STEP)) * 2 / 3));
        }
        s.append("# TYPE libvirt_domain_info_maximum_memory_bytes gauge\n");
        for (String d : new String[] {CALM, SURGING}) {
            line(s, "libvirt_domain_info_maximum_memory_bytes", d, 4L << 30);
        }
        s.append("# TYPE guest_failing gauge\n");
        for (String d : new String[] {CALM, SURGING}) {
            line(s, "guest_failing", d, surging(d, t) ? 1 : 0);
        }
        return s.toString();
    }

    private static void line(StringBuilder s, String name, String domain, double value) {
        s.append(name).append("{domain=\"").append(domain).append("\"} ")
                .append(String.format(Locale.ROOT, "%.6f", value)).append('\n');
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
