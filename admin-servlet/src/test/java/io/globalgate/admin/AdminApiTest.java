package io.globalgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.testing.AdminClient;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.ApiShapes;
import io.globalgate.admin.testing.GlobalApi;
import io.globalgate.admin.testing.HoldableClock;
import io.globalgate.admin.testing.PageChecks;
import io.globalgate.admin.testing.Reply;
import io.globalgate.admin.testing.StoreState;
import io.globalgate.testing.TestDatabases;
import io.globalgate.token.TokenFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static io.globalgate.admin.testing.ApiShapes.assertError;
import static io.globalgate.admin.testing.ApiShapes.assertIntegration;
import static io.globalgate.admin.testing.ApiShapes.assertToken;
import static io.globalgate.admin.testing.ApiShapes.assertValidation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every call of the JSON management API (docs/API.md): its answer's shape and its effect on the store and the filter. */
class AdminApiTest {

    private static final String API = "/admin/api/v1";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static final HoldableClock CLOCK = new HoldableClock();

    private static HikariDataSource dataSource;
    private static AdminTestServer server;
    private static ManagementStore store;
    private static AdminClient api;

    @BeforeAll
    static void startServer() throws Exception {
        dataSource = TestDatabases.h2();
        server = AdminTestServer.start(dataSource, CLOCK, Map.of());
        store = server.store();
        api = AdminClient.admin(server);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        dataSource.close();
    }

    // ---- integrations

    @Test
    void creatingAnIntegrationAnswers201WithItsLocation() {
        String name = "Created by API " + NAMES.incrementAndGet();
        Reply reply = api.json("POST", API + "/integrations",
                "{\"name\":\"" + name + "\",\"description\":\"ERP\",\"notificationEmail\":\"erp@example.com\"}");

        assertEquals(201, reply.status(), reply.toString());
        assertEquals("application/json", reply.header("Content-Type"));
        JsonNode body = reply.json();
        assertIntegration(body);
        long id = body.get("id").asLong();
        assertEquals(API + "/integrations/" + id, reply.location());
        assertEquals(name, body.get("name").asText());
        assertEquals("ERP", body.get("description").asText());
        assertEquals("erp@example.com", body.get("notificationEmail").asText());
        assertTrue(body.get("active").asBoolean());
        assertEquals(0, body.get("activeTokens").asLong());
        assertEquals(body.get("createdAt"), body.get("updatedAt"));
        Integration stored = store.integrations().get(id);
        assertEquals(name, stored.name());
        assertEquals("admin", stored.createdBy());
        assertEquals(stored.createdAt().toString(), body.get("createdAt").asText());
    }

    @Test
    void anIntegrationWithoutDescriptionGetsAnEmptyOne() {
        Reply reply = api.json("POST", API + "/integrations",
                "{\"name\":\"No description " + NAMES.incrementAndGet() + "\",\"notificationEmail\":\"n@example.com\"}");
        assertEquals(201, reply.status(), reply.toString());
        assertEquals("", reply.json().get("description").asText());
    }

    @Test
    void anIntegrationIsReadByItsIdWithExactlyTheContractsFields() {
        Integration i = integration("Read");
        store.tokens().create("setup", i.id(), "t1", "7d", null);
        store.tokens().create("setup", i.id(), "t2", "never", null);

        Reply reply = api.get(API + "/integrations/" + i.id());

        assertEquals(200, reply.status(), reply.toString());
        JsonNode body = reply.json();
        assertIntegration(body);
        assertEquals(i.id(), body.get("id").asLong());
        assertEquals(i.name(), body.get("name").asText());
        assertEquals(2, body.get("activeTokens").asLong());
    }

    @Test
    void integrationsAreListedByNameOnePageAtATimeWithTheTotal() {
        String tag = "Paged" + NAMES.incrementAndGet();
        integrationNamed(tag + " charlie");
        integrationNamed(tag + " Alpha");
        integrationNamed(tag + " bravo");

        Reply first = api.get(API + "/integrations?q=" + tag.toLowerCase() + "&page=1&size=2");
        assertEquals(200, first.status(), first.toString());
        ApiShapes.assertFields(Set.of("integrations", "total"), first.json());
        assertEquals(3, first.json().get("total").asLong());
        List<String> names = new ArrayList<>();
        first.json().get("integrations").forEach(n -> {
            assertIntegration(n);
            names.add(n.get("name").asText());
        });
        assertEquals(List.of(tag + " Alpha", tag + " bravo"), names, "by name, ignoring case");
        Reply second = api.get(API + "/integrations?q=" + tag + "&page=2&size=2");
        assertEquals(1, second.json().get("integrations").size());
        assertEquals(tag + " charlie", second.json().at("/integrations/0/name").asText());
        assertEquals(3, second.json().get("total").asLong());
        Reply beyond = api.get(API + "/integrations?q=" + tag + "&page=3&size=2");
        assertEquals(0, beyond.json().get("integrations").size());
        assertEquals(3, beyond.json().get("total").asLong());

        Reply all = api.get(API + "/integrations?q=&page=&size=");
        assertEquals(200, all.status(), all.toString());
        assertEquals(store.integrations().list(null, io.globalgate.admin.store.PageRequest.first(1)).total(),
                all.json().get("total").asLong(), "empty parameters are the defaults");
        assertTrue(all.json().get("integrations").size() <= 20, "default page size");
    }

