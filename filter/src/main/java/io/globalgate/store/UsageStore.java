package io.globalgate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Last-used data and hourly request counts, written in batches by the filter, never per request. */
public final class UsageStore {

    private static final int IP_MAX = 64;

    private static final Pattern BATCH_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Database db;
    private final Clock clock;

    UsageStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Writes one batch under a new id (see {@link #record(String, Collection)}). */
    public void record(Collection<TokenUsage> batch) {
        record(UUID.randomUUID().toString(), batch);
    }

    /**
     * Writes one batch in one transaction, at most once per {@code batchId} (a UUID in lower-case
     * text): a last-used update per token and an upsert per token-hour, and the id. A writer that
     * does not know whether its commit went through (the connection broke while committing) sends
     * the same batch with the same id again; if the first commit did go through, this one finds the
     * id and writes nothing. Returns false then.
     */
    public boolean record(String batchId, Collection<TokenUsage> batch) {
        if (batchId == null || !BATCH_ID.matcher(batchId).matches()) {
            throw new IllegalArgumentException("a usage batch id is a lower-case UUID");
        }
        if (batch.isEmpty()) {
            return true;
        }
        return db.inTransaction(tx -> {
            Connection c = tx.connection();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_batch (id, written_at) VALUES (?, ?)")) {
                ps.setString(1, batchId);
                Database.setInstant(ps, 2, clock.instant());
                ps.executeUpdate();
            } catch (SQLException e) {
                if (Database.isUniqueViolation(e)) {
                    return false; // written before: this is the retry of a commit whose answer was lost
                }
                throw e;
            }
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
            // The address of each token's latest use, so the admin can offer recent addresses as allowed networks.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO token_client_address (token_id, address, last_seen_at)"
                    + " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE last_seen_at = GREATEST(last_seen_at, VALUES(last_seen_at))")) {
                boolean any = false;
                for (TokenUsage usage : sorted(batch)) {
                    String ip = usage.lastUsedIp();
                    if (ip != null && !ip.isEmpty() && ip.length() <= IP_MAX) {
                        ps.setLong(1, usage.tokenId());
                        ps.setString(2, ip);
                        Database.setInstant(ps, 3, usage.lastUsedAt());
                        ps.addBatch();
                        any = true;
                    }
                }
                if (any) {
                    ps.executeBatch();
                }
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
            return true;
        });
    }

    /**
     * Writes the last refused use of each token of {@code batch} in one transaction, in token order,
     * never moving it backwards (another node may have written a later one). Writing the same batch
     * twice changes nothing the second time, so a batch whose answer was lost is simply sent again:
     * no batch id is needed.
     */
    public void recordRefused(Collection<RefusedUse> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<RefusedUse> inOrder = new ArrayList<>(batch);
        inOrder.sort((a, b) -> Long.compare(a.tokenId(), b.tokenId()));
        db.inTransaction(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement("UPDATE access_token SET last_refused_at = ?, last_refused_ip = ?"
                    + " WHERE id = ? AND (last_refused_at IS NULL OR last_refused_at < ?)")) {
                for (RefusedUse use : inOrder) {
                    Database.setInstant(ps, 1, use.at());
                    String ip = use.ip();
                    ps.setString(2, ip != null && ip.length() > IP_MAX ? ip.substring(0, IP_MAX) : ip);
                    ps.setLong(3, use.tokenId());
                    Database.setInstant(ps, 4, use.at());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Deletes the ids of batches written longer ago than {@code retention}; returns how many. */
    public int purgeBatchesOlderThan(Duration retention) {
        return db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_batch WHERE written_at < ?")) {
                Database.setInstant(ps, 1, clock.instant().minus(retention));
                return ps.executeUpdate();
            }
        });
    }

    /** Deletes the client addresses not seen for {@code retention}; returns how many. */
    public int purgeClientAddressesOlderThan(Duration retention) {
        return db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM token_client_address WHERE last_seen_at < ?")) {
                Database.setInstant(ps, 1, clock.instant().minus(retention));
                return ps.executeUpdate();
            }
        });
    }

    /** The addresses a token was used from lately, the latest first, at most {@code limit}. */
    public List<String> recentClientAddresses(long tokenId, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT address FROM token_client_address WHERE token_id = ?"
                    + " ORDER BY last_seen_at DESC, address LIMIT ?")) {
                ps.setLong(1, tokenId);
                ps.setInt(2, limit);
                List<String> addresses = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        addresses.add(rs.getString(1));
                    }
                }
                return addresses;
            }
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
