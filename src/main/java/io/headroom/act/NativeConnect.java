package io.headroom.act;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;

/**
 * A libvirt-java connection that also hands out its raw {@code virConnectPtr}, so that {@link LibvirtNative}
 * can look domains up and call what libvirt-java does not bind.
 *
 * <p>Why a subclass: {@code Connect.vcp} is {@code protected}, a field meant for subclasses, and the compiler
 * checks the access. The alternative, reflecting on {@code Domain}'s package-private pointer field, breaks
 * silently at run time when libvirt-java renames it (older releases called it {@code VDP}, 0.5.2 {@code vdp}).
 * Domains are then looked up by name through this pointer and freed after each call, so no libvirt-java
 * {@code Domain} object (freed only by its finalizer) is involved in actuation at all.
 */
final class NativeConnect extends Connect {

    NativeConnect(String uri, boolean readOnly) throws LibvirtException {
        super(uri, readOnly);
    }

    /** The raw connection pointer; null once closed. */
    ConnectionPointer pointer() {
        return vcp;
    }
}
