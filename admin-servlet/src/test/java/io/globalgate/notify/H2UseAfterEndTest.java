package io.globalgate.notify;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.store.Database;
import io.globalgate.testing.TestDatabases;

import java.time.Duration;

/** {@link UseAfterEndContract} on two nodes sharing one H2 database (in memory, in this JVM). */
class H2UseAfterEndTest extends UseAfterEndContract {

    @Override
    protected HikariDataSource freshDatabase() {
        return TestDatabases.h2();
    }

    @Override
    protected HikariDataSource samePoolElsewhere(HikariDataSource first) {
        return Database.pool("node-b-h2", first.getJdbcUrl(), "sa", "", Duration.ofSeconds(2));
    }
}
