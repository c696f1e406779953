package io.headroom.act;

import io.headroom.config.ActConfig;
import io.headroom.decide.Decision;
import io.headroom.decide.Resource;
import java.util.ArrayList;
import java.util.List;

/** Enforce mode: applies decisions live through the {@link LibvirtGateway}. */
public final class LibvirtActuator implements Actuator {

    private final LibvirtGateway gateway;

    /** @param gateway a read-write gateway; libvirt refuses every change on a read-only connection */
    public LibvirtActuator(LibvirtGateway gateway) {
        if (gateway.readOnly()) {
            throw new IllegalArgumentException("enforce mode needs a read-write libvirt connection to " + gateway.uri());
        }
        this.gateway = gateway;
    }

    @Override
    public ActConfig.Mode mode() {
        return ActConfig.Mode.ENFORCE;
    }

    /** Blocks on libvirt: call on the {@code headroom-libvirt} worker pool. */
    @Override
    public List<ActuationResult> apply(Decision decision) {
        List<ActuationResult> results = new ArrayList<>();
        for (Resource r : Resource.values()) {
            if (!decision.changes(r)) {
                continue;
            }
            ActuationResult res = r == Resource.CPU
                    ? gateway.setVcpus(decision.workload(), decision.targetVcpus())
                    : gateway.setMemory(decision.workload(), decision.targetMemoryBytes());
            results.add(res);
            if (res.status() == ActuationResult.Status.DOMAIN_GONE
                    || res.status() == ActuationResult.Status.CONNECTION_LOST) {
                break;
            }
        }
        return results;
    }
}
