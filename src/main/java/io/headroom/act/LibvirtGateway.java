package io.headroom.act;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import io.headroom.config.ActConfig;
import io.headroom.config.Durations;
import io.headroom.decide.Allocation;
import io.headroom.decide.Resource;
import io.headroom.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.jna.CString;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virDomainInfo;
import org.libvirt.jna.virError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of Headroom's libvirt connection. Every libvirt call goes through here so that errors are
 * classified in one place ({@link LibvirtFailure.Kind}), counted by operation and reason, and a broken
 * connection is reopened on a later call: at once after a call failed, then with exponential backoff while
 * opening keeps failing.
 *
 * <p>Reads throw {@link LibvirtFailure}; changes return an {@link ActuationResult} instead, so that a failed
 * change cannot be mistaken for a crash of the cycle. Changes affect the live domain only, and each is read back:
 * memory by polling until the balloon shows the new size or {@code act.memory_readback_timeout} passes (QEMU's
 * balloon takes about a second), scheduler parameters one at a time.
 *
 * <p>A vCPU unplug that QEMU 7.2 performs but never confirms (libvirt waits 5 s for an event that does not come,
 * fails with "vcpu unplug request timed out" and keeps counting the vCPU) is recognised here and returned as
 * {@link ActuationResult.Status#UNPLUG_FAILED} with the count libvirt still reports.
 *
 * <p>Every method blocks on libvirt: call it on the {@code headroom-libvirt} worker pool, never on an event
 * loop. Methods are synchronized because a libvirt connection (and the test driver's state) belongs to one
 * caller at a time, and libvirt reports errors per thread.
 */
public final class LibvirtGateway implements Hypervisor {

    /**
     * Namespace of Headroom's element in a domain's {@code <metadata>}. A domain carrying
     * {@code <headroom:config xmlns:headroom="https://headroom.io/xmlns/1" opt-out="true"/>} there, in its live or
     * its persistent definition, is never changed (e.g. {@code virsh metadata DOMAIN https://headroom.io/xmlns/1
     * --key headroom --set '<config opt-out="true"/>' --live --config}).
     */
    public static final String METADATA_NAMESPACE = "https://headroom.io/xmlns/1";

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtGateway.class);
    private static final Libvirt LIBVIRT = Libvirt.INSTANCE;
    private static final LibvirtNative NATIVE = LibvirtNative.INSTANCE;

    /**
     * libvirt prints every error to stderr unless an error function is set. The gateway classifies, counts and
     * logs each failure itself, so the default printer only duplicated them in the journal. Kept in a static
     * field because libvirt holds the callback for the life of the process.
     */
    /** The default of {@code act.memory_readback_timeout}. */
    static final Duration DEFAULT_MEMORY_READBACK = Duration.ofSeconds(5);

    private static final Libvirt.VirErrorCallback QUIET = (userData, error) -> { };

    static {
        try {
            Connect.setErrorCallback(QUIET);
        } catch (LibvirtException e) {
            LOG.debug("could not replace libvirt's default error printer", e);
        }
    }

    private final String uri;
    private final boolean readOnly;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private final Metrics metrics;
    private final Duration memoryReadbackTimeout;
    private final Duration callTimeout;
    private final Keepalive keepalive;
    /** Runs every native call, so that the caller can stop waiting for one that hangs ({@link #bounded}). */
    private final CallThread calls = new CallThread();
    private volatile NativeConnect conn;
    private int failedOpens;
    private Instant nextOpenAt;
    /** Each running guest's scheduler parameters and opt-out, while {@link #events} says when they change. */
    private final DomainTunables tunables = new DomainTunables();
    /** True while the connection delivers tunable and metadata-change events, so {@link #tunables} can be trusted. */
    private volatile boolean events;
    /** Held for as long as the gateway lives: libvirt calls them from its event loop. */
    private final LibvirtNative.TunableCallback onTunable = (c, dom, params, n, opaque) -> changed(dom);
    private final LibvirtNative.MetadataChangeCallback onMetadata = (c, dom, type, ns, opaque) -> changed(dom);
    /** Domains whose unreadable opt-out was already logged, so a cycle every few seconds does not repeat it. */
    private final Set<String> badMetadataLogged = new HashSet<>();

    /**
     * A gateway with default reconnect backoff (1s doubling to 1m) whose failures are counted in private metrics;
     * enough for discovery and one-shot commands.
     *
     * @param uri      libvirt URI, e.g. {@code qemu:///system} or {@code test:///path/node.xml}
     * @param readOnly open the connection read-only (enough for discovery and observe mode)
     */
    public LibvirtGateway(String uri, boolean readOnly) {
        this(uri, readOnly, Settings.DEFAULT, Metrics.isolated());
    }

    /**
     * libvirt keepalive: a ping every {@code interval}, the connection closed after {@code count} unanswered ones.
     *
     * @param interval between pings; zero turns keepalive off
     * @param count    unanswered pings before the connection is given up
     */
    public record Keepalive(Duration interval, int count) {

        /** libvirtd's own defaults ({@code keepalive_interval = 5}, {@code keepalive_count = 5}): silence found in ~30s. */
        public static final Keepalive DEFAULT = new Keepalive(Duration.ofSeconds(5), 5);

        /** No keepalive: only the call deadline finds a silent daemon. */
        public static final Keepalive OFF = new Keepalive(Duration.ZERO, 0);

        public Keepalive {
            if (interval.isNegative() || (!interval.isZero() && count < 1)) {
                throw new IllegalArgumentException("keepalive needs interval >= 0 and count >= 1, got " + interval
                        + " x " + count);
            }
        }

        boolean enabled() {
            return !interval.isZero();
        }
    }

    /**
     * How the gateway reconnects and reads changes back.
     *
     * @param initialBackoff        wait before reopening after the first failed open; doubles per further failure
     * @param maxBackoff            upper bound of that wait
     * @param memoryReadbackTimeout how long a memory change is polled until the balloon shows it
     * @param clock                 time source for the backoff (tests pass a controllable one)
     * @param callTimeout           the longest one call may take (a memory change's read-back polling on top)
     * @param keepalive             libvirt keepalive on each connection the gateway opens
     */
    public record Settings(Duration initialBackoff, Duration maxBackoff, Duration memoryReadbackTimeout, Clock clock,
                           Duration callTimeout, Keepalive keepalive) {

        /** The default of {@code act.libvirt_call_timeout}. */
        public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(45);

        /** 1s doubling to 1m, the default read-back and call timeouts and keepalive, the system clock. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(1), Duration.ofMinutes(1),
                DEFAULT_MEMORY_READBACK, Clock.systemUTC(), DEFAULT_CALL_TIMEOUT, Keepalive.DEFAULT);

        /** The given backoff, read-back and call timeouts, the default keepalive. */
        public Settings(Duration initialBackoff, Duration maxBackoff, Duration memoryReadbackTimeout, Clock clock,
                        Duration callTimeout) {
            this(initialBackoff, maxBackoff, memoryReadbackTimeout, clock, callTimeout, Keepalive.DEFAULT);
        }

        /** The given backoff and read-back timeout, the default call timeout. */
        public Settings(Duration initialBackoff, Duration maxBackoff, Duration memoryReadbackTimeout, Clock clock) {
            this(initialBackoff, maxBackoff, memoryReadbackTimeout, clock, DEFAULT_CALL_TIMEOUT);
        }

        /** The given backoff, the default read-back and call timeouts. */
        public Settings(Duration initialBackoff, Duration maxBackoff, Clock clock) {
            this(initialBackoff, maxBackoff, DEFAULT_MEMORY_READBACK, clock);
        }

        /**
         * As {@code act} configures it ({@code reconnect_*}, {@code memory_readback_timeout},
         * {@code libvirt_call_timeout}, {@code libvirt_keepalive_*}).
         */
        public static Settings of(ActConfig act) {
            return new Settings(act.reconnectInitialBackoff(), act.reconnectMaxBackoff(), act.memoryReadbackTimeout(),
                    Clock.systemUTC(), act.libvirtCallTimeout(),
                    new Keepalive(act.libvirtKeepaliveInterval(), act.libvirtKeepaliveCount()));
        }
    }

    /**
     * @param uri      libvirt URI, e.g. {@code qemu:///system} or {@code test:///path/node.xml}
     * @param readOnly open the connection read-only (enough for discovery and observe mode)
     * @param metrics  where failures and connects are counted
     */
    public LibvirtGateway(String uri, boolean readOnly, Settings settings, Metrics metrics) {
        this.memoryReadbackTimeout = settings.memoryReadbackTimeout();
        this.uri = uri;
        this.readOnly = readOnly;
        this.initialBackoff = settings.initialBackoff();
        this.maxBackoff = settings.maxBackoff();
        this.clock = settings.clock();
        this.callTimeout = settings.callTimeout();
        this.keepalive = settings.keepalive();
        this.metrics = metrics;
    }

    /** The libvirt URI. */
    @Override
    public String uri() {
        return uri;
    }

    /** True if the connection is opened read-only, which libvirt refuses changes on. */
    @Override
    public boolean readOnly() {
        return readOnly;
    }

    /**
     * Names of the running domains on this host, sorted. Blocking: call on the {@code headroom-libvirt} worker pool.
     */
    @Override
    public synchronized SortedSet<String> runningDomainNames() {
        return bounded("list_domains", callTimeout, () -> {
            NativeConnect c = connection("list_domains");
            // One call for every running domain; their names are kept in the handles, so reading them asks
            // libvirtd nothing more.
            PointerByReference out = new PointerByReference();
            int n = NATIVE.virConnectListAllDomains(c.pointer(), out, LibvirtNative.ACTIVE_DOMAINS);
            if (n < 0) {
                throw fail("list_domains", lastError("list domains on " + uri));
            }
            Pointer array = out.getValue();
            SortedSet<String> names = new TreeSet<>();
            try {
                for (int i = 0; i < n; i++) {
                    Pointer d = array.getPointer((long) i * Native.POINTER_SIZE);
                    try {
                        names.add(NATIVE.virDomainGetName(d));
                    } finally {
                        NATIVE.virDomainFree(d);
                    }
                }
            } finally {
                if (array != null) {
                    Native.free(Pointer.nativeValue(array));
                }
            }
            return names;
        });
    }

    /** Names of defined but not running domains. Blocking: call on the {@code headroom-libvirt} worker pool. */
    @Override
    public synchronized List<String> inactiveDomainNames() {
        return bounded("list_domains", callTimeout, () -> {
            try {
                return new ArrayList<>(List.of(connection("list_domains").listDefinedDomains()));
            } catch (LibvirtException e) {
                throw fail("list_domains", LibvirtFailure.classify("list defined domains on " + uri, e));
            }
        });
    }

    /**
     * The live and maximum vCPUs and memory of a running domain, and whether its metadata opts it out.
     * Blocking: call on the {@code headroom-libvirt} worker pool.
     *
     * @throws LibvirtFailure {@link LibvirtFailure.Kind#DOMAIN_GONE} if it does not exist or does not run
     */
    @Override
    public synchronized DomainAllocation allocation(String name) {
        return bounded("read_allocation", callTimeout, () -> {
            return withDomain("read_allocation", name, dp -> allocationOf(dp, name, info(dp, name)));
        });
    }

    /**
     * CPU time, vCPUs, memory and balloon statistics of a running domain, for the {@code headroom_domain_*} series.
     * Blocking: call on the {@code headroom-libvirt} worker pool.
     *
     * @throws LibvirtFailure {@link LibvirtFailure.Kind#DOMAIN_GONE} if it does not exist or does not run
     */
    @Override
    public synchronized DomainStats stats(String name) {
        return bounded("read_stats", callTimeout, () -> {
            return withDomain("read_stats", name, dp -> statsOf(dp, name, info(dp, name)));
        });
    }

    private DomainAllocation allocationOf(DomainPointer dp, String name, virDomainInfo info) {
        int vcpus = checked(NATIVE.virDomainGetVcpusFlags(dp, LibvirtNative.AFFECT_LIVE), "read live vCPUs of " + name);
        int maxVcpus = checked(NATIVE.virDomainGetVcpusFlags(dp, LibvirtNative.AFFECT_LIVE | LibvirtNative.VCPU_MAXIMUM),
                "read maximum vCPUs of " + name);
        Optional<CpuQuota> quota = scheduler(dp, name).flatMap(p -> CpuQuota.fromSchedulerParameters(p, vcpus));
        return new DomainAllocation(name,
                new Allocation(vcpus, kibToBytes(info.memory), quota.map(CpuQuota::quota).orElse(0L)),
                new Allocation(maxVcpus, kibToBytes(info.maxMem), quota.map(CpuQuota::max).orElse(0L)), quota,
                optedOut(dp, name));
    }

    private DomainStats statsOf(DomainPointer dp, String name, virDomainInfo info) {
        return new DomainStats(name, info.cpuTime / 1e9, info.nrVirtCpu, kibToBytes(info.memory),
                kibToBytes(info.maxMem), balloon(dp, name));
    }

    /**
     * The host and each of {@code names} in one {@code virConnectGetAllDomainStats} call (state, CPU, balloon and
     * vCPU groups) plus the node's info and free memory, whatever the number of guests. Each guest's CFS quota and
     * opt-out, which no statistics group carries, come from {@link DomainTunables}: read once per start of the
     * guest, then only when libvirt's events say they changed ({@code read_tunables}). Where the driver leaves the
     * groups empty (the test driver fills only the state group), a guest is read with its own calls instead
     * ({@code read_domain}), as {@link #allocation} and {@link #stats} do. Blocking: call on the
     * {@code headroom-libvirt} worker pool.
     */
    @Override
    public synchronized HostReading read(SortedSet<String> names) {
        return bounded("read_all", callTimeout, () -> {
            NativeConnect c = connection("read_all");
            try {
                NodeInfo node = c.nodeInfo();
                OptionalLong free = freeMemory(c);
                Map<String, BulkStats> running = bulkStats(c);
                HostSnapshot host = running.values().stream().allMatch(BulkStats::complete)
                        ? new HostSnapshot(node.cpus, node.memory * 1024,
                                running.values().stream().mapToInt(BulkStats::vcpus).sum(),
                                running.values().stream().mapToLong(BulkStats::memoryBytes).sum(), free)
                        : hostByDomain(c, node, free);
                Map<String, DomainReading> domains = new TreeMap<>();
                Map<String, LibvirtFailure> failed = new TreeMap<>();
                for (String name : names) {
                    BulkStats b = running.get(name);
                    if (b == null) {
                        failed.put(name, fail("read_all", new LibvirtFailure(LibvirtFailure.Kind.DOMAIN_GONE,
                                "domain " + name + " does not run on " + uri, null)));
                        continue;
                    }
                    try {
                        domains.put(name, b.complete() ? b.reading(tunables(name, b.id())) : readDomain(name));
                    } catch (LibvirtFailure f) {
                        if (f.kind() == LibvirtFailure.Kind.CONNECTION_LOST) {
                            throw f;
                        }
                        failed.put(name, f);
                    }
                }
                tunables.retain(running.keySet());
                return new HostReading(host, domains, failed);
            } catch (LibvirtException e) {
                throw fail("read_all", LibvirtFailure.classify("read host resources on " + uri, e));
            }
        });
    }

    /** Every running domain's record of one {@code virConnectGetAllDomainStats} call, by name. */
    private Map<String, BulkStats> bulkStats(NativeConnect c) {
        PointerByReference out = new PointerByReference();
        int n = NATIVE.virConnectGetAllDomainStats(c.pointer(), LibvirtNative.STATS_STATE | LibvirtNative.STATS_CPU_TOTAL
                | LibvirtNative.STATS_BALLOON | LibvirtNative.STATS_VCPU, out, LibvirtNative.ACTIVE_DOMAINS);
        if (n < 0) {
            throw fail("read_all", lastError("read domain statistics on " + uri));
        }
        Pointer records = out.getValue();
        Map<String, BulkStats> byName = new TreeMap<>();
        try {
            for (int i = 0; i < n; i++) {
                BulkStats b = BulkStats.read(records.getPointer((long) i * Native.POINTER_SIZE), NATIVE);
                byName.put(b.name(), b);
            }
        } finally {
            if (records != null) {
                NATIVE.virDomainStatsRecordListFree(records);
            }
        }
        return byName;
    }

    /** A guest read with its own calls, for a driver whose bulk statistics lack the groups a cycle needs. */
    private DomainReading readDomain(String name) {
        metrics.libvirtOperations.labels("read_domain").inc();
        return withDomain("read_domain", name, dp -> {
            virDomainInfo info = info(dp, name);
            return new DomainReading(allocationOf(dp, name, info), statsOf(dp, name, info));
        });
    }

    /**
     * {@code name}'s scheduler parameters and opt-out: cached while libvirt's events can say when they change,
     * read with the guest's own calls ({@code read_tunables}) when not cached.
     */
    private DomainTunables.Entry tunables(String name, int id) {
        boolean cache = events;
        if (cache) {
            Optional<DomainTunables.Entry> known = tunables.get(name, id);
            if (known.isPresent()) {
                return known.get();
            }
        }
        long generation = tunables.generation(name);
        metrics.libvirtOperations.labels("read_tunables").inc();
        DomainTunables.Entry e = withDomain("read_tunables", name,
                dp -> new DomainTunables.Entry(id, scheduler(dp, name), optedOut(dp, name)));
        if (cache) {
            tunables.put(name, generation, e);
        }
        return e;
    }

    /**
     * True if the live or the persistent definition opts the domain out. Both, because an operator who adds it
     * with {@code virsh edit} (persistent only) means it now, not after the next boot. Read every cycle, so adding
     * or removing it takes effect without restarting Headroom.
     */
    private boolean optedOut(DomainPointer dp, String name) {
        for (int flags : new int[] {LibvirtNative.AFFECT_LIVE, LibvirtNative.AFFECT_CONFIG}) {
            Optional<String> xml = metadata(dp, name, flags);
            if (xml.isEmpty()) {
                continue;
            }
            try {
                boolean out = OptOutMetadata.parse(xml.get());
                badMetadataLogged.remove(name);
                if (out) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // Fail safe: someone meant to say something about Headroom here, and leaving the guest alone is
                // the mistake that costs less.
                if (badMetadataLogged.add(name)) {
                    LOG.warn("workload={} treated as opted out: its Headroom metadata is not understood ({}): {}",
                            name, e.getMessage(), xml.get());
                }
                return true;
            }
        }
        return false;
    }

    /** Headroom's metadata element of one definition, or empty if there is none. */
    private Optional<String> metadata(DomainPointer dp, String name, int flags) {
        CString s = NATIVE.virDomainGetMetadata(dp, LibvirtNative.METADATA_ELEMENT, METADATA_NAMESPACE, flags);
        if (s != null && s.getPointer() != null) {
            return Optional.of(s.toString());
        }
        LibvirtFailure f = lastError("read Headroom's metadata of " + name);
        if (f.code().filter(c -> c == Error.ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA).isPresent()) {
            return Optional.empty();
        }
        if (f.kind() == LibvirtFailure.Kind.REFUSED) {
            // A transient domain has no persistent definition, and a driver may not keep metadata: neither opts out.
            LOG.debug("workload={} metadata not readable: {}", name, f.getMessage());
            return Optional.empty();
        }
        throw f;
    }

    /**
     * The host's CPUs and memory, and what its running domains hold. Blocking: call on the {@code headroom-libvirt} worker pool.
     */
    @Override
    public synchronized HostSnapshot host() {
        return bounded("read_host", callTimeout, () -> {
            Connect c = connection("read_host");
            try {
                return hostByDomain(c, c.nodeInfo(), freeMemory(c));
            } catch (LibvirtException e) {
                throw fail("read_host", LibvirtFailure.classify("read host resources on " + uri, e));
            } catch (LibvirtFailure f) {
                throw fail("read_host", f);
            }
        });
    }

    /** The host, summing what each running domain holds with one call per domain. */
    private HostSnapshot hostByDomain(Connect c, NodeInfo node, OptionalLong free) throws LibvirtException {
        int vcpus = 0;
        long memory = 0;
        for (int id : c.listDomains()) {
            Domain d = lookupById(c, id);
            if (d == null) {
                continue;
            }
            try {
                DomainInfo info = d.getInfo();
                vcpus += info.nrVirtCpu;
                memory += info.memory * 1024;
            } catch (LibvirtException e) {
                LibvirtFailure f = LibvirtFailure.classify("read domain id " + id, e);
                if (f.kind() != LibvirtFailure.Kind.DOMAIN_GONE) {
                    throw f;
                }
            } finally {
                free(d);
            }
        }
        return new HostSnapshot(node.cpus, node.memory * 1024, vcpus, memory, free);
    }

    /**
     * Sets the live vCPUs of a running domain and reads them back. Never throws for libvirt errors.
     * Blocking: call on the {@code headroom-libvirt} worker pool.
     */
    @Override
    public synchronized ActuationResult setVcpus(String name, int vcpus) {
        try {
            return bounded("set_vcpus", callTimeout, () -> {
                String what = "set live vCPUs of " + name + " to " + vcpus;
                try {
                    return withDomain("set_vcpus", name, dp -> {
                        int before = checked(NATIVE.virDomainGetVcpusFlags(dp, LibvirtNative.AFFECT_LIVE), "read live vCPUs of " + name);
                        if (NATIVE.virDomainSetVcpusFlags(dp, vcpus, LibvirtNative.AFFECT_LIVE) < 0) {
                            LibvirtFailure f = lastError(what);
                            if (vcpus < before && f.number() == LibvirtFailure.OPERATION_TIMEOUT) {
                                return unplugFailed(dp, name, vcpus, f);
                            }
                            throw f;
                        }
                        return ReadBack.once(name, Resource.CPU, vcpus, f -> fail("read_back", f),
                                () -> checked(NATIVE.virDomainGetVcpusFlags(dp, LibvirtNative.AFFECT_LIVE), "read back vCPUs of " + name));
                    });
                } catch (LibvirtFailure f) {
                    return ActuationResult.failed(name, Resource.CPU, vcpus, f);
                }
            });
        } catch (LibvirtFailure f) {
            return ActuationResult.failed(name, Resource.CPU, vcpus, f);
        }
    }

    /**
     * Sets the live memory of a running domain (a balloon target on QEMU) and reads it back. For QEMU the value
     * read back is the balloon's size, which reaches the target only as the guest gives or takes pages (about a
     * second here), so it is polled until it shows the target or {@code act.memory_readback_timeout} passes; a
     * balloon still on its way then is APPLIED with a note and the size it had reached.
     * Never throws for libvirt errors. Blocking: call on the {@code headroom-libvirt} worker pool.
     *
     * @param bytes a whole number of KiB, libvirt's unit
     */
    @Override
    public synchronized ActuationResult setMemory(String name, long bytes) {
        try {
            return bounded("set_memory", callTimeout.plus(memoryReadbackTimeout), () -> {
                if (bytes % 1024 != 0) {
                    throw new IllegalArgumentException("libvirt sets memory in KiB; " + bytes + " bytes is not a whole number of KiB");
                }
                String what = "set live memory of " + name + " to " + Allocation.format(Resource.MEMORY, bytes);
                try {
                    return withDomain("set_memory", name, dp -> {
                        checked(NATIVE.virDomainSetMemoryFlags(dp, new NativeLong(bytes / 1024), LibvirtNative.AFFECT_LIVE), what);
                        return ReadBack.polled(name, bytes, memoryReadbackTimeout, f -> fail("read_back", f),
                                () -> kibToBytes(info(dp, name).memory));
                    });
                } catch (LibvirtFailure f) {
                    return ActuationResult.failed(name, Resource.MEMORY, bytes, f);
                }
            });
        } catch (LibvirtFailure f) {
            return ActuationResult.failed(name, Resource.MEMORY, bytes, f);
        }
    }

    /**
     * Sets the live CFS quota of a running domain (one scheduler parameter per call) and reads it back.
     * Never throws for libvirt errors. Blocking: call on the {@code headroom-libvirt} worker pool.
     *
     * @param param which quota, as {@link #allocation} reported it for the guest
     * @param quota microseconds per period, at least {@link CpuQuota#MIN_QUOTA}
     */
    @Override
    public synchronized ActuationResult setCpuQuota(String name, CpuQuota.Param param, long quota) {
        // Whatever comes of it, the next read must see the quota as libvirt has it, not as it was cached.
        tunables.invalidate(name);
        try {
            return bounded("set_cpu_quota", callTimeout, () -> {
                String what = "set live " + param.quotaField() + " of " + name + " to " + quota + "us";
                try {
                    return withDomain("set_cpu_quota", name, dp -> {
                        Memory one = TypedParams.llong(param.quotaField(), quota);
                        checked(NATIVE.virDomainSetSchedulerParametersFlags(dp, one, 1, LibvirtNative.AFFECT_LIVE), what);
                        return ReadBack.once(name, Resource.CPU_QUOTA, quota, f -> fail("read_back", f), () -> {
                            Long v = schedulerParameters(dp, name).get(param.quotaField());
                            if (v == null) {
                                throw new LibvirtFailure(LibvirtFailure.Kind.REFUSED, name + " reports no " + param.quotaField(), null);
                            }
                            return Math.max(0, v);
                        });
                    });
                } catch (LibvirtFailure f) {
                    return ActuationResult.failed(name, Resource.CPU_QUOTA, quota, f);
                }
            });
        } catch (LibvirtFailure f) {
            return ActuationResult.failed(name, Resource.CPU_QUOTA, quota, f);
        }
    }

    /**
     * The unplug libvirt gave up on: it timed out waiting for QEMU's confirmation and, as far as libvirt knows,
     * the vCPU is still there. The count it reports is the truth Headroom keeps.
     */
    private ActuationResult unplugFailed(DomainPointer dp, String name, int requested, LibvirtFailure f) {
        metrics.libvirtFailures.labels("set_vcpus", "unplug_failed").inc();
        int counted = checked(NATIVE.virDomainGetVcpusFlags(dp, LibvirtNative.AFFECT_LIVE), "read back vCPUs of " + name);
        LOG.warn("workload={} vCPU unplug to {} failed, libvirt still counts {}: {}", name, requested, counted,
                f.getMessage());
        return new ActuationResult(name, Resource.CPU, ActuationResult.Status.UNPLUG_FAILED, requested,
                OptionalLong.of(counted), f.getMessage() + "; libvirt still counts " + counted + " vCPUs");
    }

    /** The guest's live scheduler parameters, or empty where the driver refuses them. */
    private Optional<Map<String, Long>> scheduler(DomainPointer dp, String name) {
        try {
            return Optional.of(schedulerParameters(dp, name));
        } catch (LibvirtFailure f) {
            if (f.kind() == LibvirtFailure.Kind.REFUSED) {
                return Optional.empty();
            }
            throw f;
        }
    }

    /** The live scheduler parameters of a domain, numeric ones by name. */
    private Map<String, Long> schedulerParameters(DomainPointer dp, String name) {
        IntByReference n = new IntByReference();
        CString type = LIBVIRT.virDomainGetSchedulerType(dp, n);
        if (type == null) {
            throw lastError("read scheduler type of " + name);
        }
        type.free();
        Memory params = TypedParams.allocate(n.getValue());
        checked(NATIVE.virDomainGetSchedulerParametersFlags(dp, params, n, LibvirtNative.AFFECT_LIVE),
                "read scheduler parameters of " + name);
        try {
            return TypedParams.numbers(params, n.getValue());
        } finally {
            NATIVE.virTypedParamsClear(params, n.getValue());
        }
    }

    /** All balloon stats the guest reports; empty where the driver has none. */
    private BalloonStats balloon(DomainPointer dp, String name) {
        Memory raw = BalloonStats.structs();
        int got = NATIVE.virDomainMemoryStats(dp, raw, BalloonStats.Stat.NR, 0);
        if (got < 0) {
            LibvirtFailure f = lastError("read memory stats of " + name);
            if (f.kind() == LibvirtFailure.Kind.REFUSED) {
                return new BalloonStats(Map.of());
            }
            throw f;
        }
        return BalloonStats.fromStructs(raw, got);
    }

    /**
     * Runs {@code body} on the call thread and waits at most {@code budget}. A call still running then (a frozen
     * QEMU monitor, a libvirtd that stopped answering) is abandoned: counted as {@code reason="timeout"}, its thread
     * and connection are left to finish on their own, and the next call opens a new connection on a new thread, so
     * one stuck guest cannot hold every other guest and every later cycle.
     *
     * @throws LibvirtFailure {@link LibvirtFailure.Kind#CONNECTION_LOST} on the deadline; whatever {@code body} throws
     */
    private <T> T bounded(String op, Duration budget, java.util.function.Supplier<T> body) {
        metrics.libvirtOperations.labels(op).inc();
        try {
            return calls.call(budget, body);
        } catch (TimeoutException e) {
            abandon(op, budget);
            throw new LibvirtFailure(LibvirtFailure.Kind.CONNECTION_LOST, op + " did not return within "
                    + Durations.format(budget) + " (act.libvirt_call_timeout); the call is abandoned and the "
                    + "connection reopened", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LibvirtFailure(LibvirtFailure.Kind.CONNECTION_LOST, op + " interrupted", null);
        }
    }

    private void abandon(String op, Duration budget) {
        metrics.libvirtFailures.labels(op, "timeout").inc();
        NativeConnect stuckConn = conn;
        conn = null;
        // Closes the hung call's connection once (if ever) that call returns, then forgets its thread.
        calls.abandon(() -> {
            try {
                if (stuckConn != null) {
                    stuckConn.close();
                }
            } catch (LibvirtException e) {
                LOG.debug("closing an abandoned libvirt connection failed", e);
            } finally {
                calls.forget(Thread.currentThread());
            }
        });
        LOG.warn("libvirt {} did not return within {}; abandoned it, reopening the connection for later calls", op,
                Durations.format(budget));
    }

    /** A call with a raw domain pointer; may throw {@link LibvirtFailure}. */
    @FunctionalInterface
    interface DomainCall<T> {
        T apply(DomainPointer domain);
    }

    /** A call on the gateway's own libvirt-java connection. */
    @FunctionalInterface
    interface ConnectCall<T> {
        T apply(Connect connect) throws LibvirtException;
    }

    /**
     * For tests: runs {@code call} on the gateway's own connection. The test driver's state lives in that one
     * connection, so a test that destroys a domain or closes the connection must do it here, not with virsh.
     */
    synchronized <T> T withConnect(ConnectCall<T> call) throws LibvirtException {
        return call.apply(connection("test"));
    }

    private <T> T withDomain(String op, String name, DomainCall<T> call) {
        NativeConnect c = connection(op);
        DomainPointer dp = LIBVIRT.virDomainLookupByName(c.pointer(), name);
        if (dp == null) {
            throw fail(op, lastError("look up domain " + name));
        }
        try {
            return call.apply(dp);
        } catch (LibvirtFailure f) {
            // Live calls on a defined but stopped domain fail with "operation invalid"; for us it is gone.
            boolean stopped = f.kind() == LibvirtFailure.Kind.REFUSED && LIBVIRT.virDomainIsActive(dp) == 0;
            throw fail(op, stopped ? f.as(LibvirtFailure.Kind.DOMAIN_GONE) : f);
        } finally {
            LIBVIRT.virDomainFree(dp);
        }
    }

    private virDomainInfo info(DomainPointer dp, String name) {
        virDomainInfo info = new virDomainInfo();
        checked(LIBVIRT.virDomainGetInfo(dp, info), "read info of " + name);
        return info;
    }

    private static int checked(int rc, String what) {
        if (rc < 0) {
            throw lastError(what);
        }
        return rc;
    }

    /** libvirt's last error on this thread, classified. */
    private static LibvirtFailure lastError(String what) {
        virError e = LIBVIRT.virGetLastError();
        return LibvirtFailure.classify(what, e == null ? null : new Error(e), e == null ? -1 : e.code, null);
    }

    private static long kibToBytes(NativeLong kib) {
        return kib.longValue() * 1024;
    }

    /** The domain with id {@code id}, or null if it stopped since it was listed. */
    private Domain lookupById(Connect c, int id) throws LibvirtException {
        try {
            return c.domainLookupByID(id);
        } catch (LibvirtException e) {
            LibvirtFailure f = LibvirtFailure.classify("look up domain id " + id, e);
            if (f.kind() != LibvirtFailure.Kind.DOMAIN_GONE) {
                throw e;
            }
            return null;
        }
    }

    private static void free(Domain d) {
        try {
            d.free();
        } catch (LibvirtException e) {
            LOG.debug("freeing a domain handle failed", e);
        }
    }

    /** libvirt's free memory, or empty where the driver does not report it (the test driver). */
    private static OptionalLong freeMemory(Connect c) {
        try {
            long free = c.getFreeMemory();
            return free > 0 ? OptionalLong.of(free) : OptionalLong.empty();
        } catch (LibvirtException e) {
            return OptionalLong.empty();
        }
    }

    private NativeConnect connection(String op) {
        if (conn != null) {
            return conn;
        }
        Instant now = clock.instant();
        if (nextOpenAt != null && now.isBefore(nextOpenAt)) {
            throw fail(op, new LibvirtFailure(LibvirtFailure.Kind.CONNECTION_LOST, "libvirt at " + uri
                    + " is unreachable; next reconnect attempt at " + nextOpenAt, null));
        }
        try {
            // Keepalive runs on libvirt's event loop, which must be registered before the connection opens.
            boolean pinged = keepalive.enabled() && LibvirtEvents.ensureRunning();
            NativeConnect opened = new NativeConnect(uri, readOnly);
            if (calls.isAbandoned(Thread.currentThread())) {
                // An open that hung and came back after the gateway gave up on it: a newer connection may exist.
                try {
                    opened.close();
                } catch (LibvirtException e) {
                    LOG.debug("closing a late libvirt connection failed", e);
                }
                throw new LibvirtFailure(LibvirtFailure.Kind.CONNECTION_LOST, op + " was abandoned", null);
            }
            if (pinged) {
                startKeepalive(opened);
            }
            tunables.clear();
            this.events = LibvirtEvents.ensureRunning() && watchTunables(opened);
            conn = opened;
            failedOpens = 0;
            nextOpenAt = null;
            metrics.libvirtConnects.labels("ok").inc();
            LOG.info("libvirt connection opened uri={} read_only={}", uri, readOnly);
            return conn;
        } catch (LibvirtException e) {
            failedOpens++;
            Duration wait = Backoff.after(failedOpens, initialBackoff, maxBackoff);
            nextOpenAt = now.plus(wait);
            metrics.libvirtConnects.labels("failed").inc();
            throw fail(op, LibvirtFailure.cannotConnect("open libvirt connection " + uri, e,
                    "next attempt in " + Durations.format(wait)));
        }
    }

    /**
     * Asks {@code c} for every domain's tunable and metadata-change events, so that {@link #tunables} is
     * invalidated when an operator (or anything else) changes a guest's CFS quota or opt-out. False if the driver
     * refuses either: the tunables are then read every cycle.
     */
    private boolean watchTunables(NativeConnect c) {
        int tunable = NATIVE.virConnectDomainEventRegisterAny(c.pointer(), null, LibvirtNative.EVENT_TUNABLE,
                onTunable, null, null);
        int metadata = NATIVE.virConnectDomainEventRegisterAny(c.pointer(), null, LibvirtNative.EVENT_METADATA_CHANGE,
                onMetadata, null, null);
        if (tunable < 0 || metadata < 0) {
            LOG.info("libvirt at {} does not send tunable or metadata events ({}); each guest's CPU quota and opt-out "
                    + "are read every cycle", uri, lastError("register domain events").getMessage());
            return false;
        }
        return true;
    }

    /** An event's domain changed its tunables or metadata. On libvirt's event-loop thread: must not throw. */
    private void changed(Pointer dom) {
        try {
            tunables.invalidate(NATIVE.virDomainGetName(dom));
        } catch (RuntimeException e) {
            // Unknown which guest: forget them all rather than keep a stale quota or opt-out.
            tunables.clear();
            LOG.debug("libvirt event for an unnamed domain", e);
        }
    }

    private void startKeepalive(NativeConnect c) {
        int seconds = (int) Math.max(1, keepalive.interval().toSeconds());
        try {
            if (!c.setKeepAlive(seconds, keepalive.count())) {
                LOG.info("libvirt at {} does not answer keepalive; only act.libvirt_call_timeout bounds a hung call",
                        uri);
            }
        } catch (LibvirtException e) {
            // Drivers that run in this process (test:///) have no daemon to ping and refuse keepalive.
            LOG.debug("libvirt keepalive not available on {}: {}", uri, e.getMessage());
        }
    }

    /** Counts a failure and drops a broken connection so that a later call reopens it. */
    private LibvirtFailure fail(String op, LibvirtFailure f) {
        if (calls.isAbandoned(Thread.currentThread())) {
            // Back from a call the gateway gave up on: already counted, and the connection is no longer this one's.
            return f;
        }
        if (f.kind() != LibvirtFailure.Kind.CONNECTION_LOST && conn != null && !alive(conn)) {
            // libvirt reports a connection its keepalive closed as an internal error; the cause is the connection.
            f = f.as(LibvirtFailure.Kind.CONNECTION_LOST);
        }
        metrics.libvirtFailures.labels(op, f.kind().label()).inc();
        if (f.kind() == LibvirtFailure.Kind.CONNECTION_LOST && conn != null) {
            LOG.warn("libvirt connection lost, will reopen on next call: {}", f.getMessage());
            closeQuietly();
        }
        return f;
    }

    /** virConnectIsAlive: a local check of the client's socket, no call to libvirtd. */
    private static boolean alive(NativeConnect c) {
        try {
            return c.isAlive();
        } catch (LibvirtException e) {
            return false;
        }
    }

    private void closeQuietly() {
        if (conn != null) {
            try {
                conn.close();
            } catch (LibvirtException e) {
                LOG.debug("closing a broken libvirt connection failed", e);
            }
            conn = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
        calls.shutdownNow();
    }
}
