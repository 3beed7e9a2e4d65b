package io.globalgate.store;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.testing.DbaScripts;
import io.globalgate.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DBA scripts ({@code io/globalgate/db/dba/mariadb/V*.sql}): the Flyway migrations as plain SQL
 * for a DBA who applies schema changes by hand while the nodes run with {@code migrate=false}.
 * Each script is the migration verbatim plus the row Flyway would have written in
 * {@code globalgate_schema_history}, so the nodes' version check, and a later {@code migrate=true},
 * see the schema exactly as if Flyway had built it. The scripts are written by this class
 * ({@code -Dglobalgate.dba.write=true}) and checked by it on every build: they must match the
 * migrations, and applied to a real MariaDB they must build the schema Flyway builds.
 */
class DbaScriptsTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources/io/globalgate/db/migration");
    private static final Path SCRIPTS = Path.of("src/main/resources/io/globalgate/db/dba/mariadb");

    private static HikariDataSource byFlyway;
    private static HikariDataSource byDba;

    @BeforeAll
    static void migrateOneSchemaWithFlyway() throws Exception {
        byFlyway = TestDatabases.mariaDb();
        new GlobalgateStore(byFlyway, Clock.systemUTC()).migrate();
        if (Boolean.getBoolean("globalgate.dba.write")) {
            write(generate(byFlyway));
        }
    }

    @AfterAll
    static void close() {
        if (byFlyway != null) {
            byFlyway.close();
        }
        if (byDba != null) {
            byDba.close();
        }
    }

    @Test
    void theScriptsAreTheMigrationsAsTheyAreNow() throws Exception {
        Map<String, String> expected = generate(byFlyway);
        Map<String, String> actual = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            for (Path file : files.sorted().toList()) {
                actual.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        assertEquals(expected.keySet(), actual.keySet(), "one script per migration; regenerate with "
                + "mvn -pl filter -am test -Dtest=DbaScriptsTest -Dsurefire.failIfNoSpecifiedTests=false -Dglobalgate.dba.write=true");
        expected.forEach((name, text) -> assertEquals(text, actual.get(name), name + " differs from its migration; regenerate it"));
    }

    @Test
    void appliedByHandTheScriptsBuildTheSchemaFlywayBuilds() throws Exception {
        byDba = TestDatabases.mariaDb();
        try (Connection c = byDba.getConnection()) {
            DbaScripts.applyAll(c);
        }
        assertEquals(describe(byFlyway), describe(byDba));
        GlobalgateStore store = new GlobalgateStore(byDba, Clock.systemUTC());
        assertEquals(latestVersion(), store.checkSchemaVersion(),
                "a node with migrate=false accepts the schema");
        assertEquals(0, store.database().dataSource() == null ? -1 : migrationsRunBy(store), "Flyway finds nothing left to do");
    }

    @Test
    void aNodeWithMigrateFalseNamesTheVersionItExpectsOfAnOlderSchema() throws Exception {
        try (HikariDataSource old = TestDatabases.mariaDb()) {
            try (Connection c = old.getConnection()) {
                DbaScripts.apply(c, DbaScripts.inOrder().get(0));
            }
            String latest = latestVersion();
            IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> new GlobalgateStore(old, Clock.systemUTC()).checkSchemaVersion());
            assertTrue(refused.getMessage().startsWith("Globalgate schema at version 1, this version expects schema version "
                    + latest + " and migrate=false; apply the scripts io/globalgate/db/dba/mariadb/V*.sql"), refused.getMessage());
        }
    }

    @Test
    void aNodeWithMigrateFalseNamesTheVersionItExpectsOfAnEmptyDatabase() {
        try (HikariDataSource empty = TestDatabases.mariaDb()) {
            IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> new GlobalgateStore(empty, Clock.systemUTC()).checkSchemaVersion());
            assertTrue(refused.getMessage().startsWith("Globalgate schema not found (no globalgate_schema_history rows) and "
                    + "migrate=false: this version expects schema version " + latestVersion()), refused.getMessage());
        }
    }

    private static int migrationsRunBy(GlobalgateStore store) {
        return store.database().migrate().migrationsExecuted;
    }

    // ---- the writer

    /** Script file name → text, from the migrations and the history rows Flyway wrote for them. */
    static Map<String, String> generate(HikariDataSource migrated) throws SQLException, IOException {
        String history;
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = migrated.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + Database.HISTORY_TABLE)) {
                rs.next();
                history = rs.getString(2).replaceFirst("^CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ");
            }
            try (ResultSet rs = s.executeQuery("SELECT version, description, type, script, checksum FROM "
                    + Database.HISTORY_TABLE + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (String column : List.of("version", "description", "type", "script", "checksum")) {
                        row.put(column, rs.getString(column));
                    }
                    rows.add(row);
                }
            }
        }
        Map<String, String> scripts = new LinkedHashMap<>();
        for (Map<String, String> row : rows) {
            String script = row.get("script");
            String migration = Files.readString(MIGRATIONS.resolve(script), StandardCharsets.UTF_8);
            scripts.put(script, "-- Globalgate schema version " + row.get("version") + " (" + row.get("description") + ") for MariaDB,\n"
                    + "-- for a DBA who applies schema changes while the nodes run with migrate=false.\n"
                    + "-- Apply the scripts in order of their version, each once, in the Globalgate database:\n"
                    + "--   mariadb globalgate < " + script + "\n"
                    + "-- The SQL of io/globalgate/db/migration/" + script + " as it is, then the row Flyway\n"
                    + "-- would have written, so the nodes (and a later migrate=true) see the version.\n"
                    + "-- Written by DbaScriptsTest (-Dglobalgate.dba.write=true); do not edit.\n\n"
                    + history + ";\n\n"
                    + "-- ---- " + script + "\n\n"
                    + migration.strip() + "\n\n"
                    + "-- ---- the record of this version\n\n"
                    + "INSERT INTO " + Database.HISTORY_TABLE
                    + " (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)\n"
                    + "SELECT COALESCE(MAX(installed_rank), 0) + 1, '" + row.get("version") + "', '" + row.get("description")
                    + "', '" + row.get("type") + "', '" + script + "', " + row.get("checksum") + ", LEFT(CURRENT_USER(), 100), 0, 1\n"
                    + "FROM " + Database.HISTORY_TABLE + ";\n");
        }
        return scripts;
    }

    private static void write(Map<String, String> scripts) throws IOException {
        Files.createDirectories(SCRIPTS);
        try (Stream<Path> old = Files.list(SCRIPTS)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        for (var script : scripts.entrySet()) {
            Files.writeString(SCRIPTS.resolve(script.getKey()), script.getValue(), StandardCharsets.UTF_8);
        }
    }

    // ---- reading the scripts as the mariadb client does, and comparing schemas

    /** The highest version among the migrations (numbers are reserved per issue, so one may land before a lower one). */
    private static String latestVersion() {
        try (var scripts = Files.list(MIGRATIONS)) {
            return String.valueOf(scripts.mapToInt(DbaScriptsTest::version).max().orElseThrow());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int version(Path script) {
        String name = script.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    /** Tables, columns, indexes and foreign keys of the schema the pool points at. */
    private static List<String> describe(HikariDataSource ds) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            query(s, lines, "SELECT table_name, column_name, ordinal_position, column_type, is_nullable, column_default, extra, "
                    + "collation_name FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY 1, 3");
            query(s, lines, "SELECT table_name, index_name, seq_in_index, column_name, non_unique FROM information_schema.statistics "
                    + "WHERE table_schema = DATABASE() ORDER BY 1, 2, 3");
            query(s, lines, "SELECT table_name, constraint_name, column_name, referenced_table_name, referenced_column_name "
                    + "FROM information_schema.key_column_usage WHERE table_schema = DATABASE() ORDER BY 1, 2, 3");
            query(s, lines, "SELECT installed_rank, version, description, type, script, checksum, success FROM "
                    + Database.HISTORY_TABLE + " ORDER BY 1");
        }
        return lines;
    }

    private static void query(Statement s, List<String> lines, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    line.append(rs.getString(i)).append(i < columns ? " | " : "");
                }
                lines.add(line.toString());
            }
        }
    }
}
