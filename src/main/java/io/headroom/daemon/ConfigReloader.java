package io.headroom.daemon;

import io.headroom.config.ConfigException;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.metrics.Metrics;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads and validates the config file and the secret files it names, on SIGHUP or {@code POST /-/reload}.
 *
 * <p>An invalid file (or an unreadable secret) changes nothing: the daemon keeps running on what it has, logs why,
 * and {@code headroom_config_last_reload_successful} drops to 0. A valid one is applied to every {@link Reloadable}
 * part at once; changes to the sections below that no part applies live are logged as needing a restart and raise
 * {@code headroom_config_restart_required}, compared with the config the daemon started with. Reloads are
 * serialized.
 */
final class ConfigReloader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    /** Sections that only a restart applies, by the key the operator edits. */
    private static final Map<String, Function<HeadroomConfig, String>> RESTART_ONLY = new LinkedHashMap<>();

    static {
        RESTART_ONLY.put("workloads", c -> String.valueOf(c.workloads()));
        RESTART_ONLY.put("collection", c -> String.valueOf(c.collection()));
        RESTART_ONLY.put("features", c -> String.valueOf(c.features()));
        RESTART_ONLY.put("server", c -> String.valueOf(c.server()));
        RESTART_ONLY.put("state_dir", c -> String.valueOf(c.stateDir()));
        RESTART_ONLY.put("state_logs", c -> String.valueOf(c.stateLogs()));
        RESTART_ONLY.put("detection", c -> String.valueOf(c.detection()));
        // decide is applied live (DecideReload).
        RESTART_ONLY.put("act", c -> String.valueOf(c.act()));
        // The receiver's route is fixed when the HTTP server starts; its token is reloaded (WebhookReload).
        RESTART_ONLY.put("notify.webhook", c -> String.valueOf(WebhookReload.withoutToken(c.notifications().webhook())));
    }

    /**
     * How a reload ended.
     *
     * @param ok              whether the new config is in place
     * @param message         one line for the log and the HTTP answer; names keys and files, never secrets
     * @param applied         config keys applied live
     * @param restartRequired config keys whose change waits for a restart
     */
    record Result(boolean ok, String message, List<String> applied, List<String> restartRequired) {}

    private final Path file;
    private final Map<String, String> startedFingerprints = new LinkedHashMap<>();
    private final List<Reloadable> parts;
    private final Metrics metrics;
    private final Clock clock;

    ConfigReloader(Path file, HeadroomConfig started, List<Reloadable> parts, Metrics metrics, Clock clock) {
        this.file = file;
        this.parts = List.copyOf(parts);
        this.metrics = metrics;
        this.clock = clock;
        RESTART_ONLY.forEach((key, f) -> startedFingerprints.put(key, f.apply(started)));
        metrics.configLastReloadSuccessful.set(1);
        metrics.configLastReloadSuccess.set(clock.millis() / 1000.0);
        metrics.configRestartRequired.set(0);
    }

    /** Loads the file again and applies what can be applied live. Blocking (files, and closing old clients). */
    synchronized Result reload() {
        HeadroomConfig next;
        try {
            next = ConfigLoader.load(file);
        } catch (ConfigException e) {
            return refused(file + " is invalid: " + String.join("; ", e.problems().stream().map(Object::toString).toList()));
        }
        List<Reloadable.Prepared> prepared = new ArrayList<>();
        for (Reloadable part : parts) {
            try {
                prepared.add(part.prepare(next));
            } catch (Exception e) {
                prepared.forEach(Reloadable.Prepared::discard);
                return refused("cannot use " + file + ": " + e.getMessage());
            }
        }
        List<String> applied = new ArrayList<>();
        for (Reloadable.Prepared p : prepared) {
            applied.addAll(p.changes());
            p.commit();
        }
        List<String> restart = restartRequired(next);
        metrics.configLastReloadSuccessful.set(1);
        metrics.configLastReloadSuccess.set(clock.millis() / 1000.0);
        metrics.configRestartRequired.set(restart.isEmpty() ? 0 : 1);
        String message = "config reloaded from " + file + "; applied: "
                + (applied.isEmpty() ? "nothing changed" : String.join(", ", applied))
                + (restart.isEmpty() ? "" : "; changed but needing a restart: " + String.join(", ", restart));
        if (restart.isEmpty()) {
            LOG.info(message);
        } else {
            LOG.warn(message);
        }
        return new Result(true, message, List.copyOf(applied), restart);
    }

    /** Sections changed since start that no part applies live. */
    private List<String> restartRequired(HeadroomConfig next) {
        List<String> out = new ArrayList<>();
        RESTART_ONLY.forEach((key, f) -> {
            if (!f.apply(next).equals(startedFingerprints.get(key))) {
                out.add(key);
            }
        });
        return List.copyOf(out);
    }

    private Result refused(String why) {
        metrics.configLastReloadSuccessful.set(0);
        LOG.warn("config reload refused, keeping the running config: {}", why);
        return new Result(false, why, List.of(), List.of());
    }
}
