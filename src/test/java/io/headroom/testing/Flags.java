package io.headroom.testing;

import java.time.Duration;

/** Formatting shared by the command lines and configs of the extensions. */
final class Flags {

    private Flags() {
    }

    /**
     * Formats a duration the way Prometheus and Alertmanager flags and configs parse it, in the largest unit
     * that represents it exactly ({@code 3650d}, {@code 15s}, {@code 500ms}).
     */
    static String promDuration(Duration duration) {
        long millis = duration.toMillis();
        if (millis <= 0 || duration.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("duration must be a positive number of milliseconds, got " + duration);
        }
        long[] unitMillis = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (millis % unitMillis[i] == 0) {
                return millis / unitMillis[i] + units[i];
            }
        }
        return millis + "ms";
    }

    /** Quotes a word for {@code /bin/sh}. */
    static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
