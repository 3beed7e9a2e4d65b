package io.globalgate.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13 item 10: metrics on a management listener (loopback by default), not on the public port. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayManagementListenerTest {

    private Path dataDir;
    private RunningGateway gateway;

    @BeforeAll
    void start() throws Exception {
        dataDir = RunningGateway.newDataDir();
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
}
