package io.globalgate.policy;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.testing.TestDatabases;

/** The unused-token policy on a real MariaDB (a fresh schema on the tests' shared server). */
class MariaDbUnusedTokenPolicyTest extends UnusedTokenPolicyContract {

    @Override
    protected HikariDataSource freshDatabase() {
        return TestDatabases.mariaDb();
    }
}
