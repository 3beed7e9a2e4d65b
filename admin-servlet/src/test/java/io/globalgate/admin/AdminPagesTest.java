package io.globalgate.admin;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.LeakStore;
import io.globalgate.admin.pages.Fmt;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.store.PageRequest;
import io.globalgate.admin.store.TokenStatus;
import io.globalgate.admin.testing.AdminClient;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.GlobalApi;
import io.globalgate.admin.testing.HoldableClock;
import io.globalgate.admin.testing.PageChecks;
import io.globalgate.admin.testing.Reply;
import io.globalgate.admin.testing.StoreState;
import io.globalgate.testing.TestDatabases;
import io.globalgate.token.TokenFormat;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin pages over real HTTP with HTTP Basic, one Jetty for the class: every page renders,
 * every form's success and error paths, and the token actions, checked against the store and
 * against the filtered endpoint that shares it.
 */
class AdminPagesTest {

    private static final Pattern CREATED = Pattern.compile("/admin/tokens/(\\d+)/created");
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static final HoldableClock CLOCK = new HoldableClock();

    private static HikariDataSource dataSource;
    private static AdminTestServer server;
    private static ManagementStore store;
    private static AdminClient admin;
    private static Reply emptyGrid;
    private static Reply emptyAudit;

    @BeforeAll
    static void startServer() throws Exception {
        dataSource = TestDatabases.h2();
        server = AdminTestServer.start(dataSource, CLOCK, Map.of());
        store = server.store();
        admin = AdminClient.admin(server);
        // The empty states can only be seen before any test stores anything.
        emptyGrid = admin.get("/admin/");
        emptyAudit = admin.get("/admin/audit");
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        dataSource.close();
    }

    // ---- the grid and the audit log

    @Test
    void theGridOfAnEmptyStoreInvitesToAddTheFirstIntegration() {
        Document page = PageChecks.assertPage(emptyGrid);
        assertEquals("Global Integrations", page.selectFirst("h1").text());
        assertTrue(page.selectFirst("p.empty").text().contains("No integrations yet"), page.html());
        assertNull(page.selectFirst("table#integrations"));
        assertEquals("/admin/integrations/new", page.selectFirst("a.button.primary").attr("href"));
        assertEquals("Add Custom Integration", page.selectFirst("a.button.primary").text());
    }

    @Test
    void theAuditLogOfAnEmptyStoreSaysNothingHasHappenedYet() {
        Document page = PageChecks.assertPage(emptyAudit);
        assertEquals("Nothing has happened yet.", page.selectFirst("p.empty").text());
        assertNull(page.selectFirst("table#audit"));
    }

    @Test
    void theGridListsEachIntegrationWithItsFieldsAndItsCountOfActiveTokens() {
        Integration i = integration("Grid listed");
        IssuedToken kept = token(i, "kept");
        IssuedToken revoked = token(i, "revoked");
        store.tokens().revoke("setup", revoked.token().id());

        Document page = PageChecks.assertPage(admin.get("/admin/?q=" + AdminClient.enc(i.name())));
        Element row = rowLinkingTo(page, "table#integrations", "/admin/integrations/" + i.id());
        assertEquals(i.name(), row.selectFirst("td.name").text());
        assertEquals("Created by the test", row.selectFirst("td.description").text());
        assertTrue(row.text().contains("ops@example.com"), row.outerHtml());
        assertEquals("Yes", row.selectFirst(".badge").text());
        assertEquals("1", row.selectFirst("td.number").text());
        assertFalse(page.html().contains(kept.value()), "a token value on the grid");
    }

    @Test
    void theGridSearchMatchesTheEmailTooFiltersByActiveAndCanBeCleared() {
        Integration on = store.integrations().create("setup", IntegrationStore.Input.of("Mail match on", "", "Night-Shift@Depot.example"));
        Integration off = store.integrations().create("setup", IntegrationStore.Input.of("Mail match off", "", "night-shift@depot.example"));
        store.integrations().setActive("setup", off.id(), false);

        Document both = PageChecks.assertPage(admin.get("/admin/?q=" + AdminClient.enc("NIGHT-SHIFT@depot")));
        assertNotNull(rowLinkingTo(both, "table#integrations", "/admin/integrations/" + on.id()), "matched by its e-mail address");
        assertNotNull(rowLinkingTo(both, "table#integrations", "/admin/integrations/" + off.id()));
        assertNotNull(both.selectFirst("a#clear-search[href=/admin/]"), "a way to clear the search");

        Document active = PageChecks.assertPage(admin.get("/admin/?q=night-shift&active=yes"));
        assertEquals(List.of("Mail match on"), active.select("table#integrations td.name").eachText());
        assertEquals("yes", active.selectFirst("select#active option[selected]").val());
        Document inactive = PageChecks.assertPage(admin.get("/admin/?q=night-shift&active=no"));
        assertEquals(List.of("Mail match off"), inactive.select("table#integrations td.name").eachText());
        Document nothing = PageChecks.assertPage(admin.get("/admin/?q=" + AdminClient.enc("Mail match on") + "&active=no"));
        assertEquals("No integration matches “Mail match on” among the inactive ones.", nothing.selectFirst("p.empty").text());
        assertNull(PageChecks.assertPage(admin.get("/admin/")).selectFirst("a#clear-search"), "nothing to clear");

        for (String bad : List.of("maybe", "%3Cb%3E", "true", "x".repeat(5000))) {
            Reply refused = admin.get("/admin/?active=" + bad);
            assertEquals(400, refused.status(), bad + ": " + refused);
            PageChecks.assertHtml(refused);
        }
        // A wildcard in the search is a character, not a wildcard.
        assertNull(PageChecks.assertPage(admin.get("/admin/?q=" + AdminClient.enc("night_shift%"))).selectFirst("table#integrations"));
    }

    @Test
    void theGridSearchMatchesAnyPartOfTheNameIgnoringCase() {
        Integration i = integration("Searchable Warehouse");
        Document found = PageChecks.assertPage(admin.get("/admin/?q=" + AdminClient.enc("SEARCHABLE wAREHOUSE")));
        assertNotNull(rowLinkingTo(found, "table#integrations", "/admin/integrations/" + i.id()));
        assertEquals("SEARCHABLE wAREHOUSE", found.selectFirst("input#q").val(), "the search box keeps the query");

        Document none = PageChecks.assertPage(admin.get("/admin/?q=" + AdminClient.enc("no such integration zzz")));
        assertNull(none.selectFirst("table#integrations"));
        assertEquals("No integration matches “no such integration zzz”.", none.selectFirst("p.empty").text());
    }

    @Test
    void theAuditLogFiltersByActionUserAndDateAndRefusesWhatItDoesNotOffer() {
        Integration i = integration("Audit filters");
        IssuedToken t = token(i, "filtered token");
        store.tokens().revoke("filter-user", t.token().id());
        String base = "/admin/audit?integrationId=" + i.id();

        Document byAction = PageChecks.assertPage(admin.get(base + "&action=token.created"));
        assertEquals(List.of("token.created"), byAction.select("table#audit tbody tr").eachAttr("data-action"));
        assertEquals("token.created", byAction.selectFirst("select#action option[selected]").val(), "the filter shows what is chosen");
        assertNotNull(byAction.selectFirst("a#clear-filters[href=/admin/audit?integrationId=" + i.id() + "]"), "a way to clear");

        Document byUser = PageChecks.assertPage(admin.get(base + "&actor=filter-user"));
        assertEquals(List.of("token.revoked"), byUser.select("table#audit tbody tr").eachAttr("data-action"));
        assertTrue(byUser.select("select#actor option").eachAttr("value").contains("filter-user"));

        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        assertEquals(3, PageChecks.assertPage(admin.get(base + "&from=" + today + "&to=" + today)).select("table#audit tbody tr").size());
        Document none = PageChecks.assertPage(admin.get(base + "&from=" + tomorrow));
        assertNull(none.selectFirst("table#audit"));
        assertEquals("Nothing matches these filters.", none.selectFirst("p.empty").text());
        Document paged = PageChecks.assertPage(admin.get(base + "&action=token.created&size=1"));
        assertNull(paged.selectFirst("a[rel=next]"), "one event, one page");

        for (String bad : List.of("&action=token.exploded", "&action=%3Cscript%3E", "&from=2026-13-45", "&from=yesterday",
                "&to=2026-1-1", "&actor=" + "x".repeat(201))) {
            Reply refused = admin.get(base + bad);
            assertEquals(400, refused.status(), bad + ": " + refused);
            PageChecks.assertHtml(refused);
        }
    }

