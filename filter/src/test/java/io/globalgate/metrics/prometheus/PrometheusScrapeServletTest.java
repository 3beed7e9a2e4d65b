package io.globalgate.metrics.prometheus;

import io.globalgate.testing.jetty.FormLoginScrapeServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scrape servlet with the init-param {@code role}, as the example's FORM variant maps it: no
 * constraint on {@code /metrics} (a login form is of no use to Prometheus), the servlet signs the
 * scraper in with its HTTP Basic credentials against the container's realm. A real Jetty with FORM
 * login, a {@code HashLoginService} and the listener; {@code /open} is the servlet without the
 * init-param, which leaves the check to the container's constraint as before.
 */
@Tag("jetty")
class PrometheusScrapeServletTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FormLoginScrapeServer server;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        server = FormLoginScrapeServer.start();
        io.micrometer.core.instrument.Metrics.counter("globalgate.scrape.test").increment();
        base = server.base();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aScraperInTheRoleGetsTheMeters() throws Exception {
        HttpResponse<String> scrape = get("metrics", basic("prometheus", "prometheus-password-1"));
        assertEquals(200, scrape.statusCode(), scrape.body());
        assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), scrape.headers().map()::toString);
        assertTrue(scrape.body().contains("globalgate_scrape_test_total 1.0"), scrape.body());
    }

    @Test
    void aScrapeLeavesNoSignedInSessionBehind() throws Exception {
        HttpResponse<String> scrape = get("metrics", basic("prometheus", "prometheus-password-1"));
        assertEquals(200, scrape.statusCode(), scrape.body());
        // Jetty's FORM login keeps a sign-in in a session: the servlet ends the one it made
        assertFalse(scrape.headers().allValues("Set-Cookie").isEmpty(), "Jetty's FORM login made a session for the sign-in");
        for (String cookie : scrape.headers().allValues("Set-Cookie")) {
            HttpResponse<String> replay = HTTP.send(HttpRequest.newBuilder(base.resolve("metrics"))
                    .header("Cookie", cookie.split(";")[0]).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(401, replay.statusCode(), "the session cookie of a scrape signs nobody in: " + replay.body());
        }
    }

    @Test
    void withoutCredentialsA401ThatAsksForBasicNeverTheLoginForm() throws Exception {
        HttpResponse<String> anonymous = get("metrics", null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertEquals("Basic realm=\"Globalgate metrics\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
        assertFalse(anonymous.body().contains("globalgate_scrape_test") || anonymous.body().contains("j_security_check"), anonymous.body());
    }

    @Test
    void aUserNotInTheRoleGets403() throws Exception {
        HttpResponse<String> admin = get("metrics", basic("admin", "admin-password-1"));
        assertEquals(403, admin.statusCode(), admin.body());
        assertFalse(admin.body().contains("globalgate_scrape_test"), admin.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic cHJvbWV0aGV1czp3cm9uZw==", "Basic not*base64", "Basic cHJvbWV0aGV1cw==", "Basic Om1ldHJpY3MtcGFzc3dvcmQtMQ==",
            "Basic ", "Bearer gat_0000000000000000000000000000000000000", "Digest username=\"prometheus\""})
    void hostileOrWrongCredentialsGet401(String authorization) throws Exception {
        HttpResponse<String> refused = get("metrics", authorization);
        assertEquals(401, refused.statusCode(), authorization + ": " + refused.body());
        assertFalse(refused.body().contains("globalgate_scrape_test"), refused.body());
    }

    @Test
    void anOversizedCredentialIsRefused() throws Exception {
        String huge = basic("prometheus", "prometheus-password-1" + "x".repeat(2000));
        assertEquals(401, get("metrics", huge).statusCode());
    }

    @Test
    void withoutTheInitParamTheServletLeavesTheCheckToTheContainer() throws Exception {
        assertEquals(200, get("open", null).statusCode());
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
