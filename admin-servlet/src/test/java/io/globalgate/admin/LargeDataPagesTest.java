package io.globalgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.store.Page;
import io.globalgate.admin.store.PageRequest;
import io.globalgate.admin.store.TokenStatus;
import io.globalgate.admin.testing.AdminClient;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.PageChecks;
import io.globalgate.admin.testing.Reply;
import io.globalgate.admin.testing.StoreState;
import io.globalgate.testing.TestDatabases;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pages at scale and at the limits: an integration with ten thousand tokens, and names of 100 characters without a space. */
class LargeDataPagesTest {

    private static final int TOKENS = 10_000;

    private static HikariDataSource dataSource;
    private static AdminTestServer server;
    private static ManagementStore store;
    private static AdminClient admin;
    private static Integration big;

    @BeforeAll
    static void startServer() throws Exception {
        dataSource = TestDatabases.h2();
        server = AdminTestServer.start(dataSource, Clock.systemUTC(), Map.of());
        store = server.store();
        admin = AdminClient.admin(server);
        big = store.integrations().create("setup", IntegrationStore.Input.of("Ten thousand tokens", "bulk", "bulk@example.com"));
        StoreState.insertTokens(store, big.id(), TOKENS, "bulk token ");
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        dataSource.close();
    }

    @Test
    void theStoreSeesTheTenThousandTokens() {
        Page<AccessToken> first = store.tokens().list(big.id(), null, PageRequest.first(20));
        assertEquals(TOKENS, first.total());
        assertEquals(TOKENS, store.integrations().get(big.id()).activeTokens());
        assertEquals("bulk token " + TOKENS, first.items().get(0).name(), "newest first");
    }

    @Test
    void anIntegrationWithTenThousandTokensShowsThemTwentyAtATimeWithPaging() {
        Reply reply = admin.get("/admin/integrations/" + big.id());
        Document page = PageChecks.assertPage(reply);

        assertEquals(20, page.select("table#tokens tbody tr").size());
        assertEquals("bulk token 10000", page.selectFirst("table#tokens tbody td.name").text());
        Element paging = page.selectFirst("nav.paging");
        assertEquals("1–20 of 10000 1 2 3 … 500 Next", paging.text());
        assertNull(paging.selectFirst("a[rel=prev]"));
        assertEquals("page", paging.selectFirst("a[aria-current]").attr("aria-current"));
        assertEquals("1", paging.selectFirst("a[aria-current]").text());
        assertTrue(paging.select("a.page").last().attr("href").endsWith("page=500&size=20"), "the last page is one click away");
        assertEquals("10000", page.select("dl.facts dd").get(3).text(), "active tokens");

        Document second = PageChecks.assertPage(admin.get(paging.selectFirst("a[rel=next]").attr("href")));
        assertEquals("bulk token 9980", second.selectFirst("table#tokens tbody td.name").text());
        assertEquals("21–40 of 10000 Previous 1 2 3 4 … 500 Next", second.selectFirst("nav.paging").text());
        Document middle = PageChecks.assertPage(admin.get("/admin/integrations/" + big.id() + "?page=250"));
        assertEquals("4981–5000 of 10000 Previous 1 … 248 249 250 251 252 … 500 Next", middle.selectFirst("nav.paging").text());

        Document last = PageChecks.assertPage(admin.get("/admin/integrations/" + big.id() + "?page=500"));
        List<String> names = last.select("table#tokens tbody td.name").eachText();
        assertEquals(20, names.size());
        assertEquals("bulk token 1", names.get(names.size() - 1));
        assertNull(last.selectFirst("nav.paging a[rel=next]"));

        Document wide = PageChecks.assertPage(admin.get("/admin/integrations/" + big.id() + "?size=200&page=3"));
        assertEquals(200, wide.select("table#tokens tbody tr").size());
        assertTrue(wide.selectFirst("nav.paging").text().startsWith("401–600 of 10000"), wide.selectFirst("nav.paging").text());
        assertTrue(wide.selectFirst("nav.paging a[rel=next]").attr("href").endsWith("page=4&size=200"), "paging keeps the size");

        Document grid = PageChecks.assertPage(admin.get("/admin/?q=" + AdminClient.enc(big.name())));
        assertEquals("10000", grid.selectFirst("table#integrations td.number").text());
    }

