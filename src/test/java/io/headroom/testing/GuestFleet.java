package io.headroom.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A host of N guests ({@code vm-0} ..) as Headroom sees it: a libvirt test-driver node of N running domains and
 * their libvirt-exporter series, backfilled and served live for Prometheus to scrape, the same functions of time
 * in both so that the live series continue the backfill. The series move as a real guest's do (rates that swing
 * over an hour and over five minutes, memory in use with a slow swing), so that every feature has variance.
 */
public final class GuestFleet {

    /** The libvirt-exporter counters the preset's queries read. */
    public static final List<String> COUNTERS = List.of("libvirt_domain_info_cpu_time_seconds_total",
            "libvirt_domain_block_stats_read_bytes_total", "libvirt_domain_block_stats_write_bytes_total",
            "libvirt_domain_block_stats_read_requests_total", "libvirt_domain_block_stats_write_requests_total",
            "libvirt_domain_block_stats_read_time_seconds_total", "libvirt_domain_block_stats_write_time_seconds_total",
            "libvirt_domain_interface_stats_receive_bytes_total", "libvirt_domain_interface_stats_transmit_bytes_total",
            "libvirt_domain_interface_stats_receive_drops_total", "libvirt_domain_interface_stats_transmit_drops_total",
            "libvirt_domain_interface_stats_receive_errors_total", "libvirt_domain_interface_stats_transmit_errors_total");
    /** The libvirt-exporter gauges the preset's queries read. */
    public static final List<String> GAUGES = List.of("libvirt_domain_info_virtual_cpus",
            "libvirt_domain_info_memory_usage_bytes", "libvirt_domain_info_maximum_memory_bytes");

    private static final double GIB = 1L << 30;

    private final int guests;

    public GuestFleet(int guests) {
        this.guests = guests;
    }

    /** The name of guest {@code w}. */
    public static String name(int w) {
        return "vm-" + w;
    }

    /**
     * Counter {@code f} of guest {@code w} at {@code t}: a rate that swings by a third over an hour and by a fifth
     * over five minutes around its base per second, never negative.
     */
    static double counter(int w, int f, long t) {
        double base = (w % 7 + 1) * (f + 1);
        double phase = w * 0.37 + f;
        return base * (t + 200 * Math.sin(2 * Math.PI * t / 3600 + phase) + 10 * Math.sin(2 * Math.PI * t / 300 + phase));
    }

    /** Gauge {@code g} of guest {@code w} at {@code t}: 4 vCPUs, memory in use with a slow swing, 16 GiB maximum. */
    static double gauge(int w, int g, long t) {
        return switch (g) {
            case 0 -> 4;
            case 1 -> (w % 4 + 1) * GIB * (1 + 0.1 * Math.sin(2 * Math.PI * t / 3600 + w));
            default -> 16 * GIB;
        };
    }

    private double value(int w, int family, long t) {
        return family < COUNTERS.size() ? counter(w, family, t) : gauge(w, family - COUNTERS.size(), t);
    }

    private static String family(int f) {
        return f < COUNTERS.size() ? COUNTERS.get(f) : GAUGES.get(f - COUNTERS.size());
    }

    /** Every series from {@code from} to before {@code to}, {@code spacing} seconds apart, for a backfill. */
    public void history(OpenMetricsWriter out, long from, long to, long spacing) {
        List<OpenMetricsWriter.Family> families = new ArrayList<>();
        for (int f = 0; f < COUNTERS.size() + GAUGES.size(); f++) {
            families.add(f < COUNTERS.size() ? out.counter(family(f), "Guest counter.")
                    : out.gauge(family(f), "Guest gauge."));
        }
        for (int w = 0; w < guests; w++) {
            Map<String, String> labels = Map.of("domain", name(w));
            for (int f = 0; f < families.size(); f++) {
                OpenMetricsWriter.Series s = families.get(f).series(labels);
                for (long t = from; t < to; t += spacing) {
                    s.sample(value(w, f, t), t);
                }
            }
        }
    }

    /**
     * An exporter on a free loopback port serving every series at the time of the scrape on {@code /metrics};
     * {@code stop(0)} it when done.
     */
    public HttpServer exporter() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "guest-fleet-exporter");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", exchange -> {
            long t = Instant.now().getEpochSecond();
            StringBuilder b = new StringBuilder(guests * 1600);
            for (int f = 0; f < COUNTERS.size() + GAUGES.size(); f++) {
                b.append("# TYPE ").append(family(f)).append(f < COUNTERS.size() ? " counter\n" : " gauge\n");
                for (int w = 0; w < guests; w++) {
                    b.append(family(f)).append("{domain=\"").append(name(w)).append("\"} ").append(value(w, f, t))
                            .append('\n');
                }
            }
            byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        return server;
    }

    /** A test-driver node ({@code test:///abs/path}) big enough for every guest: 4 of 8 vCPUs, 8 of 16 GiB each. */
    public String nodeXml() {
        StringBuilder b = new StringBuilder("<node>\n  <cpu><mhz>2000</mhz><model>i686</model><active>256</active>"
                + "<nodes>1</nodes><sockets>1</sockets><cores>256</cores><threads>1</threads></cpu>\n"
                + "  <memory>" + (guests * 16L + 64) * 1024 * 1024 + "</memory>\n");
        for (int w = 0; w < guests; w++) {
            b.append("  <domain type=\"test\"><name>").append(name(w)).append("</name>")
                    .append("<memory unit=\"GiB\">16</memory><currentMemory unit=\"GiB\">8</currentMemory>")
                    .append("<vcpu current=\"4\">8</vcpu><os><type>hvm</type></os></domain>\n");
        }
        return b.append("</node>\n").toString();
    }
}
