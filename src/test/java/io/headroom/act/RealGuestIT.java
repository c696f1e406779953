package io.headroom.act;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.act.ActuationResult.Status;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.decide.Allocation;
import io.headroom.decide.Resource;
import io.headroom.decide.WorkloadScore;
import io.headroom.metrics.Metrics;
import io.headroom.testing.Poll;
import io.headroom.testing.QemuGuests;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headroom's {@link LibvirtGateway} and {@link ActuationService} against real QEMU 7.2 guests under a libvirtd
 * started for the test ({@link QemuGuests}): what the test driver fakes, measured for real. Guest {@code a} takes the
 * gateway's calls one by one, in order (its state carries over); guest {@code b} runs the whole cycle through a
 * failed unplug. Every check reads back through libvirt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RealGuestIT {

    static final long MIB = 1L << 20;
    static final long PERIOD = 100_000;

    @RegisterExtension
    static final QemuGuests guests = new QemuGuests(Duration.ofMinutes(6), "a", "b");

    static Metrics metrics;
    static LibvirtGateway gw;
    static String a;
    static String b;

    @BeforeAll
    static void open() {
        metrics = Metrics.isolated();
        gw = new LibvirtGateway(guests.uri(), false,
                new LibvirtGateway.Settings(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(10),
                        Clock.systemUTC()), metrics);
        a = guests.domain("a");
        b = guests.domain("b");
        System.out.println("[measured] " + guests.timings());
    }

    @AfterAll
    static void close() {
        if (gw != null) {
            gw.close();
        }
    }

    static double failures(String op, String reason) {
        Double v = metrics.registry().getSampleValue("headroom_libvirt_failures_total",
                new String[] {"operation", "reason"}, new String[] {op, reason});
        return v == null ? 0 : v;
    }

    @Test
    @Order(1)
    void readsLiveAndMaximumAllocationAndAnUncappedQuota() throws Exception {
        // Right after boot the balloon is still inflating from 512 MiB toward the defined 256 MiB.
        DomainAllocation al = Poll.until(Duration.ofSeconds(60), "a's balloon to reach 256 MiB", () -> gw.allocation(a),
                x -> x.current().memoryBytes() == 256 * MIB);
        assertThat(al.current()).isEqualTo(new Allocation(1, 256 * MIB, 0));
        assertThat(al.max()).isEqualTo(new Allocation(4, 512 * MIB, PERIOD));
        assertThat(al.quota()).hasValueSatisfying(q -> {
            assertThat(q.param()).isEqualTo(CpuQuota.Param.VCPU);
            assertThat(q.period()).isEqualTo(PERIOD);
            assertThat(q.capped()).isFalse();
        });
    }

    @Test
    @Order(2)
    void hotAddsAVcpuThatTheGuestBringsOnline() throws Exception {
        ActuationResult r = gw.setVcpus(a, 2);
        assertThat(r.status()).isEqualTo(Status.APPLIED);
        assertThat(r.observed()).hasValue(2);
        assertThat(gw.allocation(a).current().vcpus()).isEqualTo(2);
        Poll.until(Duration.ofSeconds(60), "the guest to online its second CPU", () -> guests.console("a"),
                c -> c.contains("cpus=2"));
    }

    @Test
    @Order(3)
    void anUnplugLibvirtGivesUpOnIsReportedWithTheCountItKeeps() {
        long t = System.nanoTime();
        ActuationResult r = gw.setVcpus(a, 1);
        long took = (System.nanoTime() - t) / 1_000_000;
        System.out.println("[measured] vCPU unplug 2 -> 1 answered after " + took + " ms: " + r.detail());
        assertThat(r.status()).isEqualTo(Status.UNPLUG_FAILED);
        assertThat(r.observed()).as("libvirt still counts the vCPU").hasValue(2);
        assertThat(r.detail()).contains("vcpu unplug request timed out", "libvirt still counts 2 vCPUs");
        assertThat(gw.allocation(a).current().vcpus()).isEqualTo(2);
        assertThat(failures("set_vcpus", "unplug_failed")).isEqualTo(1);
        assertThat(failures("set_vcpus", "refused")).isZero();
    }

    @Test
    @Order(4)
    void balloonsUpAndDownAndReadsTheChangeBackByPolling() {
        for (long mib : new long[] {384, 192, 256}) {
            long t = System.nanoTime();
            ActuationResult r = gw.setMemory(a, mib * MIB);
            long took = (System.nanoTime() - t) / 1_000_000;
            System.out.println("[measured] balloon to " + mib + " MiB shown after " + took + " ms");
            assertThat(r.status()).isEqualTo(Status.APPLIED);
            assertThat(r.observed()).as("polled until the balloon shows it").hasValue(mib * MIB);
            assertThat(r.detail()).isEmpty();
            assertThat(gw.allocation(a).current().memoryBytes()).isEqualTo(mib * MIB);
        }
    }

    @Test
    @Order(5)
    void refusesBeyondTheMaximumAndChangesNothing() {
        ActuationResult cpu = gw.setVcpus(a, 5);
        assertThat(cpu.status()).isEqualTo(Status.REFUSED);
        assertThat(cpu.detail()).contains("set live vCPUs of " + a + " to 5");
        ActuationResult mem = gw.setMemory(a, 600 * MIB);
        assertThat(mem.status()).isEqualTo(Status.REFUSED);
        assertThat(mem.detail()).contains("cannot set memory higher than max memory");
        ActuationResult quota = gw.setCpuQuota(a, CpuQuota.Param.VCPU, 500);
        assertThat(quota.status()).isEqualTo(Status.REFUSED);
        assertThat(quota.detail()).contains("out of range");
        assertThat(gw.allocation(a).current()).isEqualTo(new Allocation(2, 256 * MIB, 0));
        assertThat(failures("set_vcpus", "refused")).isEqualTo(1);
    }

    @Test
    @Order(6)
    void raisesAndLowersTheCpuQuotaOneParameterPerCall() {
        for (long q : new long[] {50_000, 55_000, 50_000}) {
            ActuationResult r = gw.setCpuQuota(a, CpuQuota.Param.VCPU, q);
            assertThat(r.status()).isEqualTo(Status.APPLIED);
            assertThat(r.observed()).hasValue(q);
            DomainAllocation al = gw.allocation(a);
            assertThat(al.current().cpuQuota()).isEqualTo(q);
            assertThat(al.quota()).hasValueSatisfying(c -> assertThat(c.share()).isEqualTo(q / (double) PERIOD));
        }
    }

    @Test
    @Order(7)
    void exportsBalloonStatsAsHeadroomDomainSeries(@TempDir Path state) throws Exception {
        // The guest's first report may come before its driver has counted anything (usable equal to available):
        // wait for one that shows memory in use.
        DomainStats s = Poll.until(Duration.ofSeconds(60), "balloon stats of a showing memory in use", () -> gw.stats(a),
                x -> x.balloon().get(BalloonStats.Stat.USABLE).isPresent() && x.balloon().get(BalloonStats.Stat.RSS).isPresent()
                        && x.balloon().inUseBytes().orElse(0) > 0);
        assertThat(s.balloon().get(BalloonStats.Stat.ACTUAL)).hasValue(256 * MIB);
        assertThat(s.balloon().get(BalloonStats.Stat.AVAILABLE).getAsLong()).isBetween(128 * MIB, 512 * MIB);
        assertThat(s.balloon().inUseBytes().getAsLong()).isBetween(1L, 256 * MIB);
        assertThat(s.balloon().get(BalloonStats.Stat.MAJOR_FAULT)).isPresent();
        assertThat(s.cpuTimeSeconds()).isPositive();

        HeadroomConfig cfg = ConfigLoader.parse("state_dir: " + state, null);
        ActuationService observe = new ActuationService(cfg.decide(), cfg.act(), gw, new DryRunActuator(),
                StateStore.under(state), metrics);
        observe.cycle(new TreeSet<>(List.of(a)), Map.of(), Instant.now());
        String[] domain = {"domain"};
        String[] of = {a};
        assertThat(metrics.registry().getSampleValue("headroom_domain_memory_usable_bytes", domain, of)).isPositive();
        assertThat(metrics.registry().getSampleValue("headroom_domain_memory_available_bytes", domain, of))
                .isEqualTo((double) s.balloon().get(BalloonStats.Stat.AVAILABLE).getAsLong());
        assertThat(metrics.registry().getSampleValue("headroom_domain_memory_rss_bytes", domain, of)).isPositive();
        assertThat(metrics.registry().getSampleValue("headroom_domain_memory_major_faults_total", domain, of)).isNotNull();
        assertThat(metrics.registry().getSampleValue("headroom_domain_memory_swap_in_bytes_total", domain, of)).isNotNull();
        assertThat(metrics.registry().getSampleValue("headroom_domain_cpu_time_seconds_total", domain, of)).isPositive();
        assertThat(metrics.registry().getSampleValue("headroom_domain_vcpus", domain, of)).isEqualTo(2.0);
        assertThat(metrics.registry().getSampleValue("headroom_domain_memory_bytes", domain, of)).isEqualTo(256.0 * MIB);

        // The exposition passes Prometheus' own lint (units, _total on counters only, help text).
        java.io.StringWriter text = new java.io.StringWriter();
        io.prometheus.client.exporter.common.TextFormat.write004(text, metrics.registry().metricFamilySamples());
        java.nio.file.Path file = state.resolve("metrics.txt");
        java.nio.file.Files.writeString(file, text.toString());
        Process lint = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String complaints = new String(lint.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(lint.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(lint.exitValue()).as(complaints).isZero();
    }

    /**
     * A cycle's read of the host and both guests: one {@code virConnectGetAllDomainStats} call, the same values as
     * each guest's own calls. The quota and opt-out, which no statistics group carries, are read once per guest and
     * then again only when libvirt's events say they changed, here through another connection (virsh).
     */
    @Test
    @Order(8)
    void readsTheFleetInOneBulkCallAndTunablesOnlyWhenLibvirtSaysTheyChanged() throws Exception {
        Metrics own = Metrics.isolated();
        try (LibvirtGateway bulk = new LibvirtGateway(guests.uri(), false, new LibvirtGateway.Settings(
                Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(10), Clock.systemUTC()), own)) {
            TreeSet<String> both = new TreeSet<>(List.of(a, b));
            HostReading first = bulk.read(both);
            assertThat(first.failed()).isEmpty();
            for (String g : both) {
                assertThat(first.domains().get(g).allocation()).isEqualTo(bulk.allocation(g));
                DomainStats own1 = bulk.stats(g);
                DomainStats read1 = first.domains().get(g).stats();
                assertThat(List.of(read1.vcpus(), read1.memoryBytes(), read1.maxMemoryBytes()))
                        .isEqualTo(List.of(own1.vcpus(), own1.memoryBytes(), own1.maxMemoryBytes()));
                // virDomainGetInfo rounds the guest's CPU time to the scheduler's tick; the bulk call does not.
                assertThat(read1.cpuTimeSeconds()).isPositive().isCloseTo(own1.cpuTimeSeconds(),
                        org.assertj.core.api.Assertions.within(1.0));
                assertThat(read1.balloon().values()).containsKeys(BalloonStats.Stat.ACTUAL, BalloonStats.Stat.USABLE,
                        BalloonStats.Stat.AVAILABLE, BalloonStats.Stat.RSS);
            }
            // The host's free memory moves from one call to the next; what the guests hold does not.
            assertThat(first.host()).usingRecursiveComparison().ignoringFields("libvirtFreeBytes")
                    .isEqualTo(bulk.host());
            assertThat(first.host().libvirtFreeBytes()).isPresent();
            assertThat(operations(own, "read_all")).isEqualTo(1);
            assertThat(operations(own, "read_domain")).as("QEMU fills every group: no guest read on its own").isZero();
            assertThat(operations(own, "read_tunables")).isEqualTo(2);

            bulk.read(both);
            bulk.read(both);
            assertThat(operations(own, "read_all")).isEqualTo(3);
            assertThat(operations(own, "read_tunables")).as("cached while nothing changed").isEqualTo(2);

            long quota = first.domains().get(a).allocation().current().cpuQuota() == 60_000 ? 65_000 : 60_000;
            virsh("schedinfo", a, "--live", "vcpu_quota=" + quota);
            Poll.until(Duration.ofSeconds(30), "the quota set through virsh", () -> bulk.read(both),
                    r -> r.domains().get(a).allocation().current().cpuQuota() == quota);
            assertThat(operations(own, "read_tunables")).as("a's tunables read again, b's not").isEqualTo(3);

            virsh("metadata", a, LibvirtGateway.METADATA_NAMESPACE, "--key", "headroom", "--set",
                    "<config opt-out=\"true\"/>", "--live");
            Poll.until(Duration.ofSeconds(30), "the opt-out set through virsh", () -> bulk.read(both),
                    r -> r.domains().get(a).allocation().optedOut());
            virsh("metadata", a, LibvirtGateway.METADATA_NAMESPACE, "--remove", "--live");
            Poll.until(Duration.ofSeconds(30), "the opt-out removed through virsh", () -> bulk.read(both),
                    r -> !r.domains().get(a).allocation().optedOut());
            assertThat(bulk.read(both).domains().get(b).allocation().optedOut()).isFalse();
        }
    }

    static double operations(Metrics m, String op) {
        Double v = m.registry().getSampleValue("headroom_libvirt_operations_total", new String[] {"operation"},
                new String[] {op});
        return v == null ? 0 : v;
    }

    /** virsh on the test's libvirtd: a change Headroom's gateway did not make. */
    static void virsh(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("virsh", "-c", guests.uri()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    /**
     * The whole cycle on guest b with the vcpus strategy: an anomaly adds a vCPU and memory; calm balloons the memory
     * back and tries to unplug, which QEMU 7.2 performs but never confirms; Headroom keeps libvirt's count, stops
     * unplugging, caps the guest at its baseline vCPU's worth by quota, and from then on raises and lowers that quota.
     */
    @Test
    @Order(9)
    void aFailedUnplugIsCappedByQuotaAndQuotaThenCarriesTheCpuChanges(@TempDir Path state) throws Exception {
        HeadroomConfig cfg = ConfigLoader.parse("""
                state_dir: %s
                decide: {hysteresis: {escalate_after_cycles: 1}, cooldown: 0s, decay: {after: 1m, step: 1.0}}
                act: {mode: enforce, cpu_strategy: vcpus, memory_floor: 16MiB}
                """.formatted(state), null);
        ActuationService s = new ActuationService(cfg.decide(), cfg.act(), gw, new LibvirtActuator(gw),
                StateStore.under(state), metrics);
        Instant t0 = Instant.parse("2026-11-28T10:00:00Z");
        Poll.until(Duration.ofSeconds(60), "b's balloon at 256 MiB", () -> gw.allocation(b).current().memoryBytes(),
                m -> m == 256 * MIB);

        WorkloadReport raise = cycle(s, t0, Scores.pressure(95));
        assertThat(raise.results()).extracting(ActuationResult::resource, ActuationResult::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Resource.CPU, Status.APPLIED),
                org.assertj.core.groups.Tuple.tuple(Resource.MEMORY, Status.APPLIED));
        assertThat(gw.allocation(b).current()).isEqualTo(new Allocation(2, 333 * MIB, 0));

        cycle(s, t0.plusSeconds(60), Scores.calm());
        WorkloadReport decay = cycle(s, t0.plusSeconds(120), Scores.calm());
        assertThat(decay.results()).extracting(ActuationResult::resource, ActuationResult::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Resource.CPU, Status.UNPLUG_FAILED),
                org.assertj.core.groups.Tuple.tuple(Resource.MEMORY, Status.APPLIED));
        assertThat(decay.notes()).anySatisfy(n -> assertThat(n).contains("vCPU unplug failed"));
        assertThat(s.records().get(b).unplugFailed()).isPresent();
        assertThat(s.records().get(b).applied().vcpus()).as("true to what libvirt reports").isEqualTo(2);
        assertThat(gauge("headroom_vcpu_unplug_failed", b)).isEqualTo(1);
        assertThat(gw.allocation(b).current()).isEqualTo(new Allocation(2, 256 * MIB, 0));

        WorkloadReport cap = cycle(s, t0.plusSeconds(180), Scores.calm());
        assertThat(cap.results()).extracting(ActuationResult::resource, ActuationResult::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Resource.CPU_QUOTA, Status.APPLIED));
        assertThat(cap.notes()).anySatisfy(n -> assertThat(n).contains("no longer unplugs", "vcpu_quota"));
        // One baseline vCPU's worth over the two libvirt counts: half of each.
        assertThat(gw.allocation(b).current()).isEqualTo(new Allocation(2, 256 * MIB, 50_000));
        assertThat(gauge("headroom_workload_cpu_quota_cores", b)).isEqualTo(1.0);

        WorkloadReport again = cycle(s, t0.plusSeconds(240), Scores.pressure(95));
        assertThat(again.results()).extracting(ActuationResult::resource)
                .as("never another vCPU change").containsExactly(Resource.MEMORY, Resource.CPU_QUOTA);
        assertThat(gw.allocation(b).current()).isEqualTo(new Allocation(2, 333 * MIB, 75_000));

        cycle(s, t0.plusSeconds(300), Scores.calm());
        cycle(s, t0.plusSeconds(360), Scores.calm());
        assertThat(gw.allocation(b).current()).isEqualTo(new Allocation(2, 256 * MIB, 50_000));
        assertThat(failures("set_vcpus", "unplug_failed")).as("the unplug was not retried").isEqualTo(2);
    }

    /**
     * A guest whose QEMU is frozen (SIGSTOP: its monitor never answers) must not wedge the gateway: the call that
     * waits on it is abandoned at act.libvirt_call_timeout and counted, and the next call, on another guest, runs on
     * a new connection at once.
     */
    @Test
    @Order(10)
    void aCallOnAFrozenGuestIsAbandonedAtItsDeadlineAndTheOtherGuestsStillAnswer() throws Exception {
        ProcessHandle qemu = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("guest=" + a + ",")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no QEMU process runs guest " + a));
        Metrics own = Metrics.isolated();
        try (LibvirtGateway bounded = new LibvirtGateway(guests.uri(), false, new LibvirtGateway.Settings(
                Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(1), Clock.systemUTC(),
                Duration.ofSeconds(3)), own)) {
            long before = bounded.allocation(a).current().memoryBytes();
            signal("STOP", qemu);
            try {
                long started = System.nanoTime();
                ActuationResult r = bounded.setMemory(a, before + 16 * MIB);
                long tookMs = (System.nanoTime() - started) / 1_000_000;

                assertThat(r.status()).as(r.detail()).isEqualTo(Status.CONNECTION_LOST);
                assertThat(r.detail()).contains("did not return within", "act.libvirt_call_timeout");
                assertThat(tookMs).as("returned at its deadline (3s + 1s read-back), not when QEMU answers")
                        .isLessThan(30_000);
                assertThat(own.registry().getSampleValue("headroom_libvirt_failures_total",
                        new String[] {"operation", "reason"}, new String[] {"set_memory", "timeout"})).isEqualTo(1.0);
                assertThat(bounded.allocation(b).current().vcpus()).as("another guest answers on a new connection")
                        .isPositive();
            } finally {
                signal("CONT", qemu);
            }
            Poll.until(Duration.ofSeconds(60), "guest a answering again", () -> {
                try {
                    return bounded.stats(a).memoryBytes() > 0;
                } catch (LibvirtFailure f) {
                    return false;
                }
            }, ok -> ok);
        }
    }

    /**
     * A libvirtd that stops answering (SIGSTOP: its socket stays open, nothing replies) is found by libvirt keepalive
     * long before the call's own deadline: the waiting call fails as a lost connection, and once libvirtd answers
     * again the next call reopens.
     */
    @Test
    @Order(11)
    void keepaliveGivesUpOnASilentLibvirtdBeforeTheCallDeadline() throws Exception {
        Metrics own = Metrics.isolated();
        try (LibvirtGateway kept = new LibvirtGateway(guests.uri(), false, new LibvirtGateway.Settings(
                Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Clock.systemUTC(),
                Duration.ofSeconds(120), new LibvirtGateway.Keepalive(Duration.ofSeconds(1), 2)), own)) {
            assertThat(kept.allocation(b).current().vcpus()).isPositive();
            ProcessHandle libvirtd = guests.libvirtd();
            signal("STOP", libvirtd);
            long tookMs;
            LibvirtFailure failure;
            try {
                long started = System.nanoTime();
                failure = org.assertj.core.api.Assertions.catchThrowableOfType(LibvirtFailure.class,
                        () -> kept.allocation(b));
                tookMs = (System.nanoTime() - started) / 1_000_000;
            } finally {
                signal("CONT", libvirtd);
            }
            assertThat(failure).as("a call on a silent libvirtd fails").isNotNull();
            System.out.println("[measured] keepalive 1s x 2 gave up on a stopped libvirtd after " + tookMs + " ms: "
                    + failure.getMessage());
            assertThat(failure.kind()).as(failure.getMessage()).isEqualTo(LibvirtFailure.Kind.CONNECTION_LOST);
            assertThat(tookMs).as("keepalive (about 3s), not the 120s call deadline").isLessThan(30_000);
            assertThat(own.registry().getSampleValue("headroom_libvirt_failures_total",
                    new String[] {"operation", "reason"}, new String[] {"read_allocation", "timeout"}))
                    .as("not abandoned at the deadline").isNull();
            Poll.until(Duration.ofSeconds(60), "a new connection once libvirtd answers", () -> {
                try {
                    return kept.allocation(b).current().vcpus() > 0;
                } catch (LibvirtFailure f) {
                    return false;
                }
            }, ok -> ok);
            assertThat(own.registry().getSampleValue("headroom_libvirt_connects_total", new String[] {"result"},
                    new String[] {"ok"})).as("reopened").isGreaterThanOrEqualTo(2.0);
        }
    }

    static void signal(String sig, ProcessHandle p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + sig).isZero();
    }

    static WorkloadReport cycle(ActuationService s, Instant at, WorkloadScore score) {
        return s.cycle(new TreeSet<>(List.of(b)), Map.of(b, score), at).get(0);
    }

    static double gauge(String name, String workload) {
        Double v = metrics.registry().getSampleValue(name, new String[] {"workload"}, new String[] {workload});
        return v == null ? 0 : v;
    }
}
