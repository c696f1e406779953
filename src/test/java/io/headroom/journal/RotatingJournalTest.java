package io.headroom.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.RotationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingJournalTest {

    @TempDir
    Path dir;

    /** A 10-byte line: 9 characters and the newline. */
    static String line(int i) {
        return String.format("{\"n\":%03d}", i);
    }

    @Test
    void rotatesBeforePassingMaxSizeAndKeepsOnlyTheNewestFiles() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        RotatingJournal j = new RotatingJournal(file, new RotationConfig(30, 2));
        for (int i = 0; i < 12; i++) {
            j.append(List.of(line(i)));
        }
        // 3 lines per file, rotated when the fourth would not fit: 0-2 were deleted when 9 rotated 3-5 up to .2.
        assertThat(Files.readAllLines(j.rotated(2))).containsExactly(line(3), line(4), line(5));
        assertThat(Files.readAllLines(j.rotated(1))).containsExactly(line(6), line(7), line(8));
        assertThat(Files.readAllLines(file)).containsExactly(line(9), line(10), line(11));
        assertThat(j.rotated(3)).doesNotExist();
        j.append(List.of(line(12)));
        assertThat(Files.readAllLines(j.rotated(2))).containsExactly(line(6), line(7), line(8));
        assertThat(Files.readAllLines(file)).containsExactly(line(12));
        assertThat(j.readAll(c -> { })).as("oldest kept first").containsExactly(line(6), line(7), line(8), line(9),
                line(10), line(11), line(12));
    }

    @Test
    void aBatchIsNeverSplitAcrossFiles() throws Exception {
        Path file = dir.resolve("f.jsonl");
        RotatingJournal j = new RotatingJournal(file, new RotationConfig(25, 1));
        j.append(List.of(line(0)));
        j.append(List.of(line(1), line(2)));
        assertThat(Files.readAllLines(j.rotated(1))).containsExactly(line(0));
        assertThat(Files.readAllLines(file)).containsExactly(line(1), line(2));
    }

    @Test
    void aLineLargerThanMaxSizeStillGoesIntoAFileOfItsOwn() throws Exception {
        Path file = dir.resolve("f.jsonl");
        RotatingJournal j = new RotatingJournal(file, new RotationConfig(5, 1));
        j.append(List.of(line(0)));
        j.append(List.of(line(1)));
        assertThat(Files.readAllLines(j.rotated(1))).containsExactly(line(0));
        assertThat(Files.readAllLines(file)).containsExactly(line(1));
    }

    @Test
    void aLineThatIsNotUtf8IsSkippedAndReportedWithItsPlace() throws Exception {
        Path file = dir.resolve("f.jsonl");
        RotatingJournal j = new RotatingJournal(file, new RotationConfig(1 << 20, 1));
        j.append(List.of(line(0)));
        // A crash in the middle of a multi-byte character: "é" is C3 A9; C3 alone, then the next record's bytes.
        Files.write(file, new byte[] {'{', '"', 'w', '"', ':', '"', (byte) 0xC3, '\n'}, StandardOpenOption.APPEND);
        j.append(List.of(line(2)));
        List<RotatingJournal.CorruptLine> corrupt = new ArrayList<>();
        assertThat(j.readAll(corrupt::add)).containsExactly(line(0), line(2));
        assertThat(corrupt).singleElement().satisfies(c -> {
            assertThat(c.file()).isEqualTo(file);
            assertThat(c.line()).isEqualTo(2);
            assertThat(c.reason()).startsWith("not UTF-8");
        });
    }

    @Test
    void anAppendAfterATornLineStartsOnAFreshLine() throws Exception {
        Path file = dir.resolve("f.jsonl");
        Files.writeString(file, "{\"torn\":");
        new RotatingJournal(file, new RotationConfig(1 << 20, 1)).append(List.of(line(1)));
        assertThat(Files.readAllLines(file)).containsExactly("{\"torn\":", line(1));
    }
}
