package io.globalgate.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's structure: importable (a uid, no fixed id, no data source of one installation),
 * its two variables, and every panel with a described query on the chosen data source.
 * (DashboardOnPrometheusTest proves each query returns data from a real Prometheus.)
 */
class GrafanaDashboardTest {

    private final JsonNode dashboard = MonitoringFiles.dashboard();

    @Test
    void dashboardIsImportableWithoutAnInstallationsIds() {
        assertEquals("globalgate", dashboard.path("uid").asText());
        assertEquals("Globalgate", dashboard.path("title").asText());
        assertTrue(dashboard.path("id").isNull(), "an imported dashboard gets its id from Grafana");
        assertTrue(dashboard.path("schemaVersion").asInt() > 0, "schemaVersion");
        assertFalse(MonitoringFiles.DASHBOARD.toFile().length() == 0);
    }

    @Test
    void dataSourceAndIntegrationAreVariables() {
        List<String> names = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            names.add(variable.path("name").asText());
        }
        assertEquals(List.of("datasource", "integration"), names);
        JsonNode datasource = dashboard.path("templating").path("list").get(0);
        assertEquals("datasource", datasource.path("type").asText());
        assertEquals("prometheus", datasource.path("query").asText());
        JsonNode integration = dashboard.path("templating").path("list").get(1);
        assertEquals("${datasource}", integration.path("datasource").path("uid").asText());
        assertEquals("label_values(globalgate_integration_requests_total, integration)",
                integration.path("query").path("query").asText());
        assertTrue(integration.path("includeAll").asBoolean() && integration.path("multi").asBoolean(), "All and several at once");
        assertEquals(".*", integration.path("allValue").asText());
    }

    @Test
    void everyPanelHasATitleADescriptionAndAQueryOnTheChosenDataSource() {
        List<JsonNode> panels = MonitoringFiles.dataPanels(dashboard);
        assertFalse(panels.isEmpty());
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertFalse(title.isBlank(), "a panel without a title");
            assertFalse(panel.path("description").asText().isBlank(), title + ": no description");
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), title);
            assertTrue(panel.path("targets").size() > 0, title + ": no query");
            for (JsonNode target : panel.path("targets")) {
                assertFalse(target.path("expr").asText().isBlank(), title + " " + target.path("refId").asText() + ": empty query");
                assertEquals("${datasource}", target.path("datasource").path("uid").asText(), title);
            }
        }
    }

    @Test
    void panelIdsAreUniqueAndPanelsDoNotOverlap() {
        Set<Integer> ids = new HashSet<>();
        Set<String> cells = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "id " + panel.path("id") + " twice");
            JsonNode at = panel.path("gridPos");
            assertTrue(at.path("x").asInt() + at.path("w").asInt() <= 24, panel.path("title") + " is wider than the grid");
            for (int x = at.path("x").asInt(); x < at.path("x").asInt() + at.path("w").asInt(); x++) {
                for (int y = at.path("y").asInt(); y < at.path("y").asInt() + at.path("h").asInt(); y++) {
                    assertTrue(cells.add(x + "," + y), panel.path("title") + " overlaps another panel at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void panelsCoverWhatTheOperatorWatches() {
        String all = MonitoringFiles.queries(dashboard).stream().map(MonitoringFiles.PanelQuery::expr).reduce("", String::concat);
        for (String metric : List.of("globalgate_auth_requests_total", "globalgate_auth_duration_seconds_sum",
                "globalgate_cache_hits_total", "globalgate_cache_size", "globalgate_changefeed_lag_seconds",
                "globalgate_changefeed_max_staleness_seconds", "globalgate_store_lookups_total", "globalgate_tokens_active",
                "globalgate_tokens_expiring", "globalgate_integration_requests_total", "hikaricp_connections_active",
                "hikaricp_connections_pending", "jetty_threads_busy", "jetty_threads_jobs")) {
            assertTrue(all.contains(metric), "no panel shows " + metric);
        }
        for (MonitoringFiles.PanelQuery query : MonitoringFiles.queries(dashboard)) {
            if (query.expr().contains("globalgate_integration_requests_total")) {
                assertTrue(query.expr().contains("integration=~\"$integration\""), query.panel() + " ignores the integration variable");
            }
        }
    }
}
