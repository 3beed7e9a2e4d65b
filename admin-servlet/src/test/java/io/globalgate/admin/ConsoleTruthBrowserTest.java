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
class ConsoleTruthBrowserTest {

    private static final Pattern CREATED = Pattern.compile(".*/admin/tokens/(\\d+)/created$");

    private static HikariDataSource dataSource;
    private static AdminTestServer server;
    private static ManagementStore store;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        dataSource = TestDatabases.h2();
        server = AdminTestServer.start(dataSource, Clock.systemUTC(), Map.of());
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
            browser.screenshot("truth-integration-inactive-" + viewport.label());

            browser.open("/?q=Warehouse");
            assertEquals("0 (2 refused: integration inactive)", browser.text("#integrations tbody td.number"));
            assertEquals("no", browser.text("#integrations tbody .badge").toLowerCase());
            browser.screenshot("truth-integrations-inactive-" + viewport.label());

            browser.open("/tokens/" + one.token().id());
            assertEquals("refused", browser.text("#token-status").toLowerCase());
            assertTrue(browser.text("#inactive-banner").startsWith("The gateway refuses this token: its integration is inactive."));
            browser.screenshot("truth-token-refused-" + viewport.label());
            browser.open("/tokens/" + revoked.token().id());
            assertEquals("revoked", browser.text("#token-status").toLowerCase());
            assertFalse(browser.present("#inactive-banner"), "a revoked token is refused for its own reason");
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
