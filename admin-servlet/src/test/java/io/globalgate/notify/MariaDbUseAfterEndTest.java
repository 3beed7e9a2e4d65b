package io.globalgate.notify;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.store.Database;
import io.globalgate.testing.TestDatabases;

import java.time.Duration;

/** {@link UseAfterEndContract} on two nodes sharing one MariaDB schema, each node with its own pool. */
class MariaDbUseAfterEndTest extends UseAfterEndContract {

    @Override
    protected HikariDataSource freshDatabase() {
        return TestDatabases.mariaDb();
    }

    @Override
    protected HikariDataSource samePoolElsewhere(HikariDataSource first) {
        TestDatabases.MariaDbServer server = TestDatabases.mariaDbServer();
        return Database.pool("node-b-mariadb", first.getJdbcUrl(), server.user(), server.password(), Duration.ofSeconds(2));
    }
}
