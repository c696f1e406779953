package io.headroom.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.config.AlertmanagerConfig;
import io.headroom.config.BackoffConfig;
import io.headroom.metrics.Metrics;
import io.headroom.net.HttpClients;
import io.headroom.net.SecretFile;
import io.prometheus.client.Histogram;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alerts to every configured Alertmanager from its own thread, so that the scoring loop only enqueues.
 *
 * <p>The queue is bounded and drops its oldest alert when full (counted): under a long outage the newest state of
 * each alert is what matters. Queued alerts are merged by labels before posting, so a retried batch always carries
 * the latest version of each alert. A batch counts as delivered once any Alertmanager accepts it (the members of an
 * HA group share alerts by gossip); every refusal is counted per URL. When none accepts, the batch is retried with
 * exponential backoff, without limit; when every Alertmanager refuses it with a 4xx it is dropped, because sending
 * the same payload again cannot succeed.
 */
final class AlertDelivery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDelivery.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final long IDLE_POLL_MILLIS = 250;
    private static final int MAX_NEW_PER_BATCH = 512;

    private final List<Target> targets;
    private final BackoffConfig backoff;
    private final Duration timeout;
    private final Metrics metrics;
    private final OkHttpClient http;
    /** {@code Authorization} of every post, from {@code bearer_token_file}; read once, never logged. */
    private final Optional<String> authorization;
    private final BlockingQueue<PostableAlert> queue;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread sender;
    private volatile boolean closed;

    AlertDelivery(AlertmanagerConfig cfg, Metrics metrics) {
        this.targets = cfg.urls().stream().map(Target::of).toList();
        this.backoff = cfg.retry();
        this.timeout = cfg.timeout();
        this.metrics = metrics;
        this.authorization = SecretFile.bearerAuthorization(cfg.bearerTokenFile());
        // Our loop is the only retry, so that every attempt is counted and backed off.
        this.http = HttpClients.create(cfg.timeout(), cfg.timeout(), cfg.caFile());
        this.queue = new ArrayBlockingQueue<>(cfg.queueSize());
        metrics.notificationQueueCapacity.set(cfg.queueSize());
        this.sender = new Thread(this::run, "headroom-alertmanager");
        sender.setDaemon(true);
        sender.start();
    }

    /** Queues alerts without waiting; when the queue is full the oldest queued alert makes room (counted). */
    void enqueue(Collection<PostableAlert> alerts) {
        for (PostableAlert a : alerts) {
            while (!queue.offer(a)) {
                if (queue.poll() != null) {
                    metrics.notificationsDropped.labels("queue_full").inc();
                }
            }
        }
        metrics.notificationQueueLength.set(queue.size());
    }

    /**
     * Stops the sender after one last attempt at what is queued (no retry), waiting at most twice the timeout.
     * Undelivered alerts expire in Alertmanager at their endsAt.
     */
    @Override
    public void close() {
        closed = true;
        closing.countDown();
        try {
            sender.join(timeout.multipliedBy(2).toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            sender.interrupt();
        }
        HttpClients.close(http);
    }

    private void run() {
        Map<Map<String, String>, PostableAlert> batch = new LinkedHashMap<>();
        int failures = 0;
        try {
            while (true) {
                mergeQueued(batch);
                if (batch.isEmpty()) {
                    if (closed) {
                        return;
                    }
                    PostableAlert next = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (next != null) {
                        batch.put(next.labels(), next);
                    }
                    continue;
                }
                Outcome outcome = postToAll(List.copyOf(batch.values()));
                if (outcome == Outcome.FAILED) {
                    failures++;
                    if (closed) {
                        LOG.warn("stopping with {} alert(s) undelivered; Alertmanager expires them at their endsAt",
                                batch.size());
                        return;
                    }
                    // Wakes early only to stop; new alerts join the batch at the next attempt.
                    closing.await(backoff.delayAfter(failures).toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                if (failures > 0 && outcome == Outcome.ACCEPTED) {
                    LOG.info("alerts delivered again after {} failed attempt(s)", failures);
                }
                if (outcome == Outcome.REJECTED) {
                    metrics.notificationsDropped.labels("rejected").inc(batch.size());
                }
                failures = 0;
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("alert sender stopped by a bug; no more alerts will be posted", e);
        }
    }

    /** Moves queued alerts into the batch; a newer version of an alert replaces the older. */
    private void mergeQueued(Map<Map<String, String>, PostableAlert> batch) {
        List<PostableAlert> drained = new ArrayList<>();
        queue.drainTo(drained, MAX_NEW_PER_BATCH);
        for (PostableAlert a : drained) {
            batch.remove(a.labels());
            batch.put(a.labels(), a);
        }
        metrics.notificationQueueLength.set(queue.size());
    }

    private enum Outcome { ACCEPTED, REJECTED, FAILED }

    /** Posts to every Alertmanager in parallel, so that a dead member of an HA pair costs no extra latency. */
    private Outcome postToAll(List<PostableAlert> alerts) throws InterruptedException {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(alerts.stream().map(PostableAlert::toJson).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alerts cannot be written as JSON", e);
        }
        CountDownLatch done = new CountDownLatch(targets.size());
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        for (Target t : targets) {
            Request.Builder builder = new Request.Builder().url(t.api()).post(RequestBody.create(body, JSON_TYPE));
            authorization.ifPresent(a -> builder.header("Authorization", a));
            Request request = builder.build();
            Histogram.Timer timer = metrics.notificationDuration.labels(t.label()).startTimer();
            http.newCall(request).enqueue(new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                    timer.observeDuration();
                    fail(t, HttpFailures.reason(e), e.toString());
                    done.countDown();
                }

                @Override
                public void onResponse(Call call, Response response) {
                    timer.observeDuration();
                    try (response) {
                        if (response.isSuccessful()) {
                            accepted.incrementAndGet();
                            metrics.notificationsSent.labels(t.label()).inc(alerts.size());
                        } else {
                            if (!HttpFailures.retryable(response.code())) {
                                refused.incrementAndGet();
                            }
                            fail(t, HttpFailures.reason(response.code()), "HTTP " + response.code() + ": "
                                    + HttpFailures.abbreviate(text(response.body()), 300));
                        }
                    } finally {
                        done.countDown();
                    }
                }
            });
        }
        // Each call ends by its own callTimeout; the margin only guards against a lost callback.
        if (!done.await(timeout.multipliedBy(2).toMillis() + 1000, TimeUnit.MILLISECONDS)) {
            LOG.warn("an Alertmanager call outlived its timeout; counting the batch as failed");
        }
        if (accepted.get() > 0) {
            return Outcome.ACCEPTED;
        }
        return refused.get() == targets.size() ? Outcome.REJECTED : Outcome.FAILED;
    }

    private void fail(Target t, String reason, String detail) {
        metrics.notificationErrors.labels(t.label(), reason).inc();
        LOG.warn("posting alerts to {} failed ({}): {}", t.label(), reason, detail);
    }

    private static String text(ResponseBody body) {
        try {
            return body.string();
        } catch (IOException e) {
            return "(body unreadable: " + e + ")";
        }
    }

    /** One Alertmanager: its configured URL (the metric label) and its alerts endpoint. */
    private record Target(String label, HttpUrl api) {
        static Target of(URI base) {
            // addPathSegments keeps a path prefix, e.g. an Alertmanager behind a proxy at /alertmanager/.
            HttpUrl url = HttpUrl.get(base.toString()).newBuilder().addPathSegments("api/v2/alerts").build();
            return new Target(base.toString(), url);
        }
    }
}
