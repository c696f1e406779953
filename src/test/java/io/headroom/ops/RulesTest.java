package io.headroom.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.config.ConfigLoader;
import io.headroom.config.HeadroomConfig;
import io.headroom.ops.RuleFiles.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules and the example Alertmanager config as files: every alert is complete, documented and tested both ways,
 * its thresholds agree with the table at the top of the file and with the daemon's defaults. promtool and amtool
 * themselves run in {@link RulesIT}.
 */
class RulesTest {

    static final HeadroomConfig DEFAULTS = defaults();

    static HeadroomConfig defaults() {
        try {
            return ConfigLoader.parse("", null);
        } catch (Exception e) {
            throw new IllegalStateException("the empty config must load", e);
        }
    }

    @Nested
    class Alerts {

        @Test
        void everyAlertHasForSeveritySummaryAndDescription() {
            List<Rule> alerts = RuleFiles.alerts();
            assertThat(alerts).isNotEmpty();
            for (Rule a : alerts) {
                assertThat(a.forDuration()).as("%s: for", a.name()).matches("\\d+[smh]");
                assertThat(a.labels()).as("%s: labels", a.name()).containsOnlyKeys("severity");
                assertThat(a.labels().get("severity")).as("%s: severity", a.name()).isIn("critical", "warning", "info");
                assertThat(a.annotations()).as("%s: annotations", a.name()).containsOnlyKeys("summary", "description");
                assertThat(a.annotations().values()).as("%s: annotations", a.name()).allMatch(v -> !v.isBlank());
            }
        }

        @Test
        void everyRuleNamesOnlySeriesHeadroomExportsOrTheRulesRecord() {
            // A misspelt metric passes promtool's tests, whose input series repeat the misspelling.
            Set<String> known = MetricNames.known();
            List<Rule> all = new ArrayList<>(RuleFiles.rules(RuleFiles.RECORDING));
            all.addAll(RuleFiles.alerts());
            for (Rule r : all) {
                assertThat(known).as("series used by %s: %s", r.name(), r.expr()).containsAll(MetricNames.referenced(r.expr()));
            }
        }

        @Test
        void alertNamesAreUniqueAndDoNotReuseTheDirectAlerts() {
            // Same name, different labels: Alertmanager would keep both, and operators could not tell them apart.
            List<String> names = RuleFiles.alerts().stream().map(Rule::name).toList();
            assertThat(names).doesNotHaveDuplicates().doesNotContainAnyElementsOf(RuleFiles.DIRECT_ALERTS);
        }

        @Test
        void everyAlertAndEveryDirectAlertHasARunbookSection() throws Exception {
            String readme = Files.readString(Path.of("README.md"));
            int runbook = readme.indexOf("\n## Runbook\n");
            assertThat(runbook).as("README.md has a \"## Runbook\" section").isPositive();
            int end = readme.indexOf("\n## ", runbook + 1);
            String section = readme.substring(runbook, end < 0 ? readme.length() : end);
            List<String> names = new ArrayList<>(RuleFiles.alerts().stream().map(Rule::name).toList());
            names.addAll(RuleFiles.DIRECT_ALERTS);
            for (String name : names) {
                assertThat(section).as("runbook subsection for %s", name).contains("\n### " + name + "\n");
            }
        }
    }

    @Nested
    class Thresholds {

        /** A row of the table at the top of headroom.alerts.yml. */
        record Row(String alert, String threshold, String forDuration, String severity, String mirrors) {}

        static final Pattern ROW = Pattern.compile(
                "^# \\| (Headroom\\w+)\\s*\\| ([<>=!]=? [0-9.]+)\\s*\\| (\\w+)\\s*\\| (\\w+)\\s*\\| ([\\w.]*)\\s*\\|.*\\|$");

