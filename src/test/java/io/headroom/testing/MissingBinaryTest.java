package io.headroom.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a binary and without Docker the extensions must fail, and say what to install: a test that needs
 * Prometheus must never pass by being skipped.
 */
class MissingBinaryTest {

    @TempDir
    Path dir;

    @Test
    void prometheusFailsNamingThePackageToInstall() {
        Path missing = dir.resolve("no-such-prometheus");
        PrometheusExtension prometheus = PrometheusExtension.builder()
                .binary(missing)
                .dockerFallback(false)
                .build();

        assertThatThrownBy(prometheus::start)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("apt-get install -y --no-install-recommends prometheus")
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("Docker fallback is disabled");
        assertThatThrownBy(prometheus::baseUrl).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void prometheusBackfillNeedsPromtoolToo() {
        // /bin/sh stands in for an installed prometheus: the check fails on promtool before anything runs.
        PrometheusExtension prometheus = PrometheusExtension.builder()
                .binary(Path.of("/bin/sh"))
                .promtool(dir.resolve("no-such-promtool"))
                .backfill("# TYPE g gauge\ng 1 1\n# EOF\n")
                .dockerFallback(false)
                .build();

        assertThatThrownBy(prometheus::start)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("no promtool binary for the backfill")
                .hasMessageNotContaining("no prometheus binary")
                .hasMessageContaining(PrometheusExtension.INSTALL_HINT);
    }

    @Test
    void aMissingCommandLineToolFailsNamingThePackageToInstall() {
        CommandLineTool amtool = CommandLineTool.at("amtool", dir.resolve("no-such-amtool"),
                AlertmanagerExtension.INSTALL_HINT);

        assertThatThrownBy(() -> amtool.run(dir, "check-config", "x.yml"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("amtool is needed")
                .hasMessageContaining(AlertmanagerExtension.INSTALL_HINT);
    }

    @Test
    void alertmanagerFailsNamingThePackageToInstall() {
        AlertmanagerExtension alertmanager = AlertmanagerExtension.builder()
                .binary(dir.resolve("no-such-alertmanager"))
                .dockerFallback(false)
                .build();

        assertThatThrownBy(alertmanager::start)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("apt-get install -y --no-install-recommends prometheus-alertmanager");
    }
}
