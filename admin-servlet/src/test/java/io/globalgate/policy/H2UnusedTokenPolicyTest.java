package io.globalgate.policy;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.testing.TestDatabases;

/** The unused-token policy on H2 in MariaDB mode. */
class H2UnusedTokenPolicyTest extends UnusedTokenPolicyContract {

    @Override
    protected HikariDataSource freshDatabase() {
        return TestDatabases.h2();
    }
}
