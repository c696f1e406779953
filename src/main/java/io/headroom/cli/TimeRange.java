package io.headroom.cli;

import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --from} and {@code --to}: the range of Prometheus history a command reads, declared and checked once. */
final class TimeRange {

    @Option(names = "--from", required = true, converter = TimeArg.class, paramLabel = "T",
            description = "Start of the range: RFC 3339, unix seconds, now or now-<duration>.")
    Instant from;

    @Option(names = "--to", required = true, converter = TimeArg.class, paramLabel = "T",
            description = "End of the range (inclusive), same forms as --from.")
    Instant to;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** @throws CommandLine.ParameterException unless {@code --to} is after {@code --from} */
    void check() {
        if (!to.isAfter(from)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--to must be after --from (got from " + from + ", to " + to + ")");
        }
    }
}
