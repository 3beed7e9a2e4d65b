package io.globalgate.admin.testing;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One headless Chromium for a test class (starting one takes seconds), signed in to an
 * {@link AdminTestServer} with HTTP Basic, with the two viewports the console is checked at, the
 * checks every page gets there (no sideways scroll, axe-core), and screenshots in
 * {@code target/screenshots/}.
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Path TARGET = Path.of(System.getProperty("basedir", ".")).resolve("target");
    public static final Path SCREENSHOTS = TARGET.resolve("screenshots");

    /** A viewport the console must work at: a laptop, and a phone held upright. */
    public enum Viewport {
        DESKTOP(1366, 900, false), PHONE(390, 844, true);

        final int width;
        final int height;
        final boolean mobile;

        Viewport(int width, int height, boolean mobile) {
            this.width = width;
            this.height = height;
            this.mobile = mobile;
        }

        public String label() {
            return width + "x" + height;
        }
    }

    private final ChromeDriver driver;
    private final Path profile;
    private final String origin;

    private Browser(ChromeDriver driver, Path profile, String origin) {
        this.driver = driver;
        this.profile = profile;
        this.origin = origin;
    }

    /** Starts Chromium and signs in as the admin of {@code server} (Basic credentials in the first URL). */
    public static Browser start(AdminTestServer server) throws IOException {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            fail("The browser tests need Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": install them with `apt-get install chromium chromium-driver`");
        }
        Files.createDirectories(SCREENSHOTS);
        Path profile = Files.createTempDirectory(Files.createDirectories(TARGET), "chrome-profile-");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1366,900");
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        ChromeDriver driver = new ChromeDriver(options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20)).scriptTimeout(Duration.ofSeconds(30));
        int port = server.uri().getPort();
        Browser browser = new Browser(driver, profile, "http://127.0.0.1:" + port);
        browser.viewport(Viewport.DESKTOP);
        driver.get("http://" + AdminTestServer.ADMIN + ":" + AdminTestServer.ADMIN_PASSWORD + "@127.0.0.1:" + port + "/admin/");
        return browser;
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Sets the page's viewport (a phone's is a mobile one: the page's meta viewport applies). */
    public void viewport(Viewport viewport) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", viewport.width, "height", viewport.height,
                "deviceScaleFactor", 1, "mobile", viewport.mobile));
    }

    /** Opens a page of the admin, {@code path} relative to {@code /admin}. */
    public void open(String path) {
        markPage();
        driver.get(origin + "/admin" + path);
        waitForNewPage();
    }

    public String url(String path) {
        return origin + "/admin" + path;
    }

    /** Clicks a link or submit button and waits until the next page has replaced this one. */
    public void clickAndWaitForPage(By target) {
        markPage();
        driver.findElement(target).click();
        waitForNewPage();
    }

    /** Clicks what asks a question, and returns the question, answered as told; accepting waits for the next page. */
    public String clickAndAnswer(By target, boolean accept) {
        markPage();
        driver.findElement(target).click();
        Alert alert = new WebDriverWait(driver, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent());
        String question = alert.getText();
        if (accept) {
            alert.accept();
            waitForNewPage();
        } else {
            alert.dismiss();
        }
        return question;
    }

    /** Marks the current document, so that {@link #waitForNewPage()} can tell when another one replaced it. */
    public void markPage() {
        driver.executeScript("window.__globalgateOldPage = true;");
    }

    public void waitForNewPage() {
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .ignoring(WebDriverException.class) // the document is being swapped; ask again
                .until(d -> Boolean.TRUE.equals(driver.executeScript(
                        "return window.__globalgateOldPage === undefined && document.readyState === 'complete';")));
    }

    public String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    public boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    /** The page does not scroll sideways: nothing is wider than the viewport. */
    public void assertNoSidewaysScroll(String page) {
        @SuppressWarnings("unchecked")
        List<Object> widths = (List<Object>) driver.executeScript(
                "var e = document.documentElement; return [e.scrollWidth, e.clientWidth];");
        long scrollWidth = ((Number) widths.get(0)).longValue();
        long clientWidth = ((Number) widths.get(1)).longValue();
        assertTrue(scrollWidth <= clientWidth, page + " scrolls sideways: " + scrollWidth + " px wide in a viewport of "
                + clientWidth + " px; widest: " + driver.executeScript(WIDEST));
    }

    /** Names the elements that stick out on the right, to say what to fix. */
    private static final String WIDEST = "var w = document.documentElement.clientWidth, out = [];"
            + "document.querySelectorAll('body *').forEach(function (el) { var r = el.getBoundingClientRect();"
            + " if (r.right > w + 0.5 || el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible') out.push(el.tagName + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : '')"
            + " + ' ' + Math.round(r.right)); });"
            + "return out.slice(0, 8).join(', ');";

    /**
     * axe-core finds no serious or critical violation on the page as it is now. Every rule runs, in
     * the page itself: axe's "legacy" mode, a single {@code axe.run}. The default mode runs the
     * rules per frame ({@code axe.runPartial}) and then opens a new tab, injects axe-core (550 KB)
     * there a second time and hands it the results to finish the report: it exists for
     * cross-origin iframes, which the console has none of. Only violations are reported in full
     * ({@code resultTypes}); passes and the rest, which this check does not read, are summarised by
     * axe to one node each. Side by side on the same pages (12 runs at a phone's size, on a loaded
     * machine): 43 s instead of 64 s, the same violations.
     */
    public void assertAccessible(String page) {
        com.deque.html.axecore.args.AxeRunOptions options = new com.deque.html.axecore.args.AxeRunOptions();
        options.setResultTypes(List.of("violations"));
        Results results = new AxeBuilder().setLegacyMode(true).withOptions(options).analyze(driver);
        assertTrue(!results.isErrored(), page + ": axe-core failed: " + results.getErrorMessage());
        List<String> found = new ArrayList<>();
        for (Rule rule : results.getViolations()) {
            if ("serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact())) {
                List<String> where = new ArrayList<>();
                for (CheckedNode node : rule.getNodes()) {
                    where.add(node.getHtml());
                }
                found.add(rule.getImpact() + " " + rule.getId() + " (" + rule.getHelp() + "): " + where);
            }
        }
        assertEquals(List.of(), found, "accessibility violations on " + page);
    }

    public void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
