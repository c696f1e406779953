package io.headroom.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.config.FeedbackConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' verdicts ({@code headroom feedback mark}), kept in the state dir ({@value #FILE_NAME}) like the
 * adaptations, newest last, at most {@value #MAX_KEPT}. Each verdict is learnt once, when it is marked
 * ({@link #mark}), and is read again by every training ({@code cycle.Exclusions}): a false positive's held change is
 * learnt as normal, a true positive's incident is left out.
 */
public final class Verdicts {

    public static final String FILE_NAME = "verdicts.json";
    /** Older verdicts than the newest this many are dropped: training windows are days, not years. */
    public static final int MAX_KEPT = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(Verdicts.class);

    private final Optional<Path> file;
    private final List<Verdict> kept = new ArrayList<>();

    private Verdicts(Optional<Path> file) {
        this.file = file;
    }

    /** No file: nothing survives a restart. */
    public static Verdicts inMemory() {
        return new Verdicts(Optional.empty());
    }

    /** The store in {@code stateDir}; an unreadable file is set aside. */
    public static Verdicts open(Path stateDir) {
        Verdicts v = new Verdicts(Optional.of(stateDir.resolve(FILE_NAME)));
        StateFile.load(v.file.get(), root -> v.kept.addAll(decode(root)));
        return v;
    }

    /** Reads the file in {@code stateDir} without keeping it: for {@code headroom feedback list}. */
    public static List<Verdict> read(Path stateDir) throws IOException {
        return decode(StateFile.read(stateDir.resolve(FILE_NAME)));
    }

    /** Every verdict kept, oldest first. */
    public synchronized List<Verdict> all() {
        return List.copyOf(kept);
    }

    /**
     * Records {@code v} and learns from it. Returns the adaptation it made, if any.
     *
     * @param headroomActed Headroom held a change on the workload at the verdict's time (a true positive then
     *                      confirms the policy rather than reporting a miss)
     */
    public synchronized Optional<Adaptations.Change> mark(Verdict v, boolean headroomActed, Adaptations adaptations,
                                                          FeedbackConfig cfg) {
        keep(v);
        LOG.info("feedback verdict workload={} verdict={} at={} kind={} note=\"{}\"", v.workload(), v.call().label(),
                v.at(), v.kind().orElse("-"), v.note());
        return v.judgement(headroomActed).flatMap(j -> adaptations.learn(List.of(j), cfg).stream().findFirst());
    }

    /**
     * Records a failure Headroom missed, first seen at {@code at}, as a {@link Verdict.Call#TRUE_POSITIVE} of its own
     * (so that training leaves out the hour before it and {@code headroom feedback list} shows it). Not learnt again:
     * the missed judgement itself already was.
     */
    public synchronized void missed(String workload, Instant at) {
        keep(new Verdict(workload, Verdict.Call.TRUE_POSITIVE, at, Optional.empty(), Optional.empty(), MISSED_NOTE,
                at));
        LOG.info("feedback: missed failure workload={} at={}: the hour before it is left out of training, and a "
                + "retraining is asked for", workload, at);
    }

    /**
     * Drops every verdict on {@code workload}, the operators' and the misses Headroom recorded, so that training
     * treats its history as if none had been given ({@code headroom feedback reset}); false if there were none.
     */
    public synchronized boolean forget(String workload) {
        boolean had = kept.removeIf(v -> v.workload().equals(workload));
        if (had) {
            write();
        }
        return had;
    }

    private void keep(Verdict v) {
        kept.add(v);
        if (kept.size() > MAX_KEPT) {
            kept.subList(0, kept.size() - MAX_KEPT).clear();
        }
        write();
    }

    /** The note of a miss Headroom recorded itself. */
    public static final String MISSED_NOTE = "missed failure, recorded by Headroom";

    private void write() {
        if (file.isEmpty()) {
            return;
        }
        ObjectNode root = StateFile.JSON.createObjectNode();
        root.put("version", 1);
        ArrayNode list = root.putArray("verdicts");
        kept.forEach(v -> list.add(encode(v)));
        StateFile.write(file.get(), root);
    }

    /** One verdict as the file, the API and the list show it. */
    public static ObjectNode encode(Verdict v) {
        ObjectNode o = StateFile.JSON.createObjectNode();
        o.put("workload", v.workload());
        o.put("verdict", v.call().label());
        o.put("at", v.at().toString());
        v.from().ifPresent(f -> o.put("from", f.toString()));
        v.kind().ifPresent(k -> o.put("kind", k));
        o.put("note", v.note());
        o.put("recorded_at", v.recordedAt().toString());
        return o;
    }

    private static List<Verdict> decode(JsonNode root) {
        List<Verdict> out = new ArrayList<>();
        for (JsonNode o : root.path("verdicts")) {
            out.add(new Verdict(o.path("workload").asText(), Verdict.Call.parse(o.path("verdict").asText()),
                    Instant.parse(o.path("at").asText()), text(o, "from").map(Instant::parse), text(o, "kind"),
                    o.path("note").asText(""), Instant.parse(o.path("recorded_at").asText())));
        }
        return out;
    }

    private static Optional<String> text(JsonNode o, String key) {
        return o.hasNonNull(key) ? Optional.of(o.get(key).asText()) : Optional.empty();
    }
}