        static List<Row> table() throws Exception {
            List<Row> rows = new ArrayList<>();
            for (String line : Files.readAllLines(RuleFiles.ALERTING)) {
                if (line.startsWith("# | Headroom")) {
                    Matcher m = ROW.matcher(line);
                    assertThat(m.matches()).as("threshold table row is well formed: %s", line).isTrue();
                    rows.add(new Row(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)));
                }
            }
            return rows;
        }

        @Test
        void theTableListsEveryAlertOnce() throws Exception {
            assertThat(table().stream().map(Row::alert).toList())
                    .containsExactlyElementsOf(RuleFiles.alerts().stream().map(Rule::name).toList());
        }

        @Test
        void eachRuleUsesItsRowsThresholdForAndSeverity() throws Exception {
            Map<String, Rule> alerts = new LinkedHashMap<>();
            RuleFiles.alerts().forEach(a -> alerts.put(a.name(), a));
            for (Row row : table()) {
                Rule rule = alerts.get(row.alert());
                String expr = rule.expr().replaceAll("\\s+", " ");
                // Exactly once, and not as the prefix of a longer number ("> 0" must not match "> 0.05").
                Matcher m = Pattern.compile(Pattern.quote(row.threshold()) + "(?![0-9.])").matcher(expr);
                int found = 0;
                while (m.find()) {
                    found++;
                }
                assertThat(found).as("%s: threshold \"%s\" in %s", row.alert(), row.threshold(), expr).isEqualTo(1);
                assertThat(rule.forDuration()).as("%s: for", row.alert()).isEqualTo(row.forDuration());
                assertThat(rule.labels().get("severity")).as("%s: severity", row.alert()).isEqualTo(row.severity());
            }
        }

