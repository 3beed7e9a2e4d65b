package io.globalgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.store.PageRequest;
import io.globalgate.admin.testing.AdminClient;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.GlobalApi;
import io.globalgate.admin.testing.PageChecks;
import io.globalgate.admin.testing.Reply;
import io.globalgate.admin.testing.StoreState;
import io.globalgate.testing.TestDatabases;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what, and what the pages let through: CSRF, the role, the security headers, our own
 * redirects, and user input that must come back as text, never as markup.
 */
class AdminSecurityTest {

    private static final List<String> XSS = List.of(
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "javascript:alert(1)");
    private static final Pattern CREATED = Pattern.compile("/admin/tokens/(\\d+)/created");
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static HikariDataSource dataSource;
    private static AdminTestServer server;
    private static ManagementStore store;
    private static AdminClient admin;

    @BeforeAll
    static void startServer() throws Exception {
        dataSource = TestDatabases.h2();
        server = AdminTestServer.start(dataSource, Clock.systemUTC(), Map.of());
        store = server.store();
        admin = AdminClient.admin(server);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        dataSource.close();
    }

    // ---- CSRF

    @Test
    void everyFormPostWithoutTheCsrfTokenIsForbiddenBeforeAnythingChanges() {
        Fixture f = fixture();
        Map<String, Long> before = StoreState.snapshot(store);
        for (List<String> post : f.posts()) {
            Reply reply = admin.postForm(post.get(0), post.subList(1, post.size()), "Origin", admin.origin());
            assertForbiddenCsrf(reply, post.get(0));
        }
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(200, GlobalApi.status(server.uri(), f.token.value()));
    }

    @Test
    void everyFormPostWithAWrongCsrfTokenOrAnotherSessionsTokenIsForbiddenBeforeAnythingChanges() {
        Fixture f = fixture();
        String othersToken = AdminClient.admin(server).csrf();
        String mine = admin.csrf();
        Map<String, Long> before = StoreState.snapshot(store);
        for (String wrong : List.of("wrong", othersToken, mine + "x", mine.substring(1), "", mine.toUpperCase())) {
            if (wrong.equals(mine)) {
                continue;
            }
            for (List<String> post : f.posts()) {
                List<String> fields = new ArrayList<>(post.subList(1, post.size()));
                fields.add("_csrf");
                fields.add(wrong);
                assertForbiddenCsrf(admin.postForm(post.get(0), fields, "Origin", admin.origin()), post.get(0) + " with " + wrong);
            }
        }
        // A client without a session at all (e.g. a forged form in a fresh browser) has no valid token either.
        List<String> post = f.posts().get(0);
        List<String> fields = new ArrayList<>(post.subList(1, post.size()));
        fields.add("_csrf");
        fields.add(mine);
        assertForbiddenCsrf(AdminClient.admin(server).postForm(post.get(0), fields), "fresh session");
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(200, GlobalApi.status(server.uri(), f.token.value()));
    }

    @Test
    void everyFormPostFromAForeignOriginIsForbiddenEvenWithTheRightToken() {
        Fixture f = fixture();
        String mine = admin.csrf();
        Map<String, Long> before = StoreState.snapshot(store);
        List<String[]> foreign = List.of(
                new String[] {"Origin", "http://evil.example"},
                new String[] {"Origin", admin.origin() + ".evil.example"},
                new String[] {"Origin", "https://" + admin.server().getRawAuthority()},
                new String[] {"Referer", "http://evil.example/admin/"});
        for (String[] header : foreign) {
            for (List<String> post : f.posts()) {
                List<String> fields = new ArrayList<>(post.subList(1, post.size()));
                fields.add("_csrf");
                fields.add(mine);
                assertForbiddenCsrf(admin.postForm(post.get(0), fields, header), post.get(0) + " with " + String.join(": ", header));
            }
        }
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(200, GlobalApi.status(server.uri(), f.token.value()));

        // From our own pages by Referer alone, the same post is accepted.
        Reply own = admin.postForm("/admin/tokens/" + f.token.token().id() + "/revoke", List.of("_csrf", mine),
                "Referer", admin.origin() + "/admin/tokens/" + f.token.token().id());
        assertEquals(303, own.status(), own.toString());
        assertEquals(401, GlobalApi.status(server.uri(), f.token.value()));
    }

