package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TimeArgTest {

    final TimeArg arg = new TimeArg(Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void acceptsEveryDocumentedForm() {
        assertThat(arg.convert("2026-11-28T10:00:00Z")).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(arg.convert("2026-11-28T11:00:00+01:00")).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(arg.convert("1795891200")).isEqualTo(Instant.ofEpochSecond(1795891200));
        assertThat(arg.convert("1795891200.5")).isEqualTo(Instant.ofEpochSecond(1795891200, 500_000_000));
        assertThat(arg.convert("now")).isEqualTo(Instant.parse("2026-11-28T12:00:00Z"));
        assertThat(arg.convert("now-3d")).isEqualTo(Instant.parse("2026-11-25T12:00:00Z"));
    }

    @Test
    void rejectsOtherText() {
        assertThatThrownBy(() -> arg.convert("now-soon")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("'now-soon' is not a time");
    }
}
