package io.headroom.act;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.config.RotationConfig;
import io.headroom.journal.DurableFile;
import io.headroom.journal.RotatingJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The actuation stage's files under {@code <state_dir>/actuation}: {@code state.json}, a snapshot of baselines,
 * applied changes and policy state, replaced atomically (write a temp file, fsync it, rename it over the old one,
 * fsync the directory) so that a crash leaves either the old or the new snapshot, never half of one; and
 * {@code audit.jsonl}, an append-only log with one JSON object per line for every change, each line fsynced and
 * the file rotated by size ({@code state_logs.audit}) so that it cannot fill the disk.
 *
 * <p>The snapshot is the source of truth on restart; the audit log is for people.
 */
public final class StateStore {

    static final String SNAPSHOT = "state.json";
    static final String AUDIT = "audit.jsonl";

    private final Path dir;
    private final RotatingJournal audit;

    /**
     * @param dir   the directory of the files; created on first use
     * @param audit rotation of the audit log
     */
    public StateStore(Path dir, RotationConfig audit) {
        this.dir = dir;
        this.audit = new RotatingJournal(dir.resolve(AUDIT), audit);
    }

    /** With the default rotation of the audit log. */
    public StateStore(Path dir) {
        this(dir, RotationConfig.AUDIT_DEFAULT);
    }

    /** The store under {@code <stateDir>/actuation}, with the default rotation of the audit log. */
    public static StateStore under(Path stateDir) {
        return under(stateDir, RotationConfig.AUDIT_DEFAULT);
    }

    /** The store under {@code <stateDir>/actuation}. */
    public static StateStore under(Path stateDir, RotationConfig audit) {
        return new StateStore(stateDir.resolve("actuation"), audit);
    }

    public Path snapshotFile() {
        return dir.resolve(SNAPSHOT);
    }

    public Path auditFile() {
        return dir.resolve(AUDIT);
    }

    /**
     * The last saved state, or {@link ActuationState#empty()} on a first start.
     *
     * @throws IOException if the snapshot exists but cannot be read or understood. Starting from nothing instead
     *                     would take raised guests' current sizes for their baselines, so the caller must not.
     */
    public ActuationState load() throws IOException {
        Files.createDirectories(dir);
        JsonNode root;
        try {
            root = StateCodec.JSON.readTree(Files.readAllBytes(snapshotFile()));
        } catch (NoSuchFileException e) {
            return ActuationState.empty();
        }
        try {
            return StateCodec.decode(root);
        } catch (RuntimeException e) {
            throw new IOException("cannot understand " + snapshotFile() + ": " + e.getMessage()
                    + "; move it away to start without baselines", e);
        }
    }

    /** Replaces the snapshot atomically and durably ({@link DurableFile}). */
    public void save(ActuationState state) throws IOException {
        DurableFile.replace(snapshotFile(),
                StateCodec.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(StateCodec.encode(state)));
    }

    /** Appends one event as a line and forces it to disk before returning; rotates the log first if it is full. */
    public void append(ObjectNode event) throws IOException {
        audit.append(List.of(StateCodec.JSON.writeValueAsString(event)));
    }
}
