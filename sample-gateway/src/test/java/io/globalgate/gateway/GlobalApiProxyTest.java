package io.globalgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the proxy sends upstream and how it answers when the upstream fails, against an upstream of
 * our own ({@link RecordingUpstream}) and a gateway with a 500 ms upstream timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GlobalApiProxyTest {

    private static final String ADMIN_PASSWORD = "correct horse battery staple";

    private Path dataDir;
    private RecordingUpstream upstream;
    private RunningGateway gateway;
    private GatewayClient client;
    private long integrationId;
    private String token;

    @BeforeAll
    void startUpstreamAndGateway() throws Exception {
        dataDir = RunningGateway.newDataDir();
        upstream = new RecordingUpstream();
        gateway = RunningGateway.start(RunningGateway.config("--data-dir", dataDir.toString(),
                "--upstream-url", upstream.uri().toString(), "--upstream-timeout", "500ms", "--admin-password", ADMIN_PASSWORD));
        client = new GatewayClient(gateway.uri(), "admin", ADMIN_PASSWORD);
        integrationId = client.createIntegration("Café ☕ Ünïcode 100% + more").get("id").asLong();
        token = client.createToken(integrationId, "proxy").get("token").asText();
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        RunningGateway.delete(dataDir);
    }

    @BeforeEach
    void upstreamHasSeenNothingYet() {
        assertTrue(upstream.nothingSeen(), "a previous test left a request unread");
    }

    @Test
    void aConfiguredAdminPasswordIsUsedInsteadOfAGeneratedOne() {
        GatewayInfo info = gateway.info();
        assertNull(info.generatedPassword());
        assertEquals(upstream.uri(), info.upstream().get());
        assertFalse(info.demoUpstream());
    }

    @Test
    void theUpstreamGetsTheRequestAsSentWithTheGatewaysHeadersInsteadOfTheCredential() throws Exception {
        Reply reply = client.globalApi("/api/global/v1/system/merchants?limit=2&cursor=a%2Fb%20c", token,
                "X-Globalgate-Integration-Id", "999999",
                "X-Globalgate-Integration-Name", "Mallory");

        assertEquals(200, reply.status(), reply::toString);
        assertEquals(RecordingUpstream.ANSWER, reply.body(), "the upstream's answer, as it gave it");
        RecordingUpstream.Seen seen = upstream.next();
        assertAll(
                () -> assertEquals("GET", seen.method()),
                () -> assertEquals("/api/global/v1/system/merchants", seen.uri().getRawPath()),
                () -> assertEquals("limit=2&cursor=a%2Fb%20c", seen.uri().getRawQuery()),
                () -> assertEquals(List.of(), seen.header("Authorization"), "the token never leaves the gateway"),
                () -> assertEquals(List.of("127.0.0.1"), seen.header("X-Forwarded-For")),
                () -> assertEquals(List.of("http"), seen.header("X-Forwarded-Proto")),
                () -> assertEquals(List.of(gateway.uri().getRawAuthority()), seen.header("X-Forwarded-Host")),
                () -> assertEquals(List.of(Long.toString(integrationId)), seen.header("X-Globalgate-Integration-Id"),
                        "set by the gateway, the client's value dropped"),
                () -> assertEquals(List.of("Caf%C3%A9 %E2%98%95 %C3%9Cn%C3%AFcode 100%25 + more"), seen.header("X-Globalgate-Integration-Name"),
                        "printable ASCII as is, '%' and the rest percent-encoded as UTF-8"));
    }

    @Test
    void anXForwardedForFromAnUntrustedClientIsReplacedByItsAddress() throws Exception {
        assertEquals(200, client.globalApi("/api/global/v1/system/status", token, "X-Forwarded-For", "203.0.113.7").status());
        assertEquals(List.of("127.0.0.1"), upstream.next().header("X-Forwarded-For"));
    }

    @Test
    void aRefusedRequestNeverReachesTheUpstream() throws Exception {
        Reply refused = client.globalApi("/api/global/v1/system/status", null, "X-Globalgate-Integration-Id", String.valueOf(integrationId));
        assertEquals(401, refused.status());
        // A marker request with the token after it: the upstream receives in order, so the marker
        // must be the first thing it saw (no waiting for what might still arrive).
        assertEquals(200, client.globalApi("/api/global/v1/system/after-the-refusal", token).status());
        assertEquals("/api/global/v1/system/after-the-refusal", upstream.next().uri().getPath(),
                "a request without a token was forwarded");
        assertTrue(upstream.nothingSeen());
    }

    @Test
    void anUpstreamSlowerThanTheTimeoutIsA504InTheGlobalApiErrorShape() throws Exception {
        long started = System.nanoTime();
        Reply reply = client.globalApi(RecordingUpstream.SLOW_PREFIX + "/report", token);
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(504, reply.status(), reply::toString);
        assertUpstreamError(reply, "The Global API did not answer in time");
        // The upstream holds the request for 30 s unless released: a 504 rather than its 200 is the
        // timeout's; not before the configured 500 ms. How much later is load, not function.
        assertTrue(tookMs >= 450, "answered after the 500 ms timeout: " + tookMs + " ms");
        assertEquals(RecordingUpstream.SLOW_PREFIX + "/report", upstream.next().uri().getPath());
    }

    @Test
    void anUnreachableUpstreamIsA502InTheGlobalApiErrorShape() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path otherDir = RunningGateway.newDataDir();
        try (RunningGateway down = RunningGateway.start(RunningGateway.config("--data-dir", otherDir.toString(),
                "--upstream-url", "http://127.0.0.1:" + closedPort, "--admin-password", ADMIN_PASSWORD))) {
            GatewayClient downClient = new GatewayClient(down.uri(), "admin", ADMIN_PASSWORD);
            String downToken = downClient.newToken("Nobody home");

            Reply reply = downClient.globalApi("/api/global/v1/system/status", downToken);

            assertEquals(502, reply.status(), reply::toString);
            assertUpstreamError(reply, "The Global API is unreachable");
        } finally {
            RunningGateway.delete(otherDir);
        }
    }

    private static void assertUpstreamError(Reply reply, String message) {
        assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.headers()::toString);
        JsonNode error = reply.json().get("errors").get(0);
        assertEquals("upstream", error.get("type").asText(), reply::toString);
        assertEquals(message, error.get("message").asText(), reply::toString);
    }
}
