package io.globalgate.gateway;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The acceptance flow with the default store: the embedded H2 file database in the data dir. */
class H2GatewayEndToEndTest extends GatewayEndToEndContract {

    @Override
    protected GatewayConfig configure(Path dataDir) throws Exception {
        return RunningGateway.config("--data-dir", dataDir.toString());
    }

    @Test
    void withoutAJdbcUrlTheDataIsInAnH2FileInTheDataDir() {
        GatewayInfo info = gateway().info();
        assertTrue(info.embeddedDatabase());
        assertEquals("H2 (embedded) at " + dataDir().resolve("globalgate.mv.db"), info.database());
        assertTrue(Files.isRegularFile(dataDir().resolve("globalgate.mv.db")));
        assertTrue(info.demoUpstream(), "without an upstream URL, the built-in demo Global API");
    }
}
