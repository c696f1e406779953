package io.headroom.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.ops.DashboardFiles.Query;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboards as files, without Grafana (there is none here): current schema, well-formed panels, every variable
 * defined, every metric one Headroom exports or the rules record, links that lead somewhere. Whether the queries
 * parse and show data is {@link DashboardsIT}'s job.
 */
class DashboardsTest {

    /** Grafana 10.4 / 11.0 write this version; older ones migrate it on load, newer ones understand it. */
    static final int SCHEMA_VERSION = 39;

    static final List<Path> FILES = DashboardFiles.files();

    @Test
    void thereAreTheThreeDashboards() {
        assertThat(FILES.stream().map(p -> p.getFileName().toString()))
                .containsExactly("headroom-fleet.json", "headroom-health.json", "headroom-workload.json");
    }

    @Test
    void eachDashboardHasTheCurrentSchemaAndAStableUidNamedAfterItsFile() {
        Set<String> titles = new HashSet<>();
        for (Path f : FILES) {
            JsonNode d = DashboardFiles.read(f);
            assertThat(d.path("schemaVersion").asInt()).as("%s schemaVersion", f).isEqualTo(SCHEMA_VERSION);
            // Links (alerts' dashboard_url, the fleet table) use /d/<uid>: the uid must not change with the title.
            assertThat(d.path("uid").asText() + ".json").as("%s uid", f).isEqualTo(f.getFileName().toString());
            assertThat(d.path("id").isNull()).as("%s id is null, so Grafana assigns one", f).isTrue();
            assertThat(d.path("title").asText()).startsWith("Headroom / ");
            assertThat(titles.add(d.path("title").asText())).as("unique title %s", d.path("title")).isTrue();
            assertThat(d.path("tags").toString()).contains("\"headroom\"");
        }
    }

