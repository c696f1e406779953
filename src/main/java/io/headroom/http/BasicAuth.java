package io.headroom.http;

import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * HTTP basic authentication against bcrypt hashes ({@code server.web_config_file}'s {@code basic_auth_users}),
 * as Prometheus' exporter-toolkit does it: every path but the ones that carry a token of their own.
 *
 * <p>bcrypt is slow on purpose (tens of milliseconds at cost 10), so it runs on the worker pool, and a pair that
 * passed is remembered by its SHA-256, never in clear: a scrape every few seconds does not pay for it again. An
 * unknown user is checked against a dummy hash so that the answer takes as long as for a known one.
 */
final class BasicAuth implements Handler<RoutingContext> {

    static final String CHALLENGE = "Basic realm=\"headroom\", charset=\"UTF-8\"";
    private static final String DUMMY = BCrypt.hashpw("headroom-dummy", BCrypt.gensalt(10));
    /** Bounds the memory of remembered pairs; cleared when full (the next requests pay bcrypt once more). */
    private static final int MAX_REMEMBERED = 1024;

    private final Map<String, String> users;
    private final Set<String> ownTokenPaths;
    private final WorkerExecutor pool;
    private final Set<String> passed = ConcurrentHashMap.newKeySet();

    /**
     * @param users         user name to bcrypt hash
     * @param ownTokenPaths paths (or prefixes ending in {@code *}) that authenticate with their own bearer token (the
     *                      failure webhook, the feedback API): one
     *                      {@code Authorization} header cannot carry both
     */
    BasicAuth(Map<String, String> users, Set<String> ownTokenPaths, WorkerExecutor pool) {
        this.users = Map.copyOf(users);
        this.ownTokenPaths = Set.copyOf(ownTokenPaths);
        this.pool = pool;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ownToken(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            deny(ctx, "credentials required (HTTP basic authentication)");
            return;
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            deny(ctx, "malformed basic credentials (not base64)");
            return;
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            deny(ctx, "malformed basic credentials (no ':' between user and password)");
            return;
        }
        String user = pair.substring(0, colon);
        String password = pair.substring(colon + 1);
        String fingerprint = sha256(pair);
        if (passed.contains(fingerprint)) {
            ctx.next();
            return;
        }
        String hash = users.getOrDefault(user, DUMMY);
        boolean known = users.containsKey(user);
        if (!ctx.request().isEnded()) {
            // A body handler further on resumes it; without the pause the body would be lost during the check.
            ctx.request().pause();
        }
        pool.executeBlocking(() -> known & BCrypt.checkpw(password, hash), false).onComplete(ar -> {
            if (ar.succeeded() && ar.result()) {
                if (passed.size() >= MAX_REMEMBERED) {
                    passed.clear();
                }
                passed.add(fingerprint);
                ctx.next();
            } else {
                deny(ctx, "wrong user name or password");
            }
        });
    }

    /** An exact path, or a prefix written with a trailing {@code *}. */
    private boolean ownToken(String path) {
        for (String p : ownTokenPaths) {
            if (p.endsWith("*") ? path.startsWith(p.substring(0, p.length() - 1)) : path.equals(p)) {
                return true;
            }
        }
        return false;
    }

    private static void deny(RoutingContext ctx, String reason) {
        ctx.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", CHALLENGE)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("Unauthorized: " + reason + "\n");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
