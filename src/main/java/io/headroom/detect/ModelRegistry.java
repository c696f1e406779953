package io.headroom.detect;

import io.headroom.config.DetectionConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current models by scope key ({@code workload:<name>}, {@code group:<value>}, {@code global}), swapped
 * atomically after each training and persisted under {@code <state_dir>/models/} so a restart scores at once
 * instead of waiting for training. A file that cannot be read is skipped and logged (it will be retrained).
 */
public final class ModelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
    private static final String SUFFIX = ".model";

    private final Path dir;
    private final AtomicReference<Map<String, WorkloadModel>> models = new AtomicReference<>(Map.of());

    public ModelRegistry(Path stateDir) {
        this.dir = stateDir.resolve("models");
    }

    /** Scope key of a workload's own model. */
    public static String workloadKey(String workload) {
        return "workload:" + workload;
    }

    /** Scope key of a group's model. */
    public static String groupKey(String group) {
        return "group:" + group;
    }

    /** Scope key of the host-wide model. */
    public static final String GLOBAL = "global";

    /** Loads every persisted model; returns how many were loaded. */
    public int load() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Map<String, WorkloadModel> loaded = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(SUFFIX))::iterator) {
                try (InputStream in = Files.newInputStream(f); ObjectInputStream ois = new ObjectInputStream(in)) {
                    WorkloadModel m = (WorkloadModel) ois.readObject();
                    loaded.put(m.scope(), m);
                } catch (IOException | ClassNotFoundException | ClassCastException e) {
                    LOG.warn("skipping unreadable model file {}: {}", f, e.toString());
                }
            }
        }
        models.set(Map.copyOf(loaded));
        return loaded.size();
    }

    /**
     * Replaces models whose keys are in {@code trained}, keeps the others, persists the new ones (temp file +
     * atomic rename), and swaps the whole map at once, so a cycle sees each model whole (a training swaps its
     * models in batch by batch).
     */
    public void putAll(Map<String, WorkloadModel> trained) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, WorkloadModel> e : trained.entrySet()) {
            Path target = file(e.getKey());
            Path tmp = Files.createTempFile(dir, ".model-", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp); ObjectOutputStream oos = new ObjectOutputStream(out)) {
                oos.writeObject(e.getValue());
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Map<String, WorkloadModel> next = new HashMap<>(models.get());
        next.putAll(trained);
        models.set(Map.copyOf(next));
    }

    /**
     * Removes, from memory and from disk, every model whose scope key is not in {@code present} and that was
     * trained before {@code cutoff}; the global model is always kept. Returns the keys removed.
     */
    public Set<String> dropDeparted(Set<String> present, Instant cutoff) throws IOException {
        Map<String, WorkloadModel> current = models.get();
        Set<String> gone = new TreeSet<>();
        current.forEach((key, m) -> {
            if (!key.equals(GLOBAL) && !present.contains(key) && m.trainedAt().isBefore(cutoff)) {
                gone.add(key);
            }
        });
        if (gone.isEmpty()) {
            return gone;
        }
        Map<String, WorkloadModel> next = new HashMap<>(current);
        next.keySet().removeAll(gone);
        // Memory first: a file left behind by a failed delete is only reloaded at a restart and dropped again.
        models.set(Map.copyOf(next));
        for (String key : gone) {
            Files.deleteIfExists(file(key));
        }
        return gone;
    }

    private Path file(String key) {
        return dir.resolve(URLEncoder.encode(key, StandardCharsets.UTF_8) + SUFFIX);
    }

    /** All current models by scope key. */
    public Map<String, WorkloadModel> all() {
        return models.get();
    }

    /**
     * The model that scores {@code workload} under {@code scope}: its own, else its group's, else the global one
     * in auto scope; exactly the configured level otherwise.
     */
    public Optional<WorkloadModel> forWorkload(String workload, Optional<String> group, DetectionConfig.Scope scope) {
        return select(models.get(), workload, group, scope);
    }

    /**
     * The fallback rule of {@link #forWorkload} over any set of models by scope key, so that a replay of history
     * picks models exactly as the live registry does.
     */
    public static Optional<WorkloadModel> select(Map<String, WorkloadModel> m, String workload, Optional<String> group,
                                                 DetectionConfig.Scope scope) {
        Optional<WorkloadModel> own = Optional.ofNullable(m.get(workloadKey(workload)));
        Optional<WorkloadModel> grp = group.map(g -> m.get(groupKey(g)));
        Optional<WorkloadModel> global = Optional.ofNullable(m.get(GLOBAL));
        return switch (scope) {
            case WORKLOAD -> own;
            case GROUP -> grp;
            case GLOBAL -> global;
            case AUTO -> own.or(() -> grp).or(() -> global);
        };
    }
}