    @Test
    void panelsHaveUniqueIdsAFittingPlaceAndTheDataSourceVariable() {
        for (Path f : FILES) {
            JsonNode d = DashboardFiles.read(f);
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : DashboardFiles.panels(d)) {
                String where = f.getFileName() + " / " + p.path("title").asText();
                assertThat(ids.add(p.path("id").asInt())).as("%s: unique id", where).isTrue();
                assertThat(p.path("title").asText()).as("%s: title", where).isNotBlank();
                assertThat(p.path("description").asText()).as("%s: description", where).isNotBlank();
                JsonNode g = p.path("gridPos");
                assertThat(g.path("w").asInt()).as("%s: width", where).isBetween(1, 24);
                assertThat(g.path("x").asInt() + g.path("w").asInt()).as("%s: right edge", where).isLessThanOrEqualTo(24);
                assertThat(g.path("h").asInt()).as("%s: height", where).isPositive();
                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(p.at("/datasource/uid").asText()).as("%s: data source", where).isEqualTo("${datasource}");
                assertThat(p.path("targets").size()).as("%s: targets", where).isPositive();
                Set<String> refs = new HashSet<>();
                for (JsonNode t : p.path("targets")) {
                    assertThat(refs.add(t.path("refId").asText())).as("%s: unique refId", where).isTrue();
                    assertThat(t.path("expr").asText()).as("%s: expr", where).isNotBlank();
                    assertThat(t.at("/datasource/uid").asText()).as("%s: target data source", where)
                            .isEqualTo("${datasource}");
                }
            }
        }
    }

    @Test
    void everyVariableUsedIsDefinedAndTheDataSourceIsAVariable() {
        for (Path f : FILES) {
            JsonNode d = DashboardFiles.read(f);
            Set<String> defined = new HashSet<>(DashboardFiles.BUILT_IN);
            d.at("/templating/list").forEach(v -> defined.add(v.path("name").asText()));
            assertThat(d.at("/templating/list/0/name").asText()).as("%s: first variable", f).isEqualTo("datasource");
            assertThat(d.at("/templating/list/0/query").asText()).isEqualTo("prometheus");
            List<String> texts = new ArrayList<>();
            DashboardFiles.queries(d).forEach(q -> texts.add(q.expr()));
            DashboardFiles.panels(d).forEach(p -> texts.add(p.path("title").asText()));
            for (String text : texts) {
                assertThat(defined).as("%s: variables of %s", f, text).containsAll(DashboardFiles.variablesIn(text));
            }
            for (JsonNode p : DashboardFiles.panels(d)) {
                if (p.has("repeat")) {
                    assertThat(defined).as("%s: repeat variable", f).contains(p.path("repeat").asText());
                }
            }
        }
    }

    @Test
    void theWorkloadDashboardIsDrivenByAWorkloadVariable() {
        JsonNode d = DashboardFiles.read(DashboardFiles.DIR.resolve("headroom-workload.json"));
        JsonNode workload = null;
        for (JsonNode v : d.at("/templating/list")) {
            if (v.path("name").asText().equals("workload")) {
                workload = v;
            }
        }
        assertThat(workload).as("a workload variable").isNotNull();
        assertThat(workload.path("multi").asBoolean()).as("one workload at a time").isFalse();
        for (Query q : DashboardFiles.queries(d)) {
            if (!q.kind().equals("variable") || q.panel().endsWith("feature")) {
                assertThat(q.expr()).as("%s selects the workload", q).contains("workload=\"$workload\"");
            }
        }
    }

    @Test
    void everyQueryNamesOnlySeriesHeadroomExportsOrTheRulesRecord() {
        Set<String> known = MetricNames.known();
        Set<String> used = new HashSet<>();
        for (Path f : FILES) {
            for (Query q : DashboardFiles.queries(DashboardFiles.read(f))) {
                Set<String> names = MetricNames.referenced(q.expr());
                assertThat(known).as("series of %s", q).containsAll(names);
                used.addAll(names);
            }
        }
        // A recording rule nobody reads costs Prometheus for nothing.
        RuleFiles.alerts().forEach(a -> used.addAll(MetricNames.referenced(a.expr())));
        assertThat(used).as("every recording rule feeds a dashboard or an alert").containsAll(MetricNames.recorded());
    }

    @Test
    void tierBandsAndTheModelAgeLineAreTheDaemonsDefaults() {
        // Drawn thresholds mirror settings the dashboards cannot read; like the alerts' table, they must follow the
        // defaults (and be changed with them).
        var cfg = RulesTest.DEFAULTS;
        List<Double> tiers = List.of((double) cfg.decide().tiers().medium().minScore(),
                (double) cfg.decide().tiers().high().minScore(), (double) cfg.decide().tiers().critical().minScore());
        List<Double> modelAge = List.of((double) cfg.detection().maxModelAge().toSeconds());
        int checked = 0;
        for (Path f : FILES) {
            for (JsonNode p : DashboardFiles.panels(DashboardFiles.read(f))) {
                List<Double> steps = new ArrayList<>();
                p.at("/fieldConfig/defaults/thresholds/steps").forEach(step -> {
                    if (!step.path("value").isNull()) {
                        steps.add(step.path("value").asDouble());
                    }
                });
                String exprs = p.path("targets").toString();
                String where = f.getFileName() + " / " + p.path("title").asText();
                if (exprs.contains("anomaly_score") && !steps.isEmpty()) {
                    assertThat(steps).as("%s: tier bands", where).isEqualTo(tiers);
                    checked++;
                } else if (exprs.contains("headroom_model_age_seconds")) {
                    assertThat(steps).as("%s: max_model_age line", where).isEqualTo(modelAge);
                    checked++;
                } else {
                    assertThat(steps).as("%s: no thresholds that mirror settings", where)
                            .doesNotContainAnyElementsOf(tiers).doesNotContainAnyElementsOf(modelAge);
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(4);
    }

    @Test
    void linksBetweenDashboardsAndFromAlertsLeadToExistingUids() throws Exception {
        Set<String> uids = new HashSet<>();
        FILES.forEach(f -> uids.add(DashboardFiles.read(f).path("uid").asText()));
        Pattern link = Pattern.compile("/d/([\\w-]+)");
        List<String> texts = new ArrayList<>();
        FILES.forEach(f -> texts.add(DashboardFiles.read(f).toString()));
        texts.add(Files.readString(Path.of("README.md")));
        texts.add(Files.readString(Path.of("daemon/headroom.yaml")));
        int found = 0;
        for (String text : texts) {
            Matcher m = link.matcher(text);
            while (m.find()) {
                if (m.group(1).startsWith("headroom")) {
                    assertThat(uids).as("dashboard linked as %s", m.group()).contains(m.group(1));
                    found++;
                }
            }
        }
        assertThat(found).as("links to Headroom dashboards").isPositive();
    }

    @Test
    void theProvisioningFileLoadsTheDashboardsFromFiles() {
        JsonNode p = RuleFiles.read(DashboardFiles.PROVISIONING);
        assertThat(p.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode provider = p.path("providers").path(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.at("/options/path").asText()).startsWith("/");
        assertThat(provider.path("folder").asText()).isEqualTo("Headroom");
    }

    @Test
    void substitutionReplacesEveryFormOfVariableAndRefusesUnknownOnes() {
        Map<String, String> values = Map.of("workload", "web-2", "__rate_interval", "1m");
        assertThat(DashboardFiles.substitute("rate(x{w=\"$workload\"}[$__rate_interval]) ${workload} [[workload]]",
                values)).isEqualTo("rate(x{w=\"web-2\"}[1m]) web-2 web-2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DashboardFiles.substitute("$nope", values))
                .hasMessageContaining("$nope");
    }
}
