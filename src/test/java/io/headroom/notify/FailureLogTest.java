package io.headroom.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.notify.FailureLog.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Intervals from signals, idempotence, range queries, and the journal across restarts and crashes. */
class FailureLogTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    static FailureSignal firing(String fp, String workload, Instant start) {
        return new FailureSignal(fp, workload, "OOMKill", start, Optional.empty());
    }

    static FailureSignal resolved(String fp, String workload, Instant start, Instant end) {
        return new FailureSignal(fp, workload, "OOMKill", start, Optional.of(end));
    }

    FailureLog open() throws IOException {
        return FailureLog.open(dir.resolve("state").resolve(FailureLog.FILE_NAME));
    }

    @Test
    void firingOpensAnIntervalAndResolvedClosesIt() throws Exception {
        try (FailureLog log = open()) {
            assertThat(log.record(List.of(firing("a1", "web-1", T0)))).containsExactly(Outcome.NEW);
            assertThat(log.between(T0, T0.plusSeconds(60), "web-1")).singleElement()
                    .satisfies(i -> assertThat(i.open()).isTrue());

            assertThat(log.record(List.of(resolved("a1", "web-1", T0, T0.plusSeconds(90)))))
                    .containsExactly(Outcome.RESOLVED);

            assertThat(log.between(T0, T0.plusSeconds(60), "web-1")).containsExactly(
                    new FailureInterval("web-1", "OOMKill", T0, Optional.of(T0.plusSeconds(90))));
        }
    }

    @Test
    void repeatsChangeNothingAndAClosedIntervalStaysClosed() throws Exception {
        try (FailureLog log = open()) {
            log.record(List.of(firing("a1", "web-1", T0)));

            assertThat(log.record(List.of(firing("a1", "web-1", T0), resolved("a1", "web-1", T0, T0.plusSeconds(5)),
                    resolved("a1", "web-1", T0, T0.plusSeconds(9)), firing("a1", "web-1", T0))))
                    .containsExactly(Outcome.DUPLICATE, Outcome.RESOLVED, Outcome.DUPLICATE, Outcome.DUPLICATE);
            assertThat(log.between(T0, T0.plusSeconds(60))).singleElement()
                    .satisfies(i -> assertThat(i.end()).contains(T0.plusSeconds(5)));
        }
    }

    @Test
    void theSameAlertFiringAgainFromANewStartIsANewInterval() throws Exception {
        try (FailureLog log = open()) {
            log.record(List.of(resolved("a1", "web-1", T0, T0.plusSeconds(5))));

            assertThat(log.record(List.of(firing("a1", "web-1", T0.plusSeconds(600))))).containsExactly(Outcome.NEW);
            assertThat(log.between(T0, T0.plusSeconds(3600), "web-1")).hasSize(2);
        }
    }

    @Test
    void rangeQueriesSelectByOverlapAndWorkload() throws Exception {
        try (FailureLog log = open()) {
            log.record(List.of(
                    resolved("early", "web-1", T0, T0.plusSeconds(100)),
                    resolved("late", "web-1", T0.plusSeconds(500), T0.plusSeconds(600)),
                    firing("open", "web-1", T0.plusSeconds(1000)),
                    firing("other", "db-1", T0.plusSeconds(50))));

            assertThat(log.between(T0.plusSeconds(100), T0.plusSeconds(499), "web-1")).extracting(FailureInterval::start)
                    .as("touching the end counts, ending before the start does not").containsExactly(T0);
            assertThat(log.between(T0.plusSeconds(601), T0.plusSeconds(999), "web-1")).isEmpty();
            assertThat(log.between(T0.plusSeconds(5000), T0.plusSeconds(6000), "web-1")).extracting(FailureInterval::start)
                    .as("an open interval reaches into the future").containsExactly(T0.plusSeconds(1000));
            assertThat(log.between(T0, T0.plusSeconds(60), "db-1")).extracting(FailureInterval::workload)
                    .containsExactly("db-1");
            assertThat(log.between(T0, T0.plusSeconds(10_000))).hasSize(4);
        }
    }

    @Test
    void aRestartKeepsIntervalsAndStillRecognisesRepeats() throws Exception {
        try (FailureLog log = open()) {
            log.record(List.of(firing("a1", "web-1", T0), resolved("b1", "db-1", T0, T0.plusSeconds(30))));
        }
        try (FailureLog log = open()) {
            assertThat(log.between(T0, T0.plusSeconds(60))).hasSize(2);
            assertThat(log.record(List.of(firing("a1", "web-1", T0), resolved("a1", "web-1", T0, T0.plusSeconds(70)))))
                    .containsExactly(Outcome.DUPLICATE, Outcome.RESOLVED);
        }
        try (FailureLog log = open()) {
            assertThat(log.between(T0, T0.plusSeconds(60), "web-1")).singleElement()
                    .satisfies(i -> assertThat(i.end()).contains(T0.plusSeconds(70)));
        }
        assertThat(Files.readAllLines(dir.resolve("state").resolve(FailureLog.FILE_NAME)))
                .as("only changes are journaled").hasSize(3);
    }

    @Test
    void aLineCutShortByACrashIsSkippedAndTheNextRecordStartsOnItsOwnLine() throws Exception {
        Path file = dir.resolve("state").resolve(FailureLog.FILE_NAME);
        try (FailureLog log = open()) {
            log.record(List.of(firing("a1", "web-1", T0)));
        }
        Files.writeString(file, "{\"fingerprint\":\"b1\",\"workl", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (FailureLog log = open()) {
            assertThat(log.between(T0, T0.plusSeconds(60))).hasSize(1);
            log.record(List.of(firing("c1", "db-1", T0)));
        }
        try (FailureLog log = open()) {
            assertThat(log.between(T0, T0.plusSeconds(60))).extracting(FailureInterval::workload)
                    .containsExactly("web-1", "db-1");
        }
    }

    @Test
    void aLineThatIsNotUtf8DoesNotStopTheStartItIsSkippedCountedAndTheRestReplayed() throws Exception {
        Path file = dir.resolve("state").resolve(FailureLog.FILE_NAME);
        try (FailureLog log = open()) {
            log.record(List.of(firing("a1", "web-1", T0)));
        }
        // A torn write of a workload name with a multi-byte character (C3 of "é" without its A9), then a newline.
        Files.write(file, new byte[] {'{', '"', 'f', 'i', 'n', 'g', 'e', 'r', 'p', 'r', 'i', 'n', 't', '"', ':', '"',
                'b', '1', '"', ',', '"', 'w', 'o', 'r', 'k', 'l', 'o', 'a', 'd', '"', ':', '"', 'c', 'a', 'f',
                (byte) 0xC3, '\n'}, StandardOpenOption.APPEND);
        try (FailureLog log = open()) {
            log.record(List.of(firing("c1", "db-1", T0)));
        }
        io.headroom.metrics.Metrics metrics = io.headroom.metrics.Metrics.isolated();
        try (FailureLog log = FailureLog.open(file, io.headroom.config.RotationConfig.FAILURES_DEFAULT, metrics)) {
            assertThat(log.between(T0, T0.plusSeconds(60))).extracting(FailureInterval::workload)
                    .containsExactly("web-1", "db-1");
        }
        assertThat(metrics.registry().getSampleValue("headroom_journal_corrupt_lines_total", new String[] {"journal"},
                new String[] {"failures"})).isEqualTo(1.0);
    }

    @Test
    void intervalsInRotatedFilesAreReplayedToo() throws Exception {
        Path file = dir.resolve("state").resolve(FailureLog.FILE_NAME);
        io.headroom.config.RotationConfig small = new io.headroom.config.RotationConfig(200, 3);
        io.headroom.metrics.Metrics metrics = io.headroom.metrics.Metrics.isolated();
        try (FailureLog log = FailureLog.open(file, small, metrics)) {
            for (int i = 0; i < 4; i++) {
                log.record(List.of(firing("f" + i, "web-" + i, T0)));
            }
        }
        assertThat(file.resolveSibling(FailureLog.FILE_NAME + ".1")).as("rotated").exists();
        try (FailureLog log = FailureLog.open(file, small, metrics)) {
            assertThat(log.between(T0, T0.plusSeconds(60))).extracting(FailureInterval::workload)
                    .containsExactly("web-0", "web-1", "web-2", "web-3");
        }
    }

    @Test
    void whenTheJournalCannotBeWrittenNothingIsRecorded() throws Exception {
        List<String> written = new ArrayList<>();
        Journal failing = new Journal() {
            boolean fail = true;

            @Override
            public List<String> readAll(io.headroom.journal.RotatingJournal.CorruptLines corrupt) {
                return List.of();
            }

            @Override
            public void append(List<String> lines) throws IOException {
                if (fail) {
                    fail = false;
                    throw new IOException("disk full");
                }
                written.addAll(lines);
            }

            @Override
            public void close() {
            }
        };
        try (FailureLog log = new FailureLog(failing)) {
            assertThatThrownBy(() -> log.record(List.of(firing("a1", "web-1", T0)))).hasMessage("disk full");
            assertThat(log.between(T0, T0.plusSeconds(60))).isEmpty();

            assertThat(log.record(List.of(firing("a1", "web-1", T0)))).as("the retry is not a duplicate")
                    .containsExactly(Outcome.NEW);
            assertThat(written).hasSize(1);
        }
    }
}
