package io.globalgate.testing;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain JDBC on the store's tables, so tests check what is really in the database, not what the store says. */
public final class Rows {

    private final DataSource dataSource;

    public Rows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Every table of the schema but Flyway's, found at run time, so a table a later migration adds
     * is covered by "stored nothing" and "holds no token" without anyone remembering to list it.
     */
    public List<String> tables() {
        try (Connection c = dataSource.getConnection()) {
            String schema = c.getSchema() != null ? c.getSchema() : c.getCatalog();
            List<String> tables = new ArrayList<>();
            for (Map<String, Object> row : list("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", schema)) {
                String table = ((String) row.get("table_name")).toLowerCase(java.util.Locale.ROOT);
                if (!table.equals("globalgate_schema_history")) {
                    tables.add(table);
                }
            }
            if (!tables.containsAll(List.of("integration", "access_token", "token_usage_hourly", "audit_event", "change_event"))) {
                throw new AssertionError("schema " + schema + " lacks the store's tables: " + tables);
            }
            return tables;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public long count(String sql, Object... args) {
        return ((Number) list(sql, args).get(0).values().iterator().next()).longValue();
    }

    /** Row counts of every table, to prove that a refused action stored nothing. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : tables()) {
            counts.put(table, count("SELECT COUNT(*) FROM " + table));
        }
        return counts;
    }

    public Map<String, Object> one(String sql, Object... args) {
        List<Map<String, Object>> rows = list(sql, args);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row of " + sql + ", got " + rows.size());
        }
        return rows.get(0);
    }

    /** Each row as column label (lower case) to value. */
    public List<Map<String, Object>> list(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
