package io.headroom.simulate;

import io.headroom.decide.Allocation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One guest's physics. Each step draws its load from the profile (the same random draws whatever the policy, so
 * policies are compared on identical load), adds the incidents under way, and derives what
 * prometheus-libvirt-exporter would show given the guest's current allocation. Failure is decided here, from
 * demand against allocation and the scenario's service levels, never from any detector.
 *
 * <p>Failure rules: memory in use above allocated memory fails at once (OOM); CPU demand above the allocated
 * vCPUs, disk latency above {@code slo.disk_latency}, network latency above {@code slo.net_latency} or the
 * request rate below {@code slo.min_request_ratio} of normal, held for {@code slo.sustain}, fails. A failed guest
 * stays failed, exporting nothing, until the incident it failed in ends; it then runs again with the allocation it
 * has (the failed process is restarted, the guest is not rebooted).
 */
final class Physics {

    /** Features of the libvirt-exporter preset, in its order: what the simulated guests export. */
    static final List<String> FEATURES = List.of("cpu_cores_used", "memory_usage_ratio", "disk_read_bytes_rate",
            "disk_write_bytes_rate", "disk_latency_seconds", "net_rx_bytes_rate", "net_tx_bytes_rate", "net_drops_rate");

    private static final double DAY_HOURS = 24;
    private static final double WEEK_HOURS = 24 * 7;
    /** Random draws per step: one per profile signal, always all of them. */
    private static final int DRAWS = 10;

    /** What one step produced for a guest. */
    record Sample(double[] features, double cpuDemand, double memoryUsed, boolean failed, boolean failedNow,
                  Scenario.Incident failedIn) {}

    private final Scenario scenario;
    private final Scenario.Workload w;
    private final List<Scenario.Incident> incidents;
    private final SplittableRandom random;
    private final int sustainSteps;
    private final double[] draws = new double[DRAWS];
    private int cpuBreach;
    private int diskBreach;
    private int netBreach;
    private int requestBreach;
    private Scenario.Incident failedIn;
    private boolean failedOutside;

    Physics(Scenario scenario, Scenario.Workload w, long seed, int index) {
        this.scenario = scenario;
        this.w = w;
        this.incidents = scenario.incidents().stream().filter(i -> i.workload().equals(w.name())).toList();
        // One stream per guest, fixed by seed and position: adding a policy or an incident never shifts the noise.
        this.random = new SplittableRandom(seed * 1_000_003L + index * 7919L);
        this.sustainSteps = (int) Math.max(1, scenario.slo().sustain().toMillis() / scenario.step().toMillis());
    }

