package io.globalgate.admin;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.store.PageRequest;
import io.globalgate.admin.store.TokenStatus;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.GlobalApi;
import io.globalgate.testing.TestDatabases;
import io.globalgate.token.TokenFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The operator's whole flow in a real headless Chromium: sign in, add an integration, issue a
 * token, copy it, use it, mass-revoke it, regenerate another, with the page's own script and
 * stylesheet under the real Content-Security-Policy. Screenshots of the main pages go to
 * {@code target/screenshots/}.
 */
class BrowserOperatorFlowTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Pattern CREATED = Pattern.compile(".*/admin/tokens/(\\d+)/created$");
    private static final Path TARGET = Path.of(System.getProperty("basedir", ".")).resolve("target");
    private static final Path SCREENSHOTS = TARGET.resolve("screenshots");
    /** Collects the page's CSP violations from before its first script runs (CDP scripts are not subject to the CSP). */
    private static final String CSP_LISTENER = "window.__cspViolations = [];"
            + "document.addEventListener('securitypolicyviolation', function (e) {"
            + "  window.__cspViolations.push(e.violatedDirective + ' blocked ' + e.blockedURI); });";

    private static HikariDataSource dataSource;
    private static AdminTestServer server;
    private static ManagementStore store;
    private static ChromeDriver driver;
    private static Path profile;
    private static String origin;

    @BeforeAll
    static void startServerAndBrowser() throws Exception {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            fail("The browser tests need Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": install them with `apt-get install chromium chromium-driver`");
        }
        dataSource = TestDatabases.h2();
        server = AdminTestServer.start(dataSource, Clock.systemUTC(), Map.of());
        store = server.store();
        origin = "http://127.0.0.1:" + server.uri().getPort();
        // Something in the grid besides what the operator adds, including a name that is one long word.
        store.integrations().create("seed", IntegrationStore.Input.of("Accounting export",
                "Nightly export of invoices to the accounting system", "finance@example.com"));
        store.integrations().create("seed", IntegrationStore.Input.of("W".repeat(90) + "0123456789",
                "A name of 100 characters without a space", "long@example.com"));

        Files.createDirectories(SCREENSHOTS);
        profile = Files.createTempDirectory(Files.createDirectories(TARGET), "chrome-profile-");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        driver = new ChromeDriver(options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20)).scriptTimeout(Duration.ofSeconds(10));
        driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", origin,
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        driver.executeCdpCommand("Page.enable", Map.of());
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", CSP_LISTENER));
    }

    @AfterAll
    static void stopBrowserAndServer() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theOperatorsWholeTokenFlowWorksInARealBrowser() throws Exception {
        drainConsole();

        // Sign in: HTTP Basic credentials in the first URL; the browser keeps them for the realm.
        driver.get("http://" + AdminTestServer.ADMIN + ":" + AdminTestServer.ADMIN_PASSWORD + "@127.0.0.1:"
                + server.uri().getPort() + "/admin/");
        assertEquals("Global Integrations", text("h1"), driver.getPageSource());
        assertEquals("Signed in as admin", text("header .user"));
        assertStyled();
        screenshot("1-grid");
        assertNoCspViolations("grid");

        // Add Custom Integration -> Save and Continue leads to the new token form.
        clickAndWaitForPage(By.linkText("Add Custom Integration"));
        assertEquals("New Integration", text("h1"));
        driver.findElement(By.id("name")).sendKeys("ERP Connector");
        driver.findElement(By.id("description")).sendKeys("Order and stock sync with the ERP");
        driver.findElement(By.id("notificationEmail")).sendKeys("erp-team@example.com");
        clickAndWaitForPage(By.xpath("//button[normalize-space()='Save and Continue']"));
        assertEquals("New Global API Access Token", text("h1"), driver.getPageSource());
        Integration integration = store.integrations().list("ERP Connector", PageRequest.first(1)).items().get(0);
        assertTrue(driver.getCurrentUrl().endsWith("/admin/integrations/" + integration.id() + "/tokens/new"), driver.getCurrentUrl());
        assertEquals("New Global API Access Token", text("h1"));
        assertTrue(text("p.flash").contains("saved. Now create its first Global API access token"), text("p.flash"));
        assertFalse(driver.findElement(By.id("custom-date")).isDisplayed(), "the custom date shows only for Custom date");
        new Select(driver.findElement(By.id("expiration"))).selectByValue("custom");
        assertTrue(driver.findElement(By.id("custom-date")).isDisplayed(), "the page's script shows the custom date field");
        new Select(driver.findElement(By.id("expiration"))).selectByValue("30d");
        assertNoCspViolations("new token form");

        // Create a token: it is shown once, and Copy puts exactly it on the clipboard.
        long first = createToken("ERP production");
        String firstValue = driver.findElement(By.id("token-value")).getAttribute("value");
        assertTrue(TokenFormat.isValid(firstValue), firstValue);
        screenshot("3-token-created");
        driver.findElement(By.id("copy-token")).click();
        new WebDriverWait(driver, Duration.ofSeconds(5))
                .until(ExpectedConditions.textToBe(By.id("copy-status"), "Copied to the clipboard."));
        Object clipboard = driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "navigator.clipboard.readText().then(done, function (e) { done('clipboard error: ' + e); });");
        assertEquals(firstValue, clipboard, "the Copy button copies the shown token");
        assertNoCspViolations("token created");
        markPage();
        driver.navigate().refresh();
        waitForNewPage();
        assertTrue(driver.findElements(By.id("token-value")).isEmpty(), "a reload no longer shows the value");
        assertFalse(driver.getPageSource().contains(firstValue));

        // The token works against the filtered endpoint.
        assertEquals(200, GlobalApi.status(server.uri(), firstValue));

        // A second token, for the regeneration below.
        driver.get(origin + "/admin/integrations/" + integration.id() + "/tokens/new");
        long second = createToken("ERP staging");
        String secondValue = driver.findElement(By.id("token-value")).getAttribute("value");
        assertEquals(200, GlobalApi.status(server.uri(), secondValue));

        // Mass revoke in the Access Tokens grid: the confirmation says how many.
        clickAndWaitForPage(By.linkText("Back to ERP Connector"));
        assertEquals(2, driver.findElements(By.cssSelector("table#tokens tbody tr")).size());
        screenshot("2-integration-with-tokens");
        driver.findElement(By.cssSelector("tr[data-token-id='" + first + "'] input[name=ids]")).click();
        assertEquals("1 selected", text("#mass-revoke .selected-count"));
        markPage();
        driver.findElement(By.id("mass-submit")).click();
        Alert confirm = new WebDriverWait(driver, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent());
        String question = confirm.getText();
        assertTrue(question.contains("1"), question);
        assertTrue(question.startsWith("Revoke 1 token"), question);
        confirm.accept();
        waitForNewPage();
        assertEquals("1 token revoked.", text("p.flash"));
        assertEquals("Revoked", driver.findElement(By.cssSelector("tr[data-token-id='" + first + "'] .badge")).getText());
        assertEquals(401, GlobalApi.status(server.uri(), firstValue), "the endpoint refuses the revoked token");
        assertEquals(200, GlobalApi.status(server.uri(), secondValue), "the other token still works");
        assertNoCspViolations("integration page");

        // Regenerate the second token from its own page.
        clickAndWaitForPage(By.cssSelector("tr[data-token-id='" + second + "'] td.name a"));
        assertEquals("ERP staging", text("h1.name"));
        screenshot("4-token-page");
        markPage();
        driver.findElement(By.cssSelector("#regenerate-form button[type=submit]")).click();
        Alert regenerate = new WebDriverWait(driver, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent());
        assertEquals("Regenerate “ERP staging”? A new token is shown once. The old token is revoked now: applications still using it"
                + " lose access at once.", regenerate.getText());
        regenerate.accept();
        waitForNewPage();
        assertTrue(CREATED.matcher(driver.getCurrentUrl()).matches(), driver.getCurrentUrl());
        String thirdValue = driver.findElement(By.id("token-value")).getAttribute("value");
        assertTrue(TokenFormat.isValid(thirdValue), thirdValue);
        assertTrue(driver.findElement(By.cssSelector("#replaces")).getText().startsWith("This token replaces ERP staging (gat_…"),
                driver.findElement(By.cssSelector("#replaces")).getText());
        assertTrue(driver.findElement(By.cssSelector("#replaces")).getText().endsWith("which was revoked now: applications still using it"
                + " are refused."), driver.findElement(By.cssSelector("#replaces")).getText());
        assertEquals(200, GlobalApi.status(server.uri(), thirdValue), "the new token works");
        assertEquals(401, GlobalApi.status(server.uri(), secondValue), "the old one is refused at once");
        assertEquals(TokenStatus.REVOKED, store.tokens().get(second).status(Instant.now()));
        assertNoCspViolations("regenerated");

        // The audit log tells the story.
        clickAndWaitForPage(By.linkText("Audit log"));
        assertEquals("Audit log", text("h1"));
        List<String> actions = new ArrayList<>();
        for (WebElement cell : driver.findElements(By.cssSelector("table#audit tbody td:nth-child(3)"))) {
            actions.add(cell.getText());
        }
        assertEquals(List.of("Token created", "Token regenerated", "Token revoked", "Token created", "Token created",
                "Integration created"), actions.subList(0, 6));
        screenshot("5-audit-log");
        assertNoCspViolations("audit log");
    }

    @Test
    void theConsoleCheckWouldSeeAnInlineScriptBlockedByTheContentSecurityPolicy() {
        // The control for the check above: an inline script, as an injection would bring, is refused and reported.
        driver.get("http://" + AdminTestServer.ADMIN + ":" + AdminTestServer.ADMIN_PASSWORD + "@127.0.0.1:"
                + server.uri().getPort() + "/admin/audit");
        drainConsole();
        driver.executeScript("var s = document.createElement('script'); s.textContent = 'window.__injected = true;';"
                + "document.body.appendChild(s);");
        new WebDriverWait(driver, Duration.ofSeconds(5)).until(d -> !cspViolations().isEmpty());
        assertEquals(null, driver.executeScript("return window.__injected === undefined ? null : window.__injected;"),
                "the inline script did not run");
        assertTrue(cspViolations().get(0).startsWith("script-src"), cspViolations().toString());
        List<String> console = consoleErrors();
        assertTrue(console.stream().anyMatch(m -> m.contains("Content Security Policy")), console.toString());
    }

    // ---- helpers

    /** Fills the new token form (already open) with a name and 30 days, saves, and returns the new token's id. */
    private static long createToken(String name) {
        driver.findElement(By.id("name")).sendKeys(name);
        new Select(driver.findElement(By.id("expiration"))).selectByValue("30d");
        clickAndWaitForPage(By.xpath("//button[normalize-space()='Save Global API Access Token']"));
        Matcher m = CREATED.matcher(driver.getCurrentUrl());
        assertTrue(m.matches(), driver.getCurrentUrl() + "\n" + driver.getPageSource());
        assertEquals("Your new Global API access token", text("h1"));
        return Long.parseLong(m.group(1));
    }

    /** Clicks a link or submit button and waits until the next page has replaced this one. */
    private static void clickAndWaitForPage(By target) {
        markPage();
        driver.findElement(target).click();
        waitForNewPage();
    }

    /**
     * Marks the current document, so that {@link #waitForNewPage()} can tell when another one replaced it. (Waiting
     * for the old {@code <html>} element to go stale is racy: while Chromium swaps documents, asking about the old
     * node can fail with "Node with given id does not belong to the document" instead of a stale-element error.)
     */
    private static void markPage() {
        driver.executeScript("window.__globalgateOldPage = true;");
    }

    private static void waitForNewPage() {
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .ignoring(WebDriverException.class) // the document is being swapped; ask again
                .until(d -> Boolean.TRUE.equals(driver.executeScript(
                        "return window.__globalgateOldPage === undefined && document.readyState === 'complete';")));
    }

    private static String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    /** The stylesheet loaded and applies (a CSP that refused it would leave the header unstyled). */
    private static void assertStyled() {
        String background = driver.findElement(By.cssSelector("header.top")).getCssValue("background-color");
        assertEquals("rgba(29, 36, 48, 1)", background, "admin.css is applied");
    }

    private static void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    @SuppressWarnings("unchecked")
    private static List<String> cspViolations() {
        Object found = driver.executeScript("return window.__cspViolations || [];");
        return (List<String>) found;
    }

    private static List<String> consoleErrors() {
        List<String> messages = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            messages.add(entry.getLevel() + " " + entry.getMessage());
        }
        return messages;
    }

    private static void drainConsole() {
        driver.manage().logs().get(LogType.BROWSER);
    }

    private static void assertNoCspViolations(String page) {
        assertEquals(List.of(), cspViolations(), "CSP violations on the " + page);
        List<String> console = consoleErrors().stream()
                .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to")).toList();
        assertEquals(List.of(), console, "CSP messages in the console on the " + page);
    }
}
