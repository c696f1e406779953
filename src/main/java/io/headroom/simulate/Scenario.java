package io.headroom.simulate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A validated scenario, built only by {@link ScenarioLoader}: the guests, their load, the incidents and the
 * service levels the physics judges failure by.
 *
 * @param name      shown in the report
 * @param start     virtual time of the first simulated step (history precedes it)
 * @param duration  simulated time after {@code start}
 * @param step      physics resolution; also the feature matrix step
 * @param history   incident-free history before {@code start}, which the headroom policy trains on
 * @param slo       what counts as a failure
 * @param host      the simulated hypervisor
 * @param workloads guests, in name order
 * @param incidents in start order
 * @param config    Headroom config YAML used by the headroom policy (act.mode is forced to enforce)
 */
public record Scenario(String name, Instant start, Duration duration, Duration step, Duration history, Slo slo,
                       Host host, List<Workload> workloads, List<Incident> incidents, String config) {

    public Scenario {
        workloads = List.copyOf(workloads);
        incidents = List.copyOf(incidents);
    }

    /** Simulated steps after {@code start}. */
    public int steps() {
        return (int) (duration.toMillis() / step.toMillis());
    }

    /** History steps before {@code start}. */
    public int historySteps() {
        return (int) (history.toMillis() / step.toMillis());
    }

    /**
     * Failure rules.
     *
     * @param sustain         how long a service-level breach must last before the guest counts as failed
     * @param diskLatency     mean disk latency above which I/O breaches, seconds
     * @param netLatency      network latency above which the network breaches, seconds
     * @param minRequestRatio request rate below this share of the normal rate breaches (a hung service)
     */
    public record Slo(Duration sustain, double diskLatency, double netLatency, double minRequestRatio) {}

    /** The hypervisor's size, for the libvirt test driver and the host guardrails. */
    public record Host(int cpus, long memoryBytes) {}

    /**
     * One seasonal, noisy signal: {@code mean × (1 + daily·sin(day phase) + weekly·sin(week phase)) × (1 +
     * noise·N(0,1))}, never below 0.
     */
    public record Signal(double mean, double daily, double weekly, double noise) {
        /** A constant. */
        public static Signal constant(double v) {
            return new Signal(v, 0, 0, 0);
        }
    }

    /**
     * A guest's normal load.
     *
     * @param cpu        CPU demand in vCPUs (busy vCPUs it would use given enough)
     * @param memory     memory in use, bytes
     * @param diskRead   bytes/s
     * @param diskWrite  bytes/s
     * @param diskLatency mean seconds per block request
     * @param netRx      bytes/s
     * @param netTx      bytes/s
     * @param netDrops   dropped and errored packets/s
     * @param netLatency seconds
     * @param requests   requests/s served
     */
    public record Profile(Signal cpu, Signal memory, Signal diskRead, Signal diskWrite, Signal diskLatency,
                          Signal netRx, Signal netTx, Signal netDrops, Signal netLatency, Signal requests) {}

    /**
     * One guest.
     *
     * @param phaseHours shifts its daily cycle, so a fleet does not peak in lockstep
     * @param clean      named clean by the scenario: it must have no incidents, and every increase on it is false
     */
    public record Workload(String name, int baselineVcpus, int maxVcpus, long baselineMemory, long maxMemory,
                           Profile load, double phaseHours, boolean clean) {}

    /** Incident kinds; only memory-leak and cpu-surge are helped by more CPU or memory. */
    public enum Kind {
        MEMORY_LEAK("memory-leak", true),
        /** A leak past anything the tiers or the domain's maximum can give: more memory only delays the failure. */
        RUNAWAY_LEAK("runaway-leak", false),
        CPU_SURGE("cpu-surge", true),
        IO_STORM("io-storm", false),
        NET_DEGRADATION("net-degradation", false),
        SOFTWARE_FAULT("software-fault", false),
        /**
         * Not an incident: a deploy or a benign burst (CPU up, memory up, disk and network busy) that stays inside
         * the guest's allocation and fails nothing. Raises during it count as false actions.
         */
        BENIGN_BURST("benign-burst", false, true);

        private final String label;
        private final boolean preventable;
        private final boolean benign;

        Kind(String label, boolean preventable) {
            this(label, preventable, false);
        }

        Kind(String label, boolean preventable, boolean benign) {
            this.label = label;
            this.preventable = preventable;
            this.benign = benign;
        }

        /** True for events that are no incident: they fail nothing, and a raise during one is a false action. */
        public boolean benign() {
            return benign;
        }

        /** The name used in scenario files and reports. */
        public String label() {
            return label;
        }

        /** True if more vCPUs or memory can keep the guest from failing. */
        public boolean preventable() {
            return preventable;
        }
    }

    /**
     * One incident.
     *
     * @param start    offset from the scenario start
     * @param ramp     time from onset to full severity (linear)
     * @param severity kind-specific strength, see the README
     * @param duration from onset until it ends (the leak is fixed, the surge passes, ...)
     */
    public record Incident(String workload, Kind kind, Duration start, Duration ramp, double severity, Duration duration) {

        /** Share of full severity at {@code sinceStart} after onset; 0 outside the incident. */
        public double intensity(Duration sinceStart) {
            if (sinceStart.isNegative() || sinceStart.compareTo(duration) >= 0) {
                return 0;
            }
            return ramp.isZero() ? 1 : Math.min(1.0, (double) sinceStart.toMillis() / ramp.toMillis());
        }

        /** True if the incident is under way at {@code sinceStart} after the scenario start. */
        public boolean activeAt(Duration sinceScenarioStart) {
            return sinceScenarioStart.compareTo(start) >= 0 && sinceScenarioStart.compareTo(start.plus(duration)) < 0;
        }
    }
}
