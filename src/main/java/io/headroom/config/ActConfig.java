package io.headroom.config;

import java.time.Duration;

/**
 * How decisions are carried out.
 *
 * @param mode                    {@link Mode#OBSERVE} only records what would be done; {@link Mode#ENFORCE} changes guests
 * @param reconnectInitialBackoff wait before reopening a libvirt connection that failed to open; doubles per failure
 * @param reconnectMaxBackoff     upper bound of that wait
 * @param forgetAfter             a workload not seen for this long loses its saved baseline and state
 */
public record ActConfig(Mode mode, Duration reconnectInitialBackoff, Duration reconnectMaxBackoff, Duration forgetAfter) {

    /** Whether decisions change guests. */
    public enum Mode { OBSERVE, ENFORCE }
}
