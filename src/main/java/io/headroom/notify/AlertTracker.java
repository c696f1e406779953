package io.headroom.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the conditions active in each cycle into the alerts to post: new ones, re-posts that are due, and
 * resolutions of conditions that are gone. No I/O; not thread-safe (one caller, the scoring loop).
 *
 * <p>Every post is valid for {@value #VALIDITY_FACTOR} times the larger of the resend interval and the time since
 * the previous cycle, Prometheus' rule ("allow for two evaluation or Alertmanager send failures"): if Headroom stops
 * re-posting, for instance because it died, its alerts expire on their own instead of firing forever.
 */
final class AlertTracker {

    static final int VALIDITY_FACTOR = 4;

    private final Duration resendInterval;
    private final AlertRenderer renderer;
    private final Map<Map<String, String>, Posted> active = new HashMap<>();
    private Instant previousUpdate;

    AlertTracker(Duration resendInterval, AlertRenderer renderer) {
        this.resendInterval = Objects.requireNonNull(resendInterval, "resendInterval");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
    }

    /** What to post for the conditions holding at {@code now}; see {@link AlertSink#update}. */
    List<PostableAlert> update(Collection<ActiveAlert> current, Instant now) {
        Duration sinceLast = previousUpdate == null || !now.isAfter(previousUpdate)
                ? Duration.ZERO : Duration.between(previousUpdate, now);
        previousUpdate = now;
        Duration delta = sinceLast.compareTo(resendInterval) > 0 ? sinceLast : resendInterval;
        Instant validUntil = now.plus(delta.multipliedBy(VALIDITY_FACTOR));

        Map<Map<String, String>, ActiveAlert> byLabels = new LinkedHashMap<>();
        for (ActiveAlert a : current) {
            byLabels.put(renderer.labels(a), a);
        }
        List<PostableAlert> out = new ArrayList<>();
        for (Map.Entry<Map<String, String>, ActiveAlert> e : byLabels.entrySet()) {
            Map<String, String> annotations = renderer.annotations(e.getValue());
            Posted before = active.get(e.getKey());
            if (before == null || before.due(now, resendInterval) || before.changedBeyondScore(annotations)) {
                Instant startsAt = before == null ? now : before.startsAt();
                out.add(new PostableAlert(e.getKey(), annotations, startsAt, validUntil, renderer.link(e.getValue())));
                active.put(e.getKey(), new Posted(startsAt, now, annotations, renderer.link(e.getValue()).orElse(null)));
            }
        }
        for (Iterator<Map.Entry<Map<String, String>, Posted>> it = active.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Map<String, String>, Posted> e = it.next();
            if (!byLabels.containsKey(e.getKey())) {
                Posted p = e.getValue();
                out.add(new PostableAlert(e.getKey(), p.annotations(), p.startsAt(), now,
                        java.util.Optional.ofNullable(p.link())));
                it.remove();
            }
        }
        return out;
    }

    /** Alerts currently held active. */
    int activeCount() {
        return active.size();
    }

    /** The last post of one alert. */
    private record Posted(Instant startsAt, Instant postedAt, Map<String, String> annotations, String link) {

        boolean due(Instant now, Duration resendInterval) {
            return !now.isBefore(postedAt.plus(resendInterval));
        }

        /** The score moves every cycle; re-posting for that alone would turn the resend interval into the cycle. */
        boolean changedBeyondScore(Map<String, String> now) {
            Map<String, String> a = new HashMap<>(annotations);
            Map<String, String> b = new HashMap<>(now);
            for (String volatileKey : new String[] {"score", "summary", "description"}) {
                a.remove(volatileKey);
                b.remove(volatileKey);
            }
            return !a.equals(b);
        }
    }
}
