package io.headroom.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exploration's draws: off at 0, the configured share on many episodes, the same draw for the same episode. */
class ExplorationTest {

    static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.05, 0.2, 0.5})
    void holdsTheShareOfEpisodesAndLogsEachChoicesProbability(double share) {
        int held = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            Exploration.Choice c = Exploration.choose("web-" + (i % 50), T.plusSeconds(30L * (i / 50)), share);
            held += c.hold() ? 1 : 0;
            assertThat(c.probability()).isEqualTo(c.hold() ? share : 1 - share);
            assertThat(Exploration.choose("web-" + (i % 50), T.plusSeconds(30L * (i / 50)), share))
                    .as("drawn once: the same episode draws the same").isEqualTo(c);
        }
        assertThat(held / (double) n).isCloseTo(share, within(0.01));
    }
}