    @Test
    void qOfTheIntegrationsListMatchesTheNotificationEmailAsThePageSearchDoes() {
        String tag = "mailbox" + NAMES.incrementAndGet();
        Integration byName = store.integrations().create("setup", IntegrationStore.Input.of("Named " + tag, "", "ops@example.com"));
        Integration byEmail = store.integrations().create("setup", IntegrationStore.Input.of("Billing " + tag.hashCode(), "",
                "team." + tag + "@example.com"));
        integrationNamed("Unrelated " + NAMES.incrementAndGet());

        // Over HTTP, upper case typed: the name's match and the e-mail's, in the API's order (by name).
        Reply reply = api.get(API + "/integrations?q=" + tag.toUpperCase());
        assertEquals(200, reply.status(), reply.toString());
        List<Long> ids = new ArrayList<>();
        reply.json().get("integrations").forEach(n -> ids.add(n.get("id").asLong()));
        assertEquals(List.of(byEmail.id(), byName.id()), ids, reply.toString());
        assertEquals(2, reply.json().get("total").asLong());
        // The page's search lists the same integrations.
        org.jsoup.nodes.Document page = PageChecks.assertPage(api.get("/admin/?q=" + tag.toUpperCase()));
        assertEquals(List.of("Billing " + tag.hashCode(), "Named " + tag),
                page.select("#integrations tbody td.name a").eachText(), "the page agrees with the API");
        // A part of the address only an e-mail holds: the one integration whose address it is.
        assertEquals(List.of(byEmail.id()), List.of(api.get(API + "/integrations?q=team." + tag + "%40example")
                .json().at("/integrations/0/id").asLong()));
        assertEquals(1, api.get(API + "/integrations?q=team." + tag + "%40example").json().get("total").asLong());
    }

    @Test
    void patchChangesOnlyTheGivenFields() {
        Integration i = integration("Patched");
        IssuedToken t = store.tokens().create("setup", i.id(), "patched token", "30d", null);

        Reply described = api.json("PATCH", API + "/integrations/" + i.id(), "{\"description\":\"only this\"}");
        assertEquals(200, described.status(), described.toString());
        assertIntegration(described.json());
        assertEquals("only this", described.json().get("description").asText());
        assertEquals(i.name(), described.json().get("name").asText());
        assertEquals(i.notificationEmail(), described.json().get("notificationEmail").asText());
        assertTrue(described.json().get("active").asBoolean());

        Reply renamed = api.json("PATCH", API + "/integrations/" + i.id(),
                "{\"name\":\"" + i.name() + " v2\",\"notificationEmail\":\"v2@example.com\"}");
        assertEquals(200, renamed.status(), renamed.toString());
        assertEquals(i.name() + " v2", store.integrations().get(i.id()).name());
        assertEquals("v2@example.com", store.integrations().get(i.id()).notificationEmail());
        assertEquals(200, GlobalApi.status(server.uri(), t.value()));

        Reply off = api.json("PATCH", API + "/integrations/" + i.id(), "{\"active\":false}");
        assertEquals(200, off.status(), off.toString());
        assertFalse(off.json().get("active").asBoolean());
        assertEquals(401, GlobalApi.status(server.uri(), t.value()), "an inactive integration's token is refused");
        Reply on = api.json("PATCH", API + "/integrations/" + i.id(), "{\"active\":true}");
        assertTrue(on.json().get("active").asBoolean());
        assertEquals(200, GlobalApi.status(server.uri(), t.value()));
    }

    // ---- tokens

