package io.headroom.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.act.ActuationResult.Status;
import io.headroom.decide.Allocation;
import io.headroom.metrics.Metrics;
import io.headroom.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * Against libvirt's test driver (libvirt0 from Debian, no daemon needed). The driver keeps its state in the one
 * connection, so every check reads back through the same gateway, never through virsh.
 */
class LibvirtGatewayIT {

    static final long MIB = 1L << 20;

    static String testUri() {
        return TestDriver.uri("node.xml");
    }

    static double failures(Metrics m, String op, String reason) {
        Double v = m.registry().getSampleValue("headroom_libvirt_failures_total",
                new String[] {"operation", "reason"}, new String[] {op, reason});
        return v == null ? 0 : v;
    }

    static double connects(Metrics m, String result) {
        Double v = m.registry().getSampleValue("headroom_libvirt_connects_total", new String[] {"result"},
                new String[] {result});
        return v == null ? 0 : v;
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

    /** Opt-out by domain metadata: only Headroom's namespace counts, and a value it cannot read opts out. */
    @Test
    void readsTheOptOutFromDomainMetadata() {
        Metrics metrics = Metrics.isolated();
        try (LibvirtGateway gw = new LibvirtGateway(TestDriver.uri("metadata-node.xml"), true,
                new LibvirtGateway.Settings(Duration.ofSeconds(1), Duration.ofSeconds(8), java.time.Clock.systemUTC()), metrics)) {
            assertThat(gw.allocation("opted-out").optedOut()).isTrue();
            assertThat(gw.allocation("opted-in").optedOut()).isFalse();
            assertThat(gw.allocation("unclear").optedOut()).as("fail safe").isTrue();
            assertThat(gw.allocation("other-app").optedOut()).isFalse();
            assertThat(gw.allocation("plain").optedOut()).isFalse();
            assertThat(gw.allocation("plain").current()).isEqualTo(new Allocation(2, 2048 * MIB));
            // "No metadata" is libvirt's answer, not a failure of the call.
            assertThat(metrics.registry().getSampleValue("headroom_libvirt_failures_total",
                    new String[] {"operation", "reason"}, new String[] {"read_allocation", "refused"})).isNull();
        }
    }

    @Test
    void parsesTheOptOutAttribute() {
        assertThat(OptOutMetadata.parse("<config opt-out=\"true\"/>")).isTrue();
        assertThat(OptOutMetadata.parse("<config opt-out=' 1 '/>")).isTrue();
        assertThat(OptOutMetadata.parse("<config opt-out=\"FALSE\"/>")).isFalse();
        assertThat(OptOutMetadata.parse("<config/>")).isFalse();
        assertThatThrownBy(() -> OptOutMetadata.parse("<config opt-out=\"yes please\"/>"))
                .hasMessageContaining("opt-out must be true or false");
        assertThatThrownBy(() -> OptOutMetadata.parse("<config opt-out="))
                .hasMessageContaining("not XML");
        assertThatThrownBy(() -> OptOutMetadata.parse(
                "<!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><config opt-out=\"&x;\"/>"))
                .as("no DTDs or external entities").hasMessageContaining("not XML");
    }

    /** Live reads and changes on a host with room to grow (web-1, web-2, db-1) and one guest at its limit. */
    @Nested
    class Actuation {
        Metrics metrics;
        MutableClock clock;
        LibvirtGateway gw;

        @BeforeEach
        void open() {
            metrics = Metrics.isolated();
            clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
            gw = new LibvirtGateway(TestDriver.uri("actuation-node.xml"), false,
                new LibvirtGateway.Settings(Duration.ofSeconds(1), Duration.ofSeconds(8), clock), metrics);
        }

        @AfterEach
        void close() {
            gw.close();
        }

        @Test
        void readsLiveAndMaximumAllocation() {
            DomainAllocation a = gw.allocation("web-1");
            assertThat(a.current()).isEqualTo(new Allocation(2, 2048 * MIB));
            assertThat(a.max()).isEqualTo(new Allocation(8, 4096 * MIB));
            assertThat(gw.allocation("batch-full").max()).isEqualTo(gw.allocation("batch-full").current());
        }

        /** One cycle's read: the host and every guest, the same as their own calls read them. */
        @Test
        void readsTheHostAndEveryGuestAsTheirOwnCallsDo() {
            SortedSet<String> running = gw.runningDomainNames();
            SortedSet<String> asked = new TreeSet<>(running);
            asked.add("not-running");
            HostReading r = gw.read(asked);

            assertThat(r.host()).isEqualTo(gw.host());
            assertThat(r.domains()).containsOnlyKeys(running);
            for (String name : running) {
                assertThat(r.domains().get(name).allocation()).isEqualTo(gw.allocation(name));
                // The test driver's CPU time is the wall clock's, different on every call.
                assertThat(r.domains().get(name).stats()).usingRecursiveComparison().ignoringFields("cpuTimeSeconds")
                        .isEqualTo(gw.stats(name));
            }
            assertThat(r.failed()).containsOnlyKeys("not-running");
            assertThat(r.failed().get("not-running").kind()).isEqualTo(LibvirtFailure.Kind.DOMAIN_GONE);
            // One bulk call; the test driver's statistics hold only the state group, so each guest is then read
            // with its own calls.
            assertThat(operations("read_all")).isEqualTo(1);
            assertThat(operations("read_domain")).isEqualTo(running.size());
            assertThat(operations("read_tunables")).isZero();
        }

        double operations(String op) {
            Double v = metrics.registry().getSampleValue("headroom_libvirt_operations_total",
                    new String[] {"operation"}, new String[] {op});
            return v == null ? 0 : v;
        }

        @Test
        void readsTheHost() {
            HostSnapshot h = gw.host();
            assertThat(h.physicalCpus()).isEqualTo(16);
            assertThat(h.memoryBytes()).isEqualTo(32L << 30);
            assertThat(h.runningVcpus()).isEqualTo(2 + 2 + 4 + 4);
            assertThat(h.runningMemoryBytes()).isEqualTo((2048 + 2048 + 4096 + 4096) * MIB);
            // The test driver does not implement virNodeGetFreeMemory; the capacity falls back to what is unpromised.
            assertThat(h.libvirtFreeBytes()).isEmpty();
            assertThat(h.capacity().freeMemoryBytes()).isEqualTo((32768 - 12288) * MIB);
        }

        @Test
        void raisesAndLowersVcpusLive() {
            ActuationResult up = gw.setVcpus("web-1", 4);
            assertThat(up.status()).isEqualTo(Status.APPLIED);
            assertThat(up.observed()).hasValue(4);
            assertThat(gw.allocation("web-1").current().vcpus()).isEqualTo(4);
            assertThat(gw.host().runningVcpus()).isEqualTo(14);

            ActuationResult down = gw.setVcpus("web-1", 2);
            assertThat(down.status()).isEqualTo(Status.APPLIED);
            assertThat(down.observed()).hasValue(2);
            assertThat(gw.allocation("web-1").current().vcpus()).isEqualTo(2);
            assertThat(gw.allocation("web-2").current().vcpus()).isEqualTo(2);
        }

        @Test
        void raisesAndLowersMemoryLive() {
            ActuationResult up = gw.setMemory("db-1", 6144 * MIB);
            assertThat(up.status()).isEqualTo(Status.APPLIED);
            assertThat(up.observed()).hasValue(6144 * MIB);
            assertThat(up.detail()).isEmpty();
            assertThat(gw.allocation("db-1").current().memoryBytes()).isEqualTo(6144 * MIB);

            assertThat(gw.setMemory("db-1", 4096 * MIB).observed()).hasValue(4096 * MIB);
            assertThat(gw.allocation("db-1").current()).isEqualTo(new Allocation(4, 4096 * MIB));
        }

        @Test
        void beyondTheMaximumIsRefusedWithLibvirtsReasonAndCounted() {
            ActuationResult cpu = gw.setVcpus("batch-full", 5);
            assertThat(cpu.status()).isEqualTo(Status.REFUSED);
            assertThat(cpu.observed()).isEmpty();
            assertThat(cpu.detail()).contains("set live vCPUs of batch-full to 5", "exceeds maximum (5 > 4)",
                    "VIR_ERR_INVALID_ARG");
            ActuationResult mem = gw.setMemory("web-2", 4097 * MIB);
            assertThat(mem.status()).isEqualTo(Status.REFUSED);
            assertThat(mem.detail()).contains("cannot set memory higher than max memory");

            assertThat(gw.allocation("batch-full").current()).isEqualTo(new Allocation(4, 4096 * MIB));
            assertThat(gw.allocation("web-2").current()).isEqualTo(new Allocation(2, 2048 * MIB));
            assertThat(failures(metrics, "set_vcpus", "refused")).isEqualTo(1);
            assertThat(failures(metrics, "set_memory", "refused")).isEqualTo(1);
        }

        @Test
        void aReadOnlyConnectionRefusesChanges() {
            try (LibvirtGateway ro = new LibvirtGateway(TestDriver.uri("actuation-node.xml"), true)) {
                ActuationResult r = ro.setVcpus("web-1", 3);
                assertThat(r.status()).isEqualTo(Status.REFUSED);
                assertThat(r.detail()).contains("read only");
            }
        }

        @Test
        void aDomainDestroyedBetweenDecisionAndActionIsGone() throws Exception {
            DomainAllocation seen = gw.allocation("web-2");
            assertThat(seen.current().vcpus()).isEqualTo(2);
            gw.withConnect(c -> {
                Domain d = c.domainLookupByName("web-2");
                d.destroy();
                return d.free();
            });

            ActuationResult r = gw.setVcpus("web-2", 3);
            assertThat(r.status()).isEqualTo(Status.DOMAIN_GONE);
            assertThat(r.detail()).contains("domain is not running");
            assertThat(gw.setMemory("web-2", 3072 * MIB).status()).isEqualTo(Status.DOMAIN_GONE);
            assertThatThrownBy(() -> gw.allocation("web-2")).isInstanceOfSatisfying(LibvirtFailure.class,
                    f -> assertThat(f.kind()).isEqualTo(LibvirtFailure.Kind.DOMAIN_GONE));
            assertThat(gw.setVcpus("no-such-domain", 2).status()).isEqualTo(Status.DOMAIN_GONE);
            assertThat(failures(metrics, "set_vcpus", "domain_gone")).isEqualTo(2);
            assertThat(gw.runningDomainNames()).containsExactly("batch-full", "db-1", "web-1");
        }

        @Test
        void aClosedConnectionIsReportedThenReopened() throws Exception {
            assertThat(gw.setVcpus("web-1", 3).status()).isEqualTo(Status.APPLIED);
            gw.withConnect(Connect::close);

            ActuationResult lost = gw.setVcpus("web-1", 4);
            assertThat(lost.status()).isEqualTo(Status.CONNECTION_LOST);
            assertThat(lost.detail()).contains("VIR_ERR_INVALID_CONN");
            assertThat(failures(metrics, "set_vcpus", "connection_lost")).isEqualTo(1);

            // The next call reopens at once; a call failure is not an open failure, so there is no backoff.
            DomainAllocation after = gw.allocation("web-1");
            assertThat(connects(metrics, "ok")).isEqualTo(2);
            // A real libvirtd keeps the live state across connections; the test driver rebuilds it from the XML.
            assertThat(after.current().vcpus()).isEqualTo(2);
            assertThat(gw.setVcpus("web-1", 4).observed()).hasValue(4);
        }
    }

    @Nested
    class Reconnect {
        @TempDir
        Path dir;

        @Test
        void opensAgainWithExponentialBackoffOnceLibvirtIsBack() throws Exception {
            Metrics metrics = Metrics.isolated();
            MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
            Path node = dir.resolve("node.xml");
            try (LibvirtGateway gw = new LibvirtGateway("test://" + node, false,
                new LibvirtGateway.Settings(Duration.ofSeconds(1), Duration.ofSeconds(8), clock), metrics)) {
                assertThat(gw.setVcpus("web-1", 3).detail()).contains("open libvirt connection", "next attempt in 1s");
                clock.advance(Duration.ofSeconds(1));
                assertThat(gw.setVcpus("web-1", 3).detail()).contains("next attempt in 2s");
                assertThat(connects(metrics, "failed")).isEqualTo(2);

                Files.copy(TestDriver.path("actuation-node.xml"), node);
                clock.advance(Duration.ofSeconds(1));
                // Still inside the 2s backoff: no attempt is made even though libvirt would answer now.
                assertThatThrownBy(() -> gw.allocation("web-1")).hasMessageContaining("next reconnect attempt at");
                assertThat(connects(metrics, "failed")).isEqualTo(2);

                clock.advance(Duration.ofSeconds(1));
                assertThat(gw.allocation("web-1").current().vcpus()).isEqualTo(2);
                assertThat(gw.setVcpus("web-1", 3).observed()).isEqualTo(OptionalLong.of(3));
                assertThat(connects(metrics, "ok")).isEqualTo(1);
                assertThat(failures(metrics, "set_vcpus", "connection_lost")).isEqualTo(2);
                assertThat(failures(metrics, "read_allocation", "connection_lost")).isEqualTo(1);
            }
        }
    }
}
