package io.headroom.feedback;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * Optional exploration ({@code feedback.explore}, off by default): a share of the episodes that begin in the medium
 * tier get no raise, a no-action baseline against which raising can be judged offline, as Narya keeps one. The choice
 * is drawn once per episode, from a hash of the workload and the episode's start, so a run is reproducible and a
 * restart does not draw again; its probability is logged with it, so that other policies can be judged offline by
 * inverse-propensity weighting. Pure.
 */
public final class Exploration {

    private Exploration() {
    }

    /**
     * One episode's draw.
     *
     * @param hold        hold the episode's medium-tier raises back
     * @param probability the probability of this choice
     */
    public record Choice(boolean hold, double probability) {

        /** E.g. {@code hold (p=0.05)}. */
        public String describe() {
            return String.format(Locale.ROOT, "%s (p=%.3f)", hold ? "hold" : "raise", probability);
        }
    }

    /** The draw for the episode of {@code workload} that began at {@code start}, holding with {@code share}. */
    public static Choice choose(String workload, Instant start, double share) {
        if (share <= 0) {
            return new Choice(false, 1);
        }
        boolean hold = uniform(workload, start) < share;
        return new Choice(hold, hold ? share : 1 - share);
    }

    /** A uniform number in [0, 1) from the workload and the instant (FNV-1a, then a 64-bit mix). */
    static double uniform(String workload, Instant start) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (workload + "@" + start.getEpochSecond()).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }
}
