package io.globalgate.store;

import io.globalgate.token.TokenHash;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The {@code change_event} table: appended inside each action's transaction, polled by every node. */
public final class ChangeFeed {

    private final Database db;
    private final Clock clock;
    private final ChangePublisher publisher;

    ChangeFeed(Database db, Clock clock, ChangePublisher publisher) {
        this.db = db;
        this.clock = clock;
        this.publisher = publisher;
    }

    /**
     * Appends an event in {@code transaction}; once it commits, this JVM's listeners hear of it (a
     * filter sharing the store refuses a revoked token at once), and every node at its next poll.
     */
    public ChangeEvent append(Transaction transaction, ChangeEvent.Kind kind, long integrationId, Long tokenId, TokenHash hash)
            throws SQLException {
        try (PreparedStatement ps = transaction.connection().prepareStatement(
                "INSERT INTO change_event (kind, integration_id, token_id, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, kind.code());
            ps.setLong(2, integrationId);
            Database.setLongOrNull(ps, 3, tokenId);
            ps.setBytes(4, hash == null ? null : hash.toBytes());
            Database.setInstant(ps, 5, clock.instant());
            ps.executeUpdate();
            ChangeEvent event;
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                event = new ChangeEvent(keys.getLong(1), kind, integrationId, tokenId, hash);
            }
            transaction.afterCommit(() -> publisher.publish(event));
            return event;
        }
    }

    /** Events with an id above {@code afterId}, oldest first, at most {@code limit}. */
    public List<ChangeEvent> readAfter(long afterId, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, kind, integration_id, token_id, token_hash FROM change_event WHERE id > ? ORDER BY id LIMIT ?")) {
                ps.setLong(1, afterId);
                ps.setInt(2, limit);
                List<ChangeEvent> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] hash = rs.getBytes("token_hash");
                        events.add(new ChangeEvent(rs.getLong("id"), ChangeEvent.Kind.fromCode(rs.getString("kind")),
                                rs.getLong("integration_id"), Database.getLongOrNull(rs, "token_id"),
                                hash == null ? null : TokenHash.fromBytes(hash)));
                    }
                }
                return events;
            }
        });
    }

    /**
     * Deletes events older than {@code retention}, keeping the newest one whatever its age (a node
     * starting up reads where the feed stands from it). Returns how many were deleted.
     */
    public int purgeOlderThan(java.time.Duration retention) {
        long newest = latestId();
        return db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM change_event WHERE created_at < ? AND id < ?")) {
                Database.setInstant(ps, 1, clock.instant().minus(retention));
                ps.setLong(2, newest);
                return ps.executeUpdate();
            }
        });
    }

    /** The newest event id, 0 when there is none: where a node that starts with an empty cache begins. */
    public long latestId() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM change_event");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