    @Test
    void creatingATokenAnswers201WithItsValueTheOnlyTimeTheValueIsEverSent() {
        Integration i = integration("Token via API");

        Reply reply = api.json("POST", API + "/integrations/" + i.id() + "/tokens", "{\"name\":\"CI\",\"expiration\":\"30d\"}");

        assertEquals(201, reply.status(), reply.toString());
        JsonNode body = reply.json();
        assertToken(body, "token");
        long id = body.get("id").asLong();
        String value = body.get("token").asText();
        assertTrue(TokenFormat.isValid(value), value);
        assertEquals(API + "/tokens/" + id, reply.location());
        assertEquals(i.id(), body.get("integrationId").asLong());
        assertEquals("CI", body.get("name").asText());
        assertEquals(TokenFormat.hint(value), body.get("hint").asText());
        assertEquals("30d", body.get("expiration").asText());
        assertEquals(Instant.parse(body.get("createdAt").asText()).plus(Duration.ofDays(30)),
                Instant.parse(body.get("expiresAt").asText()));
        assertEquals("admin", body.get("createdBy").asText());
        assertEquals("active", body.get("status").asText());
        assertTrue(body.get("revokedAt").isNull());
        assertTrue(body.get("lastUsedAt").isNull());
        assertEquals(200, GlobalApi.status(server.uri(), value), "the value is the token");

        Reply read = api.get(API + "/tokens/" + id);
        assertEquals(200, read.status(), read.toString());
        assertToken(read.json());
        assertFalse(read.text().contains(value), "GET /tokens/{id} never carries the value");
        Reply list = api.get(API + "/integrations/" + i.id() + "/tokens");
        ApiShapes.assertFields(Set.of("tokens", "total"), list.json());
        list.json().get("tokens").forEach(ApiShapes::assertToken);
        assertFalse(list.text().contains(value), "a listing never carries the value");
        assertFalse(api.get(API + "/audit?integrationId=" + i.id()).text().contains(value), "nor the audit log");
        assertEquals(1, api.get(API + "/integrations/" + i.id()).json().get("activeTokens").asLong());
    }

    @Test
    void aTokenWithAnExpiryInstantHasTheCustomPolicyEndingThen() {
        Integration i = integration("Custom via API");
        Instant at = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);

        Reply reply = api.json("POST", API + "/integrations/" + i.id() + "/tokens",
                "{\"name\":\"short\",\"expiresAt\":\"" + at + "\"}");

