package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the score command's CSV reader takes as a number, a gap, a name and a time. */
class SeriesCsvTest {

    @TempDir
    Path dir;

    SeriesCsv read(String text) throws Exception {
        Path p = dir.resolve("in.csv");
        Files.writeString(p, text);
        return SeriesCsv.read(p);
    }

    @Test
    void decimalsAndGapsAreRead() throws Exception {
        SeriesCsv s = read("a,b,c\r\n1e6,.5,-0.25\r\n5.,,NaN\r\n\r\n+Inf,-inf,+7E-3\r\n");
        assertThat(s.features()).containsExactly("a", "b", "c");
        assertThat(s.rows()).isEqualTo(3);
        assertThat(s.values()).containsExactly(1e6, 0.5, -0.25, 5.0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 7e-3);
        assertThat(s.lines()).as("blank lines skipped, numbering kept").containsExactly(2, 3, 5);
        assertThat(s.timestamps()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1d", "0x1p3", "Infinity", "1,5", "1e", "--1", "1e999", "abc"})
    void anythingElseIsNotANumber(String value) {
        assertThatThrownBy(() -> read("a,b\n1,2\n3,\"" + value + "\"\n"))
                .isInstanceOf(InputException.class)
                .hasMessageEndingWith("in.csv line 3, column 2 (b): \"" + value
                        + "\" is not a number (use a decimal such as 0.25 or 1e6; empty or NaN for a missing value)");
    }

    @Test
    void quotedNamesMayHoldCommasAndQuotes() throws Exception {
        SeriesCsv s = read("timestamp,\"disk \"\"sda\"\", read\",b\n2026-11-28T10:00:00+01:00,1,2\n1795856460.5,3,4\n");
        assertThat(s.features()).containsExactly("disk \"sda\", read", "b");
        assertThat(s.timestamps()).containsExactly(1_795_856_400_000L, 1_795_856_460_500L);
        assertThat(SeriesCsv.field(s.features().get(0))).isEqualTo("\"disk \"\"sda\"\", read\"");
    }

    @Test
    void headerProblemsAreNamed() {
        assertThatThrownBy(() -> read("a,a\n1,2\n")).hasMessageEndingWith("line 1: column \"a\" appears twice");
        assertThatThrownBy(() -> read("a,timestamp\n1,2\n")).hasMessageEndingWith("\"timestamp\" may only be the first column");
        assertThatThrownBy(() -> read("timestamp\n1\n")).hasMessageEndingWith("line 1: no feature columns in the header");
        assertThatThrownBy(() -> read("a,\"b\n")).hasMessageEndingWith("line 1: unterminated quoted field");
        assertThatThrownBy(() -> read("a,b\n")).hasMessageEndingWith(": no data rows after the header");
        assertThatThrownBy(() -> read("")).hasMessageEndingWith(": empty, expected a header line");
    }

    @Test
    void aBadTimeIsNamed() {
        assertThatThrownBy(() -> read("timestamp,a\nyesterday,1\n"))
                .hasMessageEndingWith("line 2, column 1 (timestamp): \"yesterday\" is not a time "
                        + "(use RFC 3339 such as 2026-11-28T10:00:00Z, or unix seconds)");
    }
}
