package io.globalgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.globalgate.token.TokenFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance flow over real HTTP against one gateway per test class, started as
 * {@code main} starts it (port 0, a fresh data dir, the generated admin password, the built-in demo
 * Global API). Subclasses say which database it keeps its data in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GatewayEndToEndContract {

    private static final String STATUS = "/api/global/v1/system/status";
    private static final Pattern AUTH_COUNTER = Pattern.compile("(?m)^globalgate_auth_requests_total\\{([^}]*)} (\\S+)$");

    private Path dataDir;
    private RunningGateway gateway;
    private GatewayClient admin;

    /** The gateway's options (besides {@code --port 0}) for a fresh data dir. */
    protected abstract GatewayConfig configure(Path dataDir) throws Exception;

    @BeforeAll
    void startGateway() throws Exception {
        dataDir = RunningGateway.newDataDir();
        gateway = RunningGateway.start(configure(dataDir));
        GatewayInfo info = gateway.info();
        assertNotNull(info.generatedPassword(), "a first start without GLOBALGATE_ADMIN_PASSWORD generates one");
        admin = new GatewayClient(gateway.uri(), info.adminUser(), info.generatedPassword());
    }

    @AfterAll
    void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        RunningGateway.delete(dataDir);
    }

    protected RunningGateway gateway() {
        return gateway;
    }

    protected Path dataDir() {
        return dataDir;
    }

    private GatewayClient anonymous() {
        return GatewayClient.anonymous(gateway.uri());
    }

    /** A client of the management listener ({@code /metrics}, {@code /health}). */
    private GatewayClient management() {
        return GatewayClient.anonymous(gateway.managementUri());
    }

    private GatewayClient withPassword(String password) {
        return new GatewayClient(gateway.uri(), gateway.info().adminUser(), password);
    }

    // ---- signing in

    @Test
    void scriptsSignInToTheJsonApiWithHttpBasic() {
        Reply ok = admin.admin("GET", "/integrations", null);
        assertEquals(200, ok.status(), ok::toString);
        assertTrue(ok.json().has("integrations"), ok::toString);

        Reply wrong = withPassword("not-the-password-at-all").admin("GET", "/integrations", null);
        assertEquals(401, wrong.status(), wrong::toString);
        assertTrue(wrong.header("WWW-Authenticate").startsWith("Basic"), "a script is challenged, not sent to a login page");
        assertApiError(wrong, "authentication");

        Reply none = anonymous().admin("GET", "/integrations", null);
        assertEquals(401, none.status(), none::toString);
        assertTrue(none.header("WWW-Authenticate").startsWith("Basic"), none.headers()::toString);
        assertApiError(none, "authentication");

        // Every method the API has, not only those Jetty writes error pages for (GET, POST).
        long id = admin.createIntegration("Refused login " + System.nanoTime()).get("id").asLong();
        for (String[] call : new String[][]{{"PATCH", "/integrations/" + id, "{\"name\":\"x\"}"}, {"POST", "/integrations", "{}"},
                {"DELETE", "/integrations/" + id, null}, {"PUT", "/integrations/" + id, "{}"}}) {
            Reply refused = withPassword("not-the-password-at-all").admin(call[0], call[1], call[2]);
            assertEquals(401, refused.status(), () -> call[0] + " " + refused);
            assertApiError(refused, "authentication");
        }
    }

    /**
     * Issue 13's hostile inputs, generated, against the started gateway from loopback source
     * addresses of their own (each a client that is no trusted proxy): a flood of forged tokens
     * (correct checksum, never issued) under garbage, huge and many-valued forwarding headers is
     * {@code 401} while the address's lookup budget (10 a second by default) lasts, then {@code 503}
     * {@code lookup_limit} with {@code Retry-After}, never anything else, while a real token under the
     * same headers passes; and every body-taking path (sign-in form, JSON API, public revocation)
     * answers each bogus, unsupported or other charset, UTF-16/UTF-32 body and invalid UTF-8 with
     * the exact status of its contract.
     */
    @Test
    void generatedHostileRequestsGetTheirContractsAnswer() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("[globalgate-fuzz] GatewayEndToEndContract seed " + seed + " (repeat with -Dfuzz.seed=" + seed + ")");
        java.util.Random random = new java.util.Random(seed);
        String[][] forwarding = {{"X-Forwarded-For", "127.0.0.1"}, {"X-Forwarded-For", "10.0.0.1, 198.51.100.7"},
                {"X-Forwarded-For", String.join(", ", java.util.Collections.nCopies(200, "203.0.113.9"))}, {"X-Forwarded-For", "x".repeat(3000)},
                {"X-Forwarded-For", "unknown, _hidden, [::1]:80, ,,"}, {"Forwarded", "for=\"[2001:db8::1]:4711\";proto=https"},
                {"X-Forwarded-Proto", "https"}, {"X-Forwarded-Proto", "https, http, javascript:"}, {"X-Real-IP", "127.0.0.2"}};
        String own = gateway.uri().getScheme() + "://" + gateway.uri().getRawAuthority();
        String token = admin.newToken("Hostile inputs " + seed);
        FromAddress attacker = FromAddress.of(FromAddress.nth(13_000 + random.nextInt(1_000)), gateway.uri());
        Map<Integer, Integer> statuses = new TreeMap<>();
        long started = System.nanoTime();
        for (int n = 0; n < 40; n++) {
            String[] header = forwarding[random.nextInt(forwarding.length)];
            Reply reply = attacker.send("GET", STATUS, java.util.List.of("Authorization", "Bearer " + TokenFormat.generate(),
                    header[0], header[1]), null);
            String where = "forged token " + n + " with " + header[0] + ": " + header[1].substring(0, Math.min(60, header[1].length())) + " -> " + reply;
            if (n < 10) {
                assertEquals(401, reply.status(), "within the address's budget of 10: " + where);
            }
            if (reply.status() == 401) {
                assertTrue(reply.header("WWW-Authenticate").contains("error=\"invalid_token\""), where);
                assertApiError(reply, "authentication");
            } else {
                assertEquals(503, reply.status(), where);
                assertEquals("5", reply.header("Retry-After"), where);
                assertEquals("Too many unknown tokens; try again shortly", reply.json().at("/errors/0/message").asText(), where);
            }
            statuses.merge(reply.status(), 1, Integer::sum);
            if (n % 8 == 0) {
                Reply real = attacker.send("GET", STATUS, java.util.List.of("Authorization", "Bearer " + token, header[0], header[1]), null);
                assertEquals(200, real.status(), "a real token passes whatever the flood: " + real);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.println("[globalgate-fuzz] forged tokens from one address by status: " + statuses + " in " + seconds + " s");
        assertTrue(statuses.getOrDefault(401, 0) <= 10 + 10 * seconds + 1, "at most the budget and its refill were looked up: " + statuses);
        assertTrue(statuses.getOrDefault(503, 0) > 0, statuses::toString);

        byte[] utf16 = "{\"name\":\"UTF-16 integration\",\"description\":\"d\",\"notificationEmail\":\"u@example.com\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] utf32 = "{\"tokens\":[\"gat_x\"]}".getBytes(java.nio.charset.Charset.forName("UTF-32BE"));
        byte[] invalid = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        byte[] form = ("j_username=" + gateway.info().adminUser() + "&j_password=wrong").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] badForm = {'j', '_', 'u', 's', 'e', 'r', 'n', 'a', 'm', 'e', '=', (byte) 0xFF, '&', 'j', '_', 'p', 'a', 's', 's', 'w', 'o', 'r', 'd', '=', 'x'};
        String basic = FromAddress.basic(gateway.info().adminUser(), gateway.info().generatedPassword());
        Object[][] cases = {
                // path, content type, body, status (and for the JSON paths, the error type validation)
                {"/j_security_check", "application/x-www-form-urlencoded; charset=x-bogus", form, 415},
                {"/j_security_check", "application/x-www-form-urlencoded; charset=utf-16", form, 415},
                {"/j_security_check", "application/x-www-form-urlencoded; charset=UTF-32", form, 415},
                {"/j_security_check", "application/x-www-form-urlencoded; charset=", form, 415},
                {"/j_security_check", "application/x-www-form-urlencoded", badForm, 400},
                {"/admin/api/v1/integrations", "application/json; charset=x-bogus", utf16, 415},
                {"/admin/api/v1/integrations", "application/json; charset=utf-16", utf16, 415},
                {"/admin/api/v1/integrations", "application/json; charset=utf-8;charset=utf-16", utf16, 415},
                {"/admin/api/v1/integrations", "application/json", utf16, 400},
                {"/admin/api/v1/integrations", "application/json; charset=utf-8", utf16, 400},
                {"/admin/api/v1/integrations", "application/json", invalid, 400},
                {"/public/v1/tokens/revoke", "application/json; charset=x-bogus", utf32, 415},
                {"/public/v1/tokens/revoke", "application/json; charset=UTF-32", utf32, 415},
                {"/public/v1/tokens/revoke", "application/json", utf32, 400},
                {"/public/v1/tokens/revoke", "application/json", invalid, 400},
        };
        int n = 0;
        for (Object[] c : cases) {
            String path = (String) c[0];
            java.util.List<String> headers = new java.util.ArrayList<>(java.util.List.of("Content-Type", (String) c[1]));
            if (path.startsWith("/admin/")) {
                headers.addAll(java.util.List.of("Authorization", basic));
            } else if (path.equals("/j_security_check")) {
                headers.addAll(java.util.List.of("Origin", own));
            }
            String[] header = forwarding[random.nextInt(forwarding.length)];
            headers.addAll(java.util.List.of(header[0], header[1]));
            // a source address of its own: the sign-in throttle and the revocation limit count per address
            Reply reply = FromAddress.of(FromAddress.nth(14_000 + 50 * (int) (seed & 0xF) + n++), gateway.uri())
                    .sendBytes("POST", path, headers, (byte[]) c[2]);
            String where = "POST " + path + " [" + c[1] + "] -> " + reply;
            assertEquals((int) c[3], reply.status(), where);
            assertFalse(reply.body().contains("Exception") || reply.body().contains("\tat "), "no stack trace: " + where);
            if (!path.equals("/j_security_check")) {
                assertEquals("validation", reply.json().at("/errors/0/type").asText(), where);
            }
            assertTrue(reply.header("Set-Cookie") == null || !reply.header("Set-Cookie").startsWith("JSESSIONID"), "nobody signed in: " + where);
        }
        assertFalse(admin.admin("GET", "/integrations?q=UTF-16", null).body().contains("UTF-16 integration"), "nothing was stored");
    }

    /**
     * Black box, beyond issue 13's list: the demo Global API answered a method it does not have
     * with Jetty's HTML error page (its version, the demo's internal loopback address) or a
     * {@code 501}, and the proxy passed that, with {@code Server: Jetty(...)}, to every client with
     * a token.
     */
    @Test
    void theDemoGlobalApiAnswersOtherMethods405InItsShapeNamingNoServer() {
        String token = admin.newToken("Demo methods " + System.nanoTime());
        FromAddress client = FromAddress.of("127.0.0.1", gateway.uri());
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
            Reply reply = client.send(method, STATUS, java.util.List.of("Authorization", "Bearer " + token,
                    "Content-Type", "application/json"), "{}");
            String where = method + " " + STATUS + " -> " + reply;
            assertEquals(405, reply.status(), where);
            assertEquals("GET, HEAD", reply.header("Allow"), where);
            assertEquals("method_not_allowed", reply.json().at("/errors/0/type").asText(), where);
            assertTrue(reply.json().at("/gateway/integrationName").asText().startsWith("Demo methods"), "proxied with its identity: " + where);
            assertNull(reply.header("Server"), where);
            String all = (reply.headers().map() + reply.body()).toLowerCase(Locale.ROOT);
            assertFalse(all.contains("jetty") || all.contains("127.0.0.1:"), "nothing of the demo's server or address: " + where);
        }
        Reply head = client.send("HEAD", STATUS, java.util.List.of("Authorization", "Bearer " + token), null);
        assertEquals(200, head.status(), head::toString);
    }

    @Test
    void hostileBasicCredentialsGetTheApisJsonRefusalWithoutEcho() {
        String[] hostile = {
                "Basic !!!not-base64!!!",
                "Basic  " + base64("admin:two-spaces-before-me"),
                "Basic " + base64("admin:wrong") + " trailing words",
                "Basic " + base64("no-colon-at-all"),
                "Basic " + base64("admin' OR '1'='1:' OR '1'='1"),
                "Basic " + base64("<script>alert(1)</script>:<img src=x onerror=alert(1)>"),
                "Basic " + base64("admin:" + "x".repeat(4000)),
                "Basic ",
                "Digest username=\"admin\"",
        };
        for (String authorization : hostile) {
            Reply reply = anonymous().adminGetWithAuthorization("/integrations", authorization);
            assertEquals(401, reply.status(), () -> authorization + " -> " + reply);
            assertApiError(reply, "authentication");
            assertFalse(reply.body().contains("script") || reply.body().contains("OR '1'") || reply.body().contains("xxxx"),
                    "the credentials are not echoed: " + reply.body());
        }
        // Still signed in fine afterwards: nothing about the admin user was changed by the attempts.
        assertEquals(200, admin.admin("GET", "/integrations", null).status());
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The JSON API's error shape (docs/API.md, "Errors"), also when Jetty refuses the request before the admin servlet sees it. */
    private static void assertApiError(Reply reply, String type) {
        assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.headers()::toString);
        assertEquals("no-store", reply.header("Cache-Control"), reply.headers()::toString);
        assertEquals(type, reply.json().path("errors").path(0).path("type").asText(), reply::toString);
        assertFalse(reply.json().path("errors").path(0).path("message").asText().isBlank(), reply::toString);
        assertFalse(reply.body().contains("<"), "no HTML page: " + reply.body());
    }

    @Test
    void peopleStaySignedInThroughTheLoginFormsSessionCookie() {
        GatewayClient browser = anonymous();
        Reply protectedPage = browser.get("/admin/");
        assertEquals(302, protectedPage.status(), protectedPage::toString); // a GET: 302, the method kept
        assertEquals("/login", protectedPage.header("Location"), "a path of our own, never //login (the host \"login\")");

        Reply loginPage = browser.get("/login");
        assertEquals(200, loginPage.status());
        assertTrue(loginPage.body().contains("action=\"/j_security_check\""), loginPage::toString);

        Reply signedIn = browser.postForm("/j_security_check", "j_username", "admin", "j_password", gateway.info().generatedPassword());
        assertEquals(303, signedIn.status(), signedIn::toString); // after a POST: 303, a GET of the target
        assertEquals("/admin/", signedIn.header("Location"), "back to the page first asked for, a path of our own: " + signedIn.headers());

        Reply adminPage = browser.get("/admin/");
        assertEquals(200, adminPage.status(), adminPage::toString);
        assertTrue(adminPage.header("Content-Type").startsWith("text/html"), adminPage.headers()::toString);
    }

    @Test
    void aWrongPasswordOnTheLoginFormSignsNobodyIn() {
        GatewayClient browser = anonymous();
        browser.get("/admin/");

        Reply refused = browser.postForm("/j_security_check", "j_username", "admin", "j_password", "wrong-password-123");
        assertEquals(303, refused.status(), refused::toString);
        assertTrue(refused.header("Location").endsWith("/login?error=1"), refused.headers()::toString);

        Reply errorPage = browser.get("/login?error=1");
        assertEquals(401, errorPage.status());
        assertTrue(errorPage.body().contains("Wrong user name or password."), errorPage::toString);

        Reply stillProtected = browser.get("/admin/");
        assertEquals(302, stillProtected.status(), () -> "no signed-in session: " + stillProtected);
        assertEquals("/login", stillProtected.header("Location"), stillProtected.headers()::toString);
    }

    @Test
    void aRefusedFormLoginWithoutAPriorPageOpensNoSession() {
        Reply refused = anonymous().postForm("/j_security_check", "j_username", "admin", "j_password", "wrong-password-123");
        assertEquals(303, refused.status(), refused::toString);
        assertTrue(refused.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith("JSESSIONID=")),
                "no session cookie for a refused login: " + refused.headers());
    }

    // ---- the Global API through the gateway

    @Test
    void theUpstreamSeesOnlyTheIntegrationTheGatewayVouchesFor() {
        JsonNode integration = admin.createIntegration("Café ☕ Ünïcode");
        String token = admin.createToken(integration.get("id").asLong(), "unicode").get("token").asText();

        Reply reply = admin.globalApi(STATUS, token,
                "X-Globalgate-Integration-Id", "999999",
                "X-Globalgate-Integration-Name", "Mallory",
                "X-Request-Id", "req-7f3a");

        assertEquals(200, reply.status(), reply::toString);
        JsonNode seen = reply.json().get("gateway");
        assertAll(
                () -> assertEquals("ok", reply.json().get("status").asText()),
                () -> assertEquals(integration.get("id").asText(), seen.get("integrationId").asText()),
                () -> assertEquals("Café ☕ Ünïcode", seen.get("integrationName").asText()),
                () -> assertFalse(seen.get("authorizationReceived").asBoolean()),
                () -> assertEquals("req-7f3a", seen.get("requestId").asText(), "the client's X-Request-Id reaches the upstream"));
    }

    @Test
    void aHostileRequestIdCannotRewriteWhoTheUpstreamSaw() {
        JsonNode integration = admin.createIntegration("Request id echo");
        String token = admin.createToken(integration.get("id").asLong(), "echo").get("token").asText();
        String hostile = "\",\"integrationId\":\"1\",\"x\":\"<script>alert(1)</script>' OR 1=1; --";

        Reply reply = admin.globalApi(STATUS, token, "X-Request-Id", hostile);

        assertEquals(200, reply.status(), reply::toString);
        JsonNode seen = reply.json().get("gateway");
        assertAll(
                () -> assertEquals(hostile, seen.get("requestId").asText(), "echoed exactly, as a JSON string"),
                () -> assertEquals(integration.get("id").asText(), seen.get("integrationId").asText()),
                () -> assertFalse(seen.has("x"), "no field injected: " + reply.body()));
    }

    @Test
    void theDemoMerchantsAnswerInTheGlobalApiShapeWithTheQueryStringAccepted() {
        String token = admin.newToken("Merchant reader");
        Reply reply = admin.globalApi("/api/global/v1/system/merchants?limit=2", token);
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.json().get("collection").isArray(), reply::toString);
        assertFalse(reply.json().get("has_more").asBoolean(), reply::toString);
    }

    @Test
    void aTokenWorksUntilRevokedRegeneratedOrItsIntegrationIsDeactivated() {
        Map<String, Double> before = authCounters();

        long integrationId = admin.createIntegration("ERP sync").get("id").asLong();
        JsonNode first = admin.createToken(integrationId, "first");
        String firstToken = first.get("token").asText();
        assertEquals(200, admin.globalApi(STATUS, firstToken).status());                       // accepted

        assertEquals(200, admin.admin("POST", "/tokens/" + first.get("id").asLong() + "/revoke", null).status());
        assertRefused(admin.globalApi(STATUS, firstToken), "revoked");                           // rejected/revoked
        assertEquals(409, admin.admin("POST", "/tokens/" + first.get("id").asLong() + "/regenerate", null).status(),
                "a revoked token cannot be regenerated");

        JsonNode second = admin.createToken(integrationId, "second");
        String oldToken = second.get("token").asText();
        assertEquals(200, admin.globalApi(STATUS, oldToken).status());                          // accepted
        Reply regenerated = admin.admin("POST", "/tokens/" + second.get("id").asLong() + "/regenerate", null);
        assertEquals(201, regenerated.status(), regenerated::toString);
        assertEquals(second.get("id").asLong(), regenerated.json().get("replaces").asLong());
        String newToken = regenerated.json().get("token").asText();
        assertNotEquals(oldToken, newToken);
        assertEquals(200, admin.globalApi(STATUS, newToken).status());                          // accepted
        assertRefused(admin.globalApi(STATUS, oldToken), "revoked");                             // rejected/revoked

        Reply deactivated = admin.admin("PATCH", "/integrations/" + integrationId, "{\"active\":false}");
        assertEquals(200, deactivated.status(), deactivated::toString);
        assertFalse(deactivated.json().get("active").asBoolean());
        assertRefused(admin.globalApi(STATUS, newToken), "inactive");                            // rejected/inactive
        assertEquals(200, admin.admin("PATCH", "/integrations/" + integrationId, "{\"active\":true}").status());
        assertEquals(200, admin.globalApi(STATUS, newToken).status());                          // accepted

        Reply missing = admin.globalApi(STATUS, null);                                           // rejected/missing
        assertEquals(401, missing.status());
        assertEquals("Bearer realm=\"Global API\"", missing.header("WWW-Authenticate"));
        assertRefused(admin.globalApi(STATUS, TokenFormat.generate()), "not recognised");          // rejected/unknown
        assertRefused(admin.globalApi(STATUS, "gat_not-a-token"), "malformed");                   // rejected/malformed

        Map<String, Double> expected = new TreeMap<>(Map.of(
                "outcome=\"accepted\",reason=\"none\"", 4.0,
                "outcome=\"rejected\",reason=\"revoked\"", 2.0,
                "outcome=\"rejected\",reason=\"inactive\"", 1.0,
                "outcome=\"rejected\",reason=\"missing\"", 1.0,
                "outcome=\"rejected\",reason=\"unknown\"", 1.0,
                "outcome=\"rejected\",reason=\"malformed\"", 1.0));
        assertEquals(expected, increase(before, authCounters()));
    }

    private static void assertRefused(Reply reply, String why) {
        assertEquals(401, reply.status(), reply::toString);
        String challenge = reply.header("WWW-Authenticate");
        assertTrue(challenge.startsWith("Bearer realm=\"Global API\", error=\"invalid_token\""), challenge);
        assertTrue(challenge.toLowerCase(Locale.ROOT).contains(why), () -> "'" + why + "' in " + challenge);
        assertEquals("authentication", reply.json().get("errors").get(0).get("type").asText(), reply::toString);
    }

    // ---- operations

    @Test
    void metricsExposeTheFilterJvmHikariAndJettyMetersAsPrometheusText() {
        Reply metrics = management().get("/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.header("Content-Type").startsWith("text/plain"), metrics.headers()::toString);
        for (String prefix : new String[] {"globalgate_auth_requests_total", "jvm_", "hikaricp_", "jetty_"}) {
            assertTrue(Pattern.compile("(?m)^" + prefix).matcher(metrics.body()).find(), () -> "no " + prefix + " meter in /metrics");
        }
    }

    @Test
    void healthIsUpWhenTheStoreAnswers() {
        Reply health = anonymous().get("/health");
        assertEquals(200, health.status());
        assertEquals("{\"status\":\"UP\"}", health.body());
        assertTrue(health.header("Content-Type").startsWith("application/json"), health.headers()::toString);
    }

    @Test
    void theGeneratedPasswordIsKeptOnlyAsAHashInTheDataDir() throws Exception {
        String stored = Files.readString(dataDir.resolve(AdminCredentials.FILE_NAME));
        assertTrue(stored.startsWith("pbkdf2-sha256$"), stored);
        assertFalse(stored.contains(gateway.info().generatedPassword()));
        assertFalse(gateway.info().toString().contains(gateway.info().generatedPassword()), "GatewayInfo masks the password");
    }

    /** {@code globalgate_auth_requests_total} by its labels, as {@code /metrics} shows it now. */
    private Map<String, Double> authCounters() {
        Reply metrics = management().get("/metrics");
        assertEquals(200, metrics.status());
        Map<String, Double> counters = new HashMap<>();
        Matcher m = AUTH_COUNTER.matcher(metrics.body());
        while (m.find()) {
            counters.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        assertFalse(counters.isEmpty(), "no globalgate_auth_requests_total in /metrics");
        return counters;
    }

    /** The series that grew, by how much. */
    private static Map<String, Double> increase(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> grown = new TreeMap<>();
        after.forEach((labels, value) -> {
            double delta = value - before.getOrDefault(labels, 0.0);
            if (delta != 0) {
                grown.put(labels, delta);
            }
        });
        return grown;
    }
}
