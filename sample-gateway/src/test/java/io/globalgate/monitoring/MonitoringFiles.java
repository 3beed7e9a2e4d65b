package io.globalgate.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The files of {@code monitoring/} and what the tests read from them. */
public final class MonitoringFiles {

    public static final Path DIR = Path.of(System.getProperty("basedir", ".")).resolve("..").resolve("monitoring").normalize();
    public static final Path DASHBOARD = DIR.resolve("grafana/globalgate-dashboard.json");
    public static final Path ALERTS = DIR.resolve("prometheus/globalgate-alerts.yml");
    public static final Path ALERT_TESTS = DIR.resolve("prometheus/globalgate-alerts.test.yml");
    public static final Path PROMETHEUS_CONFIG = DIR.resolve("prometheus/prometheus.yml");

    /** One query of one panel, as the dashboard has it. */
    public record PanelQuery(String panel, String refId, String expr) {
    }

    private MonitoringFiles() {
    }

    public static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(DASHBOARD.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel that shows data (rows only group them). */
    public static List<JsonNode> dataPanels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (!"row".equals(panel.path("type").asText())) {
                panels.add(panel);
            }
        }
        return panels;
    }

    public static List<PanelQuery> queries(JsonNode dashboard) {
        List<PanelQuery> queries = new ArrayList<>();
        for (JsonNode panel : dataPanels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new PanelQuery(panel.path("title").asText(), target.path("refId").asText(), target.path("expr").asText()));
            }
        }
        return queries;
    }

    /** The queries of each row of the dashboard, by the row's title, in the dashboard's order. */
    public static Map<String, List<PanelQuery>> queriesByRow(JsonNode dashboard) {
        Map<String, List<PanelQuery>> rows = new LinkedHashMap<>();
        String row = "";
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                row = panel.path("title").asText();
                continue;
            }
            for (JsonNode target : panel.path("targets")) {
                rows.computeIfAbsent(row, r -> new ArrayList<>())
                        .add(new PanelQuery(panel.path("title").asText(), target.path("refId").asText(), target.path("expr").asText()));
            }
        }
        return rows;
    }

    /**
     * A panel's query as Prometheus takes it: Grafana's variables replaced as Grafana would with
     * every integration selected and the given rate interval.
     */
    public static String expand(String expr, String rateInterval) {
        return expr.replace("$__rate_interval", rateInterval).replace("$__interval", rateInterval)
                .replace("=~\"$integration\"", "=~\".*\"");
    }
}
