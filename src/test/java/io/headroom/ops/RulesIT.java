package io.headroom.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.testing.CommandLineTool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What CI runs on the ops assets: promtool's checks and unit tests of the rules, amtool's check of the example
 * Alertmanager config and of where it routes Headroom's alerts. A failure carries the tool's whole output.
 */
class RulesIT {

    static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void promtoolAcceptsTheRuleFiles() {
        CommandLineTool.Result r = CommandLineTool.promtool().run(ROOT, "check", "rules",
                RuleFiles.RECORDING.toString(), RuleFiles.ALERTING.toString()).assertSuccess();
        assertThat(r.output()).contains("SUCCESS: " + RuleFiles.rules(RuleFiles.RECORDING).size() + " rules found")
                .contains("SUCCESS: " + RuleFiles.alerts().size() + " rules found");
    }

    @Test
    void thePromtoolUnitTestsPass() {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        List<Path> files = RuleFiles.testFiles();
        assertThat(files).isNotEmpty();
        files.forEach(f -> args.add(f.toString()));
        CommandLineTool.Result r = CommandLineTool.promtool().run(ROOT, args.toArray(String[]::new)).assertSuccess();
        // promtool prints one "Unit Testing:" header per file: none was silently left out.
        assertThat(r.output().split("Unit Testing:", -1)).hasSize(files.size() + 1);
    }

    @Test
    void amtoolAcceptsTheExampleAlertmanagerConfig() {
        CommandLineTool.amtool().run(ROOT, "check-config", RuleFiles.ALERTMANAGER_EXAMPLE.toString()).assertSuccess();
    }

    @Test
    void theExampleRoutesBySeverityAndSendsFailuresToHeadroomToo() {
        // labels -> receivers, in the order amtool resolves them (a failure alert continues to the people's route).
        routes("pager", "alertname=HeadroomCriticalAnomaly", "severity=critical", "workload=web-2", "tier=critical");
        routes("pager", "alertname=HeadroomWorkloadCritical", "severity=critical", "workload=web-2");
        routes("chat,email-digest", "alertname=HeadroomActuationFailed", "severity=warning", "workload=web-2");
        routes("chat,email-digest", "alertname=HeadroomModelStale", "severity=warning");
        routes("headroom,pager", "alertname=GuestOOM", "headroom_failure=true", "severity=critical", "domain=web-1");
        routes("headroom,chat,email-digest", "alertname=DeadLetterQueueGrowing", "headroom_failure=true",
                "severity=warning", "domain=web-1");
        routes("chat", "alertname=Watchdog", "severity=info");
    }

    private static void routes(String receivers, String... labels) {
        List<String> args = new ArrayList<>(List.of("config", "routes", "test",
                "--config.file=" + RuleFiles.ALERTMANAGER_EXAMPLE, "--verify.receivers=" + receivers));
        args.addAll(List.of(labels));
        CommandLineTool.amtool().run(ROOT, args.toArray(String[]::new)).assertSuccess();
    }
}
