package io.headroom.simulate;

import io.headroom.decide.Allocation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import io.headroom.feedback.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run did, step by step, on either clock: the first flag inside each incident, when each incident's guest
 * failed (and failures outside any incident), every increase of a guest's allocation, and the vCPU- and GiB-hours
 * allocated. The clocks differ in when they read allocations and flags; what they record is the same.
 */
final class Ledger {

    private final Scenario scenario;
    private final List<Scenario.Incident> incidents;
    private final List<Optional<Instant>> firstFlag;
    private final List<Optional<Instant>> failureAt;
    private final List<List<Instant>> increases = new ArrayList<>();
    private final double stepHours;
    private int unattributed;
    private double vcpuHours;
    private double memoryGibHours;
    /** Per guest, vCPU-hours and GiB-hours allocated above its baseline. */
    private final double[] extraVcpuHours;
    private final double[] extraMemoryGibHours;

    Ledger(Scenario scenario) {
        this.scenario = scenario;
        this.incidents = scenario.incidents();
        this.firstFlag = new ArrayList<>(incidents.stream().map(i -> Optional.<Instant>empty()).toList());
        this.failureAt = new ArrayList<>(firstFlag);
        scenario.workloads().forEach(w -> increases.add(new ArrayList<>()));
        this.stepHours = scenario.step().toMillis() / 3_600_000.0;
        this.extraVcpuHours = new double[scenario.workloads().size()];
        this.extraMemoryGibHours = new double[scenario.workloads().size()];
    }

    /** Guest {@code w} ran the step at {@code t} with {@code a}: its resource-hours, and a failure starting now. */
    void ran(int w, Instant t, Allocation a, Physics.Sample sample) {
        vcpuHours += a.vcpus() * stepHours;
        memoryGibHours += a.memoryBytes() / (double) (1L << 30) * stepHours;
        Scenario.Workload wl = scenario.workloads().get(w);
        extraVcpuHours[w] += Math.max(0, a.vcpus() - wl.baselineVcpus()) * stepHours;
        extraMemoryGibHours[w] += Math.max(0, a.memoryBytes() - wl.baselineMemory()) / (double) (1L << 30) * stepHours;
        if (sample.failedNow()) {
            int i = incidents.indexOf(sample.failedIn());
            if (i >= 0) {
                failureAt.set(i, Optional.of(t));
            } else {
                unattributed++;
            }
        }
    }

    /** Guest {@code w}'s allocation went from {@code before} to {@code now} at {@code t}: an increase if either grew. */
    void allocated(int w, Instant t, Allocation before, Allocation now) {
        if (now.vcpus() > before.vcpus() || now.memoryBytes() > before.memoryBytes()) {
            increases.get(w).add(t);
        }
    }

    /** The policy flagged guest {@code w} at {@code t}: the first flag of each of its incidents under way. */
    void flagged(int w, Instant t) {
        String name = scenario.workloads().get(w).name();
        Duration since = Duration.between(scenario.start(), t);
        for (int i = 0; i < incidents.size(); i++) {
            Scenario.Incident inc = incidents.get(i);
            if (inc.workload().equals(name) && inc.activeAt(since) && firstFlag.get(i).isEmpty()) {
                firstFlag.set(i, Optional.of(t));
            }
        }
    }

    /** The run so far, over its first {@code steps} steps, baseline hours included. */
    Simulator.Run run(Policy policy, long seed, int steps, int trainings, Map<Outcome, Integer> outcomes,
                      int adaptations) {
        double baseV = 0;
        double baseM = 0;
        for (Scenario.Workload w : scenario.workloads()) {
            baseV += w.baselineVcpus() * stepHours * steps;
            baseM += w.baselineMemory() / (double) (1L << 30) * stepHours * steps;
        }
        return new Simulator.Run(scenario, policy, seed, List.copyOf(firstFlag), List.copyOf(failureAt), unattributed,
                increases.stream().map(List::copyOf).toList(), vcpuHours, baseV, memoryGibHours, baseM, trainings,
                outcomes, adaptations, extraVcpuHours.clone(), extraMemoryGibHours.clone());
    }
}
