package io.headroom.config;

import static io.headroom.config.ConfigLoaderTest.parse;
import static io.headroom.config.ConfigLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DetectionConfigTest {

    @Nested
    class Lifecycle {
        @Test
        void defaults() throws Exception {
            DetectionConfig d = parse("").detection();
            assertThat(d.model()).isEqualTo(DetectionConfig.Model.ISOLATION_FOREST);
            assertThat(d.scope()).isEqualTo(DetectionConfig.Scope.AUTO);
            assertThat(d.trainingWindow()).isEqualTo(Duration.ofDays(7));
            assertThat(d.retrainEvery()).isEqualTo(Duration.ofHours(6));
            assertThat(d.failureQuery()).isEmpty();
            assertThat(d.historyCache()).isTrue();
        }

        @Test
        void historyCacheIsAFlag() throws Exception {
            assertThat(parse("detection: {history_cache: false}").detection().historyCache()).isFalse();
            assertThat(problems("detection: {history_cache: sometimes}")).singleElement().asString()
                    .startsWith("detection.history_cache: ");
        }

        @Test
        void groupScopeNeedsALabel() {
            assertThat(problems("detection: {scope: group}")).containsExactly(
                    "detection.group_label: is required when detection.scope is group (got nothing)");
        }

        @Test
        void staleAfterRetrain() {
            assertThat(problems("detection: {retrain_every: 1d, max_model_age: 1h}")).containsExactly(
                    "detection.max_model_age: must be at least detection.retrain_every 1d (got 1h)");
        }

        @Test
        void windowRange() {
            assertThat(problems("detection: {training_window: 10m}")).containsExactly(
                    "detection.training_window: must be a duration between 1h and 90d (got \"10m\")");
        }
    }

    @Nested
    class Forest {
        @Test
        void hyperparameters() throws Exception {
            DetectionConfig.Forest f = parse("detection: {forest: {trees: 50, sample_size: 128, seed: 9}}").detection().forest();
            assertThat(f).isEqualTo(new DetectionConfig.Forest(50, 128, 0, 1.0, 9));
        }

        @Test
        void ranges() {
            assertThat(problems("detection: {forest: {trees: 0, feature_fraction: 2}}")).containsExactly(
                    "detection.forest.trees: must be a whole number between 1 and 10000 (got 0)",
                    "detection.forest.feature_fraction: must be a number between 0.01 and 1.0 (got 2)");
        }
    }

    @Nested
    class Engineering {
        @Test
        void perFeatureTransforms() throws Exception {
            DetectionConfig.Engineering e = parse("""
                    detection:
                      engineering:
                        transforms: [level, deviation]
                        window: 1h
                        per_feature: {net_drops_rate: [level]}
                    """).detection().engineering();
            assertThat(e.transforms()).containsExactly("level", "deviation");
            assertThat(e.window()).isEqualTo(Duration.ofHours(1));
            assertThat(e.perFeature()).containsEntry("net_drops_rate", List.of("level"));
        }

        @Test
        void unknownTransformAndFeature() {
            assertThat(problems("""
                    detection:
                      engineering:
                        transforms: [level, fourier]
                        per_feature: {cpu: [level]}
                    """)).containsExactly(
                    "detection.engineering.transforms[1]: must be one of level, deviation, variability, rate, seasonal, shift (got \"fourier\")",
                    "detection.engineering.per_feature.cpu: names no configured feature (got \"cpu\")");
        }

        @Test
        void emptyTransforms() {
            assertThat(problems("detection: {engineering: {transforms: []}}")).containsExactly(
                    "detection.engineering.transforms: must list at least one of level, deviation, variability, rate, seasonal, shift (got none)");
        }
    }
}
