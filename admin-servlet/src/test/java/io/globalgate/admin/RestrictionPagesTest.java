package io.globalgate.admin;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.testing.AdminClient;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.GlobalApi;
import io.globalgate.admin.testing.PageChecks;
import io.globalgate.admin.testing.Reply;
import io.globalgate.admin.testing.StoreState;
import io.globalgate.store.TokenUsage;
import io.globalgate.testing.TestDatabases;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restrictions forms of a token and of an integration over real HTTP: the token's offers the
 * addresses it was used from as a starting list; a save is enforced by the filter of the same
 * server at once; hostile input is shown again with its error, escaped, and changes nothing.
 */
class RestrictionPagesTest {

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

    @Test
    void tokenFormOffersTheRecentClientAddressesAndASaveIsEnforcedAtOnce() {
        IssuedToken t = newToken();
        Instant now = Instant.now();
        store.shared().usage().record(List.of(new TokenUsage(t.token().id(), now.minusSeconds(60), "198.51.100.4", Map.of())));
        store.shared().usage().record(List.of(new TokenUsage(t.token().id(), now, "2001:db8:0:0:0:0:0:9", Map.of())));

        Document form = PageChecks.assertPage(admin.get("/admin/tokens/" + t.token().id() + "/restrictions"));
        assertEquals("2001:db8:0:0:0:0:0:9\n198.51.100.4", form.selectFirst("pre#recent-address-list").wholeText().strip());
        assertEquals("read-write", form.selectFirst("input[name=scope][checked]").val());

        Reply saved = admin.submit("/admin/tokens/" + t.token().id() + "/restrictions", "allowedNetworks", "10.0.0.0/8\n198.51.100.4",
                "scope", "read-only", "pathPrefixes", "/api/global/v1/orders/\n\n");
        assertEquals(303, saved.status(), saved::toString);
        AccessToken after = store.tokens().get(t.token().id());
        assertAll(
                () -> assertEquals("10.0.0.0/8, 198.51.100.4/32", after.allowedNetworks().toString()),
                () -> assertEquals("read-only", after.scope().code()),
                () -> assertEquals(List.of("/api/global/v1/orders/"), after.pathPrefixes()),
                () -> assertEquals(403, GlobalApi.status(server.uri(), t.value()), "127.0.0.1 is not among them"));
        Document page = PageChecks.assertPage(admin.get("/admin/tokens/" + t.token().id()));
        assertEquals("from 10.0.0.0/8, 198.51.100.4/32; read-only; paths /api/global/v1/orders/ · Edit restrictions",
                page.selectFirst("dd#restrictions").text());

        // The audit log says it in words, and offers it as a filter.
        Document audit = PageChecks.assertPage(admin.get("/admin/audit?integrationId=" + t.token().integrationId()
                + "&action=token.restrictions_changed"));
        assertEquals(List.of("Token restrictions changed"), audit.select("#audit tbody td[data-label=What]").eachText());
        assertEquals("Token restrictions changed", audit.selectFirst("select#action option[selected]").text());
    }

