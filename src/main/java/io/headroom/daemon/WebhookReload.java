package io.headroom.daemon;

import io.headroom.config.HeadroomConfig;
import io.headroom.config.WebhookConfig;
import io.headroom.notify.WebhookReceiver;
import java.util.List;

/**
 * Applies a new {@code notify.webhook.bearer_token_file}, or new content in it, to the running receiver. Everything
 * else about the webhook (enabled, path, body limit, label) is fixed when the HTTP server starts, so those changes
 * are left to {@link ConfigReloader}'s restart list.
 */
final class WebhookReload implements Reloadable {

    private final WebhookReceiver receiver;
    private String current;

    WebhookReload(WebhookReceiver receiver, HeadroomConfig started) {
        this.receiver = receiver;
        this.current = fingerprint(started.notifications().webhook());
    }

    static String fingerprint(WebhookConfig c) {
        return Fingerprint.of(c.bearerTokenFile(), List.of(c.bearerTokenFile()));
    }

    /** The settings only a restart applies: the webhook without its token. */
    static WebhookConfig withoutToken(WebhookConfig c) {
        return new WebhookConfig(c.enabled(), c.path(), java.util.Optional.empty(), c.maxBodyBytes(), c.workloadLabel());
    }

    @Override
    public Prepared prepare(HeadroomConfig next) {
        String print = fingerprint(next.notifications().webhook());
        if (print.equals(current)) {
            return Prepared.nothing();
        }
        Runnable swap = receiver.prepareToken(next.notifications().webhook());
        return Prepared.of("notify.webhook.bearer_token_file", () -> {
            current = print;
            swap.run();
        });
    }
}
