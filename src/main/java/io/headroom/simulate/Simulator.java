package io.headroom.simulate;

import io.headroom.decide.Allocation;
import java.time.Instant;
import java.util.Arrays;
import io.headroom.feedback.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one scenario under one policy on the virtual clock: the history first (baseline allocation, no
 * incidents), then every step of the scenario, physics before policy. Deterministic for a scenario and seed.
 */
public final class Simulator {

    /**
     * What happened in one run.
     *
     * @param firstFlag        per incident (scenario order), the first step inside it the policy flagged
     * @param failureAt        per incident, when its guest failed, if it did
     * @param unattributed     failures with no incident under way (load beyond the allocation by itself)
     * @param increases        per workload, the times any resource was raised
     * @param vcpuHours        allocated vCPU-hours over the run, and {@code baselineVcpuHours} at baseline
     * @param memoryGibHours   allocated GiB-hours over the run, and {@code baselineMemoryGibHours} at baseline
     * @param trainings        model trainings the policy ran (headroom: before the first step and on schedule)
     */
    public record Run(Scenario scenario, Policy policy, long seed, List<Optional<Instant>> firstFlag,
                      List<Optional<Instant>> failureAt, int unattributed, List<List<Instant>> increases,
                      double vcpuHours, double baselineVcpuHours, double memoryGibHours, double baselineMemoryGibHours,
                      int trainings, Map<Outcome, Integer> outcomes, int adaptations, double[] extraVcpuHours,
                      double[] extraMemoryGibHours) {

        public Run {
            outcomes = Map.copyOf(outcomes);
        }
    }

    private Simulator() {}

    /** Runs {@code scenario} under {@code policy}. */
    public static Run run(Scenario scenario, Policy policy, long seed) throws Exception {
        return run(scenario, policy, seed, Optional.empty());
    }

    /**
     * As {@link #run(Scenario, Policy, long)}, and for the headroom policy writes one CSV row per
     * guest per cycle to {@code trace} ({@code timestamp,workload,score,tier,action,vcpus,memory_bytes,top_feature,
     * reason}, header first): what the daemon's decision log says, on the simulated clock.
     */
    public static Run run(Scenario scenario, Policy policy, long seed, Optional<Appendable> trace)
            throws Exception {
        return run(scenario, policy, seed, trace, (step, nanos, trainings) -> { });
    }

    /** Told how long the policy took at each step: the cycle's time on the simulated clock, for a soak. */
    @FunctionalInterface
    interface StepTimer {
        /** @param trainings the policy's model trainings so far, this step's included */
        void stepped(int step, long nanos, int trainings);
    }

    /** As {@link #run(Scenario, Policy, long, Optional)}, timing each step's policy with {@code timer}. */
    static Run run(Scenario scenario, Policy policy, long seed, Optional<Appendable> trace, StepTimer timer)
            throws Exception {
        if (trace.isPresent() && policy == Policy.HEADROOM) {
            trace.get().append(HeadroomController.TRACE_HEADER);
        }
        List<Scenario.Workload> ws = scenario.workloads();
        int nw = ws.size();
        int width = Physics.FEATURES.size();
        int hist = scenario.historySteps();
        int steps = scenario.steps();
        Physics[] physics = new Physics[nw];
        Allocation[] alloc = new Allocation[nw];
        double[][] series = new double[nw][(hist + steps) * width];
        for (int w = 0; w < nw; w++) {
            physics[w] = new Physics(scenario, ws.get(w), seed, w);
            alloc[w] = new Allocation(ws.get(w).baselineVcpus(), ws.get(w).baselineMemory());
        }
        Instant from = scenario.start().minus(scenario.history());
        for (int r = 0; r < hist; r++) {
            Instant t = from.plus(scenario.step().multipliedBy(r));
            for (int w = 0; w < nw; w++) {
                System.arraycopy(physics[w].step(t, alloc[w], true).features(), 0, series[w], r * width, width);
            }
        }
        Ledger ledger = new Ledger(scenario);
        Physics.Sample[] samples = new Physics.Sample[nw];
        boolean[] flagged = new boolean[nw];
        int trainings;
        Map<Outcome, Integer> outcomes;
        int adaptations;
        try (Controller c = controller(scenario, policy, series, trace)) {
            for (int s = 0; s < steps; s++) {
                int row = hist + s;
                Instant t = scenario.start().plus(scenario.step().multipliedBy(s));
                for (int w = 0; w < nw; w++) {
                    samples[w] = physics[w].step(t, alloc[w], false);
                    System.arraycopy(samples[w].features(), 0, series[w], row * width, width);
                    ledger.ran(w, t, alloc[w], samples[w]);
                }
                Allocation[] before = alloc.clone();
                Arrays.fill(flagged, false);
                long started = System.nanoTime();
                c.step(t, row, samples, alloc, flagged);
                timer.stepped(s, System.nanoTime() - started, c.trainings());
                for (int w = 0; w < nw; w++) {
                    ledger.allocated(w, t, before[w], alloc[w]);
                    if (flagged[w]) {
                        ledger.flagged(w, t);
                    }
                }
            }
            trainings = c.trainings();
            outcomes = c.outcomes();
            adaptations = c.adaptations();
        }
        return ledger.run(policy, seed, steps, trainings, outcomes, adaptations);
    }

    private static Controller controller(Scenario scenario, Policy policy, double[][] series,
                                         Optional<Appendable> trace) throws Exception {
        return switch (policy) {
            case NONE -> (now, row, samples, alloc, flagged) -> { };
            case THRESHOLD -> new ThresholdController(scenario);
            case HEADROOM -> new HeadroomController(scenario, series, trace);
        };
    }
}