        assertEquals(201, reply.status(), reply.toString());
        assertToken(reply.json(), "token");
        assertEquals("custom", reply.json().get("expiration").asText());
        assertEquals(at, Instant.parse(reply.json().get("expiresAt").asText()));
        Reply offset = api.json("POST", API + "/integrations/" + i.id() + "/tokens",
                "{\"name\":\"offset\",\"expiresAt\":\"2031-06-01T12:00:00+02:00\"}");
        assertEquals(201, offset.status(), offset.toString());
        assertEquals("2031-06-01T10:00:00Z", offset.json().get("expiresAt").asText(), "times are answered in UTC");
        Reply never = api.json("POST", API + "/integrations/" + i.id() + "/tokens", "{\"name\":\"forever\",\"expiration\":\"never\"}");
        assertEquals(201, never.status(), never.toString());
        assertTrue(never.json().get("expiresAt").isNull());
    }

    @Test
    void tokensAreListedNewestFirstFilteredByStatus() {
        Integration i = integration("Token list");
        IssuedToken active1 = token(i, "active 1");
        IssuedToken active2 = token(i, "active 2");
        IssuedToken revoked = token(i, "revoked");
        IssuedToken expired = token(i, "expired");
        store.tokens().revoke("setup", revoked.token().id());
        StoreState.expire(store, expired.token().id());

        Reply all = api.get(API + "/integrations/" + i.id() + "/tokens");
        assertEquals(4, all.json().get("total").asLong());
        assertEquals(List.of("expired", "revoked", "active 2", "active 1"), names(all.json().get("tokens")));
        assertEquals(List.of("active 2", "active 1"),
                names(api.get(API + "/integrations/" + i.id() + "/tokens?status=active").json().get("tokens")));
        JsonNode revokedList = api.get(API + "/integrations/" + i.id() + "/tokens?status=revoked").json();
        assertEquals(1, revokedList.get("total").asLong());
        assertEquals("revoked", revokedList.at("/tokens/0/status").asText());
        assertEquals("setup", revokedList.at("/tokens/0/revokedBy").asText());
        JsonNode expiredList = api.get(API + "/integrations/" + i.id() + "/tokens?status=expired").json();
        assertEquals(List.of("expired"), names(expiredList.get("tokens")));
        assertEquals("expired", expiredList.at("/tokens/0/status").asText());

        JsonNode page2 = api.get(API + "/integrations/" + i.id() + "/tokens?page=2&size=3").json();
        assertEquals(4, page2.get("total").asLong());
        assertEquals(List.of("active 1"), names(page2.get("tokens")));
        assertEquals(active1.token().id(), page2.at("/tokens/0/id").asLong());
        JsonNode caseless = api.get(API + "/integrations/" + i.id() + "/tokens?status=ACTIVE&size=1").json().get("tokens");
        assertEquals(List.of("active 2"), names(caseless), "status is read ignoring case");
        assertEquals(active2.token().id(), caseless.at("/0/id").asLong());
    }

    @Test
    void tokensAndIntegrationsAreListedInTheOrderSortAsksAndTokensSearchedByName() {
        Integration i = integration("Token order");
        IssuedToken beta = store.tokens().create("setup", i.id(), "Beta", "30d", null);
        IssuedToken alpha = store.tokens().create("setup", i.id(), "alpha", "7d", null);
        IssuedToken gone = store.tokens().create("setup", i.id(), "beta revoked", "never", null);
        store.tokens().revoke("setup", gone.token().id());
        String tokens = API + "/integrations/" + i.id() + "/tokens";
        assertEquals(List.of("alpha", "Beta", "beta revoked"), names(api.get(tokens + "?sort=name").json().get("tokens")));
        assertEquals(List.of("beta revoked", "Beta", "alpha"), names(api.get(tokens + "?sort=-name").json().get("tokens")));
        assertEquals(List.of("alpha", "Beta", "beta revoked"), names(api.get(tokens + "?sort=expires").json().get("tokens")));
        assertEquals(List.of("alpha", "Beta", "beta revoked"), names(api.get(tokens + "?sort=status").json().get("tokens")),
                "working first, ties newest first");
        JsonNode searched = api.get(tokens + "?q=BETA&sort=created&size=1&page=2").json();
        assertEquals(2, searched.get("total").asLong());
        assertEquals(List.of("beta revoked"), names(searched.get("tokens")));
        assertEquals(List.of("Beta"), names(api.get(tokens + "?q=beta&status=active").json().get("tokens")));

        String tag = "Ordered " + NAMES.incrementAndGet();
        Integration z = store.integrations().create("setup", IntegrationStore.Input.of(tag + " z", "", "z@example.com"));
        Integration a = store.integrations().create("setup", IntegrationStore.Input.of(tag + " A", "", "a@example.com"));
        store.integrations().setActive("setup", a.id(), false);
        JsonNode byActive = api.get(API + "/integrations?q=" + AdminClient.enc(tag) + "&sort=active").json();
        java.util.function.Function<JsonNode, List<String>> integrationNames = list -> {
            List<String> names = new ArrayList<>();
            list.forEach(n -> names.add(n.get("name").asText()));
            return names;
        };
        assertEquals(List.of(tag + " z", tag + " A"), integrationNames.apply(byActive.get("integrations")), "active first");
        assertEquals(List.of(tag + " A", tag + " z"), integrationNames.apply(api.get(API + "/integrations?q=" + AdminClient.enc(tag)
                + "&sort=-created").json().get("integrations")), "newest first");
    }

    @Test
    void massRevokeAnswersHowManyItRevokedOfThatIntegrationsTokensOnly() {
        Integration a = integration("API mass A");
        Integration b = integration("API mass B");
        IssuedToken a1 = token(a, "a1");
        IssuedToken a2 = token(a, "a2");
        IssuedToken a3 = token(a, "a3");
        IssuedToken b1 = token(b, "b1");

        Reply reply = api.json("POST", API + "/integrations/" + a.id() + "/tokens/revoke",
                "{\"ids\":[" + a1.token().id() + "," + a2.token().id() + "," + b1.token().id() + ",987654]}");

        assertEquals(200, reply.status(), reply.toString());
        ApiShapes.assertFields(Set.of("revoked"), reply.json());
        assertEquals(2, reply.json().get("revoked").asInt());
        assertEquals(401, GlobalApi.status(server.uri(), a1.value()));
        assertEquals(401, GlobalApi.status(server.uri(), a2.value()));
        assertEquals(200, GlobalApi.status(server.uri(), a3.value()));
        assertEquals(200, GlobalApi.status(server.uri(), b1.value()));
        assertEquals("admin", store.tokens().get(a1.token().id()).revokedBy());

        Reply again = api.json("POST", API + "/integrations/" + a.id() + "/tokens/revoke",
                "{\"ids\":[" + a1.token().id() + "," + a1.token().id() + "]}");
        assertEquals(200, again.status(), again.toString());
        assertEquals(0, again.json().get("revoked").asInt(), "already revoked tokens are not counted");
    }

    @Test
    void revokingATokenTwiceIsAConflictTheSecondTime() {
        Integration i = integration("API revoke");
        IssuedToken t = token(i, "revoked by API");
        assertEquals(200, GlobalApi.status(server.uri(), t.value()));

        Reply reply = api.json("POST", API + "/tokens/" + t.token().id() + "/revoke", null);

        assertEquals(200, reply.status(), reply.toString());
        assertToken(reply.json());
        assertEquals("revoked", reply.json().get("status").asText());
        assertEquals("admin", reply.json().get("revokedBy").asText());
        ApiShapes.assertTime(reply.json(), "revokedAt", false);
        assertEquals(401, GlobalApi.status(server.uri(), t.value()), "refused at once");

        Map<String, Long> before = StoreState.snapshot(store);
        Reply again = api.json("POST", API + "/tokens/" + t.token().id() + "/revoke", null);
        JsonNode error = assertError(again, 409, "conflict");
        assertTrue(error.get("message").asText().contains("already revoked"), error.toString());
        Reply withEmptyObject = api.json("POST", API + "/tokens/" + t.token().id() + "/revoke", "{}");
        assertError(withEmptyObject, 409, "conflict");
        assertEquals(before, StoreState.snapshot(store));
    }

    @Test
    void regeneratingAnswers201WithTheNewTokenNamingTheOneItReplaces() {
        Integration i = integration("API regenerate");
        IssuedToken old = token(i, "rotated by API");

        Reply reply = api.json("POST", API + "/tokens/" + old.token().id() + "/regenerate", null);

        assertEquals(201, reply.status(), reply.toString());
        JsonNode body = reply.json();
        assertToken(body, "token", "replaces");
        assertEquals(old.token().id(), body.get("replaces").asLong());
        long newId = body.get("id").asLong();
        assertTrue(newId != old.token().id());
        assertEquals(API + "/tokens/" + newId, reply.location());
        assertEquals("rotated by API", body.get("name").asText());
        assertEquals("90d", body.get("expiration").asText());
        String value = body.get("token").asText();
        assertEquals(200, GlobalApi.status(server.uri(), value));
        assertEquals(401, GlobalApi.status(server.uri(), old.value()), "without grace the old token is revoked now");
        JsonNode oldRead = api.get(API + "/tokens/" + old.token().id()).json();
        assertToken(oldRead);
        assertEquals("revoked", oldRead.get("status").asText());
        assertEquals(newId, oldRead.get("replacedBy").asLong(), "the old token names its successor");
        assertTrue(body.get("replacedBy").isNull());
        assertFalse(api.get(API + "/tokens/" + newId).text().contains(value));

        Map<String, Long> before = StoreState.snapshot(store);
        JsonNode conflict = assertError(api.json("POST", API + "/tokens/" + old.token().id() + "/regenerate", null), 409, "conflict");
        assertTrue(conflict.get("message").asText().contains("revoked"), conflict.toString());
        assertEquals(before, StoreState.snapshot(store));
    }

    @Test
    void regeneratingWithGraceKeepsTheOldTokenWorkingForThatLong() {
        Integration i = integration("API grace");
        IssuedToken old = token(i, "grace by API");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        Reply reply = api.json("POST", API + "/tokens/" + old.token().id() + "/regenerate", "{\"graceSeconds\":600}");

        assertEquals(201, reply.status(), reply.toString());
        assertToken(reply.json(), "token", "replaces");
        String fresh = reply.json().get("token").asText();
        assertEquals(200, GlobalApi.status(server.uri(), fresh));
        assertEquals(200, GlobalApi.status(server.uri(), old.value()), "the old token works during its grace");
        JsonNode oldRead = api.get(API + "/tokens/" + old.token().id()).json();
        assertEquals("active", oldRead.get("status").asText());
        assertEquals(reply.json().get("id").asLong(), oldRead.get("replacedBy").asLong());
        Instant graceEnd = Instant.parse(oldRead.get("expiresAt").asText());
        assertEquals(store.tokens().get(old.token().id()).expiresAt(), graceEnd);
        assertFalse(graceEnd.isBefore(before.plusSeconds(600)), graceEnd.toString());
        assertTrue(graceEnd.isBefore(before.plusSeconds(630)), graceEnd.toString());

        // The filter's and the store's clock held at the grace's end, then one millisecond before
        // it: the old token is refused from its end on (the same request's accept was cached above),
        // and only from then; the new token is not touched.
        try {
            CLOCK.hold(graceEnd);
            assertEquals(401, GlobalApi.status(server.uri(), old.value()), "refused when the grace ends");
            assertEquals("expired", api.get(API + "/tokens/" + old.token().id()).json().get("status").asText());
            assertEquals(200, GlobalApi.status(server.uri(), fresh));
            CLOCK.hold(graceEnd.minusMillis(1));
            assertEquals(200, GlobalApi.status(server.uri(), old.value()), "still working 1 ms before the grace ends");
            CLOCK.hold(graceEnd.plusSeconds(3600));
            assertEquals(401, GlobalApi.status(server.uri(), old.value()), "and refused after it");
        } finally {
            CLOCK.release();
        }

        Map<String, Long> snapshot = StoreState.snapshot(store);
        JsonNode twice = assertError(api.json("POST", API + "/tokens/" + old.token().id() + "/regenerate", "{\"graceSeconds\":0}"),
                409, "conflict");
        assertTrue(twice.get("message").asText().contains("already regenerated"), twice.toString());
        assertEquals(snapshot, StoreState.snapshot(store));
        Reply explicitZero = api.json("POST", API + "/tokens/" + reply.json().get("id").asLong() + "/regenerate",
                "{\"graceSeconds\":null}");
        assertEquals(201, explicitZero.status(), explicitZero.toString());
    }

    @Test
    void regeneratingCanGiveTheNewTokenAnotherExpiration() {
        Integration i = integration("API new expiration");
        IssuedToken old = token(i, "expiring differently");
        Map<String, Long> snapshot = StoreState.snapshot(store);
        assertValidation(api.json("POST", API + "/tokens/" + old.token().id() + "/regenerate", "{\"expiration\":\"5d\"}"), "expiration");
        assertValidation(api.json("POST", API + "/tokens/" + old.token().id() + "/regenerate",
                "{\"expiresAt\":\"2001-01-01T00:00:00Z\"}"), "expiresAt");
        assertEquals(snapshot, StoreState.snapshot(store), "a refused regeneration changes nothing");

        Reply never = api.json("POST", API + "/tokens/" + old.token().id() + "/regenerate", "{\"expiration\":\"never\"}");
        assertEquals(201, never.status(), never.toString());
        assertEquals("never", never.json().get("expiration").asText());
        assertTrue(never.json().get("expiresAt").isNull(), never.toString());

        Instant at = Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Reply custom = api.json("POST", API + "/tokens/" + never.json().get("id").asLong() + "/regenerate",
                "{\"expiresAt\":\"" + at + "\"}");
        assertEquals(201, custom.status(), custom.toString());
        assertEquals("custom", custom.json().get("expiration").asText());
        assertEquals(at, Instant.parse(custom.json().get("expiresAt").asText()));
    }

    @Test
    void usageAnswersEveryHourOfTheLastSevenDaysForATokenAndSummedForItsIntegration() throws Exception {
        Integration i = integration("API usage");
        IssuedToken a = token(i, "usage a");
        IssuedToken b = token(i, "usage b");
        Instant current = io.globalgate.admin.testing.Usage.record(dataSource, a.token().id(), 0, 7);
        Instant earlier = io.globalgate.admin.testing.Usage.record(dataSource, a.token().id(), 30, 1250);
        io.globalgate.admin.testing.Usage.record(dataSource, b.token().id(), 30, 50);
        io.globalgate.admin.testing.Usage.record(dataSource, b.token().id(), 168, 999); // eight days ago: outside the window

        JsonNode token = api.get(API + "/tokens/" + a.token().id() + "/usage").json();
        JsonNode hours = token.get("hours");
        assertEquals(168, hours.size());
        assertEquals(current.toString(), hours.get(167).get("hour").asText(), "the current hour last");
        assertEquals(current.minus(167, ChronoUnit.HOURS).toString(), hours.get(0).get("hour").asText());
        assertEquals(7, hours.get(167).get("requests").asLong());
        assertEquals(earlier.toString(), hours.get(137).get("hour").asText());
        assertEquals(1250, hours.get(137).get("requests").asLong());
        long total = 0;
        for (JsonNode h : hours) {
            total += h.get("requests").asLong();
        }
        assertEquals(1257, total, "every other hour is 0");

        JsonNode summed = api.get(API + "/integrations/" + i.id() + "/usage").json().get("hours");
        assertEquals(168, summed.size());
        assertEquals(1300, summed.get(137).get("requests").asLong(), "both tokens in that hour");
        assertEquals(7, summed.get(167).get("requests").asLong());

        assertError(api.get(API + "/tokens/987654321/usage"), 404, "not_found");
        assertError(api.get(API + "/integrations/987654321/usage"), 404, "not_found");
    }

    // ---- audit

    @Test
    void theAuditLogAnswersEventsNewestFirstFilteredByIntegration() {
        Integration i = integration("API audit");
        IssuedToken t = token(i, "audited");
        api.json("POST", API + "/tokens/" + t.token().id() + "/revoke", null);

        Reply reply = api.get(API + "/audit?integrationId=" + i.id() + "&page=1&size=10");

        assertEquals(200, reply.status(), reply.toString());
        ApiShapes.assertFields(Set.of("events", "total"), reply.json());
        assertEquals(3, reply.json().get("total").asLong());
        List<String> actions = new ArrayList<>();
        for (JsonNode e : reply.json().get("events")) {
            ApiShapes.assertFields(Set.of("id", "occurredAt", "actor", "action", "integrationId", "tokenId", "detail"), e);
            ApiShapes.assertTime(e, "occurredAt", false);
            assertEquals(i.id(), e.get("integrationId").asLong());
            actions.add(e.get("action").asText());
        }
        assertEquals(List.of("token.revoked", "token.created", "integration.created"), actions);
        assertEquals("admin", reply.json().at("/events/0/actor").asText());
        assertEquals(t.token().id(), reply.json().at("/events/0/tokenId").asLong());
        assertTrue(reply.json().at("/events/2/tokenId").isNull());
        JsonNode all = api.get(API + "/audit").json();
        assertTrue(all.get("total").asLong() >= 3);
        assertEquals(1, api.get(API + "/audit?size=1&page=2").json().get("events").size());
    }

    // ---- refusals

    @Test
    void unknownIdsAreNotFoundInTheErrorShape() {
        Map<String, Long> before = StoreState.snapshot(store);
        long unknown = 987_654_321L;
        List<Reply> replies = List.of(
                api.get(API + "/integrations/" + unknown),
                api.json("PATCH", API + "/integrations/" + unknown, "{\"active\":false}"),
                api.get(API + "/integrations/" + unknown + "/tokens"),
                api.json("POST", API + "/integrations/" + unknown + "/tokens", "{\"name\":\"x\",\"expiration\":\"7d\"}"),
                api.json("POST", API + "/integrations/" + unknown + "/tokens/revoke", "{\"ids\":[1]}"),
                api.get(API + "/tokens/" + unknown),
                api.json("POST", API + "/tokens/" + unknown + "/revoke", null),
                api.json("POST", API + "/tokens/" + unknown + "/regenerate", null));
        for (Reply reply : replies) {
            JsonNode error = assertError(reply, 404, "not_found");
            assertTrue(error.get("message").asText().contains(String.valueOf(unknown)), reply.toString());
        }
        assertEquals(before, StoreState.snapshot(store));
    }

    @Test
    void unknownPathsAndMethodsAreRefusedInTheErrorShape() {
        assertError(api.get(API + "/nothing-here"), 404, "not_found");
        assertError(api.get(API + "/integrations/abc"), 404, "not_found");
        assertError(api.get(API + "/integrations/99999999999999999999999"), 404, "not_found");
        assertEquals(404, api.get("/admin/api/v2/integrations").status());
        Reply delete = api.json("DELETE", API + "/integrations/1", null);
        assertError(delete, 405, "validation");
        assertEquals("GET, PATCH", delete.header("Allow"));
        Reply put = api.json("PUT", API + "/integrations", "{}");
        assertError(put, 405, "validation");
        assertEquals("GET, POST", put.header("Allow"));
        assertEquals("POST", api.get(API + "/tokens/1/revoke").header("Allow"));
    }

    @Test
    void aBodyWithoutContentTypeApplicationJsonIs415BeforeAnythingIsStored() {
        Integration i = integration("API media type");
        IssuedToken t = token(i, "stays");
        Map<String, Long> before = StoreState.snapshot(store);
        byte[] integration = "{\"name\":\"wrong type\",\"notificationEmail\":\"w@example.com\"}".getBytes();
        byte[] tokenBody = "{\"name\":\"x\",\"expiration\":\"7d\"}".getBytes();
        List<String[]> calls = List.of(
                new String[] {"POST", API + "/integrations"},
                new String[] {"PATCH", API + "/integrations/" + i.id()},
                new String[] {"POST", API + "/integrations/" + i.id() + "/tokens"},
                new String[] {"POST", API + "/integrations/" + i.id() + "/tokens/revoke"},
                new String[] {"POST", API + "/tokens/" + t.token().id() + "/revoke"},
                new String[] {"POST", API + "/tokens/" + t.token().id() + "/regenerate"});
        for (String[] call : calls) {
            for (String type : new String[] {null, "text/plain", "application/x-www-form-urlencoded", "application/json-patch+json",
                    "text/json"}) {
                byte[] body = call[1].endsWith("/tokens") ? tokenBody : integration;
                Reply reply = api.send(call[0], call[1], type, body);
                JsonNode error = assertError(reply, 415, "validation");
                assertTrue(error.get("message").asText().startsWith("Requests with a body must have Content-Type: application/json"),
                        reply.toString());
            }
        }
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(200, GlobalApi.status(server.uri(), t.value()));

        Reply charset = api.send("POST", API + "/integrations", "Application/JSON; charset=UTF-8",
                ("{\"name\":\"with charset " + NAMES.incrementAndGet() + "\",\"notificationEmail\":\"c@example.com\"}").getBytes());
        assertEquals(201, charset.status(), "the media type is read ignoring case and parameters: " + charset);
    }

    @Test
    void validationErrorsAre400WithEachRefusedFieldInTheDetails() {
        Map<String, Long> before = StoreState.snapshot(store);
        Reply reply = api.json("POST", API + "/integrations", "{}");
        JsonNode error = assertError(reply, 400, "validation");
        assertEquals("is required", assertValidation(reply, "name"));
        assertEquals("is required", assertValidation(reply, "notificationEmail"));
        assertEquals(2, error.get("details").size());
        assertTrue(error.get("message").asText().contains("name: is required"), error.toString());

        Reply email = api.json("POST", API + "/integrations", "{\"name\":\"ok name\",\"notificationEmail\":\"nope\"}");
        assertEquals("must be an e-mail address such as team@example.com", assertValidation(email, "notificationEmail"));
        Reply longName = api.json("POST", API + "/integrations",
                "{\"name\":\"" + "x".repeat(101) + "\",\"notificationEmail\":\"a@example.com\"}");
        assertEquals("must be at most 100 characters (was 101)", assertValidation(longName, "name"));
        Reply longDescription = api.json("POST", API + "/integrations",
                "{\"name\":\"d\",\"description\":\"" + "d".repeat(1001) + "\",\"notificationEmail\":\"a@example.com\"}");
        assertEquals("must be at most 1000 characters (was 1001)", assertValidation(longDescription, "description"));
        Integration i = integration("Validated");
        Reply duplicate = api.json("POST", API + "/integrations",
                "{\"name\":\"" + i.name().toUpperCase() + "\",\"notificationEmail\":\"a@example.com\"}");
        assertTrue(assertValidation(duplicate, "name").startsWith("is already used by another integration"));
        Map<String, Long> afterSetup = StoreState.snapshot(store);
        Reply noName = api.json("POST", API + "/integrations/" + i.id() + "/tokens", "{\"expiration\":\"7d\"}");
        assertEquals("is required", assertValidation(noName, "name"));
        Reply noExpiration = api.json("POST", API + "/integrations/" + i.id() + "/tokens", "{\"name\":\"x\"}");
        assertTrue(assertValidation(noExpiration, "expiration").startsWith("is required"));
        Reply both = api.json("POST", API + "/integrations/" + i.id() + "/tokens",
                "{\"name\":\"x\",\"expiration\":\"7d\",\"expiresAt\":\"2031-01-01T00:00:00Z\"}");
        assertEquals("give either expiration or expiresAt, not both", assertValidation(both, "expiration"));
        Reply past = api.json("POST", API + "/integrations/" + i.id() + "/tokens", "{\"name\":\"x\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}");
        assertEquals("must be in the future", assertValidation(past, "expiresAt"));
        Reply policy = api.json("POST", API + "/integrations/" + i.id() + "/tokens", "{\"name\":\"x\",\"expiration\":\"14d\"}");
        assertTrue(assertValidation(policy, "expiration").startsWith("must be one of never, 7d, 30d, 60d, 90d, 365d"));
        Reply emptyPatch = api.json("PATCH", API + "/integrations/" + i.id(), "{}");
        assertError(emptyPatch, 400, "validation");
        Reply noIds = api.json("POST", API + "/integrations/" + i.id() + "/tokens/revoke", "{\"ids\":[]}");
        assertEquals("must list at least one token id", assertValidation(noIds, "ids"));
        assertEquals(afterSetup, StoreState.snapshot(store));
        assertEquals(before.get("integration") + 1, afterSetup.get("integration"), "only the setup's integration");
    }

    @Test
    void badPagingSearchAndStatusParametersAre400NamingTheParameter() {
        Integration i = integration("Params");
        for (String list : List.of(API + "/integrations?", API + "/integrations/" + i.id() + "/tokens?", API + "/audit?")) {
            assertEquals("must be a whole number", assertValidation(api.get(list + "page=abc"), "page"));
            assertEquals("must be a whole number", assertValidation(api.get(list + "size=ten"), "size"));
            assertEquals("must be a whole number", assertValidation(api.get(list + "page=1.5"), "page"));
            assertEquals("must be a whole number", assertValidation(api.get(list + "page=99999999999999999999"), "page"));
            assertEquals("must be a whole number", assertValidation(api.get(list + "page=9999999999"), "page"));
            assertEquals("must be between 1 and 1000000", assertValidation(api.get(list + "page=0"), "page"));
            assertEquals("must be between 1 and 1000000", assertValidation(api.get(list + "page=-1"), "page"));
            assertEquals("must be between 1 and 200", assertValidation(api.get(list + "size=0"), "size"));
            assertEquals("must be between 1 and 200", assertValidation(api.get(list + "size=201"), "size"));
            assertEquals(200, api.get(list + "page=1000000&size=200").status(), list);
        }
        assertEquals("must be one of active, expired, revoked",
                assertValidation(api.get(API + "/integrations/" + i.id() + "/tokens?status=deleted"), "status"));
        assertEquals("must be one of active, expired, revoked",
                assertValidation(api.get(API + "/integrations/" + i.id() + "/tokens?status=%3Cscript%3E"), "status"));
        assertEquals("must be a whole number", assertValidation(api.get(API + "/audit?integrationId=abc"), "integrationId"));
        assertEquals("must be at most 100 characters (was 101)",
                assertValidation(api.get(API + "/integrations?q=" + "q".repeat(101)), "q"));
        assertTrue(assertValidation(api.get(API + "/integrations?q=a%00b"), "q").startsWith("must not contain control characters"));
        JsonNode unknownIntegration = api.get(API + "/audit?integrationId=987654").json();
        assertEquals(0, unknownIntegration.get("total").asLong(), "the audit of an unknown integration is empty");
    }

    // ---- helpers

    private static List<String> names(JsonNode tokens) {
        List<String> names = new ArrayList<>();
        tokens.forEach(t -> {
            assertToken(t);
            names.add(t.get("name").asText());
        });
        return names;
    }

    private static Integration integration(String prefix) {
        return integrationNamed(prefix + " " + NAMES.incrementAndGet());
    }

    private static Integration integrationNamed(String name) {
        return store.integrations().create("setup", IntegrationStore.Input.of(name, "api test", "api@example.com"));
    }

    private static IssuedToken token(Integration i, String name) {
        IssuedToken t = store.tokens().create("setup", i.id(), name, "90d", null);
        AccessToken stored = store.tokens().get(t.token().id());
        assertEquals(t.token(), stored);
        return t;
    }
}