    @Test
    void theApiPagesThroughTheTenThousandTokens() {
        Reply reply = admin.get("/admin/api/v1/integrations/" + big.id() + "/tokens?page=50&size=200");
        assertEquals(200, reply.status(), reply.toString());
        JsonNode body = reply.json();
        assertEquals(TOKENS, body.get("total").asLong());
        assertEquals(200, body.get("tokens").size());
        assertEquals("bulk token 200", body.at("/tokens/0/name").asText());
    }

    @Test
    void massRevokingTwoHundredTokensOfTheBigIntegrationSaysHowMany() {
        Integration i = store.integrations().create("setup", IntegrationStore.Input.of("Two hundred", "", "two@example.com"));
        StoreState.insertTokens(store, i.id(), 300, "mass ");
        Document page = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id() + "?size=200"));
        List<String> fields = new ArrayList<>();
        for (Element box : page.select("table#tokens input[name=ids]")) {
            fields.add("ids");
            fields.add(box.val());
        }
        assertEquals(400, fields.size());

        Reply reply = admin.submit("/admin/integrations/" + i.id() + "/tokens/revoke", fields.toArray(String[]::new));

        assertEquals(303, reply.status(), reply.toString());
        assertEquals("200 tokens revoked.", PageChecks.assertPage(admin.get(reply.location())).selectFirst("p.flash").text());
        assertEquals(200, store.tokens().list(i.id(), TokenStatus.REVOKED, PageRequest.first(1)).total());
        assertEquals(100, store.tokens().list(i.id(), TokenStatus.ACTIVE, PageRequest.first(1)).total());
    }

    @Test
    void namesOfAHundredCharactersWithoutSpacesRenderOnEveryPage() {
        String name = "W".repeat(90) + "0123456789";
        String tokenName = "T".repeat(100);
        Reply saved = admin.submit("/admin/integrations", "name", name, "description", "D".repeat(1000),
                "notificationEmail", "x".repeat(64) + "@" + "a".repeat(63) + ".example.com");
        assertEquals(303, saved.status(), saved.toString());
        Integration i = store.integrations().list(name, PageRequest.first(1)).items().get(0);
        assertEquals(name, i.name());
        Reply created = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", tokenName, "expiration", "7d");
        assertEquals(303, created.status(), created.toString());
        store.tokens().create("setup", i.id(), "short", "7d", null); // a short name beside the long one

        Document tokenCreated = PageChecks.assertPage(admin.get(created.location()));
        assertEquals(tokenName, tokenCreated.selectFirst("dd.name").text());
        assertEquals(name, tokenCreated.select("p.crumbs a").get(1).text());
        long tokenId = Long.parseLong(created.location().replaceAll("\\D+", " ").trim().split(" ")[0]);

        Document grid = PageChecks.assertPage(admin.get("/admin/?q=" + name));
        assertEquals(name, grid.selectFirst("td.name a").text());
        Document integration = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id()));
        assertEquals(name, integration.selectFirst("h1.name").text());
        assertTrue(integration.select("table#tokens td.name a").eachText().contains(tokenName));
        assertEquals(name, PageChecks.assertPage(admin.get("/admin/integrations/" + i.id() + "/edit")).selectFirst("input#name").val());
        assertEquals(name, PageChecks.assertPage(admin.get("/admin/integrations/" + i.id() + "/tokens/new"))
                .select("p.crumbs a").get(1).text());
        Document token = PageChecks.assertPage(admin.get("/admin/tokens/" + tokenId));
        assertEquals(tokenName, token.selectFirst("h1.name").text());
        Document audit = PageChecks.assertPage(admin.get("/admin/audit?integrationId=" + i.id()));
        assertTrue(audit.selectFirst("h1").text().endsWith(name));
        // The long words may wrap anywhere, rather than push the page wide.
        String css = admin.get("/admin/static/admin.css").text();
        assertTrue(css.contains(".name, .description, .detail { overflow-wrap: anywhere;"), "long words wrap");
    }
}
