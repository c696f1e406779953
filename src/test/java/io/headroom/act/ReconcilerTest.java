package io.headroom.act;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.act.Reconciler.Kind;
import io.headroom.decide.Allocation;
import io.headroom.decide.WorkloadState;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table of (record, what libvirt shows) to how Headroom treats the guest. Baseline 2 vCPUs / 2048 MiB. */
class ReconcilerTest {

    static final long MIB = 1L << 20;
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final Allocation BASE = a(2, 2048);
    static final Allocation RAISED = a(3, 2356);

    static Allocation a(int vcpus, long mib) {
        return new Allocation(vcpus, mib * MIB);
    }

    static WorkloadRecord record(Allocation applied, long memFromMib) {
        return new WorkloadRecord(BASE, applied, memFromMib * MIB, Optional.empty(), Optional.empty(),
                WorkloadState.initial(), T0.minusSeconds(30));
    }

    static WorkloadRecord pending(Allocation from, Allocation to) {
        return record(from, from.memoryBytes() / MIB)
                .withPending(Optional.of(new WorkloadRecord.PendingChange(from, to, T0.minusSeconds(30))));
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, previous, observed, kind, baseline, applied, memory from (MiB), effective, has notes
                Arguments.of("first seen", null, BASE, Kind.NEW, BASE, BASE, 2048, BASE, true),
                Arguments.of("at baseline", record(BASE, 2048), BASE, Kind.IN_SYNC, BASE, BASE, 2048, BASE, false),
                Arguments.of("raised, in sync", record(RAISED, 2356), RAISED, Kind.IN_SYNC, BASE, RAISED, 2356, RAISED, false),
                Arguments.of("balloon on its way up", record(RAISED, 2048), a(3, 2200), Kind.IN_SYNC, BASE, RAISED, 2048,
                        RAISED, false),
                Arguments.of("balloon arrived", record(RAISED, 2048), RAISED, Kind.IN_SYNC, BASE, RAISED, 2356, RAISED, false),
                Arguments.of("memory outside the balloon's range", record(RAISED, 2048), a(3, 2500), Kind.LEFT_ALONE,
                        BASE, RAISED, 2048, a(3, 2500), true),
                Arguments.of("back at baseline after a restart", record(RAISED, 2356), BASE, Kind.RESET_TO_BASELINE,
                        BASE, BASE, 2048, BASE, true),
                Arguments.of("resized while not raised", record(BASE, 2048), a(4, 4096), Kind.REBASELINED, a(4, 4096),
                        a(4, 4096), 4096, a(4, 4096), true),
                Arguments.of("changed by someone else while raised", record(RAISED, 2356), a(6, 2356), Kind.LEFT_ALONE,
                        BASE, RAISED, 2356, a(6, 2356), true),
                Arguments.of("still left alone: reported once", record(RAISED, 2356).withLeftAlone(Optional.of(a(6, 2356))),
                        a(6, 2356), Kind.LEFT_ALONE, BASE, RAISED, 2356, a(6, 2356), false),
                Arguments.of("handed back at Headroom's value", record(RAISED, 2356).withLeftAlone(Optional.of(a(6, 2356))),
                        RAISED, Kind.RESUMED, BASE, RAISED, 2356, RAISED, true),
                Arguments.of("handed back at the baseline", record(RAISED, 2356).withLeftAlone(Optional.of(a(6, 2356))),
                        BASE, Kind.RESUMED, BASE, BASE, 2048, BASE, true),
                Arguments.of("interrupted raise that landed: no second step, no new baseline", pending(BASE, RAISED),
                        RAISED, Kind.IN_SYNC, BASE, RAISED, 2356, RAISED, true),
                Arguments.of("interrupted raise that never left", pending(BASE, RAISED), BASE, Kind.IN_SYNC, BASE, BASE,
                        2356, BASE, true),
                Arguments.of("interrupted raise, vCPUs only", pending(BASE, RAISED), a(3, 2048), Kind.IN_SYNC, BASE,
                        a(3, 2048), 2356, a(3, 2048), true),
                Arguments.of("interrupted raise, balloon mid-way", pending(BASE, RAISED), a(3, 2200), Kind.IN_SYNC, BASE,
                        RAISED, 2048, RAISED, true),
                Arguments.of("interrupted decay that landed", pending(RAISED, BASE), BASE, Kind.IN_SYNC, BASE, BASE, 2048,
                        BASE, true),
                Arguments.of("interrupted raise, then resized by someone", pending(BASE, RAISED), a(8, 8192),
                        Kind.REBASELINED, a(8, 8192), a(8, 8192), 8192, a(8, 8192), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void reconciles(String name, WorkloadRecord previous, Allocation observed, Kind kind, Allocation baseline,
                    Allocation applied, long memFromMib, Allocation effective, boolean notes) {
        Reconciler.Result r = Reconciler.reconcile(Optional.ofNullable(previous), observed, T0);
        assertThat(r.kind()).isEqualTo(kind);
        assertThat(r.record().baseline()).isEqualTo(baseline);
        assertThat(r.record().applied()).isEqualTo(applied);
        assertThat(r.record().memoryFrom()).isEqualTo(memFromMib * MIB);
        assertThat(r.record().pending()).isEmpty();
        assertThat(r.record().lastSeen()).isEqualTo(T0);
        assertThat(r.effective()).isEqualTo(effective);
        assertThat(r.notes().isEmpty()).isEqualTo(!notes);
        assertThat(r.record().leftAlone().isPresent()).isEqualTo(kind == Kind.LEFT_ALONE);
    }

    /** Quota control: baseline cap 50000 us derived for a guest that came uncapped; Headroom raised it to 75000. */
    static Stream<Arguments> quotaRows() {
        Allocation base = new Allocation(2, 2048 * MIB, 50_000);
        Allocation uncapped = new Allocation(2, 2048 * MIB, 0);
        Allocation raised = new Allocation(2, 2048 * MIB, 75_000);
        WorkloadRecord capped = new WorkloadRecord(base, raised, 2048 * MIB, Optional.empty(), Optional.empty(),
                WorkloadState.initial(), T0.minusSeconds(30));
        WorkloadRecord notYetCapped = new WorkloadRecord(base, uncapped, 2048 * MIB, Optional.empty(), Optional.empty(),
                WorkloadState.initial(), T0.minusSeconds(30));
        WorkloadRecord stuck = new WorkloadRecord(base, raised.with(io.headroom.decide.Resource.CPU, 3), 2048 * MIB,
                Optional.empty(), Optional.empty(), WorkloadState.initial(), T0.minusSeconds(30), Optional.of(T0));
        return Stream.of(
                // name, previous, observed, kind, applied afterwards, unplug failure kept
                Arguments.of("raised cap in sync", capped, raised, Kind.IN_SYNC, raised, false),
                Arguments.of("restart dropped the cap: back at baseline, uncapped", capped, uncapped,
                        Kind.RESET_TO_BASELINE, uncapped, false),
                Arguments.of("not capped yet: in sync, nothing held", notYetCapped, uncapped, Kind.IN_SYNC, uncapped, false),
                Arguments.of("cap changed by someone while raised", capped, new Allocation(2, 2048 * MIB, 90_000),
                        Kind.LEFT_ALONE, raised, false),
                Arguments.of("stuck vCPU in sync", stuck, stuck.applied(), Kind.IN_SYNC, stuck.applied(), true),
                Arguments.of("stuck vCPU gone after a restart", stuck, uncapped, Kind.RESET_TO_BASELINE, uncapped, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quotaRows")
    void reconcilesTheQuota(String name, WorkloadRecord previous, Allocation observed, Kind kind, Allocation applied,
                            boolean unplugFailed) {
        Reconciler.Result r = Reconciler.reconcile(Optional.of(previous), observed, T0);
        assertThat(r.kind()).isEqualTo(kind);
        assertThat(r.record().applied()).isEqualTo(applied);
        assertThat(r.record().baseline()).isEqualTo(previous.baseline());
        assertThat(r.record().unplugFailed().isPresent()).isEqualTo(unplugFailed);
    }

    @Test
    void anUncappedGuestUnderADerivedCapHoldsNothingOfHeadroomS() {
        Allocation base = new Allocation(2, 2048 * MIB, 50_000);
        WorkloadRecord r = new WorkloadRecord(base, base.with(io.headroom.decide.Resource.CPU_QUOTA, 0), 2048 * MIB,
                Optional.empty(), Optional.empty(), WorkloadState.initial(), T0);
        assertThat(r.raised()).isFalse();
        assertThat(r.withApplied(base, 2048 * MIB).raised()).isFalse();
        assertThat(r.withApplied(base.with(io.headroom.decide.Resource.CPU_QUOTA, 55_000), 2048 * MIB).raised()).isTrue();
    }

    @Test
    void anInterruptedChangeStillStartsTheCooldown() {
        Reconciler.Result r = Reconciler.reconcile(Optional.of(pending(BASE, RAISED)), BASE, T0);
        assertThat(r.record().policy().lastChangeAt()).contains(T0.minusSeconds(30));
        assertThat(Reconciler.reconcile(Optional.of(record(BASE, 2048)), BASE, T0).record().policy().lastChangeAt())
                .isEmpty();
    }

    @Test
    void theInterruptedChangeIsNamedInTheNote() {
        Reconciler.Result r = Reconciler.reconcile(Optional.of(pending(BASE, RAISED)), RAISED, T0);
        assertThat(r.notes()).singleElement().asString().isEqualTo("an interrupted change 2 vCPUs, 2GiB -> 3 vCPUs, "
                + "2356MiB from 2026-11-28T09:59:30Z is settled as 3 vCPUs, 2356MiB (the guest shows 3 vCPUs, 2356MiB)");
    }
}
