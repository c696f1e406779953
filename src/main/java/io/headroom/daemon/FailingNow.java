package io.headroom.daemon;

import io.headroom.collect.PrometheusClient;
import io.headroom.collect.Sample;
import io.headroom.config.HeadroomConfig;
import io.headroom.notify.FailureInterval;
import io.headroom.notify.FailureLog;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which workloads are failed right now, for judging episodes: those whose {@code detection.failure_query} is above 0
 * at the cycle's time (one instant query), and those with a failure reported to the webhook and not yet resolved.
 * A failed query leaves only the webhook's part: judging is never worth failing a cycle for, and nothing is
 * changed on it.
 */
final class FailingNow {

    private static final Logger LOG = LoggerFactory.getLogger(FailingNow.class);

    private final HeadroomConfig cfg;
    private final PrometheusClient client;
    private final FailureLog failureLog;

    FailingNow(HeadroomConfig cfg, PrometheusClient client, FailureLog failureLog) {
        this.cfg = cfg;
        this.client = client;
        this.failureLog = failureLog;
    }

    /** Blocking: one query to Prometheus when a failure query is configured. */
    Set<String> at(Instant wall) {
        Set<String> out = new TreeSet<>();
        String q = cfg.detection().failureQuery();
        if (!q.isBlank()) {
            try {
                for (Sample s : client.query(q, wall)) {
                    String w = s.labels().get(cfg.workloads().label());
                    if (w != null && s.value() > 0) {
                        out.add(w);
                    }
                }
            } catch (RuntimeException e) {
                // Counted by the client's own request metrics; an episode judged one cycle late loses nothing.
                LOG.debug("failure query for feedback failed: {}", e.getMessage());
            }
        }
        for (FailureInterval f : failureLog.between(wall.minus(cfg.collection().interval()), wall)) {
            if (f.end().isEmpty()) {
                out.add(f.workload());
            }
        }
        return out;
    }
}
