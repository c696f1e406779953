package io.headroom.simulate;

import static io.headroom.bench.JvmMeasures.heapAfterGc;
import static io.headroom.bench.JvmMeasures.median;
import static io.headroom.bench.JvmMeasures.peakRssMib;
import static io.headroom.bench.JvmMeasures.quantile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A soak on the virtual clock: {@code headroom simulate --policy headroom} of N guests with the default config
 * (7-day window at 30 s) over H simulated hours, timing each cycle (the policy's step: engineer, score, decide,
 * actuate through libvirt's test driver, retrain on schedule) and reading the heap after GC each simulated hour.
 *
 * <p>Run through {@code src/bench/scale-bench.sh} ({@code SOAK_GUESTS}, {@code SOAK_HOURS}), which writes the
 * scenario (its scale fleet: steady guests and one memory leak); prints one JSON object. Argument: the scenario
 * file. The simulator holds every guest's whole history (1000 guests, a week and a day: 2.6 GB), so it needs a
 * larger heap than the daemon.
 */
public final class SoakBench {

    private SoakBench() {}

    public static void main(String[] args) throws Exception {
        Scenario scenario = ScenarioLoader.load(java.nio.file.Path.of(args[0]));
        int guests = scenario.workloads().size();
        double hours = scenario.duration().toMinutes() / 60.0;
        double days = scenario.history().toHours() / 24.0;
        int steps = scenario.steps();
        int perHour = (int) (3600 / scenario.step().toSeconds());
        double[] seconds = new double[steps];
        boolean[] trained = new boolean[steps];
        List<Double> heapMib = new ArrayList<>();
        int[] trainings = {0};
        long started = System.nanoTime();
        Simulator.Run run = Simulator.run(scenario, Policy.HEADROOM, 1, Optional.empty(), (step, nanos, t) -> {
            seconds[step] = nanos / 1e9;
            trained[step] = t != trainings[0];
            trainings[0] = t;
            if ((step + 1) % perHour == 0) {
                heapMib.add(heapAfterGc() / 1048576.0);
            }
        });
        double wall = (System.nanoTime() - started) / 1e9;
        double[] cycles = pick(seconds, trained, false);
        double[] withTraining = pick(seconds, trained, true);
        double interval = scenario.step().toSeconds();
        long over = Arrays.stream(cycles).filter(s -> s > interval).count();
        // The first hour's heap is read after the first training, which the soak measures the heap against.
        double first = heapMib.isEmpty() ? Double.NaN : heapMib.get(0);
        double last = heapMib.isEmpty() ? Double.NaN : heapMib.get(heapMib.size() - 1);
        System.out.println(String.format(Locale.ROOT, "{\"guests\": %d, \"simulated_hours\": %.1f, \"history_days\": %.1f, "
                        + "\"cycles\": %d, \"wall_seconds\": %.1f, \"cycle_p50_seconds\": %.3f, "
                        + "\"cycle_p99_seconds\": %.3f, \"cycle_max_seconds\": %.3f, \"cycles_over_interval\": %d, "
                        + "\"trainings\": %d, \"training_cycle_seconds\": [%s], \"heap_after_gc_mib_hourly\": [%s], "
                        + "\"heap_after_gc_mib_first\": %.1f, \"heap_after_gc_mib_last\": %.1f, "
                        + "\"heap_change_percent\": %.1f, \"peak_rss_mib\": %.0f, \"failures\": %d}",
                guests, hours, days, cycles.length, wall, median(cycles), quantile(cycles, 0.99),
                Arrays.stream(cycles).max().orElse(Double.NaN), over, withTraining.length,
                Arrays.stream(withTraining).mapToObj(s -> String.format(Locale.ROOT, "%.1f", s))
                        .collect(Collectors.joining(", ")),
                heapMib.stream().map(h -> String.format(Locale.ROOT, "%.0f", h)).collect(Collectors.joining(", ")),
                first, last, 100 * (last - first) / first, peakRssMib(),
                run.failureAt().stream().filter(Optional::isPresent).count()));
    }

    private static double[] pick(double[] seconds, boolean[] trained, boolean training) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < seconds.length; i++) {
            if (trained[i] == training) {
                out.add(seconds[i]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