    @Test
    void originNullIsWhatBrowsersSendForOurOwnFormsSoOnlyTheCsrfTokenDecides() {
        // Our pages say Referrer-Policy: no-referrer, under which Chromium posts our own forms
        // with "Origin: null" (the browser test shows it); refusing it would refuse every form.
        Fixture f = fixture();
        Map<String, Long> before = StoreState.snapshot(store);
        for (List<String> post : f.posts()) {
            List<String> fields = new ArrayList<>(post.subList(1, post.size()));
            fields.add("_csrf");
            fields.add("forged");
            assertForbiddenCsrf(admin.postForm(post.get(0), fields, "Origin", "null"), post.get(0) + " with a forged token");
        }
        assertEquals(before, StoreState.snapshot(store));
        Reply own = admin.postForm("/admin/tokens/" + f.token.token().id() + "/revoke", List.of("_csrf", admin.csrf()),
                "Origin", "null");
        assertEquals(303, own.status(), own.toString());
        assertEquals(401, GlobalApi.status(server.uri(), f.token.value()));
    }

    @Test
    void anApiCallFromAForeignOriginOrAsAFormIsRefusedBeforeAnythingIsStored() {
        Fixture f = fixture();
        Map<String, Long> before = StoreState.snapshot(store);
        String body = "{\"name\":\"cross-site\",\"description\":\"\",\"notificationEmail\":\"x@example.com\"}";

        Reply foreign = admin.json("POST", "/admin/api/v1/integrations", body, "Origin", "http://evil.example");
        assertEquals(403, foreign.status(), foreign.toString());
        assertEquals("forbidden", foreign.json().at("/errors/0/type").asText());
        Reply revoke = admin.json("POST", "/admin/api/v1/tokens/" + f.token.token().id() + "/revoke", null,
                "Origin", "http://evil.example");
        assertEquals(403, revoke.status(), revoke.toString());
        // What a cross-site HTML form can send: a form or text/plain body, never application/json.
        for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x")) {
            Reply form = admin.send("POST", "/admin/api/v1/integrations", type, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(415, form.status(), type + ": " + form);
        }
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(200, GlobalApi.status(server.uri(), f.token.value()));
    }

    @Test
    void aStateChangingApiCallThatABrowserSentFromAnotherSiteIsRefusedBeforeAnythingIsStored() {
        // A browser holding Basic credentials sends them with a sandboxed iframe's form (Origin: null)
        // or another site's fetch (Sec-Fetch-Site: cross-site, or same-site from a sibling subdomain).
        Fixture f = fixture();
        Map<String, Long> before = StoreState.snapshot(store);
        List<String[]> crossSite = List.of(
                new String[] {"Origin", "null"},
                new String[] {"Sec-Fetch-Site", "cross-site"},
                new String[] {"Sec-Fetch-Site", "same-site"},
                new String[] {"Origin", admin.origin(), "Sec-Fetch-Site", "cross-site"},
                new String[] {"Origin", "null", "Sec-Fetch-Site", "same-origin"},
                new String[] {"Origin", admin.origin(), "Sec-Fetch-Site", "CROSS-SITE"});
        for (String[] headers : crossSite) {
            for (String[] call : f.apiCalls()) {
                if (call[0].equals("GET")) {
                    continue;
                }
                Reply reply = admin.json(call[0], call[1], call[2], headers);
                String where = call[0] + " " + call[1] + " with " + String.join(": ", headers) + ": " + reply;
                assertEquals(403, reply.status(), where);
                assertEquals("application/json", reply.header("Content-Type"), where);
                assertEquals("forbidden", reply.json().at("/errors/0/type").asText(), where);
            }
        }
        // The reproduction: a body-less revoke, as an iframe's form would send it.
        Reply revoke = admin.json("POST", "/admin/api/v1/tokens/" + f.token.token().id() + "/revoke", null, "Origin", "null");
        assertEquals(403, revoke.status(), revoke.toString());
        assertTrue(revoke.json().at("/errors/0/message").asText().startsWith("Requests from another origin are not accepted"),
                revoke.toString());
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(200, GlobalApi.status(server.uri(), f.token.value()));
    }

