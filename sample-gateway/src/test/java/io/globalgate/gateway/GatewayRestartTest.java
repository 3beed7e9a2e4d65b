package io.globalgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway stopped gracefully ({@code server.stop()}, what {@code SIGTERM} does) and started again
 * on the same data dir: what the first run created, revoked and used is what the second one sees.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayRestartTest {

    private static final String STATUS = "/api/global/v1/system/status";

    private Path dataDir;
    private String password;
    private String passwordFile;
    private long integrationId;
    private long liveTokenId;
    private String liveToken;
    private String revokedToken;
    private Instant usedFrom;
    private Instant usedUntil;
    private JsonNode liveTokenAfterRestart;

    private RunningGateway restarted;
    private GatewayClient admin;

    @BeforeAll
    void runOnceThenStartAgainOnTheSameDataDir() throws Exception {
        dataDir = RunningGateway.newDataDir();
        try (RunningGateway first = RunningGateway.start(RunningGateway.config("--data-dir", dataDir.toString()))) {
            password = first.info().generatedPassword();
            assertNotNull(password, "the first start generates the admin password");
            passwordFile = Files.readString(dataDir.resolve(AdminCredentials.FILE_NAME));
            GatewayClient client = new GatewayClient(first.uri(), "admin", password);

            integrationId = client.createIntegration("Survives restarts").get("id").asLong();
            JsonNode live = client.createToken(integrationId, "live");
            liveTokenId = live.get("id").asLong();
            liveToken = live.get("token").asText();
            JsonNode revoked = client.createToken(integrationId, "revoked");
            revokedToken = revoked.get("token").asText();
            assertEquals(200, client.admin("POST", "/tokens/" + revoked.get("id").asLong() + "/revoke", null).status());

            usedFrom = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            assertEquals(200, client.globalApi(STATUS, liveToken).status());
            assertEquals(401, client.globalApi(STATUS, revokedToken).status());
            usedUntil = Instant.now().plusSeconds(1); // a store may round to whole seconds
        } // graceful stop: the filter writes the usage it gathered since its last flush
        restarted = RunningGateway.start(RunningGateway.config("--data-dir", dataDir.toString()));
        admin = new GatewayClient(restarted.uri(), "admin", password);
        liveTokenAfterRestart = admin.admin("GET", "/tokens/" + liveTokenId, null).json(); // before any test uses it again
    }

    @AfterAll
    void stop() throws Exception {
        if (restarted != null) {
            restarted.close();
        }
        RunningGateway.delete(dataDir);
    }

    @Test
    void theFirstPasswordStillSignsInAfterARestart() throws Exception {
        assertNull(restarted.info().generatedPassword(), "a second start prints no new password");
        assertTrue(restarted.info().passwordFromFile());
        assertEquals(passwordFile, Files.readString(dataDir.resolve(AdminCredentials.FILE_NAME)), "the stored hash is kept as it was");
        assertEquals(200, admin.admin("GET", "/integrations", null).status());

        GatewayClient browser = GatewayClient.anonymous(restarted.uri());
        browser.get("/admin/");
        Reply signedIn = browser.postForm("/j_security_check", "j_username", "admin", "j_password", password);
        assertTrue(signedIn.header("Location").endsWith("/admin/"), signedIn.headers()::toString);
        assertEquals(200, browser.get("/admin/").status());
    }

    @Test
    void integrationsAndTokensSurviveARestart() {
        Reply integration = admin.admin("GET", "/integrations/" + integrationId, null);
        assertEquals(200, integration.status(), integration::toString);
        assertEquals("Survives restarts", integration.json().get("name").asText());
        assertEquals(1, integration.json().get("activeTokens").asInt(), integration::toString);
        assertEquals(2, admin.admin("GET", "/integrations/" + integrationId + "/tokens", null).json().get("total").asInt());

        assertEquals(200, admin.globalApi(STATUS, liveToken).status());
    }

    @Test
    void aRevokedTokenStaysRevoked() {
        Reply refused = admin.globalApi(STATUS, revokedToken);
        assertEquals(401, refused.status(), refused::toString);
        assertTrue(refused.header("WWW-Authenticate").contains("revoked"), refused.headers()::toString);
    }

    @Test
    void usageRecordedBeforeAGracefulStopIsInTheDatabaseAfterTheRestart() {
        JsonNode token = liveTokenAfterRestart;
        assertFalse(token.get("lastUsedAt").isNull(), () -> "last use written on stop: " + token);
        Instant lastUsed = Instant.parse(token.get("lastUsedAt").asText());
        assertFalse(lastUsed.isBefore(usedFrom) || lastUsed.isAfter(usedUntil),
                () -> lastUsed + " is the time of the request made before the stop, between " + usedFrom + " and " + usedUntil);
        assertEquals("127.0.0.1", token.get("lastUsedIp").asText());
    }
}
