package io.headroom.act;

import io.headroom.config.ActConfig;
import io.headroom.decide.Decision;
import io.headroom.decide.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Enforce mode: applies decisions live through the {@link Hypervisor} (libvirt's, in production). */
public final class LibvirtActuator implements Actuator {

    private final Hypervisor gateway;

    /** @param gateway a read-write connection; libvirt refuses every change on a read-only one */
    public LibvirtActuator(Hypervisor gateway) {
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
    public List<ActuationResult> apply(Decision decision, Optional<CpuQuota> quota) {
        List<ActuationResult> results = new ArrayList<>();
        for (Resource r : Resource.values()) {
            if (!decision.changes(r)) {
                continue;
            }
            String w = decision.workload();
            long target = decision.target().get(r);
            ActuationResult res = switch (r) {
                case CPU -> gateway.setVcpus(w, decision.targetVcpus());
                case MEMORY -> gateway.setMemory(w, decision.targetMemoryBytes());
                case CPU_QUOTA -> quota.isPresent()
                        ? gateway.setCpuQuota(w, quota.get().param(), target)
                        : new ActuationResult(w, r, ActuationResult.Status.REFUSED, target, java.util.OptionalLong.empty(),
                                "libvirt reports no CFS quota for " + w);
            };
            results.add(res);
            if (res.status() == ActuationResult.Status.DOMAIN_GONE
                    || res.status() == ActuationResult.Status.CONNECTION_LOST) {
                break;
            }
        }
        return results;
    }
}