        @Test
        void thresholdsMirroringDaemonSettingsEqualTheirDefaults() throws Exception {
            Map<String, Double> defaults = Map.of(
                    "decide.tiers.critical.min_score", (double) DEFAULTS.decide().tiers().critical().minScore(),
                    "decide.tiers.high.min_score", (double) DEFAULTS.decide().tiers().high().minScore(),
                    "detection.max_model_age", (double) DEFAULTS.detection().maxModelAge().toSeconds());
            Set<String> used = new HashSet<>();
            for (Row row : table()) {
                if (row.mirrors().isEmpty()) {
                    continue;
                }
                assertThat(defaults).as("%s mirrors a known setting", row.alert()).containsKey(row.mirrors());
                double threshold = Double.parseDouble(row.threshold().replaceAll("^[<>=!]+ ", ""));
                assertThat(threshold).as("%s: %s vs the default of %s", row.alert(), row.threshold(), row.mirrors())
                        .isEqualTo(defaults.get(row.mirrors()));
                used.add(row.mirrors());
            }
            assertThat(used).as("every mirrored setting is used by some alert").isEqualTo(defaults.keySet());
        }
    }

    @Nested
    class Coverage {

        /** alertname -> {fires somewhere, stays silent somewhere}, over every promtool test file. */
        static Map<String, boolean[]> alertTests() {
            Map<String, boolean[]> seen = new LinkedHashMap<>();
            for (Path file : RuleFiles.testFiles()) {
                for (JsonNode group : RuleFiles.read(file).path("tests")) {
                    for (JsonNode t : group.path("alert_rule_test")) {
                        boolean[] s = seen.computeIfAbsent(t.path("alertname").asText(), k -> new boolean[2]);
                        s[t.path("exp_alerts").size() > 0 ? 0 : 1] = true;
                    }
                }
            }
            return seen;
        }

        @Test
        void everyAlertIsTestedFiringAndNotFiring() {
            Map<String, boolean[]> tests = alertTests();
            for (Rule a : RuleFiles.alerts()) {
                boolean[] s = tests.getOrDefault(a.name(), new boolean[2]);
                assertThat(s[0]).as("a promtool test where %s fires", a.name()).isTrue();
                assertThat(s[1]).as("a promtool test where %s does not fire", a.name()).isTrue();
            }
            assertThat(RuleFiles.alerts().stream().map(Rule::name).toList())
                    .as("tests only name alerts that exist").containsAll(tests.keySet());
        }

        @Test
        void everyRecordingRuleIsTested() {
            List<String> exprs = new ArrayList<>();
            for (Path file : RuleFiles.testFiles()) {
                for (JsonNode group : RuleFiles.read(file).path("tests")) {
                    group.path("promql_expr_test").forEach(t -> exprs.add(t.path("expr").asText()));
                }
            }
            for (Rule r : RuleFiles.rules(RuleFiles.RECORDING)) {
                assertThat(r.alert()).as("%s is a recording rule in the recording file", r.name()).isFalse();
                assertThat(exprs).as("a promql_expr_test of %s", r.name()).anyMatch(e -> e.contains(r.name()));
            }
        }

        @Test
        void testsOfAlertsOnRecordedSeriesEvaluateTheRecordingRulesFirst() {
            // Without it promtool picks the group order at random, and such an alert fires one interval late in
            // about a third of the runs: a flaky test, not a wrong rule.
            String recordingGroup = RuleFiles.rules(RuleFiles.RECORDING).get(0).group();
            for (Path file : RuleFiles.testFiles()) {
                JsonNode test = RuleFiles.read(file);
                if (test.path("rule_files").toString().contains(RuleFiles.ALERTING.getFileName().toString())) {
                    assertThat(test.at("/group_eval_order/0").asText()).as("%s: group_eval_order", file)
                            .isEqualTo(recordingGroup);
                }
            }
        }

        @Test
        void theTestsLoadTheShippedRuleFiles() {
            for (Path file : RuleFiles.testFiles()) {
                List<Path> loaded = new ArrayList<>();
                RuleFiles.read(file).path("rule_files").forEach(f ->
                        loaded.add(file.getParent().resolve(f.asText()).normalize()));
                assertThat(loaded).as("rule_files of %s", file).isNotEmpty()
                        .allMatch(p -> p.equals(RuleFiles.RECORDING) || p.equals(RuleFiles.ALERTING));
            }
        }
    }

    @Nested
    class AlertmanagerExample {

        final JsonNode config = RuleFiles.read(RuleFiles.ALERTMANAGER_EXAMPLE);

        @Test
        void theFailureRoutePostsToHeadroomsDefaultWebhookWithAToken() {
            JsonNode headroom = receiver("headroom").path("webhook_configs").path(0);
            String expected = "http://" + DEFAULTS.server().host() + ":" + DEFAULTS.server().port()
                    + DEFAULTS.notifications().webhook().path();
            assertThat(headroom.path("url").asText()).isEqualTo(expected);
            // Resolutions close the failure intervals Headroom keeps.
            assertThat(headroom.path("send_resolved").asBoolean()).isTrue();
            assertThat(headroom.at("/http_config/authorization/credentials_file").asText()).isNotBlank();
        }

        @Test
        void inhibitionsNameAlertsThatExist() {
            Set<String> known = new HashSet<>(RuleFiles.DIRECT_ALERTS);
            RuleFiles.alerts().forEach(a -> known.add(a.name()));
            Pattern alertname = Pattern.compile("alertname=~?\"([^\"]+)\"");
            int checked = 0;
            for (JsonNode rule : config.path("inhibit_rules")) {
                for (String side : List.of("source_matchers", "target_matchers")) {
                    for (JsonNode matcher : rule.path(side)) {
                        Matcher m = alertname.matcher(matcher.asText());
                        if (m.find()) {
                            for (String name : m.group(1).split("\\|")) {
                                assertThat(known).as("alert named in inhibit rule %s", matcher.asText()).contains(name);
                                checked++;
                            }
                        }
                    }
                }
            }
            assertThat(checked).isPositive();
        }

        private JsonNode receiver(String name) {
            for (JsonNode r : config.path("receivers")) {
                if (r.path("name").asText().equals(name)) {
                    return r;
                }
            }
            throw new AssertionError("no receiver " + name + " in " + RuleFiles.ALERTMANAGER_EXAMPLE);
        }
    }
}
