package io.headroom.act;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of Headroom's libvirt connection. Every libvirt call goes through here so that errors are
 * classified in one place ({@link LibvirtFailure.Kind}) and a broken connection is reopened on the next call.
 *
 * <p>All methods block; the daemon calls them only on its {@code headroom-libvirt} worker pool, never on an
 * event loop. Methods are synchronized because a libvirt connection (and the test driver's state) belongs to
 * one caller at a time.
 */
public final class LibvirtGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtGateway.class);

    private final String uri;
    private final boolean readOnly;
    private Connect conn;

    /**
     * @param uri      libvirt URI, e.g. {@code qemu:///system} or {@code test:///path/node.xml}
     * @param readOnly open the connection read-only (enough for discovery and observe mode)
     */
    public LibvirtGateway(String uri, boolean readOnly) {
        this.uri = uri;
        this.readOnly = readOnly;
    }

    /** Names of the running domains on this host, sorted. */
    public synchronized SortedSet<String> runningDomainNames() {
        Connect c = connection();
        try {
            SortedSet<String> names = new TreeSet<>();
            for (int id : c.listDomains()) {
                try {
                    names.add(c.domainLookupByID(id).getName());
                } catch (LibvirtException e) {
                    LibvirtFailure f = LibvirtFailure.classify("look up domain id " + id, e);
                    if (f.kind() != LibvirtFailure.Kind.DOMAIN_GONE) {
                        throw f;
                    }
                    // It stopped between listing and lookup: it is simply not running any more.
                }
            }
            return names;
        } catch (LibvirtException e) {
            throw dropOnConnectionLoss(LibvirtFailure.classify("list domains on " + uri, e));
        }
    }

    /** Names of defined but not running domains. */
    public synchronized List<String> inactiveDomainNames() {
        try {
            return new ArrayList<>(List.of(connection().listDefinedDomains()));
        } catch (LibvirtException e) {
            throw dropOnConnectionLoss(LibvirtFailure.classify("list defined domains on " + uri, e));
        }
    }

    private Connect connection() {
        if (conn == null) {
            try {
                conn = new Connect(uri, readOnly);
                LOG.info("libvirt connection opened uri={} read_only={}", uri, readOnly);
            } catch (LibvirtException e) {
                throw LibvirtFailure.classify("open libvirt connection " + uri, e);
            }
        }
        return conn;
    }

    private LibvirtFailure dropOnConnectionLoss(LibvirtFailure f) {
        if (f.kind() == LibvirtFailure.Kind.CONNECTION_LOST) {
            LOG.warn("libvirt connection lost, will reopen on next call: {}", f.getMessage());
            closeQuietly();
        }
        return f;
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
    }
}
