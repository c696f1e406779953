package io.headroom.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which workloads (libvirt domains) Headroom looks after.
 *
 * @param source     where the list of workloads comes from
 * @param libvirtUri libvirt connection URI, used when {@code source} is {@link Source#LIBVIRT}
 * @param label      the Prometheus label that names a workload in every feature series (e.g. {@code domain})
 * @param selector   series selector used for discovery from Prometheus (label values of {@code label} on it)
 * @param include    a workload is kept only if its whole name matches
 * @param exclude    a workload whose whole name matches is dropped (applied after include)
 */
public record WorkloadsConfig(
        Source source, String libvirtUri, String label, String selector, Pattern include, Optional<Pattern> exclude) {

    /** Where workload names come from. */
    public enum Source { LIBVIRT, PROMETHEUS }

    /** True if the name passes the include and exclude filters. */
    public boolean accepts(String name) {
        return include.matcher(name).matches() && exclude.map(p -> !p.matcher(name).matches()).orElse(true);
    }
}
