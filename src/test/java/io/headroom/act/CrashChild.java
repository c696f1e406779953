package io.headroom.act;

import io.headroom.config.ActConfig;
import io.headroom.config.ConfigLoader;
import io.headroom.decide.Allocation;
import io.headroom.decide.Decision;
import io.headroom.decide.WorkloadScore;
import io.headroom.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The process {@link ActuationCrashIT} kills. It raises web-1 once in enforce mode, prints what libvirt then
 * shows, and waits to be killed (or for its stdin to close, so that it never outlives the test).
 *
 * <p>Arguments: libvirt URI, state dir, cycle time, and where to stop:
 * {@code after-commit} (the change and its outcome are saved) or {@code before-commit} (libvirt applied the
 * change, the process stops before the service could save the outcome; only the written-down intent is on disk).
 */
public final class CrashChild {

    /** The config both the child and the restarted service use. */
    static final String CONFIG = "decide: {cooldown: 0s, hysteresis: {escalate_after_cycles: 1}, "
            + "decay: {after: 10m, step: 0.5}}";

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        Path stateDir = Path.of(args[1]);
        Instant now = Instant.parse(args[2]);
        boolean beforeCommit = args[3].equals("before-commit");
        try (LibvirtGateway gateway = new LibvirtGateway(uri, false)) {
            LibvirtActuator real = new LibvirtActuator(gateway);
            Actuator actuator = new Actuator() {
                @Override
                public ActConfig.Mode mode() {
                    return ActConfig.Mode.ENFORCE;
                }

                @Override
                public List<ActuationResult> apply(Decision decision, Optional<CpuQuota> quota) {
                    List<ActuationResult> results = real.apply(decision, quota);
                    if (beforeCommit) {
                        report("APPLIED", gateway.allocation(decision.workload()).current());
                        waitToBeKilled();
                    }
                    return results;
                }
            };
            ActuationService service = new ActuationService(ConfigLoader.parse(CONFIG, null).decide(),
                    ConfigLoader.parse(CONFIG, null).act(), gateway, actuator, StateStore.under(stateDir), Metrics.isolated());
            SortedSet<String> running = gateway.runningDomainNames();
            Map<String, WorkloadScore> scores = new HashMap<>();
            running.forEach(w -> scores.put(w, Scores.calm()));
            scores.put("web-1", Scores.pressure(95));
            service.cycle(running, scores, now);
            report("COMMITTED", gateway.allocation("web-1").current());
            waitToBeKilled();
        }
    }

    private static void report(String what, Allocation a) {
        System.out.println(what + " " + a.vcpus() + " " + a.memoryBytes());
        System.out.flush();
    }

    private static void waitToBeKilled() {
        try {
            while (System.in.read() != -1) {
                // Nothing is ever sent; the read only blocks until the test kills this process or goes away.
            }
        } catch (IOException e) {
            // Same as end of input.
        }
        System.exit(3);
    }
}
