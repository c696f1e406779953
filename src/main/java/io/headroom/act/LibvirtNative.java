package io.headroom.act;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import org.libvirt.jna.CString;
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
}
