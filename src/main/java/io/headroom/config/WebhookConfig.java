package io.headroom.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The endpoint receiving Alertmanager webhook notifications (format version 4) as failure signals.
 *
 * @param enabled         whether the endpoint is served
 * @param path            HTTP path on the {@code server.listen} listener
 * @param bearerTokenFile file holding the token callers must send as {@code Authorization: Bearer}; required when
 *                        the listener is not on a loopback address
 * @param maxBodyBytes    larger requests are refused with 413
 * @param workloadLabel   alert label that names the workload; alerts without it are ignored
 */
public record WebhookConfig(
        boolean enabled,
        String path,
        Optional<Path> bearerTokenFile,
        long maxBodyBytes,
        String workloadLabel) {}
