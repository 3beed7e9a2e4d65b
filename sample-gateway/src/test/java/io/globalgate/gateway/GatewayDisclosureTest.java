package io.globalgate.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 9: what the gateway tells about itself (no {@code Server} header, no version or
 * stack in error pages), who may read its files, passwords that need not be on the command line,
 * and the session cookie's {@code Secure} flag.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayDisclosureTest {

    private Path dataDir;
    private RunningGateway gateway;

    @BeforeAll
    void start() throws Exception {
        dataDir = RunningGateway.newDataDir();
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        gateway = RunningGateway.start(RunningGateway.config("--data-dir", dataDir.toString()));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        RunningGateway.delete(dataDir);
    }

    @Test
    void noAnswerNamesTheServerOrItsVersion() {
        // each request with the status the gateway answers it with: a reply of the gateway's own, not a dropped connection
        Object[][] requests = {
                {"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200},
                {"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200},
                {"GET /no-such-page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404},
                {"GET /admin/api/v1/integrations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 401},
                {"GET /admin/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 302},
                {"PATCH /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 405}, // MethodGuard: was HttpServlet's 501
                {"GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400},
                {"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\nConnection: close\r\n\r\n", 400},
                {"BREW /login HTTP/7.3\r\nHost: x\r\n\r\n", 505},
        };
        for (Object[] exchange : requests) {
            String request = (String) exchange[0];
            RawHttp.Answer answer = RawHttp.exchange(gateway.uri(), request);
            assertEquals((int) exchange[1], answer.status(), () -> request + " -> " + answer);
            assertFalse(answer.hasHeader("Server"), () -> request + " -> " + answer);
            assertFalse(answer.hasHeader("X-Powered-By"), () -> request + " -> " + answer);
            String all = answer.toString().toLowerCase(Locale.ROOT);
            assertFalse(all.contains("jetty") || all.contains("12.1.") || all.contains("servlet") || all.contains("exception"),
                    () -> request + " -> " + answer);
        }
    }

    /**
     * Black box, beyond issue 13's list: {@code TRACE} echoed the request (its cookies too) on the
     * login page and on the management listener, and a method no servlet knows was a {@code 501}.
     * Each is a {@code 405} now, on both listeners, without an echo.
     */
    @Test
    void traceAndUnknownMethodsAre405WithoutEchoOnBothListeners() {
        String secret = "JSESSIONID=secret-session-id-4711";
        Object[][] requests = {
                {gateway.uri(), "TRACE /login"}, {gateway.uri(), "TRACE /admin/"}, {gateway.uri(), "TRACE /api/global/v1/system/status"},
                {gateway.uri(), "TRACK /login"}, {gateway.uri(), "PROPFIND /login"}, {gateway.uri(), "PATCH /login"},
                {gateway.uri(), "FOO /public/v1/tokens/revoke"}, {gateway.uri(), "PATCH /no-such-page"},
                {gateway.managementUri(), "TRACE /metrics"}, {gateway.managementUri(), "TRACE /health"}, {gateway.managementUri(), "TRACE /"},
                {gateway.managementUri(), "PATCH /health"}, {gateway.managementUri(), "FOO /metrics"},
        };
        for (Object[] exchange : requests) {
            String request = exchange[1] + " HTTP/1.1\r\nHost: x\r\nCookie: " + secret + "\r\nConnection: close\r\n\r\n";
            RawHttp.Answer answer = RawHttp.exchange((java.net.URI) exchange[0], request);
            assertEquals(405, answer.status(), () -> exchange[1] + " -> " + answer);
            assertFalse(answer.toString().contains("secret-session-id"), () -> exchange[1] + " echoed the request: " + answer);
        }
        assertEquals(200, RawHttp.exchange(gateway.managementUri(), "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status());
        assertEquals(401, RawHttp.exchange(gateway.uri(), "PATCH /admin/api/v1/integrations/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .status(), "the JSON API's own PATCH is not refused by the guard");
        RawHttp.Answer apiTrace = RawHttp.exchange(gateway.uri(), "TRACE /admin/api/v1/integrations HTTP/1.1\r\nHost: x\r\nCookie: " + secret
                + "\r\nAuthorization: " + FromAddress.basic("admin", gateway.info().generatedPassword()) + "\r\nConnection: close\r\n\r\n");
        assertEquals(405, apiTrace.status(), "the JSON API answers TRACE itself, with its path's Allow: " + apiTrace);
        assertTrue(apiTrace.head().contains("\r\nAllow: GET, POST"), apiTrace::toString);
        assertFalse(apiTrace.toString().contains("secret-session-id"), apiTrace::toString);
    }

    @Test
    void errorPagesCarryTheSecurityHeaders() {
        RawHttp.Answer answer = RawHttp.exchange(gateway.uri(), "GET /no-such-page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(404, answer.status(), answer::toString);
        for (String header : new String[] {"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Cache-Control"}) {
            assertTrue(answer.hasHeader(header), () -> header + " in " + answer);
        }
    }

    /**
     * Black box, beyond issue 13's list: the pages and the error pages had the security headers,
     * but {@code /health} and {@code /metrics} (both listeners), the sign-in's redirects, the
     * public endpoints' answers and the token filter's refusals had none or only some. The
     * proxied API's refusals, written by the gateway, carry {@code nosniff}; the upstream's own
     * answers pass as they are.
     */
    @Test
    void everyAnswerTheGatewayWritesItselfCarriesTheSecurityHeaders() {
        String own = "Host: x\r\nConnection: close\r\n";
        Object[][] requests = {
                {gateway.uri(), "GET /health HTTP/1.1\r\n" + own + "\r\n", 200},
                {gateway.managementUri(), "GET /health HTTP/1.1\r\n" + own + "\r\n", 200},
                {gateway.managementUri(), "GET /metrics HTTP/1.1\r\n" + own + "\r\n", 200},
                {gateway.uri(), "GET /admin/ HTTP/1.1\r\n" + own + "\r\n", 302},
                {gateway.uri(), "POST /admin/integrations HTTP/1.1\r\n" + own + "Content-Length: 0\r\n\r\n", 303},
                {gateway.uri(), "POST /j_security_check HTTP/1.1\r\n" + own + "Content-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 29\r\n\r\nj_username=nobody&j_password=", 303},
                {gateway.uri(), "POST /public/v1/tokens/revoke HTTP/1.1\r\n" + own + "Content-Type: application/json\r\n"
                        + "Content-Length: 20\r\n\r\n{\"tokens\":[\"gat_x\"]}", 202},
                {gateway.uri(), "POST /public/v1/secret-scanning/github HTTP/1.1\r\n" + own + "Content-Length: 0\r\n\r\n", 404},
        };
        for (Object[] exchange : requests) {
            String request = (String) exchange[1];
            RawHttp.Answer answer = RawHttp.exchange((java.net.URI) exchange[0], request);
            assertEquals((int) exchange[2], answer.status(), () -> request + " -> " + answer);
            for (String header : new String[] {"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy"}) {
                assertTrue(answer.hasHeader(header), () -> header + " in " + request + " -> " + answer);
            }
        }
        RawHttp.Answer refused = RawHttp.exchange(gateway.uri(), "GET /api/global/v1/system/status HTTP/1.1\r\n" + own + "\r\n");
        assertEquals(401, refused.status(), refused::toString);
        assertTrue(refused.head().contains("\r\nX-Content-Type-Options: nosniff\r\n"), refused::toString);
    }

    @Test
    void theDataDirIsTheOwnersOnly() throws Exception {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)));
    }

    @Test
    void theAdminPasswordHashFileIsTheOwnersOnly() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(AdminCredentials.FILE_NAME))));
    }

    @Test
    void theSessionCookieIsNotSecureOnPlainHttpByDefault() {
        GatewayClient browser = GatewayClient.anonymous(gateway.uri());
        Reply signedIn = browser.postForm("/j_security_check", "j_username", "admin", "j_password", gateway.info().generatedPassword());
        assertEquals(303, signedIn.status(), signedIn::toString);
        String cookie = signedIn.header("Set-Cookie");
        assertNotNull(cookie, signedIn.headers()::toString);
        assertFalse(cookie.toLowerCase(Locale.ROOT).contains("secure"), cookie);
    }

    @Test
    void secureCookiesAlwaysMarksTheSessionCookieSecureOnPlainHttp() throws Exception {
        Path dir = RunningGateway.newDataDir();
        try (RunningGateway behindTls = RunningGateway.start(RunningGateway.config("--data-dir", dir.toString(),
                "--secure-cookies", "always", "--admin-password", "a-long-enough-password"))) {
            Reply signedIn = GatewayClient.anonymous(behindTls.uri())
                    .postForm("/j_security_check", "j_username", "admin", "j_password", "a-long-enough-password");
            assertEquals(303, signedIn.status(), signedIn::toString);
            String cookie = signedIn.header("Set-Cookie");
            assertNotNull(cookie, signedIn.headers()::toString);
            assertTrue(cookie.toLowerCase(Locale.ROOT).contains("secure"), cookie);
        } finally {
            RunningGateway.delete(dir);
        }
    }

    @Test
    void secureCookiesAutoBelievesXForwardedProtoHttpsFromATrustedProxyOnly() throws Exception {
        Path dir = RunningGateway.newDataDir();
        try (RunningGateway behindProxy = RunningGateway.start(RunningGateway.config("--data-dir", dir.toString(),
                "--trusted-proxies", "127.0.0.1", "--admin-password", "a-long-enough-password"))) {
            String form = "j_username=admin&j_password=a-long-enough-password";
            String authority = behindProxy.uri().getRawAuthority();
            List<String> https = List.of("Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-Proto", "https",
                    "Origin", "https://" + authority);
            Reply viaProxy = FromAddress.of("127.0.0.1", behindProxy.uri()).send("POST", "/j_security_check", https, form);
            assertEquals(303, viaProxy.status(), "the browser's https origin is the gateway's own behind the proxy: " + viaProxy);
            assertNotNull(viaProxy.header("Set-Cookie"), viaProxy::toString);
            assertTrue(viaProxy.header("Set-Cookie").toLowerCase(Locale.ROOT).contains("secure"), viaProxy.header("Set-Cookie"));

            List<String> plain = List.of("Content-Type", "application/x-www-form-urlencoded");
            Reply plainViaProxy = FromAddress.of("127.0.0.1", behindProxy.uri()).send("POST", "/j_security_check", plain, form);
            assertFalse(plainViaProxy.header("Set-Cookie").toLowerCase(Locale.ROOT).contains("secure"), plainViaProxy::toString);

            List<String> claimed = List.of("Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-Proto", "https");
            Reply spoofed = FromAddress.of("127.0.0.2", behindProxy.uri()).send("POST", "/j_security_check", claimed, form);
            assertEquals(303, spoofed.status(), spoofed::toString);
            assertFalse(spoofed.header("Set-Cookie").toLowerCase(Locale.ROOT).contains("secure"),
                    "a client that is no trusted proxy cannot make its plain-HTTP request look secure: " + spoofed);
        } finally {
            RunningGateway.delete(dir);
        }
    }

    @Test
    void theAdminPasswordCanComeFromAFile() throws Exception {
        Path dir = RunningGateway.newDataDir();
        Path file = dir.resolve("password.txt");
        Files.writeString(file, "from-a-file-password 1\n");
        try (RunningGateway fromFile = RunningGateway.start(RunningGateway.config("--data-dir", dir.toString(),
                "--admin-password-file", file.toString()))) {
            assertNull(fromFile.info().generatedPassword());
            Reply ok = new GatewayClient(fromFile.uri(), "admin", "from-a-file-password 1").admin("GET", "/integrations", null);
            assertEquals(200, ok.status(), ok::toString);
            Reply refused = new GatewayClient(fromFile.uri(), "admin", "from-a-file-password 1\n").admin("GET", "/integrations", null);
            assertEquals(401, refused.status(), "the line end is not part of the password");
        } finally {
            RunningGateway.delete(dir);
        }
    }

    @Test
    void aPasswordFileWithAShortPasswordIsRefusedWithoutShowingIt() throws Exception {
        Path dir = RunningGateway.newDataDir();
        try {
            Path file = dir.resolve("password.txt");
            Files.writeString(file, "short-pw\n");
            String message = assertThrows(GatewayConfig.UsageException.class,
                    () -> GatewayConfig.parse(new String[] {"--admin-password-file", file.toString()}, Map.of())).getMessage();
            assertTrue(message.startsWith("--admin-password-file / GLOBALGATE_ADMIN_PASSWORD_FILE"), message);
            assertTrue(message.contains("12 to 200 characters (it has 8)"), message);
            assertFalse(message.contains("short-pw"), message);
        } finally {
            RunningGateway.delete(dir);
        }
    }

    @Test
    void aPasswordAndAPasswordFileTogetherAreRefused() throws Exception {
        String message = assertThrows(GatewayConfig.UsageException.class, () -> GatewayConfig.parse(new String[] {
                "--admin-password", "a-long-enough-password", "--admin-password-file", "/etc/hostname"}, Map.of())).getMessage();
        assertTrue(message.contains("give one of them, not both"), message);
    }

    @Test
    void theJdbcAndSmtpPasswordsCanComeFromFilesAsEnvironmentVariablesSay() throws Exception {
        Path dir = RunningGateway.newDataDir();
        try {
            Path jdbc = Files.writeString(dir.resolve("jdbc.txt"), "db secret\n");
            Path smtp = Files.writeString(dir.resolve("smtp.txt"), "mail secret");
            GatewayConfig config = GatewayConfig.parse(new String[] {"--jdbc-url", "jdbc:mariadb://db:3306/globalgate"},
                    Map.of("GLOBALGATE_JDBC_PASSWORD_FILE", jdbc.toString(), "GLOBALGATE_SMTP_PASSWORD_FILE", smtp.toString()));
            assertEquals("db secret", config.jdbcPassword());
            assertEquals("mail secret", config.adminParams().get("smtpPassword"));
            assertFalse(config.toString().contains("secret"), config::toString);
        } finally {
            RunningGateway.delete(dir);
        }
    }
}
