package io.headroom.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.testing.Poll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon under systemd's notify protocol, with a real {@code sd_notify} (libsystemd) talking to a
 * datagram socket the test listens on, as systemd would: READY=1 once it serves, WATCHDOG=1 while cycles end, and no
 * more WATCHDOG=1 once a cycle hangs (here a Prometheus that stops answering, with a timeout longer than the
 * watchdog's), so that systemd would restart it.
 */
class WatchdogIT {

    static final String LISTENER = """
            import socket, sys, time
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(sys.argv[1])
            with open(sys.argv[2], "a") as out:
                while True:
                    data = s.recv(4096).decode().replace("\\n", " ")
                    out.write("%.3f %s\\n" % (time.time(), data))
                    out.flush()
            """;

    @Test
    void feedsTheWatchdogWhileCyclesEndAndStopsWhenOneHangs(@TempDir Path dir) throws Exception {
        AtomicBoolean hang = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        Path socket = dir.resolve("notify.sock");
        Path received = dir.resolve("received.txt");
        Files.createFile(received);
        try (MockWebServer prometheus = new MockWebServer()) {
            prometheus.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                    if (hang.get()) {
                        release.await(5, TimeUnit.MINUTES);
                    }
                    String body = request.getUrl().encodedPath().contains("/label/")
                            ? "{\"status\":\"success\",\"data\":[\"vm-1\"]}"
                            : "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}";
                    return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
                }
            });
            prometheus.start();
            Path cfg = dir.resolve("headroom.yaml");
            Files.writeString(cfg, """
                    prometheus: {url: '%s', timeout: 5m, retry: {max_attempts: 1}}
                    workloads: {source: prometheus, selector: libvirt_domain_info_virtual_cpus}
                    collection: {interval: 1s, step: 15s, lookback: 10m}
                    server: {listen: '127.0.0.1:0'}
                    state_dir: %s
                    """.formatted(prometheus.url("/").toString().replaceAll("/$", ""), dir.resolve("state")));
            Process listener = new ProcessBuilder("/usr/bin/python3", "-c", LISTENER, socket.toString(),
                    received.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("listener.txt").toFile())
                    .start();
            RunningDaemon.Started daemon = null;
            try {
                Poll.until(Duration.ofSeconds(20), "the notify socket bound", () -> Files.exists(socket), b -> b);
                daemon = RunningDaemon.start(cfg, dir,
                        Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "3000000"));

                Poll.until(Duration.ofSeconds(60), "READY=1 and two WATCHDOG=1", () -> lines(received),
                        l -> l.stream().anyMatch(x -> x.contains("READY=1"))
                                && l.stream().filter(x -> x.contains("WATCHDOG=1")).count() >= 2);

                hang.set(true);
                // Fed every 1.5 s while cycles end; once one has hung for the 3 s timeout, never again.
                Poll.until(Duration.ofSeconds(60), "no WATCHDOG=1 for 8 s while the daemon runs",
                        () -> secondsSinceLastWatchdog(received), s -> s > 8);
                assertThat(daemon.process().isAlive()).isTrue();
                assertThat(Files.readString(daemon.log())).contains("no longer feeding systemd's watchdog");
            } finally {
                release.countDown();
                if (daemon != null) {
                    daemon.stop();
                }
                listener.destroyForcibly();
            }
            assertThat(lines(received)).as("STOPPING=1 on SIGTERM").anyMatch(x -> x.contains("STOPPING=1"));
        }
    }

    static List<String> lines(Path f) throws Exception {
        return Files.readAllLines(f, StandardCharsets.UTF_8);
    }

    static double secondsSinceLastWatchdog(Path f) throws Exception {
        double last = lines(f).stream().filter(x -> x.contains("WATCHDOG=1"))
                .mapToDouble(x -> Double.parseDouble(x.substring(0, x.indexOf(' ')))).max().orElse(0);
        return System.currentTimeMillis() / 1000.0 - last;
    }
}
