package io.globalgate.example;

import io.globalgate.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example WAR in a standalone container, as the README tells a new user to deploy it: one
 * container process per test class, reused by the scenarios in order (life cycle, FORM and BASIC
 * security, metrics, a MariaDB outage, a container restart, three redeploys). The MariaDB is the
 * one shared by the test JVM, a schema of its own per container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class StandaloneContainerContract {

    /** What the README says the pool's user needs with migrate=true (the default). */
    static final String MIGRATING_NODE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES";

    private static final Pattern ID = Pattern.compile("^\\{\"id\":(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"(gat_[0-9A-Za-z]{38})\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final List<String> LEAK_WARNINGS = List.of("failed to unregister it", "appears to have started a thread",
            "created a ThreadLocal", "memory leak", "SEVERE");
    /** Globalgate's own threads and the pool's long-lived one (its short-lived adder and closer come and go). */
    private static final Pattern LONG_LIVED_THREAD = Pattern.compile("^\"globalgate(-filter-| housekeeper|-notifications)", Pattern.MULTILINE);

    private StandaloneContainer container;
    private TestDatabases.MariaDbServer mariaDb;
    /** Used once before the outage, so cached. */
    private String cachedToken;
    /** Created but never used before the outage, so not cached. */
    private String uncachedToken;
    private String revokedToken;

    /** A name for the container's schema. */
    abstract String schemaName();

    /** The container, prepared as the README says, not yet started. */
    abstract StandaloneContainer prepare(String jdbcUrl, String jdbcUser, String jdbcPassword) throws Exception;

    /** Redeploys the application at /legacy and returns when it is back. */
    abstract void redeploy(StandaloneContainer container) throws Exception;

    /** Fails unless the class loaders of the applications redeployed away have been collected. */
    abstract void assertTheOldClassLoadersAreCollected(StandaloneContainer container) throws Exception;

    /** What else, in this container's log, warns of something left behind. */
    List<String> moreLeakWarnings() {
        return List.of();
    }

    @BeforeAll
    void startContainer() throws Exception {
        mariaDb = TestDatabases.mariaDbServer();
        String schema = schemaName();
        // the user of the pool may do exactly what the README says a migrating node needs, on its database only
        String user = "gg_" + schema;
        String password = "pw-" + schema;
        mariaDb.createDatabaseAndUser(schema, user, password, MIGRATING_NODE_PRIVILEGES);
        container = prepare(mariaDb.urlFor(schema), user, password);
        container.start();
    }

    @AfterAll
    void stopContainer() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    // ---- the life cycle

    @Test
    @Order(1)
    void theLifeCycleOfAnIntegrationAndItsTokensThroughTheApiAndThePages() throws Exception {
        HttpResponse<String> created = admin("POST", "legacy/admin/api/v1/integrations",
                "{\"name\":\"ERP sync\",\"description\":\"Nightly export\",\"notificationEmail\":\"ops@example.com\"}");
        assertEquals(201, created.statusCode(), created::body);
        assertFalse(created.headers().firstValue("Connection").orElse("").equalsIgnoreCase("close"),
                "a 201 of the JSON API must leave the connection open: " + created.headers().map());
        long integration = id(created.body());

        String token = newToken(integration, "production");
        assertEquals(200, global(token).statusCode());
        assertTrue(global(token).body().contains("\"integration\":\"ERP sync\""));
        assertEquals(401, global(null).statusCode());

        HttpResponse<String> page = send(HttpRequest.newBuilder(container.uri().resolve("legacy/admin/")).header("Authorization",
                basic(StandaloneContainer.ADMIN, StandaloneContainer.ADMIN_PASSWORD)).GET());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("ERP sync"), page.body());

        HttpResponse<String> second = admin("POST", "legacy/admin/api/v1/integrations/" + integration + "/tokens",
                "{\"name\":\"to revoke\",\"expiration\":\"never\"}");
        String toRevoke = token(second.body());
        assertEquals(200, global(toRevoke).statusCode());
        assertEquals(200, admin("POST", "legacy/admin/api/v1/tokens/" + id(second.body()) + "/revoke", null).statusCode());
        assertEquals(401, global(toRevoke).statusCode());
        revokedToken = toRevoke;

        assertEquals(200, admin("PATCH", "legacy/admin/api/v1/integrations/" + integration, "{\"active\":false}").statusCode());
        assertEquals(401, global(token).statusCode());
        assertEquals(200, admin("PATCH", "legacy/admin/api/v1/integrations/" + integration, "{\"active\":true}").statusCode());
        assertEquals(200, global(token).statusCode());

        cachedToken = token;
        uncachedToken = newToken(integration, "never used before the outage");
    }

    // ---- security in the container's own realm

    @Test
    @Order(2)
    void underBasicAWrongPasswordGets401AndAUserWithoutTheRole403InTheApisShape() throws Exception {
        HttpResponse<String> refused = send(HttpRequest.newBuilder(container.uri().resolve("legacy/admin/api/v1/integrations"))
                .header("Authorization", basic(StandaloneContainer.ADMIN, "wrong")).GET());
        assertEquals(401, refused.statusCode());
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), refused::body);
        assertTrue(refused.body().startsWith("{\"errors\":[{\"type\":\"authentication\""), refused::body);
        HttpResponse<String> forbidden = send(HttpRequest.newBuilder(container.uri().resolve("legacy/admin/api/v1/integrations"))
                .header("Authorization", basic(StandaloneContainer.VIEWER, StandaloneContainer.VIEWER_PASSWORD)).GET());
        assertEquals(403, forbidden.statusCode());
        assertTrue(forbidden.body().startsWith("{\"errors\":[{\"type\":\"forbidden\""), forbidden::body);
    }

    @Test
    @Order(3)
    void underFormAScriptWithoutASessionGets401InTheApisShapeAndWithBasicCredentialsItsAnswer() throws Exception {
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(container.uri().resolve("legacy-form/admin/api/v1/integrations")).GET());
        assertEquals(401, anonymous.statusCode(), anonymous::body);
        assertTrue(anonymous.body().startsWith("{\"errors\":[{\"type\":\"authentication\""), anonymous::body);

        HttpResponse<String> script = send(HttpRequest.newBuilder(container.uri().resolve("legacy-form/admin/api/v1/integrations"))
                .header("Authorization", basic(StandaloneContainer.ADMIN, StandaloneContainer.ADMIN_PASSWORD)).GET());
        assertEquals(200, script.statusCode(), script::body);
        assertTrue(script.body().contains("ERP sync"), script::body);

        // Tomcat answers with the login form, Jetty redirects to it
        HttpResponse<String> page = send(HttpRequest.newBuilder(container.uri().resolve("legacy-form/admin/")).GET());
        if (page.statusCode() == 302 || page.statusCode() == 303) {
            page = send(HttpRequest.newBuilder(container.uri().resolve(page.headers().firstValue("Location").orElseThrow())).GET());
        }
        assertTrue(page.body().contains("j_security_check"), "the pages ask for the login form: " + page.body());
    }

    @Test
    @Order(3)
    void underFormAFailedSignInShowsTheFormAgainWithTheUserNameButNeverThePassword() throws Exception {
        String wrong = "wrong-" + System.nanoTime();
        for (String[] attempt : new String[][] {{"admin", "value=\"admin\""},
                {"\"><b>x</b>", "value=\"&quot;&gt;&lt;b&gt;x&lt;/b&gt;\""}, {"x".repeat(65), "maxlength=\"64\" required autofocus>"}}) {
            HttpResponse<String> failed = send(HttpRequest.newBuilder(container.uri().resolve("legacy-form/j_security_check"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("j_username=" + URLEncoder.encode(attempt[0], StandardCharsets.UTF_8)
                            + "&j_password=" + wrong)));
            // Tomcat answers the failed sign-in with the error page; Jetty too, with the dispatch parameter of web.xml
            assertEquals(200, failed.statusCode(), failed::body);
            assertTrue(failed.body().contains("<title>Error: Sign in</title>") && failed.body().contains("j_security_check"), failed::body);
            assertTrue(failed.body().contains(attempt[1]), "the user name typed, escaped (a longer one than the form takes: none): "
                    + failed.body());
            assertFalse(failed.body().contains(wrong), "never the password");
            assertFalse(failed.body().contains("<b>"), failed::body);
        }
    }

    @Test
    @Order(3)
    void thePublicEndpointsAnswerWithoutASignInAndRevocationByValueEndsTheTokenAtOnce() throws Exception {
        long integration = id(admin("POST", "legacy/admin/api/v1/integrations",
                "{\"name\":\"Leaky app\",\"description\":\"\",\"notificationEmail\":\"ops@example.com\"}").body());
        String token = newToken(integration, "leaked");
        assertEquals(200, global(token).statusCode());

        HttpResponse<String> revoked = send(HttpRequest.newBuilder(container.uri().resolve("legacy/public/v1/tokens/revoke"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"tokens\":[\"" + token + "\"]}")));
        assertEquals(202, revoked.statusCode(), revoked::body);
        assertEquals("{\"received\":1}", revoked.body());
        assertEquals(401, global(token).statusCode(), "refused at once by the filter of the same application");
        HttpResponse<String> stored = admin("GET", "legacy/admin/api/v1/integrations/" + integration + "/tokens", null);
        assertTrue(stored.body().contains("\"revokedReason\":\"revoked_by_value\""), stored::body);

        HttpResponse<String> report = send(HttpRequest.newBuilder(container.uri().resolve("legacy/public/v1/secret-scanning/github"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[]")));
        assertEquals(404, report.statusCode(), "no GitHub keys in the example: " + report.body());
        assertTrue(report.body().startsWith("{\"errors\":[{\"type\":\"not_found\""), report::body);
        HttpResponse<String> bad = send(HttpRequest.newBuilder(container.uri().resolve("legacy/public/v1/tokens/revoke"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"tokens\":\"<script>\"}")));
        assertEquals(400, bad.statusCode(), bad::body);
        assertFalse(bad.body().contains("<script>") || bad.body().contains("Exception"), bad::body);

        // the FORM variant serves them too, without its login form
        String formToken = newToken(integration, "leaked under form");
        assertEquals(200, global("legacy-form", formToken).statusCode());
        HttpResponse<String> formRevoked = send(HttpRequest.newBuilder(container.uri().resolve("legacy-form/public/v1/tokens/revoke"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"tokens\":[\"" + formToken + "\"]}")));
        assertEquals(202, formRevoked.statusCode(), formRevoked::body);
        assertEquals("{\"received\":1}", formRevoked.body());
        assertEquals(401, global("legacy-form", formToken).statusCode(), "refused at once by the filter of the same application");
        HttpResponse<String> formReport = send(HttpRequest.newBuilder(container.uri().resolve("legacy-form/public/v1/secret-scanning/github"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[]")));
        assertEquals(404, formReport.statusCode(), formReport::body);
        assertTrue(formReport.body().startsWith("{\"errors\":[{\"type\":\"not_found\""), formReport::body);
    }

    @Test
    @Order(4)
    void theScrapeShowsTheFiltersAndThePoolsMetersToTheMetricsRoleOnly() throws Exception {
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(container.uri().resolve("legacy/metrics")).GET());
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> admin = send(HttpRequest.newBuilder(container.uri().resolve("legacy/metrics"))
                .header("Authorization", basic(StandaloneContainer.ADMIN, StandaloneContainer.ADMIN_PASSWORD)).GET());
        assertEquals(403, admin.statusCode());
        HttpResponse<String> scrape = send(HttpRequest.newBuilder(container.uri().resolve("legacy/metrics"))
                .header("Authorization", basic(StandaloneContainer.METRICS, StandaloneContainer.METRICS_PASSWORD)).GET());
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.body().contains("globalgate_auth_requests_total{outcome=\"accepted\""), scrape::body);
        assertTrue(scrape.body().contains("hikaricp_connections{pool=\"globalgate\""), scrape::body);
    }

    @Test
    @Order(5)
    void underFormTheScrapeServletChecksTheMetricsRolesBasicCredentialsItself() throws Exception {
        assertEquals(200, global("legacy-form", cachedToken).statusCode());
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(container.uri().resolve("legacy-form/metrics")).GET());
        assertEquals(401, anonymous.statusCode(), anonymous::body);
        assertFalse(anonymous.body().contains("j_security_check"), "a scraper is never sent to the login form: " + anonymous.body());
        HttpResponse<String> admin = send(HttpRequest.newBuilder(container.uri().resolve("legacy-form/metrics"))
                .header("Authorization", basic(StandaloneContainer.ADMIN, StandaloneContainer.ADMIN_PASSWORD)).GET());
        assertEquals(403, admin.statusCode(), admin::body);
        HttpResponse<String> scrape = send(HttpRequest.newBuilder(container.uri().resolve("legacy-form/metrics"))
                .header("Authorization", basic(StandaloneContainer.METRICS, StandaloneContainer.METRICS_PASSWORD)).GET());
        assertEquals(200, scrape.statusCode(), scrape::body);
        assertTrue(scrape.body().contains("globalgate_auth_requests_total{outcome=\"accepted\""), scrape::body);
        assertTrue(scrape.body().contains("hikaricp_connections{pool=\"globalgate\""), scrape::body);
    }

    // ---- the database stops, and comes back

    @Test
    @Order(6)
    void withMariaDbStoppedCachedTokensWorkUntilMaxStalenessThenEverythingIs503NeverA401() throws Exception {
        assertNotNull(cachedToken, "runs after the life cycle");
        assertEquals(200, global(cachedToken).statusCode());
        mariaDb.stop();
        try {
            long stopped = System.nanoTime();
            HttpResponse<String> cached = global(cachedToken);
            if (StandaloneContainer.since(stopped).toSeconds() < 8) {
                assertEquals(200, cached.statusCode(), "a cached token within maxStaleness (10s): " + cached.body());
            }
            HttpResponse<String> uncached = global(uncachedToken);
            assertEquals(503, uncached.statusCode(), uncached::body);
            assertTrue(uncached.headers().firstValue("Retry-After").isPresent());
            // past maxStaleness the cached accept is no longer trusted: 503, never 401 or 500
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            int status;
            do {
                Thread.sleep(500);
                status = global(cachedToken).statusCode();
                assertTrue(status == 200 || status == 503, "only 200 or 503 while the database is down, was " + status);
            } while (status == 200 && System.nanoTime() < deadline);
            assertEquals(503, status);
            String log = container.logSinceLastStart();
            assertTrue(log.contains("Cannot read the change feed"), "the outage is in the container's log");
        } finally {
            mariaDb.restart();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int status;
        do {
            Thread.sleep(500);
            status = global(uncachedToken).statusCode();
            assertTrue(status == 200 || status == 503, "only 200 or 503 while the database comes back, was " + status);
        } while (status != 200 && System.nanoTime() < deadline);
        assertEquals(200, status, "recovered without a restart");
        assertEquals(200, global(cachedToken).statusCode());
        assertEquals(401, global(revokedToken).statusCode());
    }

    // ---- the container restarts

    @Test
    @Order(7)
    void afterAContainerRestartTokensStillWorkAndRevokedOnesAreStillRefused() throws Exception {
        container.stop();
        container.start();
        assertEquals(200, global(cachedToken).statusCode());
        assertEquals(401, global(revokedToken).statusCode());
    }

    // ---- redeploys leave nothing behind

    @Test
    @Order(8)
    void threeRedeploysLeaveNoDriverThreadOrThreadLocalBehindAndTheOldClassLoadersAreCollected() throws Exception {
        String before = container.logSinceLastStart();
        long threadsBefore = longLivedThreads();
        for (int i = 0; i < 3; i++) {
            redeploy(container);
            assertEquals(200, global(cachedToken).statusCode());
        }
        String log = withoutExitingPoolThreads(container.logSinceLastStart().substring(before.length()));
        for (String warning : concat(LEAK_WARNINGS, moreLeakWarnings())) {
            assertFalse(log.contains(warning), "the log after three redeploys has '" + warning + "':\n" + log);
        }
        assertEquals(threadsBefore, longLivedThreads(), "Globalgate's and the pool's threads after three redeploys, as many as before");
        assertTheOldClassLoadersAreCollected(container);
        assertEquals(200, global(cachedToken).statusCode());
    }

    // ---- helpers

    private String newToken(long integration, String name) throws Exception {
        HttpResponse<String> reply = admin("POST", "legacy/admin/api/v1/integrations/" + integration + "/tokens",
                "{\"name\":\"" + name + "\",\"expiration\":\"never\"}");
        assertEquals(201, reply.statusCode(), reply::body);
        return token(reply.body());
    }

    private HttpResponse<String> admin(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(container.uri().resolve(path))
                .header("Authorization", basic(StandaloneContainer.ADMIN, StandaloneContainer.ADMIN_PASSWORD))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request);
    }

    private long longLivedThreads() throws Exception {
        return LONG_LIVED_THREAD.matcher(StandaloneContainer.jdkTool("jcmd", Long.toString(container.pid()), "Thread.print")).results().count();
    }

    /**
     * Tomcat's warning for a thread of HikariCP's short-lived executors that had already ended its
     * work and was exiting: HikariCP's close waits for its closer executor to terminate, and the
     * executor counts as terminated while its last worker is still leaving {@code run()}; Tomcat
     * checks four milliseconds later. On a loaded machine (three containers redeploying at once) it
     * saw such a thread: the warning then shows NO stack frame (the thread runs no code any more).
     * Only that form is removed here; a pool thread with frames, any other thread, and every other
     * warning still fail the test, and the thread count and the class loaders' collection below
     * prove nothing stayed behind.
     */
    static String withoutExitingPoolThreads(String log) {
        return EXITING_POOL_THREAD.matcher(log).replaceAll("");
    }

    private static final Pattern EXITING_POOL_THREAD = Pattern.compile(
            "(?m)^[^\\n]*appears to have started a thread named \\[globalgate:connection-(?:closer|adder)\\] but has failed to stop it\\."
                    + " This is very likely to create a memory leak\\. Stack trace of thread:\\n(?=\\d{2}-[A-Z][a-z]{2}-\\d{4} |\\z)");

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private HttpResponse<String> global(String token) throws Exception {
        return global("legacy", token);
    }

    private HttpResponse<String> global(String application, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(container.uri().resolve(application + "/api/global/v1/status")).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static long id(String json) {
        Matcher m = ID.matcher(json);
        assertTrue(m.find(), json);
        return Long.parseLong(m.group(1));
    }

    private static String token(String json) {
        Matcher m = TOKEN.matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }
}
