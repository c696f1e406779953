package io.headroom.cli;

import io.headroom.daemon.StatusApiTest;
import io.headroom.daemon.WorkloadsJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.ActConfig;
import io.headroom.cli.CliTest.Run;
import io.headroom.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code headroom status} against a fake daemon serving the JSON the real API renders for a hand-built cycle
 * ({@link StatusApiTest#cycle()}): the table, where it asks, and how it fails.
 */
class StatusCommandTest {

    MockWebServer daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new MockWebServer();
        daemon.start();
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    String base() {
        String u = daemon.url("/").toString();
        return u.substring(0, u.length() - 1);
    }

    void serve(int code, String body) {
        daemon.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body)
                .build());
    }

    @Test
    void printsOneRowPerWorkloadWithNowOverBaseline() throws Exception {
        serve(200, WorkloadsJson.list(StatusApiTest.cycle(), ActConfig.Mode.ENFORCE).toString());
        Run r = CliTest.run("status", "--url", base());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(String.join(System.lineSeparator(),
                "cycle 7 at 2026-11-28T10:00:00Z, mode enforce, 4 workload(s)",
                "WORKLOAD  SCORE  TIER      VCPUS  MEMORY        LAST CHANGE                                                   MODE     NOTE",
                "legacy       95  critical  2/2    2GiB/2GiB     -                                                             enforce  opted out",
                "new-1         -  none      2/2    2GiB/2GiB     -                                                             enforce  no score",
                "web-1        40  high      6/2    2GiB/2GiB     2026-11-28T09:00:00Z                                          enforce  left alone",
                "web-2      97.5  critical  3/2    2662MiB/2GiB  2026-11-28T10:00:00Z vcpus 2->3 memory 2GiB->2663MiB applied  enforce",
                ""));
        RecordedRequest req = daemon.takeRequest(5, TimeUnit.SECONDS);
        assertThat(req.getUrl().encodedPath()).isEqualTo("/api/v1/workloads");
        assertThat(req.getMethod()).isEqualTo("GET");
    }

    @Test
    void asksAtServerListenOfTheConfig(@TempDir Path dir) throws Exception {
        serve(200, "{\"cycle\": {\"number\": 1, \"at\": \"2026-11-28T10:00:00.123Z\"}, \"mode\": \"observe\", \"workloads\": []}");
        Path cfg = dir.resolve("h.yaml");
        Files.writeString(cfg, "server: {listen: '0.0.0.0:" + daemon.getPort() + "'}\n");
        Run r = CliTest.run("status", "--config", cfg.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("cycle 1 at 2026-11-28T10:00:00.123Z, mode observe, 0 workload(s)");
        assertThat(daemon.takeRequest(5, TimeUnit.SECONDS).getUrl().host()).as("a wildcard listener is asked on loopback")
                .isEqualTo("127.0.0.1");
    }

    @Test
    void anUnreachableDaemonExits1WithWhereItLooked() {
        String url = "http://127.0.0.1:" + FreePorts.loopback();
        Run r = CliTest.run("status", "--url", url);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: cannot reach the Headroom daemon at " + url
                + " (connection refused); is `headroom run` running and listening there?" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aDaemonWithoutACycleYetExits1WithItsReason() {
        serve(503, "{\"error\": \"no cycle has finished yet: prometheus unreachable\"}");
        Run r = CliTest.run("status", "--url", base() + "/");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("error: the Headroom daemon at " + base() + " is not ready: no cycle has finished yet: "
                + "prometheus unreachable");
    }

    @Test
    void somethingElseOnThePortExits1() {
        serve(404, "<html>nginx</html>");
        Run r = CliTest.run("status", "--url", base());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("answered HTTP 404: <html>nginx</html>");
    }

    @Test
    void withoutConfigOrUrlItIsAUsageError(@TempDir Path dir) throws Exception {
        assertThat(CliTest.run("status").err()).contains("--config FILE or --url URL is required");
        assertThat(CliTest.run("status", "--url", "127.0.0.1:9464").exit()).isEqualTo(2);
        Path cfg = dir.resolve("h.yaml");
        Files.writeString(cfg, "server: {listen: '127.0.0.1:0'}\n");
        Run r = CliTest.run("status", "--config", cfg.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("has port 0", "give --url");
    }
}
