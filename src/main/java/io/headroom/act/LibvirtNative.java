package io.headroom.act;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import org.libvirt.jna.CString;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
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

    LibvirtNative INSTANCE = Native.load("virt", LibvirtNative.class);

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
