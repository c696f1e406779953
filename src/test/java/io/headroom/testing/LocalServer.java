package io.headroom.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A server binary run as a child process on a free loopback port, with stdout and stderr appended to a log
 * file, started when {@code GET /-/ready} answers 200.
 *
 * <p>The port is picked before the process binds it, so another process can take it in between; when the
 * server exits complaining that the address is in use, it is started again on another port (three attempts).
 * A JVM shutdown hook kills the process if the tests are interrupted before {@link #stop()}.
 */
final class LocalServer implements RunningServer {

    private static final int ATTEMPTS = 3;
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration POLL_MIN = Duration.ofMillis(10);
    private static final Duration POLL_MAX = Duration.ofMillis(200);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final Process process;
    private final int port;
    private final Thread shutdownHook;

    private LocalServer(Process process, int port, Thread shutdownHook) {
        this.process = process;
        this.port = port;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Starts the server and waits until it is ready.
     *
     * @param name    for messages, e.g. "Prometheus"
     * @param command the command line for a given port
     * @param workDir working directory of the process
     * @param log     file that receives stdout and stderr (appended)
     * @param timeout how long to wait for readiness, per attempt
     * @throws IllegalStateException if the server exits or is not ready in time; the message ends with the log tail
     */
    static LocalServer start(String name, IntFunction<List<String>> command, Path workDir, Path log, Duration timeout) {
        for (int attempt = 1; ; attempt++) {
            int port = FreePorts.loopback();
            long logStart = LogFiles.size(log);
            List<String> commandLine = command.apply(port);
            Process process;
            try {
                process = new ProcessBuilder(commandLine)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + commandLine.get(0) + ": " + e.getMessage(), e);
            }
            Thread hook = new Thread(process::destroyForcibly, name + "-killer");
            Runtime.getRuntime().addShutdownHook(hook);
            LocalServer server = new LocalServer(process, port, hook);
            boolean ready;
            try {
                ready = server.awaitReady(timeout);
            } catch (RuntimeException e) {
                server.stop();
                throw new IllegalStateException(name + " was not ready on " + server.baseUrl() + "/-/ready: "
                        + e.getMessage() + " (command: " + String.join(" ", commandLine) + ")"
                        + LogFiles.tail(log, logStart), e);
            }
            if (ready) {
                return server;
            }
            server.stop();
            String output = LogFiles.read(log, logStart);
            if (output.contains("address already in use") && attempt < ATTEMPTS) {
                continue;
            }
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + " before it was ready"
                    + " (command: " + String.join(" ", commandLine) + ")" + LogFiles.tail(log, logStart));
        }
    }

    /**
     * Polls {@code /-/ready} until it answers 200 (true) or the process exits (false).
     *
     * @throws IllegalStateException on timeout or interruption
     */
    private boolean awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        Duration pause = POLL_MIN;
        String lastAnswer = "no answer yet";
        while (true) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return true;
                }
                lastAnswer = "last answer: HTTP " + response.statusCode() + " " + response.body().strip();
            } catch (IOException e) {
                lastAnswer = "last answer: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for readiness", e);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no 200 within " + timeout.toMillis() + " ms, " + lastAnswer);
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for readiness", e);
            }
            pause = pause.multipliedBy(2).compareTo(POLL_MAX) > 0 ? POLL_MAX : pause.multipliedBy(2);
        }
    }

    @Override
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public int port() {
        return port;
    }

    /** Sends SIGTERM, waits up to 10 s, then SIGKILL. */
    @Override
    public void stop() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or will run; it kills the process anyway.
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
