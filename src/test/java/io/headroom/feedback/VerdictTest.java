package io.headroom.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.config.FeedbackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Operators' verdicts: what each one teaches the learner, what is refused, and their file across restarts. */
class VerdictTest {

    static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    static final Instant NOW = AT.plusSeconds(3600);

    static Verdict v(String call, String kind) {
        return new Verdict("web-1", Verdict.Call.parse(call), AT, Optional.empty(), Optional.ofNullable(kind), "n", NOW);
    }

    @ParameterizedTest(name = "{0}, Headroom acted {1} -> {2}")
    @CsvSource({
            "false_positive, false, UNNECESSARY", "false_positive, true, UNNECESSARY",
            "not_resource, false, NOT_RESOURCE", "not_resource, true, NOT_RESOURCE",
            "true_positive, false, MISSED", "true_positive, true, "})
    void eachVerdictFeedsTheLearnerAsTheEpisodeItDescribes(String call, boolean acted, Outcome expected) {
        Optional<Judgement> j = v(call, "cpu").judgement(acted);
        assertThat(j.map(Judgement::outcome)).isEqualTo(Optional.ofNullable(expected));
        j.ifPresent(x -> assertThat(x.evidence()).isEqualTo("operator verdict " + call + " at " + AT + ": n"));
    }

    @Test
    void badVerdictsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Verdict.Call.parse("fp")).hasMessageContaining("unknown verdict \"fp\"");
        assertThatThrownBy(() -> new Verdict("web-1", Verdict.Call.FALSE_POSITIVE, NOW.plusSeconds(1), Optional.empty(),
                Optional.empty(), "", NOW)).hasMessageContaining("in the future");
        assertThatThrownBy(() -> new Verdict("web-1", Verdict.Call.TRUE_POSITIVE, AT, Optional.of(AT.plusSeconds(1)),
                Optional.empty(), "", NOW)).hasMessageContaining("is after at");
        assertThatThrownBy(() -> new Verdict("web-1", Verdict.Call.NOT_RESOURCE, AT, Optional.empty(),
                Optional.empty(), "x".repeat(Verdict.MAX_NOTE + 1), NOW)).hasMessageContaining("note longer than");
    }

    @Test
    void keptAcrossARestartAndAnUnreadableFileIsSetAside(@TempDir Path dir) throws Exception {
        Verdicts store = Verdicts.open(dir);
        Adaptations adaptations = Adaptations.inMemory();
        assertThat(store.mark(v("true_positive", null), false, adaptations, FeedbackConfig.DEFAULT))
                .hasValueSatisfying(c -> assertThat(c.what()).startsWith("medium floor 0 -> -5 after a missed failure"));
        store.mark(v("false_positive", "cpu"), false, adaptations, FeedbackConfig.DEFAULT);
        assertThat(Verdicts.open(dir).all()).isEqualTo(store.all()).hasSize(2);
        assertThat(store.all().get(0).incidentStart()).hasValue(AT.minus(Verdict.INCIDENT));

        Files.writeString(dir.resolve(Verdicts.FILE_NAME), "{\"verdicts\": [{\"verdict\": \"perhaps\"}]}");
        assertThat(Verdicts.open(dir).all()).isEmpty();
        assertThat(dir.resolve(Verdicts.FILE_NAME + ".unreadable")).exists();
    }
}