    @Test
    void theAuditLogListsActionsNewestFirstFilteredByIntegration() {
        Integration i = integration("Audited");
        Integration other = integration("Audited other");
        IssuedToken t = token(i, "audited token");
        store.tokens().revoke("someone-else", t.token().id());

        Document all = PageChecks.assertPage(admin.get("/admin/audit"));
        List<String> actions = all.select("table#audit tbody tr").eachAttr("data-action");
        assertEquals("token.revoked", actions.get(0), "newest first: " + actions);
        assertEquals("Token revoked", all.selectFirst("table#audit tbody tr td:nth-child(3)").text(), "in words");
        assertEquals("someone-else", all.selectFirst("table#audit tbody tr td:nth-child(2)").text());
        assertEquals("audited token " + t.token().hint(), all.selectFirst("table#audit tbody tr td:nth-child(5)").text(),
                "the token by its name and hint, not its id");

        Document filtered = PageChecks.assertPage(admin.get("/admin/audit?integrationId=" + i.id()));
        assertEquals("Audit log of " + i.name(), filtered.selectFirst("h1").text());
        List<String> integrations = filtered.select("table#audit tbody tr td:nth-child(4)").eachText();
        assertEquals(List.of(i.name(), i.name(), i.name()), integrations,
                "integration.created, token.created, token.revoked of this integration only, by name");
        assertEquals(List.of("Token revoked", "Token created", "Integration created"),
                filtered.select("table#audit tbody tr td:nth-child(3)").eachText());
        assertFalse(filtered.text().contains(other.name()));
        assertNotNull(filtered.selectFirst("a[href=/admin/integrations/" + i.id() + "]"), "links back to the integration");
        assertTrue(filtered.selectFirst("nav.paging").text().contains("1–3 of 3"), filtered.selectFirst("nav.paging").text());
    }

    // ---- new integration: Save and Continue

    @Test
    void theNewIntegrationFormAsksForItsThreeFieldsUnderSaveAndContinue() {
        Document page = PageChecks.assertPage(admin.get("/admin/integrations/new"));
        Element form = page.selectFirst("form.form");
        assertEquals("post", form.attr("method"));
        assertEquals("/admin/integrations", form.attr("action"));
        assertNotNull(form.selectFirst("input#name[name=name]"));
        assertNotNull(form.selectFirst("textarea#description[name=description]"));
        assertNotNull(form.selectFirst("input#notificationEmail[name=notificationEmail][type=email]"));
        assertFalse(form.selectFirst("input[name=_csrf]").val().isEmpty());
        assertEquals("Save and Continue", form.selectFirst("button[type=submit]").text());
        assertNull(form.selectFirst("input[name=active]"), "a new integration is active; the flag is on the edit form");
    }

    @Test
    void saveAndContinueLeadsWith303FromTheStoredIntegrationToItsNewTokenForm() {
        String name = "Saved and continued " + NAMES.incrementAndGet();
        Reply saved = admin.submit("/admin/integrations", "name", "  " + name + "  ", "description", "ERP sync",
                "notificationEmail", "erp@example.com");

        assertEquals(303, saved.status(), saved.toString());
        Integration stored = byName(name);
        assertEquals("ERP sync", stored.description());
        assertEquals("erp@example.com", stored.notificationEmail());
        assertTrue(stored.active());
        assertEquals("admin", stored.createdBy(), "the container's user is the actor");
        assertEquals("/admin/integrations/" + stored.id() + "/tokens/new", saved.location());

        Document form = PageChecks.assertPage(admin.get(saved.location()));
        assertEquals("Integration “" + name + "” saved. Now create its first Global API access token.",
                form.selectFirst("p.flash").text());
        assertEquals("New Global API Access Token", form.selectFirst("h1").text());
        assertEquals("/admin/integrations/" + stored.id() + "/tokens", form.selectFirst("form.form").attr("action"));
        assertNull(PageChecks.assertPage(admin.get(saved.location())).selectFirst("p.flash"), "a flash is shown once");
    }

    @Test
    void aNewIntegrationWithoutNameIsShownAgainWithTheErrorNextToTheNameBeforeAnythingIsStored() {
        Map<String, Long> before = StoreState.snapshot(store);
        Reply refused = admin.submit("/admin/integrations", "name", "   ", "description", "Typed description\nline two",
                "notificationEmail", "kept@example.com");

        assertEquals(400, refused.status(), refused.toString());
        Document page = PageChecks.assertHtml(refused);
        assertFieldError(page, "name", "Name is required");
        assertEquals("Typed description\nline two", page.selectFirst("textarea#description").wholeText().replace("\r", ""));
        assertEquals("kept@example.com", page.selectFirst("input#notificationEmail").val());
        assertEquals("true", page.selectFirst("input#name").attr("aria-invalid"));
        assertEquals(before, StoreState.snapshot(store));
    }

    @Test
    void aNewIntegrationWithTwoBadFieldsShowsBothErrorsNextToTheirFieldsBeforeAnythingIsStored() {
        Map<String, Long> before = StoreState.snapshot(store);
        String longName = "N".repeat(101);
        Reply refused = admin.submit("/admin/integrations", "name", longName, "description", "",
                "notificationEmail", "not an address");

        assertEquals(400, refused.status(), refused.toString());
        Document page = PageChecks.assertHtml(refused);
        assertFieldError(page, "name", "Name must be at most 100 characters (was 101)");
        assertFieldError(page, "notificationEmail", "Notification Email must be an e-mail address such as team@example.com");
        assertEquals(longName, page.selectFirst("input#name").val());
        assertEquals("not an address", page.selectFirst("input#notificationEmail").val());
        assertEquals(before, StoreState.snapshot(store));
    }

    @Test
    void aNewIntegrationWithAnotherIntegrationsNameInOtherCaseIsRefusedNextToTheName() {
        Integration existing = integration("Taken Name");
        Map<String, Long> before = StoreState.snapshot(store);
        Reply refused = admin.submit("/admin/integrations", "name", existing.name().toUpperCase(), "description", "d",
                "notificationEmail", "x@example.com");

        assertEquals(400, refused.status(), refused.toString());
        Document page = PageChecks.assertHtml(refused);
        assertFieldError(page, "name", "Name is already used by another integration (names are unique, ignoring case)");
        assertEquals(existing.name().toUpperCase(), page.selectFirst("input#name").val());
        assertEquals(before, StoreState.snapshot(store));
    }

    // ---- edit integration

