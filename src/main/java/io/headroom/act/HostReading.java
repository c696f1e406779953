package io.headroom.act;

import java.util.Map;

/**
 * One cycle's read of the host and the guests it asked for.
 *
 * @param host    the host's CPUs and memory and what its running guests hold
 * @param domains each guest read, by name
 * @param failed  each guest that could not be read, by name, with why ({@link LibvirtFailure.Kind#DOMAIN_GONE}
 *                for one that does not run); a lost connection fails the whole read instead
 */
public record HostReading(HostSnapshot host, Map<String, DomainReading> domains, Map<String, LibvirtFailure> failed) {

    public HostReading {
        domains = Map.copyOf(domains);
        failed = Map.copyOf(failed);
    }
}
