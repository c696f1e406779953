package io.headroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Runs a real Alertmanager for a test class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static AlertmanagerExtension alertmanager = AlertmanagerExtension.builder().build();
 * }</pre>
 *
 * <p>Same lifecycle as {@link PrometheusExtension}: static field, started in {@code beforeAll} (once, even with
 * {@code @Nested} classes), stopped and its temporary directory deleted in {@code afterAll}; {@link #start()} and
 * {@link #close()} outside JUnit.
 *
 * <p>The binary is {@link Builder#binary(Path)}, else system property or environment variable
 * {@code ALERTMANAGER_BIN}, else {@code prometheus-alertmanager} (Debian's name) or {@code alertmanager} on
 * {@code PATH}. It runs with clustering disabled ({@code --cluster.listen-address=}), on a free 127.0.0.1 port, with
 * {@code --storage.path} in a fresh temporary directory, and with the configuration given to the builder or a default
 * that routes everything to a receiver with no integrations. Without a binary it falls back to the {@value #IMAGE}
 * image if Docker is available, and otherwise fails naming the package to install.
 */
public final class AlertmanagerExtension extends ServerExtension {

    /** Image used when no binary is installed but Docker is available; same version as Debian 12's package. */
    public static final String IMAGE = "prom/alertmanager:v0.25.0";
    /** What to run to install the binary this extension prefers. */
    public static final String INSTALL_HINT = "apt-get install -y --no-install-recommends prometheus-alertmanager";
    /** The configuration used unless the builder is given one: every alert goes to a receiver that does nothing. */
    public static final String DEFAULT_CONFIG = "route:\n  receiver: \"null\"\nreceivers:\n  - name: \"null\"\n";

    private static final System.Logger LOG = System.getLogger(AlertmanagerExtension.class.getName());
    private static final String CONTAINER_CONFIG = "/etc/headroom-test/alertmanager.yml";
    private static final int CONTAINER_PORT = 9093;

    private final Path binary;
    private final boolean dockerFallback;
    private final String config;
    private final Duration startupTimeout;
    private final List<String> extraFlags;

    private AlertmanagerExtension(Builder builder) {
        super("Alertmanager");
        this.binary = builder.binary;
        this.dockerFallback = builder.dockerFallback;
        this.config = builder.config;
        this.startupTimeout = builder.startupTimeout;
        this.extraFlags = List.copyOf(builder.extraFlags);
    }

    /**
     * Starts configuring an extension.
     *
     * @return a builder with defaults: {@link #DEFAULT_CONFIG}, 60 s startup timeout, Docker fallback on
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the server and waits until {@code /-/ready} answers 200.
     *
     * @throws ExtensionConfigurationException if neither the binary nor Docker is available
     * @throws IllegalStateException           if the server does not become ready; the message ends with its log
     */
    @Override
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("Alertmanager is already running at " + server.baseUrl());
        }
        Binaries.Lookup lookup = Binaries.find(binary, "ALERTMANAGER_BIN", "prometheus-alertmanager", "alertmanager");
        boolean local = lookup.path().isPresent();
        if (!local && !(dockerFallback && ContainerServer.dockerAvailable())) {
            throw new ExtensionConfigurationException("Alertmanager is needed by this test but cannot be run:"
                    + " no alertmanager binary (looked for " + lookup.searched() + ")"
                    + (dockerFallback
                            ? "; and no Docker engine is reachable for the " + IMAGE + " fallback"
                            : "; and the Docker fallback is disabled (.dockerFallback(false))")
                    + ". Install it with: " + INSTALL_HINT + " (provides /usr/bin/prometheus-alertmanager),"
                    + " or point ALERTMANAGER_BIN (environment or system property) at the binary.");
        }
        long begin = System.nanoTime();
        workDir = TempDirs.create("headroom-alertmanager-");
        logFile = workDir.resolve("alertmanager.log");
        Path storage = workDir.resolve("data");
        Path configFile = workDir.resolve("alertmanager.yml");
        try {
            Files.createDirectories(storage);
            Files.writeString(configFile, config, StandardCharsets.UTF_8);
            if (local) {
                Path bin = lookup.path().orElseThrow();
                server = LocalServer.start("Alertmanager", port -> {
                    List<String> command = new ArrayList<>();
                    command.add(bin.toString());
                    command.addAll(flags(configFile.toString(), storage.toString(), "127.0.0.1:" + port));
                    return command;
                }, workDir, logFile, startupTimeout);
            } else {
                server = ContainerServer.start("Alertmanager", IMAGE, CONTAINER_PORT, null,
                        flags(CONTAINER_CONFIG, "/alertmanager", "0.0.0.0:" + CONTAINER_PORT),
                        Map.of(configFile, CONTAINER_CONFIG), List.of(), logFile, startupTimeout);
            }
        } catch (IOException e) {
            discard();
            throw new UncheckedIOException("cannot prepare Alertmanager in " + workDir, e);
        } catch (RuntimeException e) {
            discard();
            throw e;
        }
        LOG.log(Level.INFO, String.format("Alertmanager %s ready at %s after %d ms", local ? "process" : "container",
                server.baseUrl(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)));
    }

    private List<String> flags(String configPath, String storagePath, String listen) {
        List<String> flags = new ArrayList<>();
        flags.add("--config.file=" + configPath);
        flags.add("--storage.path=" + storagePath);
        flags.add("--web.listen-address=" + listen);
        // Empty disables the gossip cluster: no port 9094, no peers, and readiness does not wait for settling.
        flags.add("--cluster.listen-address=");
        flags.addAll(extraFlags);
        return flags;
    }

    /** Configures an {@link AlertmanagerExtension}. Every method returns this builder. */
    public static final class Builder extends ServerBuilder<Builder> {

        private String config = DEFAULT_CONFIG;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Replaces the default configuration.
         *
         * @param yaml a complete alertmanager.yml
         * @return this builder
         */
        public Builder config(String yaml) {
            this.config = Objects.requireNonNull(yaml, "yaml");
            return this;
        }

        /**
         * Builds the extension; nothing runs until {@code beforeAll} or {@link AlertmanagerExtension#start()}.
         *
         * @return the extension
         */
        public AlertmanagerExtension build() {
            return new AlertmanagerExtension(this);
        }
    }
}
