package io.globalgate.soak;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The shared schema as MariaDB holds it after the run, read with plain JDBC, not through the store. */
record StoreState(Map<Long, IntegrationRow> integrations, Map<Long, TokenRow> tokens, List<AuditRow> audit,
                  Map<Long, UsageRow> usage) {

    record IntegrationRow(long id, String name, boolean active) {
    }

    record TokenRow(long id, long integrationId, byte[] hash, Long expiresAt, Long revokedAt, Long replacedBy, Long lastUsedAt,
                    String lastUsedIp) {
    }

    record AuditRow(long id, long occurredAt, String actor, String action, Long integrationId, Long tokenId, String detail) {
    }

    /** Requests counted in {@code token_usage_hourly} for one token, and whether every row sits on a whole hour. */
    record UsageRow(long requests, int hours, boolean wholeHours) {
    }

    static StoreState read(Connection c) throws SQLException {
        Map<Long, IntegrationRow> integrations = new HashMap<>();
        Map<Long, TokenRow> tokens = new HashMap<>();
        List<AuditRow> audit = new ArrayList<>();
        Map<Long, UsageRow> usage = new HashMap<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, name, active FROM integration")) {
                while (rs.next()) {
                    integrations.put(rs.getLong(1), new IntegrationRow(rs.getLong(1), rs.getString(2), rs.getBoolean(3)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id, integration_id, token_hash, expires_at, revoked_at, replaced_by,"
                    + " last_used_at, last_used_ip FROM access_token")) {
                while (rs.next()) {
                    long replacedBy = rs.getLong(6);
                    Long replaced = rs.wasNull() ? null : replacedBy;
                    tokens.put(rs.getLong(1), new TokenRow(rs.getLong(1), rs.getLong(2), rs.getBytes(3), millis(rs, 4), millis(rs, 5),
                            replaced, millis(rs, 7), rs.getString(8)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id, occurred_at, actor, action, integration_id, token_id, detail FROM audit_event ORDER BY id")) {
                while (rs.next()) {
                    long integration = rs.getLong(5);
                    Long integrationId = rs.wasNull() ? null : integration;
                    long token = rs.getLong(6);
                    Long tokenId = rs.wasNull() ? null : token;
                    audit.add(new AuditRow(rs.getLong(1), millis(rs, 2), rs.getString(3), rs.getString(4), integrationId, tokenId, rs.getString(7)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT token_id, SUM(request_count), COUNT(*),"
                    + " SUM(CASE WHEN MINUTE(hour_start) = 0 AND SECOND(hour_start) = 0 THEN 0 ELSE 1 END) FROM token_usage_hourly GROUP BY token_id")) {
                while (rs.next()) {
                    usage.put(rs.getLong(1), new UsageRow(rs.getLong(2), rs.getInt(3), rs.getLong(4) == 0));
                }
            }
        }
        return new StoreState(integrations, tokens, audit, usage);
    }

    private static Long millis(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
