package io.globalgate.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Last-used data and hourly request counts, written in batches by the filter, never per request. */
public final class UsageStore {

    private static final int IP_MAX = 64;

    private final Database db;

    UsageStore(Database db) {
        this.db = db;
    }

    /** Writes one batch in one transaction: a last-used update per token and an upsert per token-hour. */
    public void record(Collection<TokenUsage> batch) {
        if (batch.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            // Never move last_used_at backwards: another node may have flushed a later use first.
            try (PreparedStatement ps = c.prepareStatement("UPDATE access_token SET last_used_at = ?, last_used_ip = ?"
                    + " WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)")) {
                for (TokenUsage usage : sorted(batch)) {
                    Database.setInstant(ps, 1, usage.lastUsedAt());
                    String ip = usage.lastUsedIp();
                    ps.setString(2, ip != null && ip.length() > IP_MAX ? ip.substring(0, IP_MAX) : ip);
                    ps.setLong(3, usage.tokenId());
                    Database.setInstant(ps, 4, usage.lastUsedAt());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO token_usage_hourly (token_id, hour_start, request_count)"
                    + " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE request_count = request_count + VALUES(request_count)")) {
                for (TokenUsage usage : sorted(batch)) {
                    for (Map.Entry<Instant, Long> hour : usage.requestsPerHour().entrySet()) {
                        ps.setLong(1, usage.tokenId());
                        Database.setInstant(ps, 2, hour.getKey());
                        ps.setLong(3, hour.getValue());
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Request counts per hour for one token, oldest first, for hours starting in [from, to). */
    public Map<Instant, Long> hourly(long tokenId, Instant from, Instant to) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT hour_start, request_count FROM token_usage_hourly"
                    + " WHERE token_id = ? AND hour_start >= ? AND hour_start < ? ORDER BY hour_start")) {
                ps.setLong(1, tokenId);
                Database.setInstant(ps, 2, from);
                Database.setInstant(ps, 3, to);
                Map<Instant, Long> counts = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(Database.getInstant(rs, "hour_start"), rs.getLong("request_count"));
                    }
                }
                return counts;
            }
        });
    }

    /** Rows in token order, so two nodes flushing at once take row locks in the same order. */
    private static Collection<TokenUsage> sorted(Collection<TokenUsage> batch) {
        ArrayList<TokenUsage> list = new ArrayList<>(batch);
        list.sort((a, b) -> Long.compare(a.tokenId(), b.tokenId()));
        return list;
    }
}
