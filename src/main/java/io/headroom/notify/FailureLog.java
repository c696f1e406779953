package io.headroom.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.config.RotationConfig;
import io.headroom.metrics.Metrics;
import io.headroom.journal.RotatingJournal;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failures received by the webhook, as intervals per workload, kept in memory and in a JSON-lines journal
 * (by default {@value #FILE_NAME} in the state dir) so that a restart keeps them.
 *
 * <p>Recording is idempotent: Alertmanager repeats notifications (every {@code repeat_interval}, and on retries),
 * so a signal whose fingerprint and start were seen before changes nothing unless it is the resolution of an
 * interval still open. Only changes are journaled.
 *
 * <p><b>Blocking.</b> {@link #open} reads the journal and {@link #record} waits for an fsync: call them from a
 * worker pool, never an event loop. All methods are thread-safe.
 */
public final class FailureLog implements AutoCloseable {

    /** Name of the journal in the state dir. */
    public static final String FILE_NAME = "failures.jsonl";

    private static final Logger LOG = LoggerFactory.getLogger(FailureLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What recording one signal did. */
    public enum Outcome {
        /** A failure not seen before (open, or already resolved). */
        NEW,
        /** The resolution of an open failure. */
        RESOLVED,
        /** Nothing new: a repeat. */
        DUPLICATE
    }

    /** The {@code journal} label of {@code headroom_journal_corrupt_lines_total}. */
    static final String JOURNAL_LABEL = "failures";

    private final Journal journal;
    private final Metrics metrics;
    /** By {@link FailureSignal#key()}, in the order first received. */
    private final Map<String, FailureInterval> intervals = new LinkedHashMap<>();

    /**
     * Opens the journal at {@code file} (and its rotated files) and replays it. A line that is torn, not UTF-8 or not
     * a failure record is skipped, logged and counted in {@code headroom_journal_corrupt_lines_total}: one bad line
     * must not keep the daemon from starting. Blocking.
     */
    public static FailureLog open(Path file, RotationConfig rotation, Metrics metrics) throws IOException {
        return new FailureLog(new FileJournal(file, rotation), metrics);
    }

    /** With the default rotation and metrics of its own, for reading a log outside the daemon. */
    public static FailureLog open(Path file) throws IOException {
        return open(file, RotationConfig.FAILURES_DEFAULT, Metrics.isolated());
    }

    FailureLog(Journal journal, Metrics metrics) throws IOException {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        metrics.journalCorruptLines.labels(JOURNAL_LABEL).inc(0);
        replay(journal.readAll(this::skipped));
    }

    FailureLog(Journal journal) throws IOException {
        this(journal, Metrics.isolated());
    }

    private void skipped(RotatingJournal.CorruptLine line) {
        metrics.journalCorruptLines.labels(JOURNAL_LABEL).inc();
        LOG.warn("{} line {}: {}, skipped (a crash mid-write or a damaged disk leaves such lines)", line.file(),
                line.line(), line.reason());
    }

    /**
     * Records signals in order, then journals what changed with one fsync. If the journal cannot be written, nothing
     * is recorded and the exception propagates, so the caller can answer 5xx and Alertmanager sends again.
     *
     * @return one outcome per signal, in order
     */
    public synchronized List<Outcome> record(List<FailureSignal> signals) throws IOException {
        Map<String, FailureInterval> staged = new HashMap<>();
        List<Outcome> outcomes = new ArrayList<>(signals.size());
        List<String> lines = new ArrayList<>();
        for (FailureSignal s : signals) {
            FailureInterval before = staged.containsKey(s.key()) ? staged.get(s.key()) : intervals.get(s.key());
            Outcome o = outcome(before, s);
            outcomes.add(o);
            if (o != Outcome.DUPLICATE) {
                staged.put(s.key(), new FailureInterval(s.workload(), s.alertname(), s.start(), s.end()));
                lines.add(line(s));
            }
        }
        journal.append(lines);
        intervals.putAll(staged);
        return outcomes;
    }

    /** Failures of {@code workload} overlapping {@code [from, to]}, in the order they were first received. */
    public synchronized List<FailureInterval> between(Instant from, Instant to, String workload) {
        Objects.requireNonNull(workload, "workload");
        return intervals.values().stream()
                .filter(i -> i.workload().equals(workload) && i.overlaps(from, to))
                .toList();
    }

    /** Failures of every workload overlapping {@code [from, to]}. */
    public synchronized List<FailureInterval> between(Instant from, Instant to) {
        return intervals.values().stream().filter(i -> i.overlaps(from, to)).toList();
    }

    @Override
    public synchronized void close() throws IOException {
        journal.close();
    }

    private static Outcome outcome(FailureInterval before, FailureSignal s) {
        if (before == null) {
            return Outcome.NEW;
        }
        return before.open() && s.end().isPresent() ? Outcome.RESOLVED : Outcome.DUPLICATE;
    }

    private void replay(List<String> lines) {
        int skipped = 0;
        for (int i = 0; i < lines.size(); i++) {
            Optional<FailureSignal> s = parse(lines.get(i));
            if (s.isEmpty()) {
                skipped++;
                metrics.journalCorruptLines.labels(JOURNAL_LABEL).inc();
                LOG.warn("{} entry {}: not a failure record, skipped (a line cut short by a crash looks like this): {}",
                        journal, i + 1, HttpFailures.abbreviate(lines.get(i), 200));
                continue;
            }
            if (outcome(intervals.get(s.get().key()), s.get()) != Outcome.DUPLICATE) {
                FailureSignal f = s.get();
                intervals.put(f.key(), new FailureInterval(f.workload(), f.alertname(), f.start(), f.end()));
            }
        }
        LOG.info("failure log {}: {} interval(s) loaded, {} line(s) skipped", journal, intervals.size(), skipped);
    }

    private static String line(FailureSignal s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("fingerprint", s.fingerprint());
        o.put("workload", s.workload());
        o.put("alertname", s.alertname());
        o.put("start", s.start().toString());
        s.end().ifPresent(e -> o.put("end", e.toString()));
        // Not read back; tells an operator reading the file when Headroom learnt of it.
        o.put("received", Instant.now().toString());
        return o.toString();
    }

    private static Optional<FailureSignal> parse(String line) {
        try {
            JsonNode o = JSON.readTree(line);
            if (o == null || !o.isObject() || !o.path("fingerprint").isTextual() || !o.path("workload").isTextual()
                    || !o.path("start").isTextual()) {
                return Optional.empty();
            }
            Optional<Instant> end = o.path("end").isTextual() ? Optional.of(Instant.parse(o.get("end").asText()))
                    : Optional.empty();
            return Optional.of(new FailureSignal(o.get("fingerprint").asText(), o.get("workload").asText(),
                    o.path("alertname").asText(""), Instant.parse(o.get("start").asText()), end));
        } catch (JsonProcessingException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
