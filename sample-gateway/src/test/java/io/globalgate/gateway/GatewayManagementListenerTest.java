package io.globalgate.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 10: metrics on a management listener (loopback by default), not on the public port.
 * The gateway runs with a deployment default rate limit ({@code --rate-limit-per-minute 1
 * --rate-limit-burst 2}, issue 17) whose refusals those metrics count; one request a minute refills
 * nothing within a test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayManagementListenerTest {

    private static final String STATUS = "/api/global/v1/system/status";

    private Path dataDir;
    private RunningGateway gateway;

    @BeforeAll
    void start() throws Exception {
        dataDir = RunningGateway.newDataDir();
        gateway = RunningGateway.start(RunningGateway.config("--data-dir", dataDir.toString(),
                "--rate-limit-per-minute", "1", "--rate-limit-burst", "2"));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        RunningGateway.delete(dataDir);
    }

    @Test
    void thePublicPortAnswers404ForMetrics() {
        Reply metrics = GatewayClient.anonymous(gateway.uri()).get("/metrics");
        assertEquals(404, metrics.status(), metrics::toString);
        assertFalse(metrics.body().contains("jvm_"), metrics::toString);
    }

    @Test
    void theManagementListenerServesMetrics() {
        assertNotEquals(gateway.uri().getPort(), gateway.managementUri().getPort());
        Reply metrics = GatewayClient.anonymous(gateway.managementUri()).get("/metrics");
        assertEquals(200, metrics.status(), metrics::toString);
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), metrics::toString);
        assertTrue(metrics.body().contains("globalgate_gateway_sessions_started_total"), metrics::toString);
    }

    @Test
    void healthAnswersOnBothListeners() {
        for (var base : new java.net.URI[] {gateway.uri(), gateway.managementUri()}) {
            Reply health = GatewayClient.anonymous(base).get("/health");
            assertEquals(200, health.status(), () -> base + ": " + health);
            assertEquals("{\"status\":\"UP\"}", health.body());
        }
    }

    @Test
    void theManagementListenerServesNothingElse() {
        GatewayClient management = GatewayClient.ofManagementListener(gateway.managementUri());
        for (String path : new String[] {"/admin/", "/login", "/api/global/v1/hello", "/admin/api/v1/integrations"}) {
            Reply reply = management.get(path);
            assertEquals(404, reply.status(), () -> path + ": " + reply);
        }
    }

    @Test
    void theManagementListenerIsOnLoopbackPort9000ByDefault() throws Exception {
        GatewayConfig config = GatewayConfig.parse(new String[0], java.util.Map.of());
        assertEquals("127.0.0.1", config.managementHost());
        assertEquals(9000, config.managementPort());
        assertEquals("127.0.0.1", gateway.managementUri().getHost());
    }

    @Test
    void theDefaultRateLimitOfTheGatewaysOptionsRefusesAnIntegrationWithoutItsOwnAfterItsBurst() {
        GatewayClient admin = new GatewayClient(gateway.uri(), gateway.info().adminUser(), gateway.info().generatedPassword());
        String token = admin.newToken("Default rate limit " + System.nanoTime());
        GatewayClient client = GatewayClient.anonymous(gateway.uri());
        double refusedBefore = rateLimited();

        Reply first = client.globalApi(STATUS, token);
        Reply second = client.globalApi(STATUS, token);
        Reply third = client.globalApi(STATUS, token);

        assertAll(
                () -> assertEquals(200, first.status(), first::toString),
                () -> assertEquals("\"integration\";q=1;w=60", first.header("RateLimit-Policy"), first::toString),
                () -> assertTrue(first.header("RateLimit").matches("\"integration\";r=1;t=(59|60)"), first::toString),
                () -> assertEquals(200, second.status(), second::toString),
                () -> assertTrue(second.header("RateLimit").matches("\"integration\";r=0;t=1[12][0-9]"), second::toString),
                () -> assertEquals(429, third.status(), third::toString),
                () -> assertEquals("\"integration\";q=1;w=60", third.header("RateLimit-Policy"), third::toString),
                () -> assertTrue(third.header("RateLimit").matches("\"integration\";r=0;t=1[12][0-9]"), third::toString),
                () -> assertTrue(Integer.parseInt(third.header("Retry-After")) > 0, third::toString),
                () -> assertEquals("{\"errors\":[{\"type\":\"rate_limit\",\"message\":\"Rate limit exceeded: this integration may make"
                        + " 1 requests per minute, at most 2 at once\"}]}", third.body()),
                () -> assertEquals(1.0, rateLimited() - refusedBefore, "the 429 counted with reason rate_limited"));
    }

    @Test
    void anIntegrationsOwnRateLimitWinsOverTheGatewaysDefault() {
        GatewayClient admin = new GatewayClient(gateway.uri(), gateway.info().adminUser(), gateway.info().generatedPassword());
        long integrationId = admin.createIntegration("Own rate limit " + System.nanoTime()).get("id").asLong();
        String token = admin.createToken(integrationId, "test").get("token").asText();
        Reply patched = admin.admin("PATCH", "/integrations/" + integrationId, "{\"rateLimit\":{\"requestsPerMinute\":600,\"burst\":5}}");
        assertEquals(200, patched.status(), patched::toString);

        GatewayClient client = GatewayClient.anonymous(gateway.uri());
        for (int i = 1; i <= 3; i++) {
            Reply reply = client.globalApi(STATUS, token);
            int n = i;
            assertAll("request " + n,
                    () -> assertEquals(200, reply.status(), reply::toString),
                    () -> assertEquals("\"integration\";q=600;w=60", reply.header("RateLimit-Policy"), reply::toString));
        }
    }

    /** {@code globalgate_auth_requests_total{outcome="rejected",reason="rate_limited"}} on the management listener, 0 if absent. */
    private double rateLimited() {
        Reply metrics = GatewayClient.anonymous(gateway.managementUri()).get("/metrics");
        assertEquals(200, metrics.status(), metrics::toString);
        return metrics.body().lines()
                .filter(line -> line.startsWith("globalgate_auth_requests_total{") && line.contains("outcome=\"rejected\"")
                        && line.contains("reason=\"rate_limited\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