    @Test
    void scriptsWithoutOriginAndOurOwnOriginStillChangeThingsThroughTheApi() {
        Fixture f = fixture();
        // Reading is not guarded: another site cannot read an answer without CORS, which is never granted.
        Reply read = admin.json("GET", "/admin/api/v1/tokens/" + f.token.token().id(), null, "Origin", "null",
                "Sec-Fetch-Site", "cross-site");
        assertEquals(200, read.status(), read.toString());
        Reply ownPage = admin.json("POST", "/admin/api/v1/tokens/" + f.second.token().id() + "/revoke", null,
                "Origin", admin.origin(), "Sec-Fetch-Site", "same-origin");
        assertEquals(200, ownPage.status(), ownPage.toString());
        Reply curl = admin.json("POST", "/admin/api/v1/tokens/" + f.token.token().id() + "/revoke", null);
        assertEquals(200, curl.status(), curl.toString());
        assertEquals(401, GlobalApi.status(server.uri(), f.token.value()));
    }

    // ---- authentication and the role

    @Test
    void aUserWithoutTheAdminRoleIsForbiddenOnEveryPageFormAndApiCall() {
        Fixture f = fixture();
        AdminClient viewer = AdminClient.as(server, AdminTestServer.VIEWER, AdminTestServer.VIEWER_PASSWORD);
        Map<String, Long> before = StoreState.snapshot(store);
        for (String path : f.pages()) {
            Reply reply = viewer.get(path);
            assertEquals(403, reply.status(), path + ": " + reply);
            assertTrue(reply.text().contains("is not in the role globalgate-admin"), reply.toString());
            assertFalse(reply.text().contains(f.integration.name()), "no data leaks to a forbidden user: " + path);
            PageChecks.assertSecurityHeaders(reply);
        }
        for (List<String> post : f.posts()) {
            Reply reply = viewer.postForm(post.get(0), post.subList(1, post.size()), "Origin", viewer.origin());
            assertEquals(403, reply.status(), post.get(0) + ": " + reply);
        }
        for (String[] call : f.apiCalls()) {
            Reply reply = viewer.json(call[0], call[1], call[2]);
            assertEquals(403, reply.status(), call[0] + " " + call[1] + ": " + reply);
            assertEquals("application/json", reply.header("Content-Type"));
            JsonNode error = reply.json().at("/errors/0");
            assertEquals("forbidden", error.get("type").asText());
            assertEquals("User viewer is not in the role globalgate-admin that the Globalgate admin requires",
                    error.get("message").asText());
            assertFalse(reply.text().contains(f.integration.name()));
        }
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(200, GlobalApi.status(server.uri(), f.token.value()));
    }

    @Test
    void withoutCredentialsOrWithAWrongPasswordEveryPageAndApiCallAsksForALogin() {
        Fixture f = fixture();
        AdminClient nobody = AdminClient.anonymous(server);
        AdminClient wrong = AdminClient.as(server, AdminTestServer.ADMIN, "not-the-password");
        Map<String, Long> before = StoreState.snapshot(store);
        for (AdminClient client : List.of(nobody, wrong)) {
            for (String path : f.pages()) {
                Reply reply = client.get(path);
                assertEquals(401, reply.status(), path + ": " + reply);
                assertTrue(reply.header("WWW-Authenticate").startsWith("Basic"), reply.toString());
                assertFalse(reply.text().contains(f.integration.name()));
            }
            for (List<String> post : f.posts()) {
                assertEquals(401, client.postForm(post.get(0), post.subList(1, post.size())).status(), post.get(0));
            }
            for (String[] call : f.apiCalls()) {
                Reply reply = client.json(call[0], call[1], call[2]);
                assertEquals(401, reply.status(), call[0] + " " + call[1] + ": " + reply);
                assertTrue(reply.header("WWW-Authenticate").startsWith("Basic"), reply.toString());
            }
        }
        assertEquals(before, StoreState.snapshot(store));
    }

