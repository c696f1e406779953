package io.headroom.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.decide.Allocation;
import io.headroom.decide.Tier;
import io.headroom.decide.WorkloadState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @TempDir
    Path dir;

    static ActuationState sample() {
        TreeMap<String, WorkloadRecord> w = new TreeMap<>();
        Allocation base = new Allocation(2, 2L << 30);
        Allocation up = new Allocation(3, 2356L << 20);
        w.put("web-1", new WorkloadRecord(base, up, 2L << 30,
                Optional.of(new WorkloadRecord.PendingChange(up, base, T0)), Optional.empty(),
                new WorkloadState(Tier.HIGH, new WorkloadState.Streaks(4, 3, 0), Optional.of(T0.minusSeconds(60)),
                        Optional.of(T0.minusSeconds(30)), Optional.empty()), T0));
        w.put("db-1", new WorkloadRecord(up, up, up.memoryBytes(), Optional.empty(), Optional.of(base),
                WorkloadState.initial(), T0));
        // Quota control after a failed unplug: 3 vCPUs counted, capped at two thirds of each.
        Allocation capped = new Allocation(3, 2L << 30, 66000);
        w.put("app-1", new WorkloadRecord(base.with(io.headroom.decide.Resource.CPU_QUOTA, 66000), capped,
                2L << 30, Optional.empty(), Optional.empty(), WorkloadState.initial(), T0,
                Optional.of(T0.minusSeconds(300))));
        return new ActuationState(w, List.of(T0.minusSeconds(10), T0));
    }

    @Test
    void aFirstStartHasNoState() throws IOException {
        assertThat(new StateStore(dir.resolve("actuation")).load()).isEqualTo(ActuationState.empty());
    }

    @Test
    void saveThenLoadGivesTheSameStateAndLeavesNoTempFile() throws IOException {
        StateStore store = StateStore.under(dir);
        store.save(sample());
        assertThat(store.load()).isEqualTo(sample());
        try (var files = Files.list(dir.resolve("actuation"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
        assertThat(Files.readString(store.snapshotFile())).contains("\"version\" : 2", "\"memory_from_bytes\"",
                "\"pending\"", "\"left_alone\"", "\"cpu_quota_us\" : 66000", "\"unplug_failed_at\"");
    }

    @Test
    void aTempFileLeftByACrashIsIgnoredAndReplaced() throws IOException {
        StateStore store = StateStore.under(dir);
        store.save(sample());
        Files.writeString(dir.resolve("actuation/state.json.tmp"), "{\"version\": 1, \"workl");
        assertThat(store.load()).isEqualTo(sample());
        store.save(ActuationState.empty());
        assertThat(store.load()).isEqualTo(ActuationState.empty());
    }

    @Test
    void anUnreadableSnapshotIsRefusedRatherThanStartingWithoutBaselines() throws IOException {
        StateStore store = StateStore.under(dir);
        Files.createDirectories(store.snapshotFile().getParent());
        Files.writeString(store.snapshotFile(), "{\"version\": 3, \"workloads\": {}, \"recent_changes\": []}");
        assertThatThrownBy(store::load).isInstanceOf(IOException.class)
                .hasMessageContaining("snapshot version 3 is not 1 to 2").hasMessageContaining("move it away");
        Files.writeString(store.snapshotFile(), "{\"version\": 1, \"workloads\": {\"x\": {}}, \"recent_changes\": []}");
        assertThatThrownBy(store::load).isInstanceOf(IOException.class).hasMessageContaining("cannot understand");
    }

    @Test
    void aVersion1SnapshotReadsAsUncappedGuestsWithoutFailedUnplugs() throws IOException {
        StateStore store = StateStore.under(dir);
        Files.createDirectories(store.snapshotFile().getParent());
        Files.writeString(store.snapshotFile(), """
                {"version": 1, "recent_changes": [], "workloads": {"web-1": {
                  "baseline": {"vcpus": 2, "memory_bytes": 2147483648},
                  "applied": {"vcpus": 3, "memory_bytes": 2147483648},
                  "memory_from_bytes": 2147483648,
                  "policy": {"tier": "high", "streaks": {"medium": 2, "high": 2, "critical": 0}},
                  "last_seen": "2026-11-28T10:00:00Z"}}}
                """);
        WorkloadRecord r = store.load().workloads().get("web-1");
        assertThat(r.applied()).isEqualTo(new Allocation(3, 2L << 30, 0));
        assertThat(r.unplugFailed()).isEmpty();
        assertThat(r.raised()).isTrue();
    }

    @Test
    void theAuditLogOnlyGrows() throws IOException {
        StateStore store = StateStore.under(dir);
        store.append(StateCodec.event(T0, "web-1", "intent"));
        store.append(StateCodec.event(T0.plusSeconds(1), "web-1", "result"));
        List<String> lines = Files.readAllLines(store.auditFile());
        assertThat(lines).containsExactly(
                "{\"time\":\"2026-11-28T10:00:00Z\",\"workload\":\"web-1\",\"event\":\"intent\"}",
                "{\"time\":\"2026-11-28T10:00:01Z\",\"workload\":\"web-1\",\"event\":\"result\"}");
    }

    @Test
    void theAuditLogRotatesBySizeKeepingTheNewestFiles() throws IOException {
        // Each event line is 69 bytes: two fit under 150, the third rotates.
        StateStore store = StateStore.under(dir, new io.headroom.config.RotationConfig(150, 2));
        for (int i = 0; i < 7; i++) {
            store.append(StateCodec.event(T0.plusSeconds(i), "web-" + i, "intent"));
        }
        Path rotated1 = store.auditFile().resolveSibling("audit.jsonl.1");
        Path rotated2 = store.auditFile().resolveSibling("audit.jsonl.2");
        assertThat(Files.readAllLines(store.auditFile())).singleElement().asString().contains("web-6");
        assertThat(Files.readAllLines(rotated1)).hasSize(2).last().asString().contains("web-5");
        assertThat(Files.readAllLines(rotated2)).hasSize(2).first().asString().contains("web-2");
        assertThat(store.auditFile().resolveSibling("audit.jsonl.3")).as("beyond keep: deleted").doesNotExist();
    }
}
