package io.headroom.act;

import io.headroom.decide.Allocation;
import io.headroom.decide.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A host in memory, for fast tests of {@link ActuationService}: guests with a live and a maximum allocation that
 * changes take effect on at once, a host of fixed size, and faults a test can inject (a lost connection, a guest
 * that stops). What libvirt itself does is covered by the ITs against its test driver and real QEMU guests.
 */
public final class InMemoryHypervisor implements Hypervisor {

    private static final class Guest {
        Allocation current;
        final Allocation max;

        Guest(Allocation current, Allocation max) {
            this.current = current;
            this.max = max;
        }
    }

    private final int cpus;
    private final long memory;
    private final Map<String, Guest> guests = new LinkedHashMap<>();
    private boolean connectionLost;
    public final List<String> changes = new ArrayList<>();

    public InMemoryHypervisor(int cpus, long memoryBytes) {
        this.cpus = cpus;
        this.memory = memoryBytes;
    }

    public InMemoryHypervisor guest(String name, Allocation current, Allocation max) {
        guests.put(name, new Guest(current, max));
        return this;
    }

    /** The guest stops: reads say it is gone. */
    public void stop(String name) {
        guests.remove(name);
    }

    /** Every later call fails as if libvirtd went away, until {@link #reconnect}. */
    public void loseConnection() {
        connectionLost = true;
    }

    public void reconnect() {
        connectionLost = false;
    }

    public Allocation current(String name) {
        return guests.get(name).current;
    }

    @Override
    public String uri() {
        return "memory:///";
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public SortedSet<String> runningDomainNames() {
        reachable("list_domains");
        return new TreeSet<>(guests.keySet());
    }

    @Override
    public List<String> inactiveDomainNames() {
        reachable("list_domains");
        return List.of();
    }

    @Override
    public DomainAllocation allocation(String name) {
        Guest g = guest(name, "read_allocation");
        return new DomainAllocation(name, g.current, g.max);
    }

    @Override
    public DomainStats stats(String name) {
        Guest g = guest(name, "read_stats");
        return new DomainStats(name, 0, g.current.vcpus(), g.current.memoryBytes(), g.max.memoryBytes(),
                new BalloonStats(Map.of()));
    }

    @Override
    public HostSnapshot host() {
        reachable("read_host");
        int vcpus = guests.values().stream().mapToInt(g -> g.current.vcpus()).sum();
        long mem = guests.values().stream().mapToLong(g -> g.current.memoryBytes()).sum();
        return new HostSnapshot(cpus, memory, vcpus, mem, OptionalLong.empty());
    }

    @Override
    public ActuationResult setVcpus(String name, int vcpus) {
        return change(name, Resource.CPU, vcpus);
    }

    @Override
    public ActuationResult setMemory(String name, long bytes) {
        return change(name, Resource.MEMORY, bytes);
    }

    @Override
    public ActuationResult setCpuQuota(String name, CpuQuota.Param param, long quota) {
        return new ActuationResult(name, Resource.CPU_QUOTA, ActuationResult.Status.REFUSED, quota,
                OptionalLong.empty(), "no CFS quota in memory");
    }

    @Override
    public void close() {
    }

    private ActuationResult change(String name, Resource r, long value) {
        if (connectionLost) {
            return new ActuationResult(name, r, ActuationResult.Status.CONNECTION_LOST, value, OptionalLong.empty(),
                    "connection lost");
        }
        Guest g = guests.get(name);
        if (g == null) {
            return new ActuationResult(name, r, ActuationResult.Status.DOMAIN_GONE, value, OptionalLong.empty(),
                    name + " does not run");
        }
        if (value > g.max.get(r)) {
            return new ActuationResult(name, r, ActuationResult.Status.REFUSED, value, OptionalLong.empty(),
                    "above the maximum " + g.max.get(r));
        }
        g.current = g.current.with(r, value);
        changes.add(name + " " + r.name().toLowerCase(java.util.Locale.ROOT) + " " + value);
        return new ActuationResult(name, r, ActuationResult.Status.APPLIED, value, OptionalLong.of(value), "");
    }

    private void reachable(String op) {
        if (connectionLost) {
            throw new LibvirtFailure(LibvirtFailure.Kind.CONNECTION_LOST, op + ": connection lost", null);
        }
    }

    private Guest guest(String name, String op) {
        reachable(op);
        Guest g = guests.get(name);
        if (g == null) {
            throw new LibvirtFailure(LibvirtFailure.Kind.DOMAIN_GONE, name + " does not run", null);
        }
        return g;
    }
}
