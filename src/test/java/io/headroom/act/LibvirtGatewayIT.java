package io.headroom.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Against libvirt's test driver (libvirt0 from Debian, no daemon needed). */
class LibvirtGatewayIT {

    static String testUri() {
        try {
            Path node = Path.of(LibvirtGatewayIT.class.getResource("node.xml").toURI());
            return "test://" + node.toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void listsRunningDomainsOnly() {
        try (LibvirtGateway gw = new LibvirtGateway(testUri(), false)) {
            assertThat(gw.runningDomainNames()).containsExactly("web-1", "web-2");
            assertThat(gw.inactiveDomainNames()).containsExactly("db-stopped");
        }
    }

    @Test
    void unreachableUriIsAConnectionFailure() {
        try (LibvirtGateway gw = new LibvirtGateway("qemu+unix:///system?socket=/nonexistent/libvirt-sock", true)) {
            assertThatThrownBy(gw::runningDomainNames)
                    .isInstanceOfSatisfying(LibvirtFailure.class,
                            f -> assertThat(f.kind()).isEqualTo(LibvirtFailure.Kind.CONNECTION_LOST))
                    .hasMessageContaining("open libvirt connection qemu+unix:///system");
        }
    }
}
