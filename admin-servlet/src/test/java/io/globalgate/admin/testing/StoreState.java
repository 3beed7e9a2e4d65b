package io.globalgate.admin.testing;

import io.globalgate.admin.store.ManagementStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Plain JDBC on the store's tables: row counts that prove a refused request stored nothing (no
 * integration, token, audit row or change event), and a fast bulk insert of tokens for the
 * paging tests.
 */
public final class StoreState {

    private static final List<String> TABLES = List.of("integration", "access_token", "audit_event", "change_event",
            "token_usage_hourly");

    private StoreState() {
    }

    /** Rows per table, plus how many tokens are revoked, so a changed row shows too. */
    public static Map<String, Long> snapshot(ManagementStore store) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, count(store, "SELECT COUNT(*) FROM " + table));
        }
        counts.put("revoked tokens", count(store, "SELECT COUNT(*) FROM access_token WHERE revoked_at IS NOT NULL"));
        counts.put("inactive integrations", count(store, "SELECT COUNT(*) FROM integration WHERE active = FALSE"));
        return counts;
    }

    public static long count(ManagementStore store, String sql) {
        try (Connection c = store.database().dataSource().getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /**
     * Inserts {@code n} active tokens (random hashes; their values exist nowhere) into one
     * integration in JDBC batches: the store's API issues one token per transaction with its audit
     * row, far too slow for ten thousand.
     */
    public static void insertTokens(ManagementStore store, long integrationId, int n, String namePrefix) {
        Random random = new Random(integrationId);
        Instant now = store.clock().instant();
        try (Connection c = store.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO access_token (integration_id, name, token_hash, hint,"
                     + " expiration, expires_at, created_at, created_by) VALUES (?, ?, ?, ?, 'never', NULL, ?, 'bulk')")) {
            c.setAutoCommit(false);
            for (int i = 1; i <= n; i++) {
                byte[] hash = new byte[32];
                random.nextBytes(hash);
                ps.setLong(1, integrationId);
                ps.setString(2, namePrefix + i);
                ps.setBytes(3, hash);
                ps.setString(4, "gat_\u2026" + String.format("%04d", i % 10_000));
                ps.setObject(5, java.time.LocalDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
                ps.addBatch();
                if (i % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("bulk insert of " + n + " tokens failed", e);
        }
    }

    /** Moves a token's expiry into the past, as time passing would. */
    public static void expire(ManagementStore store, long tokenId) {
        try (Connection c = store.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE access_token SET expires_at = ?, expiration = '7d' WHERE id = ?")) {
            ps.setObject(1, java.time.LocalDateTime.ofInstant(store.clock().instant().minusSeconds(60), java.time.ZoneOffset.UTC));
            ps.setLong(2, tokenId);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("no token " + tokenId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
