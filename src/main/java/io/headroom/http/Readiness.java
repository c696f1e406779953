package io.headroom.http;

import java.util.Optional;

/** Whether the daemon is ready to be relied on; {@code /-/ready} answers 503 with the reason when not. */
@FunctionalInterface
public interface Readiness {

    /** Empty when ready, else a short human-readable reason. */
    Optional<String> notReadyReason();
}
