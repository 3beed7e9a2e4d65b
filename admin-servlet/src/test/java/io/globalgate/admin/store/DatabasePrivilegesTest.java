package io.globalgate.admin.store;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.store.Database;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.store.TokenDecision;
import io.globalgate.store.TokenUsage;
import io.globalgate.testing.DbaScripts;
import io.globalgate.testing.TestDatabases;
import io.globalgate.token.TokenHash;
import io.globalgate.validation.InputValidator;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database privileges the README states, on a real MariaDB that checks them: a user granted
 * exactly those, on its database only, runs the filter's and the admin's work. With
 * {@code migrate=true} the node builds the schema itself; with {@code migrate=false}, after a DBA
 * applied the scripts, a user without any DDL privilege is enough (and may not create a table).
 */
class DatabasePrivilegesTest {

    /** The README's "Database privileges", word for word. */
    static final String MIGRATING_NODE = "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES";
    static final String NODE_AFTER_A_DBA = "SELECT, INSERT, UPDATE, DELETE";

    private static final AtomicInteger USERS = new AtomicInteger();
    private final Clock clock = Clock.systemUTC();

    @Test
    void withMigrateTrueTheStatedPrivilegesBuildTheSchemaAndRunTheFilterAndTheAdmin() throws Exception {
        try (HikariDataSource pool = userWith(MIGRATING_NODE)) {
            GlobalgateStore store = new GlobalgateStore(pool, clock).migrate();
            workOfANode(store);
        }
    }

    @Test
    void withMigrateFalseAfterTheDbaAppliedTheScriptsANodeNeedsNoDdlPrivilege() throws Exception {
        try (HikariDataSource pool = userWith(NODE_AFTER_A_DBA)) {
            try (Connection dba = rootConnectionTo(pool)) {
                DbaScripts.applyAll(dba);
            }
            GlobalgateStore store = new GlobalgateStore(pool, clock);
            List<java.nio.file.Path> scripts = DbaScripts.inOrder();
            String newest = scripts.get(scripts.size() - 1).getFileName().toString();
            assertEquals(newest.substring(1, newest.indexOf("__")), store.checkSchemaVersion(),
                    "a node with migrate=false accepts the schema the DBA built, at the newest script's version");
            workOfANode(store);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                SQLException denied = assertThrows(SQLException.class, () -> s.execute("CREATE TABLE not_allowed (id INT)"));
                assertTrue(denied.getMessage().contains("denied"), denied.getMessage());
            }
        }
    }

    @Test
    void withoutDdlPrivilegesAMigratingNodeCannotBuildTheSchema() {
        try (HikariDataSource pool = userWith(NODE_AFTER_A_DBA)) {
            RuntimeException refused = assertThrows(RuntimeException.class, () -> new GlobalgateStore(pool, clock).migrate());
            assertTrue(String.valueOf(refused.getMessage()).toLowerCase().contains("denied")
                            || String.valueOf(refused.getCause()).toLowerCase().contains("denied"), String.valueOf(refused));
        }
    }

    /** What a node does with the database: the admin's writes and reads, the filter's lookups, usage and change feed. */
    private void workOfANode(GlobalgateStore shared) {
        ManagementStore admin = new ManagementStore(shared, new InputValidator(clock, null));
        Integration integration = admin.integrations().create("admin", IntegrationStore.Input.of("ERP sync", "", "ops@example.com"));
        IssuedToken issued = admin.tokens().create("admin", integration.id(), "production", "never", null);
        TokenDecision decision = shared.tokens().findDecision(TokenHash.of(issued.value())).orElseThrow();
        assertEquals(integration.id(), decision.integrationId());
        assertTrue(shared.usage().record(java.util.UUID.randomUUID().toString(), List.of(new TokenUsage(issued.token().id(),
                Instant.now(), "127.0.0.1", Map.of(Instant.now().truncatedTo(ChronoUnit.HOURS), 3L)))));
        admin.tokens().revoke("admin", issued.token().id());
        assertTrue(shared.changes().readAfter(0, 100).size() >= 1, "the revocation is in the change feed");
        assertNotNull(shared.tokens().findDecision(TokenHash.of(issued.value())).orElseThrow().revokedAt());
        admin.integrations().setActive("admin", integration.id(), false);
        assertEquals(1, admin.integrations().list(null, PageRequest.first(20)).items().size());
        assertTrue(admin.audit().list(integration.id(), PageRequest.first(20)).items().size() >= 3);
        shared.changes().purgeOlderThan(Duration.ofDays(7));
        shared.usage().purgeBatchesOlderThan(Duration.ofDays(7));
        shared.tokens().counts(Duration.ofDays(7));
    }

    /** A fresh database and a pool of a user granted exactly {@code privileges} on it. */
    private static HikariDataSource userWith(String privileges) {
        TestDatabases.MariaDbServer server = TestDatabases.mariaDbServer();
        String name = "gg_priv_" + ProcessHandle.current().pid() + "_" + USERS.incrementAndGet();
        server.createDatabaseAndUser(name, name, "pw-" + name, privileges);
        return Database.pool("test-" + name, server.urlFor(name), name, "pw-" + name, Duration.ofSeconds(2));
    }

    private static Connection rootConnectionTo(HikariDataSource pool) throws SQLException {
        TestDatabases.MariaDbServer server = TestDatabases.mariaDbServer();
        return java.sql.DriverManager.getConnection(pool.getJdbcUrl(), server.user(), server.password());
    }
}
