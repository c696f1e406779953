package io.headroom.act;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Each running guest's scheduler parameters and opt-out, which no statistics group of
 * {@code virConnectGetAllDomainStats} carries: read once per start of the guest (its domain id), then again only
 * when libvirt's tunable or metadata-change event says they changed, or the gateway changed the quota itself. So
 * a cycle reads a fleet in one bulk call instead of three calls per guest.
 *
 * <p>Events arrive on libvirt's event-loop thread while a read runs on the gateway's: an event that lands while a
 * guest's entry is being read makes that read's result stale, so {@link #put} keeps it only if no event came
 * since {@link #generation} was taken.
 */
final class DomainTunables {

    /**
     * @param id        the domain id the entry was read under
     * @param scheduler the live scheduler parameters; empty where the driver has none
     * @param optedOut  whether the domain's metadata opts it out
     */
    record Entry(int id, Optional<Map<String, Long>> scheduler, boolean optedOut) {

        /** The CFS cap at {@code vcpus} (a global quota's maximum grows with them). */
        Optional<CpuQuota> quota(int vcpus) {
            return scheduler.flatMap(p -> CpuQuota.fromSchedulerParameters(p, vcpus));
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Long> generations = new HashMap<>();

    /** The entry of {@code name} read under domain id {@code id}, if it is still valid. */
    synchronized Optional<Entry> get(String name, int id) {
        Entry e = entries.get(name);
        return e != null && e.id() == id ? Optional.of(e) : Optional.empty();
    }

    /** Taken before reading {@code name}'s entry, for {@link #put}. */
    synchronized long generation(String name) {
        return generations.getOrDefault(name, 0L);
    }

    /** Keeps {@code e} unless {@code name} was invalidated since {@code generation}. */
    synchronized void put(String name, long generation, Entry e) {
        if (generation(name) == generation) {
            entries.put(name, e);
        }
    }

    /** Forgets {@code name}'s entry: libvirt or the gateway changed its tunables or metadata. */
    synchronized void invalidate(String name) {
        entries.remove(name);
        generations.merge(name, 1L, Long::sum);
    }

    /** Forgets every entry: a new connection, whose events may have missed changes. */
    synchronized void clear() {
        entries.clear();
        generations.replaceAll((name, g) -> g + 1);
    }

    /** Drops the entries of guests that no longer run. */
    synchronized void retain(Set<String> running) {
        entries.keySet().retainAll(running);
        generations.keySet().retainAll(running);
    }
}