    /**
     * The guest at {@code t} with allocation {@code a}. Call once per step, in time order, for history and run
     * alike (history has no incidents).
     */
    Sample step(Instant t, Allocation a, boolean history) {
        for (int k = 0; k < DRAWS; k++) {
            draws[k] = random.nextGaussian();
        }
        double hours = (t.getEpochSecond() - scenario.start().getEpochSecond()) / 3600.0;
        Scenario.Profile p = w.load();
        double cpu = value(p.cpu(), hours, draws[0]);
        double mem = value(p.memory(), hours, draws[1]);
        double diskR = value(p.diskRead(), hours, draws[2]);
        double diskW = value(p.diskWrite(), hours, draws[3]);
        double diskLat = value(p.diskLatency(), hours, draws[4]);
        double netRx = value(p.netRx(), hours, draws[5]);
        double netTx = value(p.netTx(), hours, draws[6]);
        double drops = value(p.netDrops(), hours, draws[7]);
        double netLat = value(p.netLatency(), hours, draws[8]);
        double requests = value(p.requests(), hours, draws[9]);
        double normalRequests = value(p.requests(), hours, 0) * (1 - p.requests().noise());

        Duration since = Duration.between(scenario.start(), t);
        Scenario.Incident active = null;
        double benign = 0;
        if (!history) {
            for (Scenario.Incident i : incidents) {
                double x = i.intensity(since.minus(i.start())) * i.severity();
                if (!i.activeAt(since)) {
                    continue;
                }
                if (i.kind().benign()) {
                    benign = Math.max(benign, x);
                    continue;
                }
                active = i;
                switch (i.kind()) {
                    case MEMORY_LEAK, RUNAWAY_LEAK -> mem += x * w.baselineMemory();
                    case CPU_SURGE -> cpu += x * w.baselineVcpus();
                    case IO_STORM -> {
                        diskR *= 1 + 4 * x;
                        diskW *= 1 + 4 * x;
                        diskLat *= 1 + 10 * x;
                    }
                    case NET_DEGRADATION -> {
                        drops += 200 * x;
                        netLat *= 1 + 10 * x;
                        netRx *= 1 - 0.5 * Math.min(1, x);
                        netTx *= 1 - 0.5 * Math.min(1, x);
                    }
                    case SOFTWARE_FAULT -> {
                        // A hung service: it stops taking requests, so CPU and network fall with them.
                        double hung = Math.min(1, x);
                        requests *= 1 - hung;
                        cpu *= 1 - 0.8 * hung;
                        netRx *= 1 - 0.8 * hung;
                        netTx *= 1 - 0.8 * hung;
                    }
                }
            }
        }

        if (benign > 0) {
            // A deploy or benign burst: busier, but never past the guest's baseline (CPU capped below its baseline
            // vCPUs, memory halfway into what its baseline leaves free), so it fails nothing by itself and needs no
            // more than it had; what Headroom adds is not used.
            cpu = Math.max(cpu, Math.min(cpu * (1 + benign), 0.9 * w.baselineVcpus()));
            mem += Math.min(benign, 1) * 0.5 * Math.max(0, w.baselineMemory() - mem);
            diskR *= 1 + 2 * benign;
            diskW *= 1 + 2 * benign;
            netRx *= 1 + benign;
            netTx *= 1 + benign;
        }
        // A failure ends with its incident; one outside any incident ends when its cause clears.
        if (failedIn != null && !failedIn.activeAt(since)) {
            failedIn = null;
            resetBreaches();
        }
        boolean wasFailed = failedIn != null || failedOutside;
        failedOutside = false;
        cpuBreach = cpu > a.vcpus() ? cpuBreach + 1 : 0;
        diskBreach = diskLat > scenario.slo().diskLatency() ? diskBreach + 1 : 0;
        netBreach = netLat > scenario.slo().netLatency() ? netBreach + 1 : 0;
        requestBreach = requests < scenario.slo().minRequestRatio() * normalRequests ? requestBreach + 1 : 0;
        boolean breach = mem > a.memoryBytes() || cpuBreach >= sustainSteps || diskBreach >= sustainSteps
                || netBreach >= sustainSteps || requestBreach >= sustainSteps;
        boolean failed = wasFailed || breach;
        boolean failedNow = false;
        if (breach && !wasFailed) {
            failedNow = true;
            if (active != null) {
                failedIn = active;
            } else {
                failedOutside = true;
            }
        } else if (failedIn == null && breach) {
            failedOutside = true;
        }
        double[] f = new double[FEATURES.size()];
        if (failed) {
            // A failed guest exports nothing: the exporter's scrape of it fails.
            java.util.Arrays.fill(f, Double.NaN);
        } else {
            f[0] = Math.min(cpu, a.vcpus());
            f[1] = Math.min(mem, a.memoryBytes()) / (double) w.maxMemory();
            f[2] = diskR;
            f[3] = diskW;
            f[4] = diskLat;
            f[5] = netRx;
            f[6] = netTx;
            f[7] = drops;
        }
        return new Sample(f, cpu, mem, failed, failedNow, failedNow ? active : null);
    }

    private void resetBreaches() {
        cpuBreach = 0;
        diskBreach = 0;
        netBreach = 0;
        requestBreach = 0;
    }

    private double value(Scenario.Signal s, double hours, double gaussian) {
        double h = hours + w.phaseHours();
        double season = 1 + s.daily() * Math.sin(2 * Math.PI * h / DAY_HOURS)
                + s.weekly() * Math.sin(2 * Math.PI * h / WEEK_HOURS);
        return Math.max(0, s.mean() * season * (1 + s.noise() * gaussian));
    }
}
