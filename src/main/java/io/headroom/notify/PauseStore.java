package io.headroom.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.journal.DurableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission pauses the hook may still hold, by workload, with when each began: kept in the state dir
 * ({@value #FILE_NAME}) so that a restart after a crash, which could not resume them, knows to. Written whole and
 * atomically on every change (temp file, fsync, rename, fsync of the directory), like the actuation state. One store
 * per daemon, shared by the gate a reload replaces and its successor, so the file says what the hook was last told.
 * A store without a file (tests, admission off) keeps the pauses in memory only.
 */
public final class PauseStore {

    public static final String FILE_NAME = "admission-pauses.json";

    private static final Logger LOG = LoggerFactory.getLogger(PauseStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<Path> file;
    private final Map<String, Instant> paused = new TreeMap<>();

    private PauseStore(Optional<Path> file) {
        this.file = file;
    }

    /** No file: nothing survives a restart. */
    public static PauseStore inMemory() {
        return new PauseStore(Optional.empty());
    }

    /**
     * The store in {@code stateDir}, with what it held when the last process stopped. A file that cannot be read is
     * logged and set aside: the hook's own expiry then has to lift those pauses.
     */
    public static PauseStore open(Path stateDir) {
        PauseStore s = new PauseStore(Optional.of(stateDir.resolve(FILE_NAME)));
        Path f = stateDir.resolve(FILE_NAME);
        if (Files.exists(f)) {
            try {
                JsonNode root = JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
                root.path("paused").fields().forEachRemaining(e ->
                        s.paused.put(e.getKey(), Instant.parse(e.getValue().asText())));
            } catch (IOException | RuntimeException e) {
                LOG.error("admission: cannot read {} ({}); pauses from before the restart are not resumed by "
                        + "Headroom", f, e.toString());
                s.paused.clear();
            }
        }
        return s;
    }

    /** The pauses in force, by workload, with when each began. */
    public synchronized Map<String, Instant> paused() {
        return Map.copyOf(paused);
    }

    /** The hook may hold a pause of {@code workload} since {@code since}. */
    synchronized void paused(String workload, Instant since) {
        if (!since.equals(paused.put(workload, since))) {
            write();
        }
    }

    /** The hook confirmed that {@code workload} is resumed. */
    synchronized void resumed(String workload) {
        if (paused.remove(workload) != null) {
            write();
        }
    }

    private void write() {
        if (file.isEmpty()) {
            return;
        }
        Path f = file.get();
        ObjectNode root = JSON.createObjectNode();
        ObjectNode p = root.putObject("paused");
        paused.forEach((w, t) -> p.put(w, t.toString()));
        try {
            DurableFile.replace(f, JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            // Counted nowhere else: the pause itself worked; only a crash now would leave it to the hook's expiry.
            LOG.error("admission: cannot write {}: {}", f, e.toString());
        }
    }
}
