package io.globalgate.admin.store;

import io.globalgate.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The {@code audit_event} table: written inside each action's transaction, read by the admin. */
public final class AuditLog {

    private static final int DETAIL_MAX = 4000;

    private final Database db;
    private final Clock clock;

    AuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    void append(Connection c, String actor, String action, Long integrationId, Long tokenId, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_event (occurred_at, actor, action, integration_id, token_id, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            Database.setInstant(ps, 1, clock.instant());
            ps.setString(2, actor);
            ps.setString(3, action);
            Database.setLongOrNull(ps, 4, integrationId);
            Database.setLongOrNull(ps, 5, tokenId);
            ps.setString(6, detail == null || detail.length() <= DETAIL_MAX ? detail : detail.substring(0, DETAIL_MAX - 1) + "…");
            ps.executeUpdate();
        }
    }

    /** Newest first; all integrations when {@code integrationId} is null. */
    public Page<AuditEvent> list(Long integrationId, PageRequest page) {
        return db.read(c -> {
            String where = integrationId == null ? "" : " WHERE integration_id = ?";
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_event" + where)) {
                if (integrationId != null) {
                    ps.setLong(1, integrationId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AuditEvent> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, occurred_at, actor, action, integration_id, token_id, detail FROM audit_event"
                            + where + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
                int i = 1;
                if (integrationId != null) {
                    ps.setLong(i++, integrationId);
                }
                ps.setInt(i++, page.size());
                ps.setLong(i, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(new AuditEvent(rs.getLong("id"), Database.getInstant(rs, "occurred_at"),
                                rs.getString("actor"), rs.getString("action"),
                                Database.getLongOrNull(rs, "integration_id"), Database.getLongOrNull(rs, "token_id"),
                                rs.getString("detail")));
                    }
                }
            }
            return new Page<>(events, total);
        });
    }
}
