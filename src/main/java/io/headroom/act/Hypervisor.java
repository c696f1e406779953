package io.headroom.act;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * What the actuation stage needs from the host: read each guest and the host, and change a guest's vCPUs, memory
 * and CFS quota live. {@link LibvirtGateway} is the one implementation in production (the only owner of the
 * libvirt connection); the unit tests of {@link ActuationService} run against an in-memory one. Every call blocks:
 * call on the {@code headroom-libvirt} worker pool.
 *
 * <p>Reads throw {@link LibvirtFailure} ({@link LibvirtFailure.Kind#DOMAIN_GONE} for a guest that does not run,
 * {@link LibvirtFailure.Kind#CONNECTION_LOST} when the host cannot be reached); changes never throw for the host's
 * errors but report them in their {@link ActuationResult}.
 */
public interface Hypervisor extends AutoCloseable {

    /** Where the host is reached, for messages (a libvirt URI). */
    String uri();

    /** True if the connection refuses changes. */
    boolean readOnly();

    /** The running guests, sorted by name. */
    SortedSet<String> runningDomainNames();

    /** The defined guests that do not run. */
    List<String> inactiveDomainNames();

    /** A running guest's live and maximum allocation, its CFS quota and whether it opted out. */
    DomainAllocation allocation(String name);

    /** A running guest's CPU time, memory and balloon statistics. */
    DomainStats stats(String name);

    /** The host's CPUs and memory and what its running guests hold. */
    HostSnapshot host();

    /**
     * The host and each of {@code names}, as one cycle reads them: by default {@link #host}, then
     * {@link #allocation} and {@link #stats} guest by guest. A guest that cannot be read (it stopped) is in
     * {@link HostReading#failed}; a lost connection throws.
     */
    default HostReading read(SortedSet<String> names) {
        HostSnapshot host = host();
        Map<String, DomainReading> domains = new TreeMap<>();
        Map<String, LibvirtFailure> failed = new TreeMap<>();
        for (String name : names) {
            try {
                domains.put(name, new DomainReading(allocation(name), stats(name)));
            } catch (LibvirtFailure f) {
                if (f.kind() == LibvirtFailure.Kind.CONNECTION_LOST) {
                    throw f;
                }
                failed.put(name, f);
            }
        }
        return new HostReading(host, domains, failed);
    }

    /** Sets a guest's live vCPUs and reads them back. */
    ActuationResult setVcpus(String name, int vcpus);

    /** Sets a guest's live memory (a balloon target) and reads it back. */
    ActuationResult setMemory(String name, long bytes);

    /** Sets one CFS quota parameter of a guest and reads it back. */
    ActuationResult setCpuQuota(String name, CpuQuota.Param param, long quota);

    /** Releases the connection; never throws. */
    @Override
    void close();
}
