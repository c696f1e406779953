package io.headroom.act;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import org.libvirt.jna.CString;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.DomainPointer;

/**
 * The libvirt calls that libvirt-java 0.5.2 lacks: the {@code *Flags} variants that let a change target the
 * running guest only ({@link #AFFECT_LIVE}), leaving its persistent definition alone so that a reboot returns
 * the guest to its defined size. Everything else goes through libvirt-java's own binding.
 *
 * <p>Signatures follow {@code libvirt-domain.h}: {@code int virDomainSetVcpusFlags(virDomainPtr, unsigned int,
 * unsigned int)}, {@code int virDomainSetMemoryFlags(virDomainPtr, unsigned long kibibytes, unsigned int)},
 * {@code int virDomainGetVcpusFlags(virDomainPtr, unsigned int)}; each returns -1 on error, with the error in
 * libvirt's thread-local last error. {@code char *virDomainGetMetadata(virDomainPtr, int type, const char *uri,
 * unsigned int flags)} returns NULL on error; the string is the caller's to free, which {@link CString#toString()}
 * does. Loaded from the same {@code libvirt.so} as libvirt-java, so the pointers
 * of one are valid in the other.
 *
 * <p>Arrays of structs ({@code virTypedParameter}, {@code virDomainMemoryStat}) are passed as raw memory laid out
 * by {@link TypedParams} and {@link BalloonStats}, not as JNA {@code Structure[]}: libvirt-java 0.5.2 builds such
 * arrays element by element, and current JNA refuses them ("Structure array elements must use contiguous
 * memory") as soon as there are two.
 */
interface LibvirtNative extends Library {

    /** {@code VIR_DOMAIN_AFFECT_LIVE}: change the running domain, not its persistent config. */
    int AFFECT_LIVE = 1;
    /** {@code VIR_DOMAIN_VCPU_MAXIMUM}: with a get, the maximum rather than the current count. */
    int VCPU_MAXIMUM = 1 << 2;
    /** {@code VIR_DOMAIN_AFFECT_CONFIG}: the persistent definition, what the domain boots with. */
    int AFFECT_CONFIG = 2;
    /** {@code VIR_DOMAIN_METADATA_ELEMENT}: an application's own XML element, found by its namespace URI. */
    int METADATA_ELEMENT = 2;

    /** {@code VIR_DOMAIN_STATS_STATE}, {@code _CPU_TOTAL}, {@code _BALLOON}, {@code _VCPU}: the groups a cycle reads. */
    int STATS_STATE = 1;
    int STATS_CPU_TOTAL = 2;
    int STATS_BALLOON = 4;
    int STATS_VCPU = 8;
    /** {@code VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE}, the same value as {@code VIR_CONNECT_LIST_DOMAINS_ACTIVE}. */
    int ACTIVE_DOMAINS = 1;
    /** {@code VIR_DOMAIN_EVENT_ID_TUNABLE}: a domain's tunables (its CFS quota among them) changed. */
    int EVENT_TUNABLE = 17;
    /** {@code VIR_DOMAIN_EVENT_ID_METADATA_CHANGE}: a domain's metadata changed. */
    int EVENT_METADATA_CHANGE = 23;

    LibvirtNative INSTANCE = Native.load("virt", LibvirtNative.class);

    /**
     * {@code int virConnectGetAllDomainStats(virConnectPtr, unsigned int stats, virDomainStatsRecordPtr **retStats,
     * unsigned int flags)}: one call for every domain's statistics; {@code retStats} gets a NULL-terminated array,
     * freed with {@link #virDomainStatsRecordListFree}.
     */
    int virConnectGetAllDomainStats(ConnectionPointer conn, int stats, PointerByReference retStats, int flags);

    /** {@code void virDomainStatsRecordListFree(virDomainStatsRecordPtr *stats)}: frees the records and their domains. */
    void virDomainStatsRecordListFree(Pointer stats);

    /**
     * {@code int virConnectListAllDomains(virConnectPtr, virDomainPtr **domains, unsigned int flags)}: the domains
     * in one call; each is freed with {@link #virDomainFree}, the array with {@code free()}
     * ({@link Native#free}).
     */
    int virConnectListAllDomains(ConnectionPointer conn, PointerByReference domains, int flags);

    /** {@code const char *virDomainGetName(virDomainPtr)}: kept by the domain object, not the caller's. */
    String virDomainGetName(Pointer domain);

    /** {@code unsigned int virDomainGetID(virDomainPtr)}: a new one each time the domain starts. */
    int virDomainGetID(Pointer domain);

    /** {@code int virDomainFree(virDomainPtr)}. */
    int virDomainFree(Pointer domain);

    /** {@code virConnectDomainEventTunableCallback}. */
    interface TunableCallback extends Callback {
        void invoke(Pointer conn, Pointer domain, Pointer params, int nparams, Pointer opaque);
    }

    /** {@code virConnectDomainEventMetadataChangeCallback}. */
    interface MetadataChangeCallback extends Callback {
        void invoke(Pointer conn, Pointer domain, int type, String nsuri, Pointer opaque);
    }

    /**
     * {@code int virConnectDomainEventRegisterAny(virConnectPtr, virDomainPtr dom, int eventID,
     * virConnectDomainEventGenericCallback cb, void *opaque, virFreeCallback freecb)}: {@code dom} NULL for every
     * domain; returns the callback's id, or -1. Delivered on the thread that runs libvirt's event loop.
     */
    int virConnectDomainEventRegisterAny(ConnectionPointer conn, Pointer domain, int eventId, Callback cb,
                                         Pointer opaque, Pointer freecb);

    int virDomainSetVcpusFlags(DomainPointer domain, int nvcpus, int flags);

    int virDomainSetMemoryFlags(DomainPointer domain, NativeLong memoryKib, int flags);

    int virDomainGetVcpusFlags(DomainPointer domain, int flags);

    CString virDomainGetMetadata(DomainPointer domain, int type, String uri, int flags);
    /**
     * {@code int virDomainGetSchedulerParametersFlags(virDomainPtr, virTypedParameterPtr params, int *nparams,
     * unsigned int flags)}: {@code nparams} in is the room in {@code params}, out the number filled.
     */
    int virDomainGetSchedulerParametersFlags(DomainPointer domain, Pointer params, IntByReference nparams, int flags);

    /** {@code int virDomainSetSchedulerParametersFlags(virDomainPtr, virTypedParameterPtr, int nparams, unsigned int flags)}. */
    int virDomainSetSchedulerParametersFlags(DomainPointer domain, Pointer params, int nparams, int flags);

    /**
     * {@code int virDomainMemoryStats(virDomainPtr, virDomainMemoryStatPtr stats, unsigned int nr_stats, unsigned
     * int flags)}: fills up to {@code nr} (tag, value) pairs and returns how many.
     */
    int virDomainMemoryStats(DomainPointer domain, Pointer stats, int nr, int flags);

    /** {@code void virTypedParamsClear(virTypedParameterPtr, int nparams)}: frees string values libvirt allocated. */
    void virTypedParamsClear(Pointer params, int nparams);
}
