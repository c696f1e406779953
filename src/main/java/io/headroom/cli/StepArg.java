package io.headroom.cli;

import io.headroom.config.Durations;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command's {@code --step}, checked once. Each command declares its own option because what the step means (and
 * its default) differs: the grid of {@code features}, the scoring cadence of {@code backtest}, the row spacing of
 * {@code score}.
 */
final class StepArg {

    private StepArg() {}

    /**
     * {@code step} as a positive whole number of seconds, or {@code otherwise} when the option was not given.
     *
     * @throws CommandLine.ParameterException naming the option and the value otherwise
     */
    static Duration parse(String step, Duration otherwise, CommandSpec spec) {
        if (step == null) {
            return otherwise;
        }
        return Durations.parse(step).filter(d -> !d.isZero() && !d.isNegative() && d.toMillis() % 1000 == 0)
                .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                        "--step: must be a whole number of seconds such as 30s or 5m (got \"" + step + "\")"));
    }
}
