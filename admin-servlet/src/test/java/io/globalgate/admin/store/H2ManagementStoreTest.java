package io.globalgate.admin.store;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The management store contract on H2 in MariaDB mode, the embedded default of the sample gateway. */
class H2ManagementStoreTest extends ManagementStoreContract {

    @Override
    protected HikariDataSource freshDatabase() {
        return TestDatabases.h2();
    }

    @Test
    void theseTestsRunOnH2InMariaDbMode() throws Exception {
        try (Connection c = store.database().dataSource().getConnection()) {
            assertEquals("H2", c.getMetaData().getDatabaseProductName());
        }
        assertEquals("MariaDB", rows.one("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MODE'")
                .get("setting_value"));
    }
}