    // ---- headers

    @Test
    void everyPageAndEveryRefusalCarriesTheSecurityHeaders() {
        Fixture f = fixture();
        for (String path : f.pages()) {
            Reply reply = admin.get(path);
            PageChecks.assertPage(reply);
            assertEquals("no-store", reply.header("Cache-Control"), path);
        }
        List<Reply> others = List.of(
                admin.get("/admin/integrations/424242"),
                admin.submit("/admin/integrations", "name", "", "notificationEmail", ""),
                admin.postForm("/admin/integrations", List.of("name", "x")),
                AdminClient.as(server, AdminTestServer.VIEWER, AdminTestServer.VIEWER_PASSWORD).get("/admin/"),
                admin.get("/admin/api/v1/integrations"),
                admin.get("/admin/api/v1/integrations/424242"),
                admin.get("/admin/static/admin.css"),
                admin.get("/admin/static/admin.js"));
        for (Reply reply : others) {
            PageChecks.assertSecurityHeaders(reply);
        }
    }

    @Test
    void thePagesLoadOnlyOurOwnStaticFilesServedWithTheirTypes() {
        Document page = PageChecks.assertPage(admin.get("/admin/"));
        assertEquals(List.of("/admin/static/admin.css"), page.select("link[rel=stylesheet]").eachAttr("href"));
        assertEquals(List.of("/admin/static/admin.js"), page.select("script").eachAttr("src"));
        Reply css = admin.get("/admin/static/admin.css");
        assertEquals(200, css.status());
        assertEquals("text/css;charset=utf-8", css.header("Content-Type").replace(" ", "").toLowerCase());
        Reply js = admin.get("/admin/static/admin.js");
        assertEquals(200, js.status());
        assertTrue(js.header("Content-Type").startsWith("text/javascript"), js.toString());
        assertTrue(js.text().contains("navigator.clipboard"));
        assertEquals(404, admin.get("/admin/static/AdminConfig.class").status(), "only the two files are served");
        // Jetty refuses an encoded dot segment or separator as ambiguous before anything is served.
        for (String path : List.of("/admin/static/%2e%2e/ApiHandler.class", "/admin/static/..%2FApiHandler.class")) {
            Reply reply = admin.get(path);
            assertEquals(400, reply.status(), path + ": " + reply);
        }
    }

    // ---- redirects

    @Test
    void everyRedirectGoesToAPathOfOurOwn() {
        Fixture f = fixture();
        Pattern ours = Pattern.compile("/admin/(integrations/\\d+(/tokens/new)?|tokens/\\d+(/created)?)");
        String name = "Redirected " + NAMES.incrementAndGet();
        List<Reply> redirects = new ArrayList<>();
        redirects.add(admin.submit("/admin/integrations", "name", name, "description", "", "notificationEmail", "r@example.com",
                "next", "https://evil.example/", "redirect", "//evil.example"));
        redirects.add(admin.submit("/admin/integrations/" + f.integration.id(), "name", f.integration.name(), "description", "",
                "notificationEmail", "r@example.com", "active", "true", "returnTo", "https://evil.example/"));
        redirects.add(admin.submit("/admin/integrations/" + f.integration.id() + "/tokens", "name", "r", "expiration", "7d",
                "next", "//evil.example"));
        redirects.add(admin.submit("/admin/integrations/" + f.integration.id() + "/tokens/revoke", "ids",
                String.valueOf(f.second.token().id())));
        redirects.add(admin.submit("/admin/tokens/" + f.token.token().id() + "/regenerate", "grace", "0"));
        Matcher created = CREATED.matcher(redirects.get(redirects.size() - 1).location());
        assertTrue(created.matches());
        redirects.add(admin.submit("/admin/tokens/" + created.group(1) + "/revoke"));
        for (Reply reply : redirects) {
            assertEquals(303, reply.status(), reply.toString());
            assertTrue(ours.matcher(reply.location()).matches(), "not one of our paths: " + reply.location());
        }
        // Paths that look like other hosts are just unknown paths of ours.
        // Jetty refuses an empty segment, an encoded separator and an encoded backslash as ambiguous.
        for (String path : List.of("/admin//evil.example", "/admin/%2F%2Fevil.example", "/admin/\\evil.example")) {
            Reply reply = admin.get(path.replace("\\", "%5C"));
            assertEquals(400, reply.status(), path + ": " + reply);
            assertNull(reply.location(), path);
        }
    }

