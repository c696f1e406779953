/**
 * The command line: {@link io.headroom.cli.Main} and one class per command ({@code run}, {@code check-config},
 * {@code features}, {@code backtest}, {@code score}, {@code status}, {@code simulate}), the shared options
 * ({@link io.headroom.cli.TimeRange}, {@link io.headroom.cli.OutputOption}, {@link io.headroom.cli.ConfigOption},
 * {@link io.headroom.cli.StepArg}) and the CSV and table formats the commands read and write. It may use every
 * other package; none uses it.
 */
package io.headroom.cli;
