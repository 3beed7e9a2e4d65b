package io.globalgate.gateway;

import io.globalgate.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The acceptance flow with a real MariaDB named as {@code GLOBALGATE_JDBC_URL} would name it. */
class MariaDbGatewayEndToEndTest extends GatewayEndToEndContract {

    private String jdbcUrl;

    @Override
    protected GatewayConfig configure(Path dataDir) throws Exception {
        TestDatabases.MariaDbServer server = TestDatabases.mariaDbServer();
        String schema = "gateway_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
        try (Connection c = DriverManager.getConnection(server.rootUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        jdbcUrl = server.urlFor(schema);
        return RunningGateway.config("--data-dir", dataDir.toString(),
                "--jdbc-url", jdbcUrl, "--jdbc-user", server.user(), "--jdbc-password", server.password());
    }

    @Test
    void withAJdbcUrlTheDataLivesInThatMariaDb() {
        GatewayInfo info = gateway().info();
        assertFalse(info.embeddedDatabase());
        assertEquals("MariaDB at " + jdbcUrl, info.database());
        assertFalse(Files.exists(dataDir().resolve("globalgate.mv.db")), "no H2 database beside a MariaDB");
        assertTrue(Files.isRegularFile(dataDir().resolve(AdminCredentials.FILE_NAME)));
    }
}
