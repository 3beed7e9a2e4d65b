package io.globalgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.globalgate.monitoring.MonitoringFiles;
import io.globalgate.token.TokenFormat;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dashboard and the alert rules against a real Prometheus (Debian's {@code prometheus}),
 * scraping a running gateway every second while it serves a short mixed load: valid tokens of two
 * integrations, a revoked one, made-up ones, malformed ones, and a stop of its database (an H2
 * server, stopped and started again) in the middle. Then every query of every panel is evaluated
 * through Prometheus's HTTP API over that time: a query that returns no number fails the test.
 * Each panel's queries are also shown in Prometheus's own graph page in headless Chromium, and a
 * screenshot kept in {@code target/monitoring-screenshots/} for review.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardOnPrometheusTest {

    private static final String PROMETHEUS = "/usr/bin/prometheus";
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String ADMIN_PASSWORD = "monitoring-test-password";
    private static final String STATUS = "/api/global/v1/system/status";
    /** Grafana's $__rate_interval at a 1 s scrape: four scrapes and some. */
    private static final String RATE_INTERVAL = "5s";
    private static final Path TARGET = Path.of(System.getProperty("basedir", ".")).resolve("target");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path work;
    private Server database;
    private int databasePort;
    private RunningGateway gateway;
    private Process prometheus;
    private URI prometheusUri;
    private Instant loadStarted;
    private Instant loadEnded;

    @BeforeAll
    void runTheGatewayUnderLoadWhilePrometheusScrapesIt() throws Exception {
        if (!Files.isExecutable(Path.of(PROMETHEUS))) {
            fail("This test needs Prometheus at " + PROMETHEUS + ": install it with `apt-get install prometheus`");
        }
        work = Files.createTempDirectory(Files.createDirectories(TARGET), "prometheus-test-");
        database = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", work.resolve("h2").toString()).start();
        databasePort = database.getPort();
        String jdbcUrl = "jdbc:h2:tcp://127.0.0.1:" + databasePort + "/globalgate;MODE=MariaDB;DATABASE_TO_LOWER=TRUE";
        gateway = RunningGateway.start(RunningGateway.config("--data-dir", work.resolve("gateway").toString(),
                "--jdbc-url", jdbcUrl, "--jdbc-user", "sa", "--jdbc-password", "h2-test-password",
                "--admin-password", ADMIN_PASSWORD));
        prometheus = startPrometheus(metricsUri());
        awaitFirstScrape();

        GatewayClient client = new GatewayClient(gateway.uri(), "admin", ADMIN_PASSWORD);
        String erp = client.newToken("ERP sync");
        String shop = client.newToken("Web shop");
        JsonNode leaked = client.createToken(client.createIntegration("Partner portal").get("id").asLong(), "leaked");
        assertEquals(200, client.admin("POST", "/tokens/" + leaked.get("id").asLong() + "/revoke", null).status());
        String revoked = leaked.get("token").asText();

        loadStarted = Instant.now();
        load(client, Duration.ofSeconds(6), erp, shop, revoked);
        database.stop();
        load(client, Duration.ofSeconds(5), erp, shop, revoked);
        database = Server.createTcpServer("-tcpPort", Integer.toString(databasePort), "-ifNotExists", "-baseDir",
                work.resolve("h2").toString()).start();
        load(client, Duration.ofSeconds(6), erp, shop, revoked);
        loadEnded = Instant.now();
        awaitScrapeAfter(loadEnded);
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (gateway != null) {
            gateway.close();
        }
        if (database != null) {
            database.stop();
        }
        RunningGateway.delete(work);
    }

    /** Where Prometheus scrapes the gateway: its management listener. */
    private URI metricsUri() {
        return gateway.managementUri().resolve("/metrics");
    }

    @Test
    void everyPanelQueryReturnsDataFromPrometheus() throws Exception {
        Map<String, String> empty = new LinkedHashMap<>();
        for (MonitoringFiles.PanelQuery query : MonitoringFiles.queries(MonitoringFiles.dashboard())) {
            String expr = MonitoringFiles.expand(query.expr(), RATE_INTERVAL);
            JsonNode answer = api("/api/v1/query_range", "query", expr,
                    "start", Long.toString(loadStarted.getEpochSecond()), "end", Long.toString(Instant.now().getEpochSecond()), "step", "1");
            assertEquals("success", answer.path("status").asText(), () -> query + ": " + answer);
            if (!hasANumber(answer.path("data").path("result"))) {
                empty.put(query.panel() + " " + query.refId(), expr);
            }
        }
        assertEquals(Map.of(), empty, "panel queries that returned no number from Prometheus");
    }

    @Test
    void theLoadIsWhatThePanelsShow() throws Exception {
        // The load did reach every outcome the panels are about, as Prometheus saw it.
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("sum(globalgate_auth_requests_total{outcome=\"accepted\"})", "accepted");
        expected.put("sum(globalgate_auth_requests_total{reason=\"revoked\"})", "revoked");
        expected.put("sum(globalgate_auth_requests_total{reason=\"unknown\"})", "made-up tokens");
        expected.put("sum(globalgate_auth_requests_total{reason=\"malformed\"})", "malformed tokens");
        expected.put("sum(globalgate_auth_requests_total{outcome=\"unavailable\"})", "503 while the database was down");
        expected.put("sum(globalgate_integration_requests_total{integration=\"Partner portal\", reason=\"revoked\"})",
                "the revoked token's integration");
        expected.put("sum(globalgate_integration_requests_total{integration=\"ERP sync\", outcome=\"accepted\"})", "ERP sync");
        expected.put("max_over_time(globalgate_changefeed_lag_seconds[1h])", "change-feed lag during the outage");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            JsonNode result = api("/api/v1/query", "query", e.getKey()).path("data").path("result");
            double value = result.size() == 0 ? 0 : Double.parseDouble(result.get(0).path("value").get(1).asText());
            assertTrue(value > (e.getKey().startsWith("max_over_time") ? 1.0 : 0.0), e.getValue() + ": " + e.getKey() + " = " + result);
        }
    }

    @Test
    void prometheusLoadsEveryAlertRuleAndEvaluatesItWithoutError() throws Exception {
        JsonNode groups = api("/api/v1/rules").path("data").path("groups");
        List<String> healthy = new ArrayList<>();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                assertEquals("ok", rule.path("health").asText(), () -> rule.path("name").asText() + ": " + rule.path("lastError").asText());
                healthy.add(rule.path("name").asText());
            }
        }
        // every alert of the rules file, each once (a count written here went stale when an alert was added)
        List<String> inTheFile = java.util.regex.Pattern.compile("(?m)^\\s*- alert:\\s*(\\S+)\\s*$")
                .matcher(Files.readString(MonitoringFiles.ALERTS)).results().map(m -> m.group(1)).sorted().toList();
        assertTrue(inTheFile.size() >= 8, "the rules file lists its alerts as '- alert: Name': " + inTheFile);
        assertEquals(inTheFile, healthy.stream().sorted().toList());
    }

    @Test
    void screenshotsOfEachRowsQueriesInPrometheusGraphPage() throws Exception {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            fail("The screenshots need Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": install them with `apt-get install chromium chromium-driver`");
        }
        Path screenshots = Files.createDirectories(TARGET.resolve("monitoring-screenshots"));
        Path profile = Files.createTempDirectory(work, "chrome-profile-");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,900");
        ChromeDriver driver = new ChromeDriver(options);
        List<String> written = new ArrayList<>();
        Map<String, List<MonitoringFiles.PanelQuery>> rows = MonitoringFiles.queriesByRow(MonitoringFiles.dashboard());
        try {
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            int n = 0;
            // One page per row of the dashboard, each of its queries one graph: the app loads four times, not thirty.
            for (Map.Entry<String, List<MonitoringFiles.PanelQuery>> row : rows.entrySet()) {
                List<MonitoringFiles.PanelQuery> queries = row.getValue();
                // The graphs end now: from a little before the load, however long the pages before took.
                long range = Duration.between(loadStarted, Instant.now()).toSeconds() + 10;
                StringBuilder url = new StringBuilder(prometheusUri.resolve("/graph").toString()).append('?');
                for (int i = 0; i < queries.size(); i++) {
                    url.append(i == 0 ? "" : "&").append("g").append(i).append(".expr=")
                            .append(encode(MonitoringFiles.expand(queries.get(i).expr(), RATE_INTERVAL)))
                            .append("&g").append(i).append(".tab=0&g").append(i).append(".range_input=").append(range).append('s');
                }
                driver.manage().window().setSize(new Dimension(1280, 300 + 700 * queries.size()));
                driver.get(url.toString());
                awaitCharts(driver, queries.size());
                driver.executeScript("window.scrollTo(0, 0)");
                String file = String.format("%d-%s.png", ++n, row.getKey().toLowerCase().replaceAll("[^a-z0-9]+", "-"));
                Files.write(screenshots.resolve(file), driver.getScreenshotAs(OutputType.BYTES));
                written.add(file);
            }
        } finally {
            driver.quit();
        }
        assertEquals(rows.size(), written.size());
        for (String file : written) {
            assertTrue(Files.size(screenshots.resolve(file)) > 20_000, file + " looks empty");
        }
    }

    /**
     * Waits until the graph page drew a chart for each query, or 6 s passed (the screenshot then
     * shows why): Prometheus draws a row's charts within a second or two; 20 s per row cost the
     * suite a minute whenever a chart's canvas is not counted.
     */
    private static void awaitCharts(ChromeDriver driver, int queries) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < deadline && driver.findElements(By.cssSelector("canvas.flot-base")).size() < queries) {
            Thread.sleep(200);
        }
        Thread.sleep(500); // the charts' last paint
    }

    // ---- the load

    private void load(GatewayClient client, Duration duration, String erp, String shop, String revoked) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        String forged = TokenFormat.generate();
        for (int i = 0; System.nanoTime() < end; i++) {
            client.globalApi(STATUS, erp);
            client.globalApi(STATUS, i % 3 == 0 ? shop : erp);
            client.globalApi(STATUS, revoked);
            if (i % 4 == 0) {
                forged = TokenFormat.generate(); // a new one: a lookup, or a 503 while the database is down
            }
            client.globalApi(STATUS, forged);
            if (i % 5 == 0) {
                client.globalApi(STATUS, "not-a-token");
            }
            Thread.sleep(20);
        }
    }

    // ---- Prometheus

    private Process startPrometheus(URI target) throws IOException, InterruptedException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path rules = work.resolve("globalgate-alerts.yml");
        Files.copy(MonitoringFiles.ALERTS, rules);
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "rule_files:",
                "  - " + rules.toAbsolutePath(),
                "scrape_configs:",
                "  - job_name: globalgate",
                "    metrics_path: " + target.getPath(),
                "    static_configs:",
                "      - targets: ['" + target.getHost() + ":" + target.getPort() + "']",
                ""));
        prometheusUri = URI.create("http://127.0.0.1:" + port);
        Process process = new ProcessBuilder(PROMETHEUS, "--config.file=" + config.toAbsolutePath(),
                "--storage.tsdb.path=" + work.resolve("tsdb").toAbsolutePath(), "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=1h", "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(prometheusUri.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                fail("Prometheus did not start: " + Files.readString(work.resolve("prometheus.log")));
            }
            Thread.sleep(200);
        }
    }

    private void awaitFirstScrape() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode result = api("/api/v1/query", "query", "up{job=\"globalgate\"}").path("data").path("result");
            if (result.size() == 1 && "1".equals(result.get(0).path("value").get(1).asText())) {
                return;
            }
            Thread.sleep(250);
        }
        fail("Prometheus did not scrape the gateway at " + metricsUri() + ": " + api("/api/v1/targets"));
    }

    /** Until Prometheus holds a scrape of the gateway that began after {@code instant}: it has seen the whole load. */
    private void awaitScrapeAfter(Instant instant) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode result;
        do {
            Thread.sleep(250); // polls a condition: the newest scrape's time, as Prometheus reports it
            result = api("/api/v1/query", "query", "timestamp(up{job=\"globalgate\"})").path("data").path("result");
            if (result.size() == 1 && Double.parseDouble(result.get(0).path("value").get(1).asText()) * 1000 > instant.toEpochMilli()) {
                return;
            }
        } while (System.nanoTime() < deadline);
        fail("Prometheus did not scrape the gateway after " + instant + ": " + result);
    }

    private JsonNode api(String path, String... params) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < params.length; i += 2) {
            query.append(i == 0 ? "?" : "&").append(params[i]).append('=').append(encode(params[i + 1]));
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(prometheusUri.resolve(path + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** True when some series has some finite value (NaN, from 0/0, is not data). */
    private static boolean hasANumber(JsonNode matrix) {
        for (JsonNode series : matrix) {
            for (JsonNode point : series.path("values")) {
                double value = Double.parseDouble(point.get(1).asText());
                if (Double.isFinite(value)) {
                    return true;
                }
            }
        }
        return false;
    }
}
