package io.headroom.simulate;

import io.headroom.decide.Allocation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The rule an operator would write without Headroom, seen from inside the guest: CPU utilisation above 90% for
 * 5 minutes adds 50% vCPUs; memory in use above 90% of the allocated memory adds 30% memory; both bounded by the
 * domain's maximum; back to the baseline once both have stayed below 90% for 30 minutes. A flag is a step on
 * which the rule raises something.
 */
final class ThresholdController implements Controller {

    static final double HOT = 0.90;
    static final Duration CPU_HOLD = Duration.ofMinutes(5);
    static final Duration CALM_HOLD = Duration.ofMinutes(30);
    static final double CPU_FACTOR = 1.5;
    static final double MEMORY_FACTOR = 1.3;

    private final List<Scenario.Workload> workloads;
    private final int cpuSteps;
    private final int calmSteps;
    private final int[] cpuHot;
    private final int[] calm;

    ThresholdController(Scenario scenario) {
        this.workloads = scenario.workloads();
        this.cpuSteps = (int) Math.max(1, CPU_HOLD.toMillis() / scenario.step().toMillis());
        this.calmSteps = (int) Math.max(1, CALM_HOLD.toMillis() / scenario.step().toMillis());
        this.cpuHot = new int[workloads.size()];
        this.calm = new int[workloads.size()];
    }

    @Override
    public void step(Instant now, int row, Physics.Sample[] samples, Allocation[] alloc, boolean[] flagged) {
        for (int w = 0; w < samples.length; w++) {
            Physics.Sample s = samples[w];
            if (s.failed()) {
                continue; // no metrics from a failed guest: the rule sees nothing
            }
            Scenario.Workload spec = workloads.get(w);
            Allocation a = alloc[w];
            double cpu = Math.min(s.cpuDemand(), a.vcpus()) / a.vcpus();
            double mem = Math.min(s.memoryUsed(), a.memoryBytes()) / (double) a.memoryBytes();
            cpuHot[w] = cpu > HOT ? cpuHot[w] + 1 : 0;
            int vcpus = a.vcpus();
            long memory = a.memoryBytes();
            if (cpuHot[w] >= cpuSteps) {
                vcpus = Math.min(spec.maxVcpus(), (int) Math.ceil(vcpus * CPU_FACTOR));
                cpuHot[w] = 0;
            }
            if (mem > HOT) {
                memory = Math.min(spec.maxMemory(), (long) Math.ceil(memory * MEMORY_FACTOR));
            }
            if (vcpus > a.vcpus() || memory > a.memoryBytes()) {
                flagged[w] = true;
                calm[w] = 0;
                alloc[w] = new Allocation(vcpus, memory);
                continue;
            }
            calm[w] = cpu <= HOT && mem <= HOT ? calm[w] + 1 : 0;
            if (calm[w] >= calmSteps && (a.vcpus() != spec.baselineVcpus() || a.memoryBytes() != spec.baselineMemory())) {
                alloc[w] = new Allocation(spec.baselineVcpus(), spec.baselineMemory());
                calm[w] = 0;
            }
        }
    }
}