    // ---- user input never becomes markup

    @Test
    void hostileTextInEveryFieldComesBackEscapedOnEveryPageThatShowsIt() {
        int n = 0;
        for (String payload : XSS) {
            n++;
            String name = payload + " " + n;
            Reply saved = admin.submit("/admin/integrations", "name", name, "description", payload,
                    "notificationEmail", "o'neil&x=`y`{z}" + n + "@example.com");
            assertEquals(303, saved.status(), saved.toString());
            Integration i = store.integrations().list(name, PageRequest.first(5)).items().get(0);
            assertEquals(name, i.name(), "stored verbatim");
            assertEquals(payload, i.description());

            Document tokenForm = safe(admin.get(saved.location()), payload);
            assertEquals("Integration “" + name + "” saved. Now create its first Global API access token.",
                    tokenForm.selectFirst("p.flash").text());
            Reply created = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", payload, "expiration", "7d");
            assertEquals(303, created.status(), created.toString());
            Matcher m = CREATED.matcher(created.location());
            assertTrue(m.matches());
            long tokenId = Long.parseLong(m.group(1));
            Document createdPage = safe(admin.get(created.location()), payload);
            assertEquals(payload, createdPage.selectFirst("dd.name").text());

            Document grid = safe(admin.get("/admin/?q=" + AdminClient.enc(name)), payload);
            assertEquals(name, grid.selectFirst("table#integrations td.name a").text());
            assertEquals(payload, grid.selectFirst("table#integrations td.description").text());
            assertEquals(i.notificationEmail(), grid.selectFirst("table#integrations td:nth-child(3)").text());
            assertEquals(name, grid.selectFirst("input#q").val(), "the query is kept as the search box's value");

            Document search = safe(admin.get("/admin/?q=" + AdminClient.enc(payload + " nothing")), payload);
            assertEquals("No integration matches “" + payload + " nothing”.", search.selectFirst("p.empty").text());
            assertEquals(payload + " nothing", search.selectFirst("input#q").val());

            Document integrationPage = safe(admin.get("/admin/integrations/" + i.id()), payload);
            assertEquals(name, integrationPage.selectFirst("h1.name").text());
            assertEquals(payload, integrationPage.selectFirst("dd.description").text());
            assertEquals(payload, integrationPage.selectFirst("table#tokens td.name a").text());
            String hint = store.tokens().get(tokenId).hint();
            assertEquals("Select " + payload + " (" + hint + ")", integrationPage.selectFirst("table#tokens input[name=ids]").attr("aria-label"));
            assertEquals("Revoke “" + payload + "” (" + hint + ")? Applications using it lose access at once. This cannot be undone.",
                    integrationPage.selectFirst("table#tokens button.row-revoke").attr("data-confirm-one"));
            Document searched = safe(admin.get("/admin/integrations/" + i.id() + "?q=" + AdminClient.enc(payload)), payload);
            assertEquals(payload, searched.selectFirst("input#token-q").val(), "the token search is kept as the search box's value");
            assertEquals(payload, searched.selectFirst("table#tokens td.name a").text());

            Document edit = safe(admin.get("/admin/integrations/" + i.id() + "/edit"), payload);
            assertEquals(name, edit.selectFirst("input#name").val());
            assertEquals(payload, edit.selectFirst("textarea#description").wholeText());
            assertEquals(i.notificationEmail(), edit.selectFirst("input#notificationEmail").val());

            Document tokenPage = safe(admin.get("/admin/tokens/" + tokenId), payload);
            assertEquals(payload, tokenPage.selectFirst("h1.name").text());
            assertEquals(name, tokenPage.select("p.crumbs a").get(1).text());

            safe(admin.get("/admin/audit"), payload);
            Document audit = safe(admin.get("/admin/audit?integrationId=" + i.id()), payload);
            assertEquals("Audit log of " + name, audit.selectFirst("h1").text());
            assertTrue(audit.select("td.detail").eachText().contains("named “" + name + "”"), audit.select("td.detail").eachText().toString());

            // Refused input is shown again in the form: escaped there too.
            Map<String, Long> before = StoreState.snapshot(store);
            Reply refused = admin.submit("/admin/integrations", "name", name, "description", payload, "notificationEmail", payload);
            assertEquals(400, refused.status(), refused.toString());
            Document again = safe(refused, payload);
            assertEquals(name, again.selectFirst("input#name").val());
            assertEquals(payload, again.selectFirst("input#notificationEmail").val());
            assertEquals(payload, again.selectFirst("textarea#description").wholeText());
            Reply refusedEdit = admin.submit("/admin/integrations/" + i.id(), "name", payload + payload, "description", payload,
                    "notificationEmail", payload, "active", "true");
            assertEquals(400, refusedEdit.status(), refusedEdit.toString());
            assertEquals(payload, safe(refusedEdit, payload).selectFirst("input#notificationEmail").val());
            Reply refusedToken = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", payload,
                    "expiration", "custom", "expiresAt", payload);
            assertEquals(400, refusedToken.status(), refusedToken.toString());
            Document tokenAgain = safe(refusedToken, payload);
            assertEquals(payload, tokenAgain.selectFirst("input#name").val());
            assertEquals(payload, tokenAgain.selectFirst("input#expiresAt").val());
            Reply badPolicy = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", "x", "expiration", payload);
            assertEquals(400, badPolicy.status(), badPolicy.toString());
            safe(badPolicy, payload);
            assertEquals(before, StoreState.snapshot(store));
        }
    }

    @Test
    void hostileTextInUnknownIdsAndQueryParametersIsNeverReflectedAsMarkup() {
        for (String payload : XSS) {
            String q = AdminClient.enc(payload);
            for (String path : List.of("/admin/audit?integrationId=" + q, "/admin/integrations/1?status=" + q,
                    "/admin/?page=" + q + "&size=" + q, "/admin/" + q, "/admin/integrations/" + q)) {
                Reply reply = admin.get(path);
                assertTrue(reply.status() < 500, path + ": " + reply);
                if (payload.contains("<")) {
                    assertFalse(reply.text().contains(payload), "reflected raw: " + path);
                }
                if (reply.header("Content-Security-Policy") != null) { // ours, not a refusal of Jetty's URI parser
                    PageChecks.assertHtml(reply);
                }
            }
        }
    }

    @Test
    void anOversizedFormIsRefusedWithoutAServerErrorBeforeAnythingIsStored() {
        Map<String, Long> before = StoreState.snapshot(store);
        Reply reply = admin.submit("/admin/integrations", "name", "big form", "notificationEmail", "big@example.com",
                "description", "d".repeat(1_000_000));
        assertEquals(400, reply.status(), reply.toString()); // over the container's form size limit: no form is read, nothing done
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(200, admin.get("/admin/").status(), "the server still answers");
    }

    // ---- helpers

    /** The page is our markup only, and the payload is nowhere in its raw HTML (only escaped). */
    private static Document safe(Reply reply, String payload) {
        Document page = PageChecks.assertHtml(reply);
        if (payload.contains("<") || payload.contains("\"")) {
            assertFalse(reply.text().contains(payload), "the payload is in the HTML unescaped: " + payload);
        }
        assertFalse(reply.text().contains("<script>alert"), "a live script tag");
        assertFalse(reply.text().contains("<img"), "a live img tag");
        return page;
    }

    private static void assertForbiddenCsrf(Reply reply, String what) {
        assertEquals(403, reply.status(), what + ": " + reply);
        Document page = PageChecks.assertHtml(reply);
        assertTrue(page.selectFirst("#error-message").text().contains("CSRF check failed"), what + ": " + reply);
    }

    private record Fixture(Integration integration, IssuedToken token, IssuedToken second) {

        /** Each form of the admin as path followed by its fields (without _csrf): one of each POST. */
        List<List<String>> posts() {
            long i = integration.id();
            long t = token.token().id();
            return List.of(
                    List.of("/admin/integrations", "name", "Forged " + NAMES.incrementAndGet(), "description", "",
                            "notificationEmail", "forged@example.com"),
                    List.of("/admin/integrations/" + i, "name", "Renamed by a forgery", "description", "",
                            "notificationEmail", "forged@example.com", "active", "false"),
                    List.of("/admin/integrations/" + i + "/tokens", "name", "forged token", "expiration", "never"),
                    List.of("/admin/integrations/" + i + "/tokens/revoke", "ids", String.valueOf(t)),
                    List.of("/admin/tokens/" + t + "/revoke"),
                    List.of("/admin/tokens/" + t + "/regenerate", "grace", "0"));
        }

        List<String> pages() {
            long i = integration.id();
            long t = token.token().id();
            return List.of("/admin/", "/admin/?q=x", "/admin/integrations/new", "/admin/integrations/" + i,
                    "/admin/integrations/" + i + "?status=active", "/admin/integrations/" + i + "/edit",
                    "/admin/integrations/" + i + "/tokens/new", "/admin/tokens/" + t, "/admin/tokens/" + t + "/created",
                    "/admin/audit", "/admin/audit?integrationId=" + i);
        }

        /** Method, path, body. */
        List<String[]> apiCalls() {
            long i = integration.id();
            long t = token.token().id();
            return List.of(
                    new String[] {"GET", "/admin/api/v1/integrations", null},
                    new String[] {"POST", "/admin/api/v1/integrations", "{\"name\":\"x\",\"notificationEmail\":\"x@example.com\"}"},
                    new String[] {"GET", "/admin/api/v1/integrations/" + i, null},
                    new String[] {"PATCH", "/admin/api/v1/integrations/" + i, "{\"active\":false}"},
                    new String[] {"GET", "/admin/api/v1/integrations/" + i + "/tokens", null},
                    new String[] {"POST", "/admin/api/v1/integrations/" + i + "/tokens", "{\"name\":\"x\",\"expiration\":\"7d\"}"},
                    new String[] {"POST", "/admin/api/v1/integrations/" + i + "/tokens/revoke", "{\"ids\":[" + t + "]}"},
                    new String[] {"GET", "/admin/api/v1/tokens/" + t, null},
                    new String[] {"POST", "/admin/api/v1/tokens/" + t + "/revoke", null},
                    new String[] {"POST", "/admin/api/v1/tokens/" + t + "/regenerate", "{\"graceSeconds\":0}"},
                    new String[] {"GET", "/admin/api/v1/audit", null});
        }
    }

    private static Fixture fixture() {
        Integration i = store.integrations().create("setup", IntegrationStore.Input.of("Guarded " + NAMES.incrementAndGet(),
                "guarded", "guard@example.com"));
        IssuedToken t = store.tokens().create("setup", i.id(), "guarded token", "30d", null);
        IssuedToken second = store.tokens().create("setup", i.id(), "second token", "30d", null);
        return new Fixture(i, t, second);
    }
}
