package io.headroom.cli;

import io.headroom.config.Durations;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Parses a time argument: RFC 3339 ({@code 2026-11-28T10:00:00Z}, any offset), unix seconds (fractions
 * allowed), {@code now}, or {@code now-<duration>} such as {@code now-3d}.
 */
final class TimeArg implements CommandLine.ITypeConverter<Instant> {

    private final Clock clock;

    TimeArg() {
        this(Clock.systemUTC());
    }

    TimeArg(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant convert(String value) {
        String v = value.trim();
        if (v.equals("now")) {
            return clock.instant();
        }
        if (v.startsWith("now-")) {
            Optional<Duration> d = Durations.parse(v.substring(4));
            if (d.isPresent()) {
                return clock.instant().minus(d.get());
            }
        }
        if (v.matches("\\d+(\\.\\d+)?")) {
            BigDecimal s = new BigDecimal(v);
            return Instant.ofEpochSecond(s.longValue(), s.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is not a time: use RFC 3339 (2026-11-28T10:00:00Z), unix seconds, now or now-<duration> (now-3d)");
        }
    }
}
