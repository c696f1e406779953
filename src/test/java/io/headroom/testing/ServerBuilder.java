package io.headroom.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the builders of the server extensions ({@link PrometheusExtension}, {@link AlertmanagerExtension}) share:
 * the binary, the Docker fallback, the startup timeout and extra flags. Self-typed so that each builder's setters
 * chain into its own.
 *
 * @param <B> the concrete builder
 */
public abstract class ServerBuilder<B extends ServerBuilder<B>> {

    Path binary;
    boolean dockerFallback = true;
    Duration startupTimeout = Duration.ofSeconds(60);
    final List<String> extraFlags = new ArrayList<>();

    ServerBuilder() {
    }

    /** This builder, as its own type. */
    abstract B self();

    /**
     * Sets how long to wait for {@code /-/ready} after the process starts.
     *
     * @param timeout default 60 s
     * @return this builder
     */
    public B startupTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("startup timeout must be positive, got " + timeout);
        }
        this.startupTimeout = timeout;
        return self();
    }

    /**
     * Adds a command-line flag, e.g. {@code --log.level=debug}.
     *
     * @param flag the complete flag
     * @return this builder
     */
    public B extraFlag(String flag) {
        extraFlags.add(Objects.requireNonNull(flag, "flag"));
        return self();
    }

    /**
     * Uses this binary instead of looking it up. A path that is not an executable file counts as a missing binary.
     *
     * @param server path of the binary
     * @return this builder
     */
    public B binary(Path server) {
        this.binary = Objects.requireNonNull(server, "binary");
        return self();
    }

    /**
     * Allows or forbids running the extension's Docker image when a binary is missing. When forbidden, Docker is not
     * even probed.
     *
     * @param enabled default true
     * @return this builder
     */
    public B dockerFallback(boolean enabled) {
        this.dockerFallback = enabled;
        return self();
    }
}
