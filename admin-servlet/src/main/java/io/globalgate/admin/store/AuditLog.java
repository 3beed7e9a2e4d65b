package io.globalgate.admin.store;

import io.globalgate.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code audit_event} table: written inside each action's transaction, read by the admin. */
public final class AuditLog {

    static final int DETAIL_MAX = 4000;

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
        return search(AuditFilter.of(integrationId), page);
    }

    /** Newest first, narrowed by {@code filter}. */
    public Page<AuditEvent> search(AuditFilter filter, PageRequest page) {
        List<String> conditions = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (filter.integrationId() != null) {
            conditions.add("a.integration_id = ?");
            values.add(filter.integrationId());
        }
        if (filter.action() != null) {
            conditions.add("a.action = ?");
            values.add(filter.action());
        }
        if (filter.actor() != null) {
            conditions.add("a.actor = ?");
            values.add(filter.actor());
        }
        if (filter.from() != null) {
            conditions.add("a.occurred_at >= ?");
            values.add(filter.from());
        }
        if (filter.to() != null) {
            conditions.add("a.occurred_at < ?");
            values.add(filter.to());
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        return db.read(c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_event a" + where)) {
                bind(ps, values);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AuditEvent> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT a.id, a.occurred_at, a.actor, a.action, a.integration_id, a.token_id, a.detail,"
                            + " i.name AS integration_name, t.name AS token_name, t.hint AS token_hint FROM audit_event a"
                            + " LEFT JOIN integration i ON i.id = a.integration_id LEFT JOIN access_token t ON t.id = a.token_id"
                            + where + " ORDER BY a.id DESC LIMIT ? OFFSET ?")) {
                int i = bind(ps, values);
                ps.setInt(i++, page.size());
                ps.setLong(i, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(new AuditEvent(rs.getLong("id"), Database.getInstant(rs, "occurred_at"),
                                rs.getString("actor"), rs.getString("action"),
                                Database.getLongOrNull(rs, "integration_id"), Database.getLongOrNull(rs, "token_id"),
                                rs.getString("detail"), rs.getString("integration_name"), rs.getString("token_name"),
                                rs.getString("token_hint")));
                    }
                }
            }
            return new Page<>(events, total);
        });
    }

    /** The distinct actors of the log, for the page's filter; at most {@code limit}. */
    public List<String> actors(int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT actor FROM audit_event ORDER BY actor LIMIT ?")) {
                ps.setInt(1, limit);
                List<String> actors = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        actors.add(rs.getString(1));
                    }
                }
                return actors;
            }
        });
    }

    /** Binds the filter's values from the first parameter on; returns the next parameter's index. */
    private static int bind(PreparedStatement ps, List<Object> values) throws SQLException {
        int i = 1;
        for (Object v : values) {
            if (v instanceof Long n) {
                ps.setLong(i++, n);
            } else if (v instanceof Instant at) {
                Database.setInstant(ps, i++, at);
            } else {
                ps.setString(i++, (String) v);
            }
        }
        return i;
    }
}
