package io.headroom.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.journal.DurableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of feedback's JSON files in the state dir: read at start, replaced whole and atomically on every change (like
 * the actuation state), so a hard kill leaves the last version. A file that cannot be read is logged and renamed
 * aside ({@code NAME.unreadable}), and the store starts empty: feedback only ever moves a policy within bounds.
 */
final class StateFile {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(StateFile.class);

    private StateFile() {
    }

    /** The file's document; empty if there is none, or it was unreadable and set aside. */
    static Optional<JsonNode> load(Path f, java.util.function.Consumer<JsonNode> decode) {
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
            decode.accept(root);
            return Optional.of(root);
        } catch (IOException | RuntimeException e) {
            Path aside = f.resolveSibling(f.getFileName() + ".unreadable");
            LOG.error("feedback: cannot read {} ({}); moved to {}, starting again", f, e.toString(), aside);
            try {
                Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.error("feedback: cannot move {} aside: {}", f, moveFailed.toString());
            }
            return Optional.empty();
        }
    }

    /** Reads the document, failing on a bad file: for read-only listings. */
    static JsonNode read(Path f) throws IOException {
        return Files.exists(f) ? JSON.readTree(Files.readString(f, StandardCharsets.UTF_8)) : JSON.createObjectNode();
    }

    /** Replaces the file with {@code root}; a failure is logged, and the caller's memory stays the truth. */
    static void write(Path f, ObjectNode root) {
        try {
            DurableFile.replace(f, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            // Kept in memory; the next change tries again. Losing it costs re-learning, never a wrong change.
            LOG.error("feedback: cannot write {}: {}", f, e.toString());
        }
    }
}