    @Test
    void anEditSavedFromTheFormOfCurrentValuesLeadsBackToTheChangedIntegration() {
        Integration i = integration("Editable");
        Document form = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id() + "/edit"));
        assertEquals(i.name(), form.selectFirst("input#name").val());
        assertEquals(i.description(), form.selectFirst("textarea#description").text());
        assertEquals(i.notificationEmail(), form.selectFirst("input#notificationEmail").val());
        assertTrue(form.selectFirst("input[name=active][value=true]").hasAttr("checked"));
        assertFalse(form.selectFirst("input[name=active][value=false]").hasAttr("checked"));
        assertEquals("Save", form.selectFirst("main button[type=submit]").text());

        Reply saved = admin.submit("/admin/integrations/" + i.id(), "name", i.name() + " renamed", "description", "new words",
                "notificationEmail", "new@example.com", "active", "false");

        assertEquals(303, saved.status(), saved.toString());
        assertEquals("/admin/integrations/" + i.id(), saved.location());
        Integration stored = store.integrations().get(i.id());
        assertEquals(i.name() + " renamed", stored.name());
        assertEquals("new words", stored.description());
        assertEquals("new@example.com", stored.notificationEmail());
        assertFalse(stored.active());
        Document page = PageChecks.assertPage(admin.get(saved.location()));
        assertEquals("Integration “" + stored.name() + "” saved.", page.selectFirst("p.flash").text());
        assertEquals("Inactive", page.selectFirst(".title-row .badge").text());
        Document edit = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id() + "/edit"));
        assertTrue(edit.selectFirst("input[name=active][value=false]").hasAttr("checked"));
    }

    @Test
    void theMessageOfASaveWaitsForTheNextPageRatherThanAppearOnARefusal() {
        Integration i = integration("Flash");
        Reply saved = admin.submit("/admin/integrations/" + i.id(), "name", i.name() + " saved", "description", "d",
                "notificationEmail", "flash@example.com", "active", "true");
        assertEquals(303, saved.status(), saved.toString());

        Reply refused = admin.postForm("/admin/integrations/" + i.id(), List.of("name", "x", "_csrf", "forged"), "Origin", admin.origin());

        assertEquals(403, refused.status(), refused.toString());
        assertNull(refused.html().selectFirst("p.flash"), refused::toString);
        assertFalse(refused.text().contains("saved."), refused::toString);
        Document page = PageChecks.assertPage(admin.get(saved.location()));
        assertEquals("Integration “" + i.name() + " saved” saved.", page.selectFirst("p.flash").text());
    }

    @Test
    void theActiveFlagOfTheEditFormDecidesWhetherTheIntegrationsTokensWork() {
        Integration i = integration("Switched");
        IssuedToken t = token(i, "switched token");
        assertEquals(200, GlobalApi.status(server.uri(), t.value()));

        Reply off = admin.submit("/admin/integrations/" + i.id(), "name", i.name(), "description", i.description(),
                "notificationEmail", i.notificationEmail(), "active", "false");
        assertEquals(303, off.status(), off.toString());
        assertEquals(401, GlobalApi.status(server.uri(), t.value()), "an inactive integration's token is refused at once");

        Reply on = admin.submit("/admin/integrations/" + i.id(), "name", i.name(), "description", i.description(),
                "notificationEmail", i.notificationEmail(), "active", "true");
        assertEquals(303, on.status(), on.toString());
        assertEquals(200, GlobalApi.status(server.uri(), t.value()));
    }

    @Test
    void anEditWithABadEmailIsShownAgainWithItsErrorBeforeAnythingChanges() {
        Integration i = integration("Edit refused");
        Map<String, Long> before = StoreState.snapshot(store);
        Reply refused = admin.submit("/admin/integrations/" + i.id(), "name", "Typed new name " + NAMES.incrementAndGet(),
                "description", "typed description", "notificationEmail", "broken@", "active", "false");

        assertEquals(400, refused.status(), refused.toString());
        Document page = PageChecks.assertHtml(refused);
        assertFieldError(page, "notificationEmail", "Notification Email must be an e-mail address such as team@example.com");
        assertTrue(page.selectFirst("input#name").val().startsWith("Typed new name "));
        assertEquals("typed description", page.selectFirst("textarea#description").text());
        assertEquals("broken@", page.selectFirst("input#notificationEmail").val());
        assertTrue(page.selectFirst("input[name=active][value=false]").hasAttr("checked"), "the chosen Active value is kept");
        assertEquals("/admin/integrations/" + i.id(), page.selectFirst("form.form").attr("action"));
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(i, store.integrations().get(i.id()));
    }

    // ---- the integration page and its Access Tokens grid

    @Test
    void anIntegrationWithoutTokensPointsToTheNewTokenForm() {
        Integration i = integration("Tokenless");
        Document page = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id()));
        assertEquals(i.name(), page.selectFirst("h1.name").text());
        assertNull(page.selectFirst("table#tokens"));
        assertNull(page.selectFirst("form#mass-revoke"));
        Element empty = page.selectFirst("p.empty");
        assertTrue(empty.text().startsWith("No tokens here yet."), empty.text());
        assertEquals("/admin/integrations/" + i.id() + "/tokens/new", empty.selectFirst("a").attr("href"));
    }

    @Test
    void theIntegrationPageListsTokensByStatusWithTheirHintsNeverTheirValues() {
        Integration i = integration("Three tokens");
        IssuedToken active = token(i, "active one");
        IssuedToken revoked = token(i, "revoked one");
        IssuedToken expired = token(i, "expired one");
        store.tokens().revoke("setup", revoked.token().id());
        StoreState.expire(store, expired.token().id());

        Reply reply = admin.get("/admin/integrations/" + i.id());
        Document page = PageChecks.assertPage(reply);
        assertEquals(List.of("expired one", "revoked one", "active one"), page.select("table#tokens tbody td.name").eachText(),
                "newest first");
        Element activeRow = page.selectFirst("tr[data-token-id=" + active.token().id() + "]");
        assertEquals(active.token().hint(), activeRow.selectFirst("code").text());
        assertEquals("active", activeRow.selectFirst(".badge").text());
        assertFalse(activeRow.selectFirst("input[name=ids]").hasAttr("disabled"));
        Element revokedRow = page.selectFirst("tr[data-token-id=" + revoked.token().id() + "]");
        assertEquals("revoked", revokedRow.selectFirst(".badge").text());
        assertTrue(revokedRow.selectFirst("input[name=ids]").hasAttr("disabled"), "only active tokens can be selected");
        assertEquals("expired", page.selectFirst("tr[data-token-id=" + expired.token().id() + "] .badge").text());
        for (IssuedToken t : List.of(active, revoked, expired)) {
            assertFalse(reply.text().contains(t.value()), "a token value on the integration page");
        }
        assertEquals("/admin/tokens/" + active.token().id(), activeRow.selectFirst("td.name a").attr("href"));
        assertEquals("1", page.select("dl.facts dd").get(3).text(), "active tokens");

        for (TokenStatus status : TokenStatus.values()) {
            Document filtered = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id() + "?status=" + status.code()));
            assertEquals(List.of(status.code()), filtered.select("table#tokens tbody .badge").eachText(), status.code());
            assertEquals("current", filtered.selectFirst("nav.filters a[href$=status=" + status.code() + "]").className());
        }
    }

    // ---- new token, shown once

    @Test
    void theNewTokenFormOffersEveryExpirationWithNinetyDaysChosenUnderARootCredentialWarning() {
        Integration i = integration("Token form");
        Document page = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id() + "/tokens/new"));
        assertEquals(List.of("never", "7d", "30d", "60d", "90d", "365d", "custom"),
                page.select("select#expiration option").eachAttr("value"));
        assertEquals("90d", page.selectFirst("select#expiration option[selected]").val());
        assertNotNull(page.selectFirst("input#expiresAt[type=datetime-local]"));
        assertTrue(page.selectFirst("p.warning").text().contains("root credential"));
        assertEquals(i.name(), page.select("p.crumbs a").get(1).text());
        assertNull(page.selectFirst("p.hint#expiration-hint"), "no maximum lifetime is configured");
    }

    @Test
    void creatingATokenRedirectsToItsCreatedPageWhichShowsTheWorkingValueOnlyOnce() {
        Integration i = integration("Shown once");
        Reply created = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", "ERP production", "expiration", "30d");

        assertEquals(303, created.status(), created.toString());
        Matcher m = CREATED.matcher(created.location());
        assertTrue(m.matches(), created.location());
        long id = Long.parseLong(m.group(1));
        AccessToken stored = store.tokens().get(id);
        assertEquals(i.id(), stored.integrationId());
        assertEquals("ERP production", stored.name());
        assertEquals("30d", stored.expiration());
        assertEquals(stored.createdAt().plus(Duration.ofDays(30)), stored.expiresAt());

        // Another session of the same user does not get the value.
        Reply elsewhere = AdminClient.admin(server).get(created.location());
        assertEquals(200, elsewhere.status(), elsewhere.toString());
        assertNull(elsewhere.html().selectFirst("#token-value"));

        Reply first = admin.get(created.location());
        Document page = PageChecks.assertPage(first);
        assertEquals("no-store", first.header("Cache-Control"));
        String value = page.selectFirst("input#token-value").val();
        assertTrue(value.matches(TokenFormat.PATTERN), value);
        assertTrue(TokenFormat.isValid(value));
        assertEquals(stored.hint(), TokenFormat.hint(value));
        assertEquals("Copy", page.selectFirst("button#copy-token").text());
        assertTrue(page.selectFirst("#once-warning").text().contains("will not be shown again"));
        assertEquals(200, GlobalApi.status(server.uri(), value), "the shown value is the token");

        Reply second = admin.get(created.location());
        Document again = PageChecks.assertPage(second);
        assertEquals("no-store", second.header("Cache-Control"));
        assertFalse(second.text().contains(value), "the value is shown only once");
        assertNull(again.selectFirst("#token-value"));
        assertTrue(again.selectFirst("#already-shown").text().contains("no longer available"));
        assertEquals(stored.hint(), again.selectFirst("dl.facts code").text());
        assertFalse(admin.get("/admin/tokens/" + id).text().contains(value), "the token page never shows the value");
        assertFalse(admin.get("/admin/integrations/" + i.id()).text().contains(value));
    }

    @Test
    void aTokenWithACustomDateExpiresAtThatDateReadAsUtc() {
        Integration i = integration("Custom date");
        Reply created = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", "until 2031",
                "expiration", "custom", "expiresAt", "2031-01-31T12:30");

        assertEquals(303, created.status(), created.toString());
        Matcher m = CREATED.matcher(created.location());
        assertTrue(m.matches());
        AccessToken stored = store.tokens().get(Long.parseLong(m.group(1)));
        assertEquals("custom", stored.expiration());
        assertEquals(Instant.parse("2031-01-31T12:30:00Z"), stored.expiresAt());
    }

    @Test
    void aTokenWithoutNameIsShownAgainWithTheErrorNextToTheNameBeforeAnythingIsStored() {
        Integration i = integration("Token refused");
        Map<String, Long> before = StoreState.snapshot(store);
        Reply refused = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", "", "expiration", "7d");

        assertEquals(400, refused.status(), refused.toString());
        Document page = PageChecks.assertHtml(refused);
        assertFieldError(page, "name", "Name is required");
        assertEquals("7d", page.selectFirst("select#expiration option[selected]").val());
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(0, store.tokens().list(i.id(), null, PageRequest.first(10)).total());
    }

    @Test
    void aCustomExpiryWithoutADateOrInThePastIsRefusedNextToTheDateBeforeAnythingIsStored() {
        Integration i = integration("Custom refused");
        Map<String, Long> before = StoreState.snapshot(store);

        Reply noDate = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", "kept name", "expiration", "custom",
                "expiresAt", "");
        assertEquals(400, noDate.status(), noDate.toString());
        Document page = PageChecks.assertHtml(noDate);
        assertFieldError(page, "expiresAt", "Custom expiry is required when Expiration is Custom date");
        assertEquals("kept name", page.selectFirst("input#name").val());
        assertEquals("custom", page.selectFirst("select#expiration option[selected]").val());

        Reply past = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", "kept name", "expiration", "custom",
                "expiresAt", "2001-01-01T00:00");
        assertEquals(400, past.status(), past.toString());
        Document pastPage = PageChecks.assertHtml(past);
        assertFieldError(pastPage, "expiresAt", "Custom expiry must be in the future");
        assertEquals("2001-01-01T00:00", pastPage.selectFirst("input#expiresAt").val());

        Reply garbage = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", "kept name", "expiration", "custom",
                "expiresAt", "next tuesday");
        assertEquals(400, garbage.status(), garbage.toString());
        assertFieldError(PageChecks.assertHtml(garbage), "expiresAt",
                "Custom expiry must be a date and time such as 2027-01-31T00:00");

        Reply badPolicy = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", "kept name", "expiration", "1000d");
        assertEquals(400, badPolicy.status(), badPolicy.toString());
        assertFieldError(PageChecks.assertHtml(badPolicy), "expiration",
                "Expiration must be one of never, 7d, 30d, 60d, 90d, 365d");
        assertEquals(before, StoreState.snapshot(store));
    }

    // ---- the token page: revoke and regenerate

    @Test
    void theTokenPageShowsItsFactsAboveTheRevokeAndRegenerateForms() {
        Integration i = integration("Token page");
        IssuedToken t = token(i, "page token");
        Reply reply = admin.get("/admin/tokens/" + t.token().id());
        Document page = PageChecks.assertPage(reply);
        assertEquals("page token", page.selectFirst("h1.name").text());
        assertEquals("active", page.selectFirst("#token-status").text());
        assertEquals(t.token().hint(), page.selectFirst("dl.facts code").text());
        assertFalse(reply.text().contains(t.value()));
        assertEquals("/admin/tokens/" + t.token().id() + "/revoke", page.selectFirst("form#revoke-form").attr("action"));
        assertFalse(page.selectFirst("form#revoke-form").attr("data-confirm").isEmpty(), "revoke asks first");
        Element regenerate = page.selectFirst("form#regenerate-form");
        assertEquals("/admin/tokens/" + t.token().id() + "/regenerate", regenerate.attr("action"));
        assertEquals(List.of("0", "3600", "86400", "604800"), regenerate.select("select#grace option").eachAttr("value"));
        assertEquals("0", regenerate.selectFirst("select#grace option[selected]").val(), "no grace unless chosen");
        assertNotNull(regenerate.selectFirst("input[name=_csrf]"));
    }

    @Test
    void aTokenRevokedFromItsPageIsRefusedByTheFilterAtOnce() {
        Integration i = integration("Revoke one");
        IssuedToken t = token(i, "to revoke");
        IssuedToken other = token(i, "to keep");
        assertEquals(200, GlobalApi.status(server.uri(), t.value()));

        Reply revoked = admin.submit("/admin/tokens/" + t.token().id() + "/revoke");

        assertEquals(303, revoked.status(), revoked.toString());
        assertEquals("/admin/tokens/" + t.token().id(), revoked.location());
        assertEquals(401, GlobalApi.status(server.uri(), t.value()));
        assertEquals(200, GlobalApi.status(server.uri(), other.value()));
        AccessToken stored = store.tokens().get(t.token().id());
        assertEquals("admin", stored.revokedBy());
        Document page = PageChecks.assertPage(admin.get(revoked.location()));
        assertEquals("Token “to revoke” revoked.", page.selectFirst("p.flash").text());
        assertEquals("revoked", page.selectFirst("#token-status").text());
        assertNull(page.selectFirst("form#revoke-form"), "a revoked token offers no action");
        assertNull(page.selectFirst("form#regenerate-form"));

        Map<String, Long> before = StoreState.snapshot(store);
        Reply again = admin.submit("/admin/tokens/" + t.token().id() + "/revoke");
        assertEquals(409, again.status(), again.toString());
        assertTrue(PageChecks.assertHtml(again).selectFirst("#error-message").text().contains("already revoked"));
        assertEquals(before, StoreState.snapshot(store));
    }

    @Test
    void massRevokeRevokesOnlyThePostedTokensOfThatIntegration() {
        Integration a = integration("Mass A");
        Integration b = integration("Mass B");
        IssuedToken a1 = token(a, "a1");
        IssuedToken a2 = token(a, "a2");
        IssuedToken a3 = token(a, "a3");
        IssuedToken b1 = token(b, "b1");

        Reply revoked = admin.submit("/admin/integrations/" + a.id() + "/tokens/revoke", "action", "revoke",
                "ids", String.valueOf(a1.token().id()), "ids", String.valueOf(a2.token().id()), "ids", String.valueOf(b1.token().id()));

        assertEquals(303, revoked.status(), revoked.toString());
        assertEquals("/admin/integrations/" + a.id(), revoked.location());
        Document page = PageChecks.assertPage(admin.get(revoked.location()));
        assertEquals("2 tokens revoked. 1 of the 3 selected had been revoked already, or are not tokens of this integration.",
                page.selectFirst("p.flash").text());
        assertEquals(TokenStatus.REVOKED, status(a1));
        assertEquals(TokenStatus.REVOKED, status(a2));
        assertEquals(TokenStatus.ACTIVE, status(a3), "not posted");
        assertEquals(TokenStatus.ACTIVE, status(b1), "another integration's token");
        assertEquals(401, GlobalApi.status(server.uri(), a1.value()));
        assertEquals(401, GlobalApi.status(server.uri(), a2.value()));
        assertEquals(200, GlobalApi.status(server.uri(), a3.value()));
        assertEquals(200, GlobalApi.status(server.uri(), b1.value()));

        Reply one = admin.submit("/admin/integrations/" + a.id() + "/tokens/revoke", "ids", String.valueOf(a3.token().id()),
                "ids", String.valueOf(a1.token().id()));
        assertEquals(303, one.status(), one.toString());
        assertEquals("1 token revoked. 1 of the 2 selected had been revoked already, or are not tokens of this integration.",
                PageChecks.assertPage(admin.get(one.location())).selectFirst("p.flash").text(), "an already revoked token is not counted");
    }

    @Test
    void massRevokeWithNothingSelectedAsksToSelectFirst() {
        Integration a = integration("Mass none");
        IssuedToken t = token(a, "untouched");
        Map<String, Long> before = StoreState.snapshot(store);

        Reply reply = admin.submit("/admin/integrations/" + a.id() + "/tokens/revoke", "action", "revoke");

        assertEquals(303, reply.status(), reply.toString());
        assertEquals("Select the tokens to revoke first.",
                PageChecks.assertPage(admin.get(reply.location())).selectFirst("p.flash").text());
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(TokenStatus.ACTIVE, status(t));
    }

    @Test
    void regeneratingWithoutGraceRevokesTheOldTokenNow() {
        Integration i = integration("Regenerate now");
        IssuedToken old = token(i, "rotating");

        Reply regenerated = admin.submit("/admin/tokens/" + old.token().id() + "/regenerate", "grace", "0");

        assertEquals(303, regenerated.status(), regenerated.toString());
        Matcher m = CREATED.matcher(regenerated.location());
        assertTrue(m.matches(), regenerated.location());
        long newId = Long.parseLong(m.group(1));
        Document page = PageChecks.assertPage(admin.get(regenerated.location()));
        String value = page.selectFirst("input#token-value").val();
        assertTrue(TokenFormat.isValid(value), value);
        assertEquals("/admin/tokens/" + old.token().id(), page.selectFirst("a[href=/admin/tokens/" + old.token().id() + "]").attr("href"),
                "says which token it replaces");
        assertEquals(200, GlobalApi.status(server.uri(), value));
        assertEquals(401, GlobalApi.status(server.uri(), old.value()), "the old token is refused at once");

        AccessToken oldStored = store.tokens().get(old.token().id());
        assertEquals(TokenStatus.REVOKED, oldStored.status(Instant.now()));
        assertEquals(Long.valueOf(newId), oldStored.replacedBy());
        AccessToken fresh = store.tokens().get(newId);
        assertEquals("rotating", fresh.name());
        assertEquals(old.token().expiration(), fresh.expiration());
        Document oldPage = PageChecks.assertPage(admin.get("/admin/tokens/" + old.token().id()));
        assertEquals("/admin/tokens/" + newId, oldPage.select("dl.facts a").last().attr("href"), "links to its successor");
        assertFalse(admin.get(regenerated.location()).text().contains(value), "shown once");
    }

    @Test
    void regeneratingWithEachOfferedGraceKeepsTheOldTokenWorkingUntilTheGraceEnds() {
        Integration i = integration("Regenerate grace");
        for (long grace : new long[] {3600, 86_400, 604_800}) {
            IssuedToken old = token(i, "graceful " + grace);
            Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

            Reply regenerated = admin.submit("/admin/tokens/" + old.token().id() + "/regenerate", "grace", String.valueOf(grace));

            assertEquals(303, regenerated.status(), regenerated.toString());
            String value = PageChecks.assertPage(admin.get(regenerated.location())).selectFirst("input#token-value").val();
            assertEquals(200, GlobalApi.status(server.uri(), value));
            assertEquals(200, GlobalApi.status(server.uri(), old.value()), "the old token works during the grace period");
            AccessToken oldStored = store.tokens().get(old.token().id());
            assertNull(oldStored.revokedAt());
            Instant expected = before.plusSeconds(grace);
            assertTrue(!oldStored.expiresAt().isBefore(expected) && !oldStored.expiresAt().isAfter(expected.plusSeconds(30)),
                    "old token expires " + grace + " s from now: " + oldStored.expiresAt());
            Document oldPage = PageChecks.assertPage(admin.get("/admin/tokens/" + old.token().id()));
            assertNull(oldPage.selectFirst("form#regenerate-form"), "a replaced token cannot be regenerated again");
            assertNotNull(oldPage.selectFirst("form#revoke-form"), "but it can be revoked before its grace ends");
            // the filter's and the store's clock held at the grace's end and 1 ms before it
            try {
                CLOCK.hold(oldStored.expiresAt());
                assertEquals(401, GlobalApi.status(server.uri(), old.value()), "refused when the grace of " + grace + " s ends");
                assertEquals(200, GlobalApi.status(server.uri(), value), "the new token is not touched");
                CLOCK.hold(oldStored.expiresAt().minusMillis(1));
                assertEquals(200, GlobalApi.status(server.uri(), old.value()), "still working 1 ms before the grace ends");
            } finally {
                CLOCK.release();
            }
        }
    }

    @Test
    void eachTokensPageAndTheGridSayHowItEnded() throws Exception {
        Integration i = integration("Endings");
        IssuedToken manual = token(i, "manual");
        store.tokens().revoke("alice", manual.token().id());
        IssuedToken regenerated = token(i, "rotated");
        IssuedToken successor = store.tokens().regenerate("bob", regenerated.token().id(), Duration.ZERO);
        IssuedToken leaked = token(i, "leaked");
        String url = "https://github.com/octocat/app/blob/1a2b3c/config.env?plain=1&line=2";
        store.leaks().reportLeaked("github-secret-scanning", List.of(new LeakStore.Report(leaked.value(), url, "commit")));
        IssuedToken hostile = token(i, "hostile");
        store.leaks().reportLeaked("github-secret-scanning", List.of(new LeakStore.Report(hostile.value(),
                " JaVaScRiPt:alert(document.cookie)", "<script>alert(1)</script>")));
        IssuedToken sent = token(i, "sent");
        store.leaks().revokeByValue("198.51.100.23", List.of(sent.value()));
        IssuedToken unused = token(i, "unused");
        IssuedToken policy = token(i, "policy");
        // As the unused-token policy writes it (UnusedTokenPolicyContract runs the policy itself), and
        // an integration policy, which no code of this version writes yet but the schema allows.
        store.tokens().revoke("policy", unused.token().id());
        store.tokens().revoke("policy", policy.token().id());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE access_token SET revoked_reason = ?, revoked_detail = ? WHERE id = ?")) {
            ps.setString(1, "unused");
            ps.setString(2, "never used since it was created at 2026-01-01T00:00:00Z; the deployment revokes tokens unused for 90 days");
            ps.setLong(3, unused.token().id());
            ps.executeUpdate();
            ps.setString(1, "integration_policy");
            ps.setString(2, "<b>bold</b>");
            ps.setLong(3, policy.token().id());
            ps.executeUpdate();
        }
        IssuedToken expired = store.tokens().create("setup", i.id(), "short", "7d", null);

        Map<IssuedToken, String> brief = new java.util.LinkedHashMap<>();
        brief.put(manual, "by alice");
        brief.put(regenerated, "regenerated");
        brief.put(leaked, "leak reported");
        brief.put(hostile, "leak reported");
        brief.put(sent, "revoked by value");
        brief.put(unused, "unused");
        brief.put(policy, "integration policy");
        Document grid = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id()));
        for (Map.Entry<IssuedToken, String> e : brief.entrySet()) {
            Element row = rowLinkingTo(grid, "#tokens", "/admin/tokens/" + e.getKey().token().id());
            assertEquals("revoked", row.selectFirst(".badge").text());
            assertEquals(e.getValue(), row.selectFirst("small.ended").text(), e.getKey().token().name());
        }
        assertNull(rowLinkingTo(grid, "#tokens", "/admin/tokens/" + successor.token().id()).selectFirst("small.ended"), "a live token has not ended");

        assertTrue(ended(manual).text().matches("Revoked by alice, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\."), ended(manual).text());
        Element rotated = ended(regenerated);
        assertTrue(rotated.text().startsWith("Regenerated by bob, "), rotated.text());
        assertTrue(rotated.text().endsWith(": revoked at once and replaced by rotated (" + successor.token().hint() + ")."), rotated.text());
        assertEquals("/admin/tokens/" + successor.token().id(), rotated.selectFirst("a").attr("href"));

        Element found = ended(leaked);
        assertTrue(found.text().startsWith("Reported as leaked by github-secret-scanning, "), found.text());
        assertTrue(found.text().endsWith("; revoked at once. Found at " + url + " (source: commit)."), found.text());
        Element link = found.selectFirst("a.found-at");
        assertEquals(url, link.attr("href"));
        assertEquals(url, link.text());
        assertEquals("noopener noreferrer nofollow", link.attr("rel"));

        Element refused = ended(hostile);
        assertNull(refused.selectFirst("a"), "a javascript: URL is never a link: " + refused.html());
        assertTrue(refused.text().endsWith("Found at JaVaScRiPt:alert(document.cookie) (source: <script>alert(1)</script>)."), refused.text());
        assertTrue(refused.html().contains("&lt;script&gt;"), refused.html());

        assertTrue(ended(sent).text().endsWith(": someone who held the token sent it to the revocation endpoint from 198.51.100.23."),
                ended(sent).text());
        assertTrue(ended(unused).text().matches("Revoked as unused by the deployment's policy, .* UTC: never used since it was created at"
                + " 2026-01-01T00:00:00Z; the deployment revokes tokens unused for 90 days\\."), ended(unused).text());
        Element byPolicy = ended(policy);
        assertTrue(byPolicy.text().endsWith(": <b>bold</b>."), byPolicy.text());
        assertNull(byPolicy.selectFirst("b"));

        assertNull(PageChecks.assertPage(admin.get("/admin/tokens/" + expired.token().id())).selectFirst("#ended"),
                "a live token has not ended: no Ended fact");
        try {
            CLOCK.hold(expired.token().expiresAt());
            assertEquals("Expired " + Fmt.time(expired.token().expiresAt()) + ".", ended(expired).text());
            Element row = rowLinkingTo(PageChecks.assertPage(admin.get("/admin/integrations/" + i.id() + "?status=expired")), "#tokens",
                    "/admin/tokens/" + expired.token().id());
            assertEquals("expired", row.selectFirst(".badge").text());
        } finally {
            CLOCK.release();
        }
    }

    /** The "Ended" fact of a token's page, checked for foreign markup. */
    private static Element ended(IssuedToken token) {
        Element ended = PageChecks.assertPage(admin.get("/admin/tokens/" + token.token().id())).selectFirst("#ended");
        assertNotNull(ended);
        return ended;
    }

    @Test
    void massRevokeWithIdsThatAreNotNumbersIsRefusedBeforeAnythingChanges() {
        Integration a = integration("Mass refused");
        IssuedToken t = token(a, "untouched");
        Map<String, Long> before = StoreState.snapshot(store);

        for (String bad : List.of("abc", "-1", "1.5", "99999999999999999999", "")) {
            Reply reply = admin.submit("/admin/integrations/" + a.id() + "/tokens/revoke", "ids", String.valueOf(t.token().id()),
                    "ids", bad);
            assertEquals(400, reply.status(), bad + ": " + reply);
            assertTrue(PageChecks.assertHtml(reply).selectFirst("#error-message").text().contains("ids"), reply.toString());
        }
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(TokenStatus.ACTIVE, status(t));
    }

    @Test
    void regeneratingWithAGraceThatIsNotOfferedOrOfARevokedTokenIsRefusedBeforeAnythingChanges() {
        Integration i = integration("Regenerate refused");
        IssuedToken t = token(i, "stays");
        IssuedToken revoked = token(i, "revoked");
        store.tokens().revoke("setup", revoked.token().id());
        Map<String, Long> before = StoreState.snapshot(store);

        for (String grace : List.of("abc", "-1", "604801", "99999999999999999999", "3600.5")) {
            Reply refused = admin.submit("/admin/tokens/" + t.token().id() + "/regenerate", "grace", grace);
            assertEquals(400, refused.status(), grace + ": " + refused);
            PageChecks.assertHtml(refused);
        }
        for (String expiration : List.of("custom", "5d", "<script>alert(1)</script>", "never ", "x".repeat(20_000))) {
            Reply refused = admin.submit("/admin/tokens/" + t.token().id() + "/regenerate", "grace", "0", "expiration", expiration);
            assertEquals(400, refused.status(), expiration + ": " + refused);
            assertTrue(PageChecks.assertHtml(refused).selectFirst("#error-message").text().contains("offered expirations"), refused.toString());
        }
        Reply conflict = admin.submit("/admin/tokens/" + revoked.token().id() + "/regenerate", "grace", "0");
        assertEquals(409, conflict.status(), conflict.toString());
        assertTrue(conflict.html().selectFirst("#error-message").text().contains("revoked"));

        assertEquals(before, StoreState.snapshot(store));
        assertEquals(200, GlobalApi.status(server.uri(), t.value()));
    }

    // ---- the Access Tokens grid: order, search, pages, a row's Revoke, every page at once

    @Test
    void theTokenGridSortsByEachHeaderSayingSoWithAriaSortAndKeepsItsFilters() {
        Integration i = integration("Sorted grid");
        IssuedToken beta = store.tokens().create("setup", i.id(), "Beta", "30d", null);
        IssuedToken alpha = store.tokens().create("setup", i.id(), "alpha", "7d", null);
        IssuedToken never = store.tokens().create("setup", i.id(), "beta never", "never", null);
        String grid = "/admin/integrations/" + i.id();

        Document byDefault = PageChecks.assertPage(admin.get(grid));
        assertEquals(List.of("beta never", "alpha", "Beta"), byDefault.select("#tokens tbody td.name a").eachText(), "newest first");
        assertEquals("descending", byDefault.selectFirst("#tokens th[aria-sort]").attr("aria-sort"));
        assertEquals(List.of("Created"), byDefault.select("#tokens th[aria-sort]").eachText().stream().map(t -> t.replace(" ▼", "")).toList());

        Document byName = PageChecks.assertPage(admin.get(grid + "?status=active&q=" + AdminClient.enc("A") + "&sort=name"));
        assertEquals(List.of("alpha", "Beta", "beta never"), byName.select("#tokens tbody td.name a").eachText());
        Element nameHeader = byName.selectFirst("#tokens th[aria-sort]");
        assertEquals("ascending", nameHeader.attr("aria-sort"));
        assertEquals("Name ▲", nameHeader.text());
        assertEquals("/admin/integrations/" + i.id() + "?status=active&q=A&sort=-name", nameHeader.selectFirst("a").attr("href"),
                "the sorted column's link reverses it and keeps the filters");
        assertEquals("/admin/integrations/" + i.id() + "?status=active&q=A&sort=-lastUsed",
                byName.selectFirst("#tokens th a[href$=lastUsed]").attr("href"), "most recently used first on the first click");
        assertEquals("name", byName.selectFirst("#token-sort option[selected]").attr("value"), "the phone's choice says the same");
        assertEquals("A", byName.selectFirst("#token-q").attr("value"));
        assertEquals("active", byName.selectFirst("#token-search input[name=status]").attr("value"));
        assertEquals("/admin/integrations/" + i.id() + "?q=A&sort=name&status=expired",
                byName.select("nav.filters a").get(2).attr("href"), "a status keeps the search and the order");
        assertEquals("/admin/integrations/" + i.id() + "?status=active&sort=name&", byName.selectFirst("#clear-token-search").attr("href"));

        Document byExpiry = PageChecks.assertPage(admin.get(grid + "?sort=-expires"));
        assertEquals(List.of("beta never", "Beta", "alpha"), byExpiry.select("#tokens tbody td.name a").eachText(), "never expires: last of all");
        assertEquals(List.of(never.token().hint(), beta.token().hint(), alpha.token().hint()),
                byExpiry.select("#tokens tbody td[data-label=Token] code").eachText());
    }

    @Test
    void theTokenGridSearchesNamesSaysWhenNothingMatchesAndLinksEveryPageByNumber() {
        Integration i = integration("Searched grid");
        StoreState.insertTokens(store, i.id(), 45, "bulk ");
        token(i, "single 50%_off");
        String grid = "/admin/integrations/" + i.id();

        Document bulk = PageChecks.assertPage(admin.get(grid + "?q=BULK&sort=name"));
        assertEquals("1–20 of 45 1 2 3 Next", bulk.selectFirst("nav.paging").text());
        assertEquals(grid + "?q=BULK&sort=name&page=3&size=20", bulk.select("nav.paging a.page").last().attr("href"),
                "page links keep the search and the order");
        Document third = PageChecks.assertPage(admin.get(grid + "?q=BULK&sort=name&page=3"));
        assertEquals(5, third.select("#tokens tbody tr").size());
        assertEquals("3", third.selectFirst("nav.paging a[aria-current=page]").text());

        Document literal = PageChecks.assertPage(admin.get(grid + "?q=" + AdminClient.enc("0%_")));
        assertEquals(List.of("single 50%_off"), literal.select("#tokens tbody td.name a").eachText());

        Document none = PageChecks.assertPage(admin.get(grid + "?status=revoked&q=" + AdminClient.enc("<b>nothing</b>")));
        assertNull(none.selectFirst("#tokens"));
        assertEquals("No revoked token’s name contains “<b>nothing</b>”. Clear the search. Add a Global API access token.",
                none.selectFirst("p.empty").text());
        assertEquals(grid + "?status=revoked&", none.selectFirst("p.empty a").attr("href"));
    }

    @Test
    void hostileGridParametersAreAClear400OrTheDefaultNeverA500AndChangeNothing() {
        Integration i = integration("Hostile grid");
        IssuedToken t = token(i, "hostile");
        String grid = "/admin/integrations/" + i.id();
        Map<String, Long> before = StoreState.snapshot(store);
        String sql = "name; DROP TABLE access_token; --";
        for (String base : List.of(grid + "?", "/admin/?")) {
            for (String sort : List.of(sql, "' OR 1=1--", "NAME", "--name", "-", "id", "token_hash", "name,created", "x".repeat(5000),
                    "na%00me", "%E2%80%AEname")) {
                Reply reply = admin.get(base + "sort=" + (sort.contains("%") ? sort : AdminClient.enc(sort)));
                assertEquals(400, reply.status(), sort + ": " + reply.status());
                String message = PageChecks.assertHtml(reply).selectFirst("#error-message").text();
                assertTrue(message.startsWith("sort: must be one of name, -name, created, -created"), message);
                assertTrue(message.length() < 300, "the bad value is not echoed: " + message.length());
            }
            for (String page : List.of("99999999999999999999", "2147483648", "1000001", "-1", "0", "abc", "1e3", "%00", "", "3.5")) {
                Reply reply = admin.get(base + "page=" + page + "&size=" + page);
                assertEquals(200, reply.status(), "page " + page + ": " + reply.status());
                assertTrue(PageChecks.assertPage(reply).selectFirst("nav.paging").text().startsWith("1–"), page);
            }
            for (String q : List.of("q".repeat(101), "x".repeat(5_000), "a%00b", "%1B%5B31m", "evil\u202Etxt.exe")) {
                Reply reply = admin.get(base + "q=" + (q.contains("%") ? q : AdminClient.enc(q)));
                assertEquals(400, reply.status(), q.length() + " characters: " + reply.status());
                assertTrue(PageChecks.assertHtml(reply).selectFirst("#error-message").text().startsWith("q: must"), reply.toString());
            }
            for (String q : List.of("' OR '1'='1", "\\", "%25", "_", "😀 ẞ 中文", "hostile\u200B")) {
                Reply reply = admin.get(base + "q=" + (q.startsWith("%") ? q : AdminClient.enc(q)));
                assertEquals(200, reply.status(), q + ": " + reply.status());
                PageChecks.assertPage(reply);
            }
            assertEquals(414, admin.get(base + "q=" + "x".repeat(100_000)).status(), "the container's limit on a request line");
            for (String bytes : List.of("sort=%FF%FE", "q=%C0%AF", "page=%FF", "q=%ED%A0%80")) {
                int status = admin.get(base + bytes).status();
                assertTrue(status == 200 || status == 400, bytes + ": " + status);
            }
        }
        Document past = PageChecks.assertPage(admin.get(grid + "?page=999999"));
        assertEquals(List.of("hostile"), past.select("#tokens tbody td.name a").eachText(), "past the last page: the last page");
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(TokenStatus.ACTIVE, status(t));
    }

    @Test
    void aRowsRevokeRevokesThatTokenOnlyAndComesBackToTheSameGrid() {
        Integration i = integration("Row revoke");
        IssuedToken kept = token(i, "kept");
        IssuedToken checked = token(i, "checked but not revoked");
        IssuedToken gone = token(i, "revoked from its row");
        Document grid = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id() + "?q=e&sort=name"));
        Element button = grid.selectFirst("tr[data-token-id=" + gone.token().id() + "] button.row-revoke");
        assertEquals("Revoke “revoked from its row” (" + gone.token().hint() + ")? Applications using it lose access at once."
                + " This cannot be undone.", button.attr("data-confirm-one"));
        assertEquals("Revoke revoked from its row (" + gone.token().hint() + ")", button.attr("aria-label"));
        assertEquals("mass-revoke", button.closest("form").id());

        Reply revoked = admin.submit("/admin/integrations/" + i.id() + "/tokens/revoke", "q", "e", "sort", "name", "page", "1",
                "ids", String.valueOf(checked.token().id()), "revoke", String.valueOf(gone.token().id()));
        assertEquals(303, revoked.status(), revoked.toString());
        assertEquals("/admin/integrations/" + i.id() + "?q=e&sort=name", revoked.location());
        Document after = PageChecks.assertPage(admin.get(revoked.location()));
        assertEquals("Token “revoked from its row” (" + gone.token().hint() + ") revoked.", after.selectFirst("p.flash").text());
        assertNull(after.selectFirst("tr[data-token-id=" + gone.token().id() + "] button.row-revoke"), "a revoked token has no Revoke");
        assertEquals(TokenStatus.REVOKED, status(gone));
        assertEquals(TokenStatus.ACTIVE, status(checked), "a box checked beside a row's Revoke is not revoked with it");
        assertEquals(TokenStatus.ACTIVE, status(kept));
        assertEquals(401, GlobalApi.status(server.uri(), gone.value()));

        Map<String, Long> before = StoreState.snapshot(store);
        Integration other = integration("Row revoke other");
        IssuedToken foreign = token(other, "of another integration");
        before = StoreState.snapshot(store);
        Reply refused = admin.submit("/admin/integrations/" + i.id() + "/tokens/revoke", "revoke", String.valueOf(foreign.token().id()));
        assertEquals(404, refused.status(), refused.toString());
        for (String bad : List.of("", "abc", "-1", "1 OR 1=1", "99999999999999999999")) {
            assertEquals(400, admin.submit("/admin/integrations/" + i.id() + "/tokens/revoke", "revoke", bad).status(), bad);
        }
        Reply again = admin.submit("/admin/integrations/" + i.id() + "/tokens/revoke", "revoke", String.valueOf(gone.token().id()));
        assertEquals(409, again.status(), again.toString());
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(TokenStatus.ACTIVE, status(foreign));
        // A bad view carried by the form is dropped, never followed.
        Reply odd = admin.submit("/admin/integrations/" + i.id() + "/tokens/revoke", "revoke", String.valueOf(kept.token().id()),
                "sort", "x\r\nLocation: https://evil.example/", "q", "q".repeat(500), "status", "bogus", "page", "//evil");
        assertEquals("/admin/integrations/" + i.id(), odd.location());
    }

    @Test
    void revokingEveryPageRevokesExactlyTheTokensThePageListedAndSaidHowMany() {
        Integration i = integration("Every page");
        StoreState.insertTokens(store, i.id(), 24, "bulk ");
        IssuedToken unmatched = token(i, "single");
        IssuedToken revokedBefore = token(i, "bulk revoked before");
        store.tokens().revoke("setup", revokedBefore.token().id());
        Document grid = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id() + "?q=bulk"));
        Element every = grid.selectFirst("#every-revocable");
        assertTrue(every.hasAttr("disabled"), "sent only once chosen");
        assertEquals("24", every.attr("data-count"));
        List<Long> listed = List.of(every.attr("value").split(",")).stream().map(Long::valueOf).toList();
        assertEquals(24, listed.size());
        assertFalse(listed.contains(unmatched.token().id()), "the search's list only");
        assertFalse(listed.contains(revokedBefore.token().id()), "nothing revoked already");
        assertEquals("Select all 24 tokens of this list that can be revoked (of 25)", grid.selectFirst("#select-every").text());
        assertNull(PageChecks.assertPage(admin.get("/admin/integrations/" + i.id() + "?q=bulk&size=50")).selectFirst("#every-revocable"),
                "one page holds them all: nothing more to select");

        // Issued after the page was shown: matching the search, but not what the operator saw.
        IssuedToken later = token(i, "bulk issued later");
        Reply revoked = admin.submit("/admin/integrations/" + i.id() + "/tokens/revoke", "q", "bulk", "allIds", every.attr("value"),
                "ids", String.valueOf(listed.get(0)));
        assertEquals(303, revoked.status(), revoked.toString());
        assertEquals("/admin/integrations/" + i.id() + "?q=bulk", revoked.location());
        assertEquals("24 tokens revoked.", PageChecks.assertPage(admin.get(revoked.location())).selectFirst("p.flash").text());
        for (long id : listed) {
            assertEquals(TokenStatus.REVOKED, store.tokens().get(id).status(Instant.now()), "token " + id);
        }
        assertEquals(TokenStatus.ACTIVE, status(later), "a token issued since the page was shown is not revoked");
        assertEquals(TokenStatus.ACTIVE, status(unmatched));

        Map<String, Long> before = StoreState.snapshot(store);
        String thousandAndOne = String.join(",", java.util.Collections.nCopies(1001, String.valueOf(later.token().id())));
        for (String bad : List.of("1,,2", "1,abc", ",", "1;2", "-1", "1 ,2", thousandAndOne, "9".repeat(30_000))) {
            Reply reply = admin.submit("/admin/integrations/" + i.id() + "/tokens/revoke", "allIds", bad);
            assertEquals(400, reply.status(), bad.length() > 30 ? bad.length() + " characters" : bad);
            PageChecks.assertHtml(reply);
        }
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(TokenStatus.ACTIVE, status(later));
    }

    @Test
    void theTwoTokensOfARegenerationAreToldApartInTheGrid() {
        Integration i = integration("Told apart");
        IssuedToken old = token(i, "rotating");
        IssuedToken fresh = store.tokens().regenerate("setup", old.token().id(), Duration.ofHours(1));
        Document grid = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id()));
        Element oldRow = grid.selectFirst("tr[data-token-id=" + old.token().id() + "]");
        Element newRow = grid.selectFirst("tr[data-token-id=" + fresh.token().id() + "]");
        assertEquals("replaced", oldRow.selectFirst("td[data-label=Status] .badge").text());
        assertTrue(oldRow.selectFirst("td[data-label=Status] small.grace").text().matches("works until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\(in 1 hour\\)"),
                oldRow.selectFirst("td[data-label=Status]").text());
        assertEquals("rotating replaced by " + fresh.token().hint(), oldRow.selectFirst("td.name").text());
        assertEquals("active", newRow.selectFirst("td[data-label=Status] .badge").text());
        assertEquals("rotating replaces " + old.token().hint(), newRow.selectFirst("td.name").text());
        assertEquals("replaced", PageChecks.assertPage(admin.get("/admin/tokens/" + old.token().id())).selectFirst("#token-status").text());

        store.integrations().setActive("setup", i.id(), false);
        Document inactive = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id()));
        assertEquals("refused", inactive.selectFirst("tr[data-token-id=" + old.token().id() + "] .badge").text(),
                "the gateway refuses it: that comes first");
    }

    // ---- not found

    @Test
    void unknownIdsAndPathsAreNotFoundPagesWithTheSecurityHeaders() {
        for (String path : List.of("/admin/integrations/987654", "/admin/integrations/987654/edit",
                "/admin/integrations/987654/tokens/new", "/admin/tokens/987654", "/admin/tokens/987654/created",
                "/admin/no-such-page", "/admin/integrations/abc", "/admin/audit?integrationId=987654",
                "/admin/audit?integrationId=abc", "/admin/integrations/99999999999999999999999")) {
            Reply reply = admin.get(path);
            assertEquals(404, reply.status(), reply.toString());
            assertTrue(reply.header("Content-Type").startsWith("text/html"), path);
            PageChecks.assertSecurityHeaders(reply);
            PageChecks.assertOnlyOurMarkup(reply.html());
            assertEquals("Not found", reply.html().selectFirst("h1").text(), path);
        }
        Map<String, Long> before = StoreState.snapshot(store);
        for (String path : List.of("/admin/integrations/987654", "/admin/integrations/987654/tokens",
                "/admin/integrations/987654/tokens/revoke", "/admin/tokens/987654/revoke", "/admin/tokens/987654/regenerate")) {
            Reply reply = admin.submit(path, "name", "x", "notificationEmail", "x@example.com", "expiration", "7d", "ids", "1");
            assertEquals(404, reply.status(), path + ": " + reply);
        }
        assertEquals(before, StoreState.snapshot(store));
    }

    // ---- helpers

    static void assertFieldError(Document page, String field, String message) {
        Element error = page.selectFirst("#" + field + "-error");
        assertNotNull(error, "no error shown for " + field + ": " + page.select("p.error").eachText());
        assertEquals(message, error.text());
        Element input = page.selectFirst("#" + field);
        assertEquals(input.parent(), error.parent(), "the error of " + field + " is next to its field");
    }

    private static Integration integration(String prefix) {
        String name = prefix + " " + NAMES.incrementAndGet();
        return store.integrations().create("setup", IntegrationStore.Input.of(name, "Created by the test", "ops@example.com"));
    }

    private static IssuedToken token(Integration i, String name) {
        return store.tokens().create("setup", i.id(), name, "90d", null);
    }

    private static TokenStatus status(IssuedToken t) {
        return store.tokens().get(t.token().id()).status(Instant.now());
    }

    private static Integration byName(String name) {
        return store.integrations().list(name, PageRequest.first(10)).items().stream()
                .filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no integration named " + name));
    }

    private static Element rowLinkingTo(Document page, String table, String href) {
        Element link = page.selectFirst(table + " tbody a[href=" + href + "]");
        assertNotNull(link, "no row links to " + href);
        return link.closest("tr");
    }
}
