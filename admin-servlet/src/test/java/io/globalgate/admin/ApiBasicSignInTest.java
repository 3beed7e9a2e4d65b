package io.globalgate.admin;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.testing.AdminClient;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.Reply;
import io.globalgate.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * With FORM login for the pages, {@code web.xml} leaves the JSON API unconstrained (the README's
 * FORM variant): a script's Basic credentials are checked by the admin servlet against the
 * container's realm, and a script without them gets {@code 401} in the API's JSON shape, never a
 * login page with {@code 200}.
 */
class ApiBasicSignInTest {

    private static HikariDataSource dataSource;
    private static AdminTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        dataSource = TestDatabases.h2();
        server = AdminTestServer.startWithTheApiUnconstrained(dataSource, Clock.systemUTC());
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        dataSource.close();
    }

    @Test
    void aScriptWithTheBasicCredentialsOfAnAdminIsServed() {
        Reply reply = AdminClient.admin(server).get("/admin/api/v1/integrations");
        assertEquals(200, reply.status(), reply.toString());
        assertEquals("application/json", reply.header("Content-Type").split(";")[0]);
        assertNull(reply.header("Set-Cookie"), "a script's call holds no session");
    }

    @Test
    void aScriptWithoutCredentialsGets401InTheApisShape() {
        Reply reply = AdminClient.anonymous(server).get("/admin/api/v1/integrations");
        assertEquals(401, reply.status(), reply.toString());
        assertEquals("authentication", reply.json().get("errors").get(0).get("type").asText(), reply.toString());
        assertEquals("Basic realm=\"Globalgate admin\"", reply.header("WWW-Authenticate"));
    }

    @Test
    void aUserWithoutTheRoleGets403InTheApisShape() {
        Reply reply = AdminClient.as(server, AdminTestServer.VIEWER, AdminTestServer.VIEWER_PASSWORD).get("/admin/api/v1/integrations");
        assertEquals(403, reply.status(), reply.toString());
        assertEquals("forbidden", reply.json().get("errors").get(0).get("type").asText(), reply.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic YWRtaW46d3Jvbmc=", "Basic not*base64", "Basic YWRtaW4=", "Basic OmFkbWluLXNlY3JldA==", "Basic ",
            "Bearer gat_0000000000000000000000000000000000000", "Digest username=\"admin\""})
    void hostileOrWrongCredentialsGet401InTheApisShape(String authorization) {
        Reply reply = AdminClient.anonymous(server).get("/admin/api/v1/integrations", "Authorization", authorization);
        assertEquals(401, reply.status(), authorization + ": " + reply);
        assertEquals("authentication", reply.json().get("errors").get(0).get("type").asText(), reply.toString());
    }

    @Test
    void anOversizedCredentialIsRefusedUnread() {
        String huge = "Basic " + Base64.getEncoder().encodeToString(("admin:" + "x".repeat(2000)).getBytes(StandardCharsets.UTF_8));
        Reply reply = AdminClient.anonymous(server).get("/admin/api/v1/integrations", "Authorization", huge);
        assertEquals(401, reply.status(), reply.toString());
        assertEquals("authentication", reply.json().get("errors").get(0).get("type").asText(), reply.toString());
    }

    /**
     * Jetty's FORM login keeps a sign-in in a session, so {@code request.login} makes one: a script
     * calling the API every few seconds must not leave a signed-in session behind each time.
     */
    @Test
    void underJettysFormLoginAScriptsCallLeavesNoSignedInSessionBehind() throws Exception {
        try (AdminTestServer form = AdminTestServer.startWithFormLoginAndTheApiUnconstrained(dataSource, Clock.systemUTC())) {
            Reply reply = AdminClient.admin(form).get("/admin/api/v1/integrations");
            assertEquals(200, reply.status(), reply.toString());
            java.util.List<String> cookies = reply.headers("Set-Cookie");
            assertFalse(cookies.isEmpty(), "Jetty's FORM login made a session for the script's sign-in: " + reply);
            for (String cookie : cookies) {
                Reply replay = AdminClient.anonymous(form).get("/admin/api/v1/integrations", "Cookie", cookie.split(";")[0]);
                assertEquals(401, replay.status(), "the session cookie of a script's call signs nobody in: " + replay);
                assertEquals("authentication", replay.json().get("errors").get(0).get("type").asText(), replay.toString());
            }
        }
    }
}