    @Test
    void integrationFormSetsTheRateLimitAndEmptyFieldsRestoreTheDefault() {
        Integration i = store.integrations().create("setup", IntegrationStore.Input.of("Paged " + NAMES.incrementAndGet(), "", "o@example.com"));
        IssuedToken t = store.tokens().create("setup", i.id(), "t", "never", null);

        assertEquals(303, admin.submit("/admin/integrations/" + i.id() + "/restrictions", "allowedNetworks", "",
                "requestsPerMinute", "1", "burst", "1").status());
        assertEquals(List.of(200, 429), List.of(GlobalApi.status(server.uri(), t.value()), GlobalApi.status(server.uri(), t.value())));
        Document page = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id()));
        assertTrue(page.selectFirst("dd#restrictions").text().contains("1 requests per minute per node, burst 1"), page::toString);

        assertEquals(303, admin.submit("/admin/integrations/" + i.id() + "/restrictions", "allowedNetworks", "",
                "requestsPerMinute", "", "burst", "").status());
        assertEquals(null, store.integrations().get(i.id()).rateLimit());
        assertEquals(200, GlobalApi.status(server.uri(), t.value()));
    }

    @Test
    void hostileFormInputIsShownAgainEscapedWithItsErrorAndChangesNothing() {
        IssuedToken t = newToken();
        long integrationId = t.token().integrationId();
        String tokenForm = "/admin/tokens/" + t.token().id() + "/restrictions";
        String integrationForm = "/admin/integrations/" + integrationId + "/restrictions";
        StringJoiner thousands = new StringJoiner("\n");
        for (int n = 0; n < 1500; n++) {
            thousands.add("10." + (n / 256) + "." + (n % 256) + ".0/24");
        }
        Map<String, Long> rows = StoreState.snapshot(store);
        AccessToken tokenBefore = store.tokens().get(t.token().id());
        Integration integrationBefore = store.integrations().get(integrationId);
        String[][] cases = {
                {tokenForm, "allowedNetworks", "<script>alert(1)</script>", "allowedNetworks", "is not an IPv4 or IPv6 network"},
                {tokenForm, "allowedNetworks", "fe80::1%eth0", "allowedNetworks", "is not an IPv4 or IPv6 network"},
                {tokenForm, "allowedNetworks", "10.1.2.3/8", "allowedNetworks", "did you mean 10.0.0.0/8"},
                {tokenForm, "allowedNetworks", "192.0.2.0/33", "allowedNetworks", "no valid prefix length"},
                {tokenForm, "allowedNetworks", thousands.toString(), "allowedNetworks", "networks; at most 100"},
                {tokenForm, "pathPrefixes", "/api/global/v1/orders/../customers", "pathPrefixes", "must not contain . or .. segments"},
                {tokenForm, "pathPrefixes", "/api/%2e%2e/", "pathPrefixes", "without % escapes"},
                {tokenForm, "scope", "superuser", "scope", "must be read-write or read-only"},
                {integrationForm, "requestsPerMinute", "abc", "rateLimit.requestsPerMinute", "must be a whole number"},
                {integrationForm, "requestsPerMinute", "0", "rateLimit.requestsPerMinute", "from 1 to 1000000"},
                {integrationForm, "requestsPerMinute", "99999999999999999999", "rateLimit.requestsPerMinute", "must be a whole number"},
                {integrationForm, "burst", "5", "rateLimit.requestsPerMinute", "must be a whole number from 1"},
                {integrationForm, "allowedNetworks", "example.com", "allowedNetworks", "no host names"},
        };
        for (String[] c : cases) {
            Reply refused = c[1].equals("scope") ? admin.submit(c[0], "scope", c[2])
                    : admin.submit(c[0], c[1], c[2], "scope", "read-write");
            assertEquals(400, refused.status(), () -> c[2] + " -> " + refused);
            Document page = PageChecks.assertHtml(refused);
            String errorId = c[3].equals("rateLimit.requestsPerMinute") ? "requestsPerMinute-error" : c[3] + "-error";
            assertNotNull(page.getElementById(errorId), () -> c[2] + ": no #" + errorId + " in " + page);
            assertTrue(page.getElementById(errorId).text().contains(c[4]), () -> c[2] + " -> " + page.getElementById(errorId).text());
            assertTrue(!refused.text().contains("<script>alert(1)</script>"), "typed text is escaped");
        }
        assertEquals(rows, StoreState.snapshot(store), "no row written");
        assertEquals(tokenBefore, store.tokens().get(t.token().id()));
        assertEquals(integrationBefore.allowedNetworks(), store.integrations().get(integrationId).allowedNetworks());
        assertEquals(integrationBefore.rateLimit(), store.integrations().get(integrationId).rateLimit());
    }

    private static IssuedToken newToken() {
        Integration i = store.integrations().create("setup", IntegrationStore.Input.of("Paged " + NAMES.incrementAndGet(), "", "o@example.com"));
        return store.tokens().create("setup", i.id(), "token", "never", null);
    }
}
