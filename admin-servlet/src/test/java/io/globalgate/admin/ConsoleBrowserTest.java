package io.globalgate.admin;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.Browser;
import io.globalgate.admin.testing.Browser.Viewport;
import io.globalgate.admin.testing.GlobalApi;
import io.globalgate.testing.TestDatabases;
import io.globalgate.token.TokenFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 items 1, 6 and 7 in a real Chromium at 1366x900 and 390x844: an inactive integration
 * says everywhere that its tokens are refused and its deactivation asks first naming the
 * consequence; Back and Forward never bring a shown-once token back, whether Chromium restores the
 * page from its back-forward cache or asks the server again; Copy says "Copied" only when it did.
 */
class ConsoleBrowserTest {

    private static final Pattern CREATED = Pattern.compile(".*/admin/tokens/(\\d+)/created$");

    private static HikariDataSource dataSource;
    private static AdminTestServer server;
    private static ManagementStore store;
    private static Browser browser;
    private static java.nio.file.Path mailDir;

    @BeforeAll
    static void start() throws Exception {
        dataSource = TestDatabases.h2();
        // Without an SMTP server: messages are written as .eml files, and the pages must say so.
        mailDir = java.nio.file.Files.createTempDirectory(java.nio.file.Files.createDirectories(
                java.nio.file.Path.of(System.getProperty("basedir", ".")).resolve("target")), "console-mail-");
        server = AdminTestServer.start(dataSource, Clock.systemUTC(), Map.of(AdminConfig.MAIL_DIR, mailDir.toString()));
        store = server.store();
        browser = Browser.start(server);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Test
    void anInactiveIntegrationSaysEverywhereThatItsTokensAreRefused() throws Exception {
        Integration i = store.integrations().create("seed", IntegrationStore.Input.of("Warehouse robots", "", "robots@example.com"));
        IssuedToken one = store.tokens().create("seed", i.id(), "robot one", "30d", null);
        IssuedToken two = store.tokens().create("seed", i.id(), "robot two", "30d", null);
        IssuedToken revoked = store.tokens().create("seed", i.id(), "robot old", "30d", null);
        store.tokens().revoke("seed", revoked.token().id());
        assertEquals(200, GlobalApi.status(server.uri(), one.value()));

        // Deactivating asks first, naming the consequence; saying no changes nothing.
        browser.viewport(Viewport.DESKTOP);
        browser.open("/integrations/" + i.id() + "/edit");
        browser.driver().findElement(By.cssSelector("input[name=active][value=false]")).click();
        String question = browser.clickAndAnswer(By.cssSelector("form.form button[type=submit]"), false);
        assertEquals("Deactivate “Warehouse robots”? The gateway will refuse all 2 of its working tokens at once, on every node,"
                + " until the integration is activated again.", question);
        assertTrue(store.integrations().get(i.id()).active(), "dismissed: still active");
        // Saving an active integration as active asks nothing.
        browser.driver().findElement(By.cssSelector("input[name=active][value=true]")).click();
        browser.clickAndWaitForPage(By.cssSelector("form.form button[type=submit]"));
        assertTrue(store.integrations().get(i.id()).active());

        browser.open("/integrations/" + i.id() + "/edit");
        browser.driver().findElement(By.cssSelector("input[name=active][value=false]")).click();
        browser.clickAndAnswer(By.cssSelector("form.form button[type=submit]"), true);
        assertFalse(store.integrations().get(i.id()).active());
        assertEquals(401, GlobalApi.status(server.uri(), one.value()), "the gateway refuses the tokens of an inactive integration");
        // Its edit form asks nothing more when it is saved inactive again.
        browser.open("/integrations/" + i.id() + "/edit");
        assertFalse(browser.present("form[data-confirm-deactivate]"));

        for (Viewport viewport : Viewport.values()) {
            browser.viewport(viewport);
            browser.open("/integrations/" + i.id());
            assertTrue(browser.text("#inactive-banner").startsWith("This integration is inactive: the gateway refuses every one of its tokens."),
                    browser.text("#inactive-banner"));
            assertTrue(browser.text("#inactive-banner").contains("Its 2 tokens that have not expired or been revoked work again only"
                    + " when the integration is activated."), browser.text("#inactive-banner"));
            assertEquals("0 (2 refused: integration inactive)", browser.text("#working-tokens"));
            for (IssuedToken t : List.of(one, two)) {
                assertEquals("refused", browser.text("tr[data-token-id='" + t.token().id() + "'] .badge").toLowerCase());
            }
            assertEquals("revoked", browser.text("tr[data-token-id='" + revoked.token().id() + "'] .badge").toLowerCase());
            // A revoked token says how and when it ended, not the expiry it will never reach.
            String revokedExpires = browser.text("tr[data-token-id='" + revoked.token().id() + "'] td[data-label=Expires]");
            assertTrue(revokedExpires.matches("Revoked (just now|\\d+ minutes? ago)\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC"), revokedExpires);
            browser.screenshot("truth-integration-inactive-" + viewport.label());

            browser.open("/?q=Warehouse");
            assertEquals("0 (2 refused: integration inactive)", browser.text("#integrations tbody td.number"));
            assertEquals("no", browser.text("#integrations tbody .badge").toLowerCase());
            browser.screenshot("truth-integrations-inactive-" + viewport.label());

            browser.open("/tokens/" + one.token().id());
            assertEquals("refused", browser.text("#token-status").toLowerCase());
            assertTrue(browser.text("#inactive-banner").startsWith("The gateway refuses this token: its integration is inactive."));
            assertFalse(browser.present("#ended"), "no Ended fact (\u201c\u2014\u201d) for a token that has not ended");
            browser.screenshot("truth-token-refused-" + viewport.label());
            browser.open("/tokens/" + revoked.token().id());
            assertEquals("revoked", browser.text("#token-status").toLowerCase());
            assertFalse(browser.present("#inactive-banner"), "a revoked token is refused for its own reason");
            assertFalse(browser.present("#expires"), "no future expiry on a revoked token's page");
            assertFalse(browser.text("dl.facts").contains("in 30 days"), browser.text("dl.facts"));
            assertTrue(browser.text("#ended").startsWith("Revoked by seed, "), browser.text("#ended"));
        }

        // Activated again, the same pages say so.
        store.integrations().setActive("seed", i.id(), true);
        browser.viewport(Viewport.DESKTOP);
        browser.open("/integrations/" + i.id());
        assertFalse(browser.present("#inactive-banner"));
        assertEquals("2", browser.text("#working-tokens"));
        assertEquals("active", browser.text("tr[data-token-id='" + one.token().id() + "'] .badge").toLowerCase());
    }

    @Test
    void backAndForwardNeverShowTheTokenAgain() throws Exception {
        Integration i = store.integrations().create("seed", IntegrationStore.Input.of("Back button", "", "back@example.com"));
        for (Viewport viewport : Viewport.values()) {
            browser.viewport(viewport);
            browser.open("/integrations/" + i.id() + "/tokens/new");
            browser.driver().findElement(By.id("name")).sendKeys("token at " + viewport.label());
            browser.clickAndWaitForPage(By.xpath("//button[normalize-space()='Save Global API Access Token']"));
            Matcher created = CREATED.matcher(browser.driver().getCurrentUrl());
            assertTrue(created.matches(), browser.driver().getCurrentUrl());
            String value = browser.driver().findElement(By.id("token-value")).getAttribute("value");
            assertTrue(TokenFormat.isValid(value), value);
            browser.screenshot("truth-token-created-" + viewport.label());

            // Leave for the token's details, then Back: the shown-once page comes back without the value.
            browser.clickAndWaitForPage(By.linkText("Token details"));
            browser.driver().executeScript("window.__leftDetails = true;");
            browser.driver().navigate().back();
            waitForUrl(created.group(0));
            boolean restored = Boolean.TRUE.equals(browser.driver().executeScript("return window.__globalgateOldPage === true;"));
            assertTokenGone(value, "Back to the shown-once page (" + (restored ? "from the back-forward cache" : "from the server")
                    + ") at " + viewport.label());
            if (viewport == Viewport.DESKTOP) {
                // The point of the test: Chromium does restore this page from its back-forward cache.
                assertTrue(restored, "Chromium asked the server again; the back-forward cache path was not exercised");
            }

            // Forward and Back again; then Back to the form and Forward to the shown-once page.
            browser.driver().navigate().forward();
            waitForUrl(browser.url("/tokens/" + created.group(1)));
            browser.driver().navigate().back();
            waitForUrl(created.group(0));
            assertTokenGone(value, "Forward then Back at " + viewport.label());
            browser.driver().navigate().back();
            waitForUrl(browser.url("/integrations/" + i.id() + "/tokens/new"));
            browser.driver().navigate().forward();
            waitForUrl(created.group(0));
            assertTokenGone(value, "Back to the form then Forward at " + viewport.label());
            browser.driver().navigate().refresh();
            assertTokenGone(value, "a reload at " + viewport.label());
        }
    }

    @Test
    void copySaysCopiedOnlyWhenTheBrowserCopied() throws Exception {
        Integration i = store.integrations().create("seed", IntegrationStore.Input.of("Copy button", "", "copy@example.com"));
        for (Viewport viewport : Viewport.values()) {
            browser.viewport(viewport);
            browser.open("/integrations/" + i.id() + "/tokens/new");
            browser.driver().findElement(By.id("name")).sendKeys("copy at " + viewport.label());
            browser.clickAndWaitForPage(By.xpath("//button[normalize-space()='Save Global API Access Token']"));
            // As over plain HTTP from another host: no asynchronous clipboard, and execCommand('copy') refused.
            browser.driver().executeScript("Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});"
                    + "document.execCommand = function () { return false; };");
            browser.driver().findElement(By.id("copy-token")).click();
            assertEquals("The browser did not copy the token: it is selected, copy it with Ctrl+C (⌘C on a Mac).",
                    browser.text("#copy-status"));
            assertEquals(browser.driver().findElement(By.id("token-value")).getAttribute("value"),
                    browser.driver().executeScript("return window.getSelection().toString() || (function (f) {"
                            + " return f.value.substring(f.selectionStart, f.selectionEnd); })(document.getElementById('token-value'));"),
                    "the token is selected for a copy by hand");
            browser.screenshot("truth-copy-failed-" + viewport.label());
            // A browser whose execCommand throws.
            browser.driver().executeScript("document.execCommand = function () { throw new Error('denied'); };"
                    + "document.getElementById('copy-status').textContent = '';");
            browser.driver().findElement(By.id("copy-token")).click();
            assertTrue(browser.text("#copy-status").startsWith("The browser did not copy the token"), browser.text("#copy-status"));
            // The control: where execCommand says it copied, the page says so.
            browser.driver().executeScript("document.execCommand = function () { return true; };");
            browser.driver().findElement(By.id("copy-token")).click();
            assertEquals("Copied to the clipboard.", browser.text("#copy-status"));
        }
    }

    @Test
    void everyPageFitsAPhoneAndHasNoSeriousAccessibilityViolation() throws Exception {
        Integration i = store.integrations().create("seed", IntegrationStore.Input.of("W".repeat(90) + "0123456789",
                "A name of 100 characters without a space, and a description that goes on for a while to fill a line or two",
                "a.very.long.notification.address.for.the.operations.team@warehouse-systems.example.com"));
        IssuedToken active = store.tokens().create("seed", i.id(), "ERP sync (production) with a long name to wrap", "30d", null);
        IssuedToken old = store.tokens().create("seed", i.id(), "staging", "90d", null);
        store.tokens().regenerate("seed", old.token().id(), Duration.ofHours(1));
        IssuedToken gone = store.tokens().create("seed", i.id(), "retired", "7d", null);
        store.tokens().revoke("seed", gone.token().id());
        Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("integrations", "/");
        pages.put("integrations-search", "/?q=nothing-matches");
        pages.put("integration-new", "/integrations/new");
        pages.put("integration", "/integrations/" + i.id());
        pages.put("integration-edit", "/integrations/" + i.id() + "/edit");
        pages.put("token-new", "/integrations/" + i.id() + "/tokens/new");
        pages.put("token", "/tokens/" + active.token().id());
        pages.put("token-replaced", "/tokens/" + old.token().id());
        pages.put("token-revoked", "/tokens/" + gone.token().id());
        pages.put("token-created-already-shown", "/tokens/" + active.token().id() + "/created");
        pages.put("audit", "/audit");
        pages.put("audit-of-integration", "/audit?integrationId=" + i.id());
        pages.put("error-not-found", "/integrations/999999999");
        for (Viewport viewport : Viewport.values()) {
            browser.viewport(viewport);
            for (Map.Entry<String, String> page : pages.entrySet()) {
                browser.open(page.getKey().equals("integrations") ? "/" : page.getValue());
                checkPage(page.getKey(), viewport);
            }
            // The shown-once page, and the forms shown again with their errors.
            browser.open("/integrations/" + i.id() + "/tokens/new");
            browser.driver().findElement(By.id("name")).sendKeys("shown at " + viewport.label());
            browser.clickAndWaitForPage(By.cssSelector("form.form button[type=submit]"));
            assertTrue(browser.present("#token-value"));
            checkPage("token-created", viewport);

            browser.open("/integrations/new");
            browser.clickAndWaitForPage(By.cssSelector("form.form button[type=submit]"));
            assertFormErrors(List.of("name", "notificationEmail"), "New Integration");
            checkPage("integration-new-errors", viewport);

            browser.open("/integrations/" + i.id() + "/tokens/new");
            new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("expiration"))).selectByValue("custom");
            browser.clickAndWaitForPage(By.cssSelector("form.form button[type=submit]"));
            assertFormErrors(List.of("name", "expiresAt"), "New token for");
            checkPage("token-new-errors", viewport);

            // The skip link is the first stop of the keyboard, shown when it has focus, and leads to the content.
            browser.open("/integrations/" + i.id());
            browser.driver().findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
            assertEquals("Skip to content", browser.driver().switchTo().activeElement().getText());
            assertTrue(browser.driver().switchTo().activeElement().getRect().getX() >= 0, "the focused skip link is on screen");
            browser.driver().switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ENTER);
            assertEquals("main", browser.driver().switchTo().activeElement().getAttribute("id"));
        }
    }

    @Test
    void regenerateSaysWhatHappensInWordsAndTimesAreRelative() throws Exception {
        Integration i = store.integrations().create("seed", IntegrationStore.Input.of("Rotation", "", "rotation@example.com"));
        for (Viewport viewport : Viewport.values()) {
            browser.viewport(viewport);
            IssuedToken old = store.tokens().create("seed", i.id(), "rotating " + viewport.label(), "7d", null);

            // Expiry and last use relative to now, the exact time at hand; within 7 days it is highlighted.
            browser.open("/integrations/" + i.id());
            String row = "tr[data-token-id='" + old.token().id() + "']";
            assertEquals("expiring-soon", browser.driver().findElement(By.cssSelector(row)).getAttribute("class"));
            assertTrue(browser.text(row + " td[data-label=Expires]").startsWith("in 7 days"), browser.text(row + " td[data-label=Expires]"));
            assertTrue(browser.text(row + " td[data-label=Expires] small.exact").matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC"));
            assertEquals("expires soon", browser.text(row + " .badge.soon"));
            assertEquals("Never used", browser.text(row + " td[data-label='Last used']"));

            // The token form: a warning for Never, and when reminders go out.
            browser.open("/integrations/" + i.id() + "/tokens/new");
            assertEquals("Reminders go to rotation@example.com 7 days and 1 day before the token expires.", browser.text("#reminders-note"));
            assertFalse(browser.driver().findElement(By.id("never-warning")).isDisplayed());
            new Select(browser.driver().findElement(By.id("expiration"))).selectByValue("never");
            assertTrue(browser.driver().findElement(By.id("never-warning")).isDisplayed());
            assertTrue(browser.text("#never-warning").startsWith("A token that never expires works until someone revokes it"));
            browser.screenshot("time-token-form-never-" + viewport.label());
            new Select(browser.driver().findElement(By.id("expiration"))).selectByValue("30d");
            assertFalse(browser.driver().findElement(By.id("never-warning")).isDisplayed());

            // Regenerate with a grace period and a new expiration: the question and the result say what happens.
            browser.open("/tokens/" + old.token().id());
            new Select(browser.driver().findElement(By.id("grace"))).selectByValue("3600");
            new Select(browser.driver().findElement(By.id("regenerate-expiration"))).selectByValue("30d");
            String question = browser.clickAndAnswer(By.cssSelector("#regenerate-form button[type=submit]"), true);
            assertEquals("Regenerate “rotating " + viewport.label() + "”? A new token is shown once. The old token keeps working for"
                    + " 1 hour, then stops.", question);
            Matcher created = CREATED.matcher(browser.driver().getCurrentUrl());
            assertTrue(created.matches(), browser.driver().getCurrentUrl());
            String replaces = browser.text("#replaces");
            assertTrue(replaces.startsWith("This token replaces rotating " + viewport.label() + " (" + old.token().hint() + "), which keeps"
                    + " working until "), replaces);
            assertTrue(replaces.endsWith(" UTC (in 1 hour), then stops."), replaces);
            browser.screenshot("regenerate-result-" + viewport.label());

            // Back to the old token's page (Chromium restores it from its back-forward cache): it shows its state
            // now, replaced, and no longer the Active token with a Regenerate form it was before.
            browser.driver().navigate().back();
            waitForUrl(browser.url("/tokens/" + old.token().id()));
            new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).ignoring(org.openqa.selenium.WebDriverException.class)
                    .until(d -> browser.present("#replaced-banner"));
            assertFalse(browser.present("#regenerate-form"), "Back shows the old token's page as it was before the regeneration");
            long fresh = Long.parseLong(created.group(1));
            assertEquals("30d", store.tokens().get(fresh).expiration(), "the new token has the chosen expiration");
            assertEquals(200, GlobalApi.status(server.uri(), old.value()), "the old token works during its grace period");

            // The old token's page: the deadline in words; it can be revoked early, not regenerated again.
            browser.open("/tokens/" + old.token().id());
            String banner = browser.text("#replaced-banner");
            assertTrue(banner.startsWith("Regenerated: this token keeps working until "), banner);
            assertTrue(banner.contains(" UTC (in 1 hour), then stops."), banner);
            assertTrue(banner.contains("Its replacement is rotating " + viewport.label()), banner);
            assertTrue(browser.present("#revoke-form"));
            assertFalse(browser.present("#regenerate-form"));
            browser.screenshot("regenerate-old-in-grace-" + viewport.label());

            // An expired token offers no Revoke, and Regenerate without a grace period.
            IssuedToken expired = store.tokens().create("seed", i.id(), "expired " + viewport.label(), "7d", null);
            try (var c = dataSource.getConnection(); var ps = c.prepareStatement("UPDATE access_token SET expires_at = ? WHERE id = ?")) {
                io.globalgate.store.Database.setInstant(ps, 1, java.time.Instant.now().minus(Duration.ofDays(2)));
                ps.setLong(2, expired.token().id());
                ps.executeUpdate();
            }
            browser.open("/tokens/" + expired.token().id());
            assertEquals("expired", browser.text("#token-status").toLowerCase());
            assertTrue(browser.text("#expires").startsWith("2 days ago"), browser.text("#expires"));
            assertFalse(browser.present("#revoke-form"), "revoking an expired token changes nothing");
            assertTrue(browser.present("#regenerate-form"));
            assertFalse(browser.present("#grace"), "no grace period for a token that works no more");
            checkPage("token-expired", viewport);
        }
    }

    @Test
    void notificationsAreInWordsPagedNameTheirTokensAndEachGridKeepsItsPage() throws Exception {
        Integration i = store.integrations().create("seed", IntegrationStore.Input.of("Mail to files", "", "files@example.com"));
        IssuedToken mailed = store.tokens().create("seed", i.id(), "mailed token", "30d", null); // the oldest message
        for (int n = 0; n < 12; n++) {
            store.notifications().enqueueTest("seed", i.id());
        }
        io.globalgate.admin.testing.StoreState.insertTokens(store, i.id(), 22, "fleet "); // 23 tokens: two pages
        long deadline = System.currentTimeMillis() + 20_000;
        while (store.notifications().list(i.id(), io.globalgate.admin.store.PageRequest.first(20)).items().stream()
                .anyMatch(m -> m.status() != io.globalgate.admin.store.NotificationOutbox.Status.SENT)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        String tokenPages = "nav.paging[aria-label='Pages']";
        String notificationPages = "nav.paging[aria-label='Pages of notifications']";
        for (Viewport viewport : Viewport.values()) {
            browser.viewport(viewport);
            browser.open("/integrations/" + i.id());
            List<String> statuses = browser.driver().findElements(By.cssSelector("#notifications tbody .badge")).stream()
                    .map(e -> e.getText()).toList();
            assertEquals(java.util.Collections.nCopies(10, "Written to file"), statuses, "an .eml file is not a sent e-mail");
            assertEquals("Test e-mail", browser.text("#notifications tbody td[data-label=What]"));
            browser.screenshot("notifications-page-1-" + viewport.label());

            // Each grid pages on its own: the tokens' page stays when the notifications page, and the other way round.
            browser.clickAndWaitForPage(By.cssSelector(tokenPages + " a[rel=next]"));
            assertTrue(browser.text(tokenPages).startsWith("21–23 of 23"), browser.text(tokenPages));
            browser.clickAndWaitForPage(By.cssSelector(notificationPages + " a[rel=next]"));
            assertEquals(3, browser.driver().findElements(By.cssSelector("#notifications tbody tr")).size(), "13 messages, 10 a page");
            assertTrue(browser.text(notificationPages).startsWith("11–13 of 13"), browser.text(notificationPages));
            assertTrue(browser.text(tokenPages).startsWith("21–23 of 23"), "the tokens' page kept: " + browser.text(tokenPages));
            browser.clickAndWaitForPage(By.cssSelector(tokenPages + " a[rel=prev]"));
            assertTrue(browser.text(tokenPages).startsWith("1–20 of 23"), browser.text(tokenPages));
            assertTrue(browser.text(notificationPages).startsWith("11–13 of 13"),
                    "the notifications' page kept when the tokens page: " + browser.text(notificationPages));
            // Searching the tokens keeps it too.
            browser.driver().findElement(By.id("token-q")).sendKeys("fleet");
            browser.clickAndWaitForPage(By.cssSelector("#token-search button[type=submit]"));
            assertTrue(browser.text(tokenPages).startsWith("1–20 of 22"), browser.text(tokenPages));
            assertTrue(browser.text(notificationPages).startsWith("11–13 of 13"),
                    "the notifications' page kept by a token search: " + browser.text(notificationPages));

            // A message about a token names it, linked to its page; a test e-mail is about no token.
            List<org.openqa.selenium.WebElement> rows = browser.driver().findElements(By.cssSelector("#notifications tbody tr"));
            org.openqa.selenium.WebElement created = rows.get(2);
            assertEquals("Token created", created.findElement(By.cssSelector("td[data-label=What]")).getText());
            org.openqa.selenium.WebElement link = created.findElement(By.cssSelector("td[data-label=Token] a"));
            assertEquals("mailed token", link.getText());
            assertTrue(link.getAttribute("href").endsWith("/admin/tokens/" + mailed.token().id()), link.getAttribute("href"));
            assertTrue(created.findElement(By.cssSelector("td[data-label=Token]")).getText().contains(mailed.token().hint()));
            assertTrue(rows.get(0).findElement(By.cssSelector("td[data-label=Token]")).getText().endsWith("—"),
                    rows.get(0).getText());
            checkPage("integration-notifications-page-2", viewport);
        }
    }

    @Test
    void theUsageChartShowsRequestsPerHourReadableWithoutColourAndTheGraceUsage() throws Exception {
        Integration i = store.integrations().create("seed", IntegrationStore.Input.of("Charted", "", "chart@example.com"));
        IssuedToken a = store.tokens().create("seed", i.id(), "charted a", "30d", null);
        IssuedToken b = store.tokens().create("seed", i.id(), "charted b", "30d", null);
        io.globalgate.admin.testing.Usage.record(dataSource, a.token().id(), 50, 120);
        io.globalgate.admin.testing.Usage.record(dataSource, a.token().id(), 26, 40);
        io.globalgate.admin.testing.Usage.record(dataSource, b.token().id(), 26, 10);
        // Regenerated with a grace period; the old token is still used in the current hour.
        store.tokens().regenerate("seed", a.token().id(), Duration.ofHours(24));
        io.globalgate.admin.testing.Usage.record(dataSource, a.token().id(), 0, 3);
        for (Viewport viewport : Viewport.values()) {
            browser.viewport(viewport);
            browser.open("/tokens/" + a.token().id());
            List<String> titles = browser.driver().findElements(By.cssSelector("svg.usage-chart rect.bar title")).stream()
                    .map(t -> t.getAttribute("textContent")).toList();
            assertEquals(3, titles.size(), "one bar per hour with requests: " + titles);
            assertTrue(titles.get(0).endsWith(" UTC: 120 requests"), titles.toString());
            assertTrue(titles.get(2).endsWith(" UTC: 3 requests"), titles.toString());
            assertEquals("Requests per hour over the last 7 days: 163 requests in all, at most 120 requests in one hour.",
                    browser.text("#usage-summary").replace(" Hours in UTC; usage is written by each gateway node every few seconds.", ""));
            long inTable = browser.driver().findElements(By.cssSelector("#usage-days tbody td.number")).stream()
                    .mapToLong(td -> Long.parseLong(td.getText().replaceAll("\\D", ""))).sum();
            assertEquals(163, inTable, "the table per day says the same, without the drawing");
            assertTrue(browser.text("#grace-usage").startsWith("Used 3 times since it was replaced"), browser.text("#grace-usage"));
            checkPage("token-usage-in-grace", viewport);

            browser.open("/integrations/" + i.id());
            List<String> summed = browser.driver().findElements(By.cssSelector("svg.usage-chart rect.bar title")).stream()
                    .map(t -> t.getAttribute("textContent")).toList();
            assertEquals(3, summed.size(), summed.toString());
            assertTrue(summed.get(1).endsWith(" UTC: 50 requests"), "both tokens in that hour: " + summed);
            browser.screenshot("integration-usage-" + viewport.label());
            assertDayLabelsReadable(viewport);
        }
    }

    @Test
    void theTokenGridSortsSearchesRevokesARowAndSelectsEveryPageAtBothSizes() throws Exception {
        for (Viewport viewport : Viewport.values()) {
            browser.viewport(viewport);
            boolean phone = viewport == Viewport.PHONE;
            Integration i = store.integrations().create("seed", IntegrationStore.Input.of("Grid at " + viewport.label(), "", "grid@example.com"));
            io.globalgate.admin.testing.StoreState.insertTokens(store, i.id(), 22, "fleet ");
            IssuedToken old = store.tokens().create("seed", i.id(), "rotating", "30d", null);
            IssuedToken fresh = store.tokens().regenerate("seed", old.token().id(), Duration.ofHours(1));
            browser.open("/integrations/" + i.id());
            if (phone) {
                // The headers are hidden on a phone; the same orders are a choice of the search form.
                assertFalse(browser.driver().findElement(By.cssSelector("#tokens th a.sort")).isDisplayed());
                new Select(browser.driver().findElement(By.id("token-sort"))).selectByValue("-name");
                browser.clickAndWaitForPage(By.cssSelector("#token-search button[type=submit]"));
                assertTrue(browser.driver().getCurrentUrl().contains("sort=-name"), browser.driver().getCurrentUrl());
                assertEquals("rotating", browser.text("#tokens tbody td.name a"));
            } else {
                assertFalse(browser.driver().findElement(By.id("token-sort")).isDisplayed(), "the headers sort on a desktop");
                // A header's link is reached and followed with the keyboard.
                var byName = browser.driver().findElement(By.cssSelector("#tokens th a.sort[href$='sort=name']"));
                browser.driver().executeScript("arguments[0].focus();", byName);
                assertEquals(byName, browser.driver().switchTo().activeElement(), "the sort link takes the focus");
                browser.markPage();
                browser.driver().switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ENTER);
                browser.waitForNewPage();
                assertEquals("ascending", browser.driver().findElement(By.cssSelector("#tokens th[aria-sort]")).getAttribute("aria-sort"));
                assertEquals("Name ▲", browser.text("#tokens th[aria-sort]"));
                assertEquals("fleet 1", browser.text("#tokens tbody td.name a"));
            }

            // The two tokens of the regeneration are told apart; the old one's row can be revoked on its own.
            browser.driver().findElement(By.id("token-q")).sendKeys("ROTATING");
            browser.clickAndWaitForPage(By.cssSelector("#token-search button[type=submit]"));
            String oldRow = "tr[data-token-id='" + old.token().id() + "']";
            assertEquals("replaced", browser.text(oldRow + " .badge").toLowerCase());
            assertTrue(browser.text(oldRow + " small.grace").startsWith("works until "), browser.text(oldRow + " small.grace"));
            assertTrue(browser.text(oldRow + " td.name").endsWith("replaced by " + fresh.token().hint()), browser.text(oldRow + " td.name"));
            browser.assertNoSidewaysScroll("integration-grid-regenerated at " + viewport.label());
            browser.screenshot("page-integration-grid-regenerated-" + viewport.label());
            String question = browser.clickAndAnswer(By.cssSelector(oldRow + " button.row-revoke"), !phone);
            assertEquals("Revoke “rotating” (" + old.token().hint() + ")? Applications using it lose access at once. This cannot be undone.",
                    question);
            if (phone) {
                assertEquals(io.globalgate.admin.store.TokenStatus.ACTIVE, store.tokens().get(old.token().id()).status(java.time.Instant.now()),
                        "dismissed: nothing revoked");
            } else {
                assertEquals("Token “rotating” (" + old.token().hint() + ") revoked.", browser.text("p.flash"));
                assertTrue(browser.driver().getCurrentUrl().endsWith("?q=ROTATING&sort=name"), "back to the same grid: "
                        + browser.driver().getCurrentUrl());
                assertEquals(401, GlobalApi.status(server.uri(), old.value()));
                assertEquals(200, GlobalApi.status(server.uri(), fresh.value()), "the other row's token works");
            }

            // Every page of a search at once: the count is the list's, and the confirmation says it.
            browser.driver().findElement(By.id("token-q")).clear();
            browser.driver().findElement(By.id("token-q")).sendKeys("fleet");
            browser.clickAndWaitForPage(By.cssSelector("#token-search button[type=submit]"));
            assertTrue(browser.text("nav.paging").startsWith("1–20 of 22"), browser.text("nav.paging"));
            assertFalse(browser.driver().findElement(By.id("select-across")).isDisplayed());
            // Select all is a labelled tap target of at least 24x24 px; on a phone, where the headers are hidden, its words show.
            var selectAll = browser.driver().findElement(By.cssSelector("th.select-all label[for=select-all]"));
            assertTrue(selectAll.getRect().getWidth() >= 24 && selectAll.getRect().getHeight() >= 24,
                    "Select all's target at " + viewport.label() + ": " + selectAll.getRect().getDimension());
            assertEquals("Select all on this page", selectAll.getText());
            if (phone) {
                // The words are drawn, not clipped to a pixel as on a desktop (where the column's place says it).
                Number wordsWidth = (Number) browser.driver().executeScript("var w = document.querySelector('th.select-all"
                        + " .select-all-text'); var r = w.getBoundingClientRect(); return getComputedStyle(w).position === 'absolute'"
                        + " ? 0 : r.width * (r.height >= 12 ? 1 : 0);");
                assertTrue(wordsWidth.doubleValue() >= 60, "Select all's words are not visible on a phone: " + wordsWidth);
                selectAll.findElement(By.cssSelector(".select-all-text")).click(); // a tap on the words
            } else {
                browser.driver().findElement(By.id("select-all")).click();
            }
            assertTrue(browser.driver().findElement(By.id("select-across")).isDisplayed(), "the offer of every page");
            assertEquals("20 selected", browser.text(".selected-count"));
            browser.driver().findElement(By.id("select-every")).click();
            assertEquals("22 selected on every page", browser.text(".selected-count"));
            assertEquals("clear-every", browser.driver().switchTo().activeElement().getAttribute("id"));
            // axe-core at the phone's size only (a run takes seconds); the desktop's grid is checked with the other pages.
            checkPage("integration-grid-every-page", viewport);
            question = browser.clickAndAnswer(By.id("mass-submit"), phone);
            assertEquals("Revoke 22 tokens (every page of this list)? Applications using them lose access at once. This cannot be undone.",
                    question);
            long revoked = io.globalgate.admin.testing.StoreState.count(store, "SELECT COUNT(*) FROM access_token WHERE integration_id = "
                    + i.id() + " AND revoked_at IS NOT NULL");
            if (phone) {
                assertEquals("22 tokens revoked.", browser.text("p.flash"));
                assertEquals(22, revoked, "every fleet token, on both pages");
                assertEquals(200, GlobalApi.status(server.uri(), fresh.value()), "not in the search: not revoked");
            } else {
                assertEquals(1, revoked, "dismissed: only the row revoked before");
                // Unchecking a box leaves every-page mode: the confirmation counts the boxes again.
                browser.driver().findElement(By.cssSelector("#tokens tbody input[name=ids]")).click();
                assertEquals("19 selected", browser.text(".selected-count"));
                assertFalse(browser.driver().findElement(By.id("select-across")).isDisplayed());
            }
        }
    }

    @Test
    void restrictionFormsOfferTheRecentAddressesShowEachErrorAtItsFieldAndSaveWhatTheFilterEnforces() throws Exception {
        Integration i = store.integrations().create("seed", IntegrationStore.Input.of("Restricted " + System.nanoTime(), "", "o@example.com"));
        IssuedToken t = store.tokens().create("seed", i.id(), "ERP sync", "30d", null);
        java.time.Instant now = java.time.Instant.now();
        store.shared().usage().record(List.of(new io.globalgate.store.TokenUsage(t.token().id(), now.minusSeconds(60), "198.51.100.4", Map.of())));
        store.shared().usage().record(List.of(new io.globalgate.store.TokenUsage(t.token().id(), now, "2001:db8:0:0:0:0:0:9", Map.of())));

        // A token's restrictions, at a laptop's size, reached from its page.
        browser.viewport(Viewport.DESKTOP);
        browser.open("/tokens/" + t.token().id());
        browser.clickAndWaitForPage(By.linkText("Edit restrictions"));
        assertEquals("2001:db8:0:0:0:0:0:9\n198.51.100.4", browser.text("#recent-address-list"), "the addresses it was seen from, latest first");
        browser.driver().findElement(By.id("allowedNetworks")).sendKeys("198.51.100.4\n10.1.2.3/8\nfe80::1%eth0");
        browser.driver().findElement(By.id("pathPrefixes")).sendKeys("/api/global/v1/orders/../customers");
        browser.clickAndWaitForPage(By.cssSelector("form.form button[type=submit]"));
        assertFormErrors(List.of("allowedNetworks", "pathPrefixes"), "Restrictions of ERP sync");
        assertTrue(browser.text("#allowedNetworks-error").contains("did you mean 10.0.0.0/8"), browser.text("#allowedNetworks-error"));
        assertTrue(browser.text("#allowedNetworks-error").contains("'fe80::1%eth0' is not an IPv4 or IPv6 network"),
                browser.text("#allowedNetworks-error"));
        assertTrue(browser.text("#pathPrefixes-error").contains("must not contain . or .. segments"), browser.text("#pathPrefixes-error"));
        assertEquals("198.51.100.4\n10.1.2.3/8\nfe80::1%eth0", browser.driver().findElement(By.id("allowedNetworks")).getAttribute("value"),
                "what was typed is kept");
        io.globalgate.admin.store.AccessToken unchanged = store.tokens().get(t.token().id());
        assertEquals(List.of("", "read-write", ""), List.of(unchanged.allowedNetworks().toString(), unchanged.scope().code(),
                String.join(" ", unchanged.pathPrefixes())), "a refused form changes nothing");
        browser.assertAccessible("token restrictions with errors at " + Viewport.DESKTOP.label());
        browser.screenshot("page-token-restrictions-errors-" + Viewport.DESKTOP.label());

        browser.driver().findElement(By.id("allowedNetworks")).clear();
        browser.driver().findElement(By.id("allowedNetworks")).sendKeys("198.51.100.4\n2001:db8::/32");
        browser.driver().findElement(By.id("pathPrefixes")).clear();
        browser.driver().findElement(By.id("pathPrefixes")).sendKeys("/api/global/v1/orders/");
        browser.driver().findElement(By.cssSelector("input[name=scope][value=read-only]")).click();
        browser.clickAndWaitForPage(By.cssSelector("form.form button[type=submit]"));
        assertTrue(browser.driver().getCurrentUrl().endsWith("/admin/tokens/" + t.token().id()), browser.driver().getCurrentUrl());
        assertEquals("from 198.51.100.4/32, 2001:db8:0:0:0:0:0:0/32; read-only; paths /api/global/v1/orders/ · Edit restrictions",
                browser.text("dd#restrictions"));
        assertEquals(403, GlobalApi.status(server.uri(), t.value()), "the filter of the same server refuses 127.0.0.1 at once");

        // An integration's, at a phone's size: its networks and rate limit, errors first.
        browser.viewport(Viewport.PHONE);
        browser.open("/integrations/" + i.id());
        browser.clickAndWaitForPage(By.linkText("Edit restrictions"));
        checkPage("integration-restrictions", Viewport.PHONE);
        browser.driver().findElement(By.id("allowedNetworks")).sendKeys("example.com");
        browser.driver().findElement(By.id("requestsPerMinute")).sendKeys("abc");
        browser.driver().findElement(By.id("burst")).sendKeys("0");
        browser.clickAndWaitForPage(By.cssSelector("form.form button[type=submit]"));
        assertFormErrors(List.of("allowedNetworks", "requestsPerMinute", "burst"), "Restrictions of " + i.name());
        assertTrue(browser.text("#allowedNetworks-error").contains("no host names"), browser.text("#allowedNetworks-error"));
        assertTrue(browser.text("#requestsPerMinute-error").contains("must be a whole number"), browser.text("#requestsPerMinute-error"));
        checkPage("integration-restrictions-errors", Viewport.PHONE);

        browser.driver().findElement(By.id("allowedNetworks")).clear();
        browser.driver().findElement(By.id("allowedNetworks")).sendKeys("203.0.113.0/24");
        browser.driver().findElement(By.id("requestsPerMinute")).clear();
        browser.driver().findElement(By.id("requestsPerMinute")).sendKeys("120");
        browser.driver().findElement(By.id("burst")).clear();
        browser.driver().findElement(By.id("burst")).sendKeys("10");
        browser.clickAndWaitForPage(By.cssSelector("form.form button[type=submit]"));
        assertTrue(browser.driver().getCurrentUrl().endsWith("/admin/integrations/" + i.id()), browser.driver().getCurrentUrl());
        assertTrue(browser.text("dd#restrictions").startsWith("from 203.0.113.0/24; 120 requests per minute per node, burst 10"),
                browser.text("dd#restrictions"));
        browser.open("/tokens/" + t.token().id() + "/restrictions");
        checkPage("token-restrictions", Viewport.PHONE);
    }

    /** The form was shown again with these fields in error: summary focused, title, each field marked and described. */
    private static void assertFormErrors(List<String> fields, String title) {
        assertTrue(browser.driver().getTitle().startsWith("Error: " + title), browser.driver().getTitle());
        assertEquals("error-summary", browser.driver().switchTo().activeElement().getAttribute("id"), "focus is on the error summary");
        List<String> links = new java.util.ArrayList<>();
        for (var link : browser.driver().findElements(By.cssSelector("#error-summary a"))) {
            links.add(link.getAttribute("href").replaceAll(".*#", ""));
        }
        assertEquals(fields, links, "the summary links to each field in error");
        for (String field : fields) {
            var input = browser.driver().findElement(By.id(field));
            assertEquals("true", input.getAttribute("aria-invalid"), field);
            String describedBy = input.getAttribute("aria-describedby");
            assertTrue(describedBy != null && List.of(describedBy.split(" ")).contains(field + "-error"), field + ": " + describedBy);
            assertFalse(browser.text("#" + field + "-error").isBlank());
        }
        // A link of the summary takes the keyboard to its field.
        browser.driver().findElement(By.cssSelector("#error-summary a")).click();
        assertEquals(fields.get(0), browser.driver().switchTo().activeElement().getAttribute("id"));
    }

    /**
     * No sideways scroll and a screenshot at each viewport; axe-core at the phone's (a run takes
     * seconds: once a page keeps the suite's time), and at the desktop's for the three main pages.
     */
    private static void checkPage(String name, Viewport viewport) throws java.io.IOException {
        browser.assertNoSidewaysScroll(name + " at " + viewport.label());
        if (viewport == Viewport.PHONE || List.of("integrations", "integration", "token").contains(name)) {
            browser.assertAccessible(name + " at " + viewport.label());
        }
        browser.screenshot("page-" + name + "-" + viewport.label());
    }

    /**
     * The chart's day labels as drawn: each inside the drawing, none over another, and on a phone (where the
     * drawing is shown at half its size) still at least 9 px high; the window's partial days may go unlabelled.
     */
    private static void assertDayLabelsReadable(Viewport viewport) {
        @SuppressWarnings("unchecked")
        List<List<Number>> labels = (List<List<Number>>) browser.driver().executeScript(
                "var svg = document.querySelector('svg.usage-chart').getBoundingClientRect(), out = [];"
                + "document.querySelectorAll('svg.usage-chart text.day-label').forEach(function (t) {"
                + "  if (getComputedStyle(t).display === 'none') { return; }"
                + "  var r = t.getBoundingClientRect(); out.push([r.left - svg.left, r.right - svg.left, r.height, svg.width]); });"
                + "return out;");
        assertTrue(labels.size() >= 6, "7 days, at least 6 whole ones labelled at " + viewport.label() + ": " + labels);
        // The table of requests per day keeps each day on one line, its requests beside it, at both sizes.
        assertEquals(Boolean.TRUE, browser.driver().executeScript("var rows = document.querySelectorAll('#usage-days tbody tr');"
                + "return rows.length >= 7 && Array.prototype.every.call(rows, function (r) { var c = r.cells;"
                + "  return Math.abs(c[0].getBoundingClientRect().top - c[1].getBoundingClientRect().top) < 2; });"),
                "a day and its requests side by side at " + viewport.label());
        for (int k = 0; k < labels.size(); k++) {
            List<Number> l = labels.get(k);
            assertTrue(l.get(0).doubleValue() >= 0 && l.get(1).doubleValue() <= l.get(3).doubleValue(),
                    "day label " + k + " sticks out of the chart at " + viewport.label() + ": " + labels);
            assertTrue(l.get(2).doubleValue() >= 9, "day label " + k + " is " + l.get(2) + " px high at " + viewport.label());
            if (k > 0) {
                assertTrue(labels.get(k - 1).get(1).doubleValue() <= l.get(0).doubleValue(),
                        "day labels " + (k - 1) + " and " + k + " overlap at " + viewport.label() + ": " + labels);
            }
        }
    }

    private static void assertTokenGone(String value, String how) {
        new WebDriverWait(browser.driver(), Duration.ofSeconds(5)).until(d -> "complete".equals(
                browser.driver().executeScript("return document.readyState;")));
        String html = browser.driver().getPageSource();
        Object fieldValue = browser.driver().executeScript(
                "var f = document.getElementById('token-value'); return f === null ? null : f.value;");
        assertFalse(html.contains(value), how + ": the token is in the page");
        assertEquals(null, fieldValue, how + ": the token field is still there");
        assertTrue(browser.present("#already-shown"), how + ": the page does not say the value is gone");
    }

    private static void waitForUrl(String url) {
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(d -> url.equals(d.getCurrentUrl()));
    }
}
