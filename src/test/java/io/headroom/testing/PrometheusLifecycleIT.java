package io.headroom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Start, stop and failure paths, driven through {@code start()} and {@code close()} without JUnit callbacks. */
class PrometheusLifecycleIT {

    @Test
    void closeStopsTheServerAndDeletesItsDirectory() throws Exception {
        PrometheusExtension prometheus = PrometheusExtension.builder().build();
        prometheus.start();
        int port = prometheus.port();
        Path dataDir = prometheus.dataDir();
        Path workDir = dataDir.getParent();
        assertThat(HttpJson.get(prometheus.baseUrl() + "/api/v1/status/buildinfo", Map.of()).at("/data/version").asText())
                .startsWith("2.");
        assertThat(Files.readString(prometheus.logFile())).contains("Server is ready to receive web requests.");

        prometheus.close();

        assertThat(workDir).doesNotExist();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
        assertThatThrownBy(prometheus::baseUrl).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running");
        prometheus.close(); // a second close is harmless
    }

    @Test
    void promtoolFailureIsReportedWithItsOutput() {
        PrometheusExtension prometheus = PrometheusExtension.builder()
                .backfill("# TYPE g gauge\ng 1\n# EOF\n") // no timestamp: promtool refuses it
                .build();

        Throwable failure = catchThrowable(prometheus::start);

        assertThat(failure)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("promtool backfill failed with exit code 1")
                .hasMessageContaining("expected timestamp for series got none");
        assertOnlyLogsAreLeft(failure, "promtool.log");
    }

    @Test
    void textBackfillWithoutEofIsRejectedBeforeAnythingRuns() {
        assertThatThrownBy(() -> PrometheusExtension.builder().backfill("# TYPE g gauge\ng 1 1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("# EOF");
    }

    @Test
    void serverThatExitsIsReportedWithTheEndOfItsLog() {
        PrometheusExtension prometheus = PrometheusExtension.builder()
                .extraFlag("--no-such-flag")
                .build();

        Throwable failure = catchThrowable(prometheus::start);

        assertThat(failure)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Prometheus exited with code")
                .hasMessageContaining("unknown long flag '--no-such-flag'");
        assertOnlyLogsAreLeft(failure, "prometheus.log");
    }

    @Test
    void serverThatIsNotReadyInTimeIsReportedAndStopped() {
        PrometheusExtension prometheus = PrometheusExtension.builder()
                .startupTimeout(Duration.ofMillis(1))
                .build();

        Throwable failure = catchThrowable(prometheus::start);

        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was not ready")
                .hasMessageContaining("no 200 within 1 ms");
        Path workDir = assertOnlyLogsAreLeft(failure, "prometheus.log");
        assertThat(ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments().map(args -> String.join(" ", args)).orElse("")
                        .contains(workDir.toString()))
                .toList())
                .as("processes still running with arguments in " + workDir)
                .isEmpty();
    }

    /**
     * A failed start keeps the logs for inspection and deletes everything else. Checks that, then deletes the
     * logs so that the build leaves nothing behind.
     *
     * @return the (now deleted) temporary directory
     */
    private static Path assertOnlyLogsAreLeft(Throwable failure, String logName) {
        String message = failure.getMessage();
        assertThat(message).contains("full log: ");
        int from = message.indexOf("full log: ") + "full log: ".length();
        Path log = Path.of(message.substring(from, message.indexOf('\n', from)));
        Path workDir = log.getParent();
        assertThat(log.getFileName()).hasToString(logName);
        assertThat(log).exists();
        try (Stream<Path> left = Files.list(workDir)) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .allMatch(name -> name.endsWith(".log"), "only logs are left");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TempDirs.delete(workDir);
        assertThat(workDir).doesNotExist();
        return workDir;
    }
}
