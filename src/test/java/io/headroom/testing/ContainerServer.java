package io.headroom.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The Docker fallback: the same server from its upstream image, through Testcontainers. Only this class
 * touches Testcontainers, so it is loaded only when no local binary was found.
 *
 * <p>Untested on the development machines (no Docker engine there); kept deliberately small.
 */
final class ContainerServer implements RunningServer {

    /** Hostname under which containers reach ports exposed with {@link Testcontainers#exposeHostPorts}. */
    static final String HOST_ALIAS = "host.testcontainers.internal";

    private final GenericContainer<?> container;
    private final int containerPort;

    private ContainerServer(GenericContainer<?> container, int containerPort) {
        this.container = container;
        this.containerPort = containerPort;
    }

    /** True if Testcontainers can reach a Docker engine. Can take a few seconds when none is running. */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Starts a container and waits until {@code /-/ready} answers 200.
     *
     * @param name          for messages
     * @param image         image reference, e.g. {@code prom/prometheus:v2.42.0}
     * @param containerPort port the server listens on inside the container
     * @param entrypoint    replacement entrypoint, or null to keep the image's
     * @param command       arguments (the image's CMD is replaced)
     * @param files         host file to absolute path in the container, copied before start (mode 0644)
     * @param hostPorts     host ports the container must reach as {@link #HOST_ALIAS}
     * @param log           file that receives the container's output
     * @param timeout       how long to wait for readiness
     */
    static ContainerServer start(String name, String image, int containerPort, List<String> entrypoint,
            List<String> command, Map<Path, String> files, List<Integer> hostPorts, Path log, Duration timeout) {
        if (!hostPorts.isEmpty()) {
            Testcontainers.exposeHostPorts(hostPorts.stream().mapToInt(Integer::intValue).toArray());
        }
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image));
        container.withExposedPorts(containerPort)
                .withCommand(command.toArray(String[]::new))
                .withLogConsumer(frame -> append(log, frame))
                .waitingFor(Wait.forHttp("/-/ready").forPort(containerPort).forStatusCode(200)
                        .withStartupTimeout(timeout));
        files.forEach((host, inContainer) ->
                container.withCopyFileToContainer(MountableFile.forHostPath(host, 0644), inContainer));
        if (entrypoint != null) {
            container.withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint(entrypoint));
        }
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop();
            throw new IllegalStateException(name + " container " + image + " did not become ready: " + e.getMessage()
                    + LogFiles.tail(log, 0), e);
        }
        return new ContainerServer(container, containerPort);
    }

    private static void append(Path log, OutputFrame frame) {
        String text = frame.getUtf8String();
        if (text == null || text.isEmpty()) {
            return;
        }
        try {
            Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // Losing log lines must not fail the test; the failure message will say the log is unreadable.
        }
    }

    @Override
    public String baseUrl() {
        return "http://" + container.getHost() + ":" + port();
    }

    @Override
    public int port() {
        return container.getMappedPort(containerPort);
    }

    @Override
    public void stop() {
        container.stop();
    }
}
