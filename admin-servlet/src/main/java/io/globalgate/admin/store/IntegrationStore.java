package io.globalgate.admin.store;

import io.globalgate.store.ChangeEvent;
import io.globalgate.store.ChangeFeed;
import io.globalgate.store.Database;
import io.globalgate.validation.InputValidator;
import io.globalgate.validation.ValidationException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The {@code integration} table. Every change is one transaction with its audit and change rows. */
public final class IntegrationStore {

    private static final String COLUMNS =
            "i.id, i.name, i.description, i.notification_email, i.active, i.created_at, i.created_by, i.updated_at, "
                    + "(SELECT COUNT(*) FROM access_token t WHERE t.integration_id = i.id AND t.revoked_at IS NULL"
                    + " AND (t.expires_at IS NULL OR t.expires_at > ?)) AS active_tokens";

    private final Database db;
    private final Clock clock;
    private final InputValidator validator;
    private final AuditLog audit;
    private final ChangeFeed changes;
    private final NotificationOutbox outbox;

    IntegrationStore(Database db, Clock clock, InputValidator validator, AuditLog audit, ChangeFeed changes,
                     NotificationOutbox outbox) {
        this.db = db;
        this.clock = clock;
        this.validator = validator;
        this.audit = audit;
        this.changes = changes;
        this.outbox = outbox;
    }

    /** What an operator submits for a new integration or an edit; null fields are left as they are. */
    public record Input(String name, String description, String notificationEmail, Boolean active) {
        public static Input of(String name, String description, String notificationEmail) {
            return new Input(name, description, notificationEmail, null);
        }
    }

    public Integration create(String actor, Input input) {
        String who = validator.actor(actor);
        InputValidator.Errors errors = new InputValidator.Errors();
        String name = validator.name("name", input.name(), errors);
        String description = validator.description("description", input.description(), errors);
        String email = validator.email("notificationEmail", input.notificationEmail(), errors);
        errors.throwIfAny();
        boolean active = input.active() == null || input.active();
        long id = db.inTransaction(tx -> {
            Connection c = tx.connection();
            Instant now = clock.instant();
            long newId;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO integration (name, name_key, description, notification_email, active, created_at, created_by, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, name);
                ps.setString(2, nameKey(name));
                ps.setString(3, description);
                ps.setString(4, email);
                ps.setBoolean(5, active);
                Database.setInstant(ps, 6, now);
                ps.setString(7, who);
                Database.setInstant(ps, 8, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    newId = keys.getLong(1);
                }
            } catch (SQLException e) {
                throw uniqueNameOr(e);
            }
            audit.append(c, who, "integration.created", newId, null, "name=" + name);
            return newId;
        });
        return get(id);
    }

    /** Applies the non-null fields of {@code input}; a change of Active is also a change event. */
    public Integration update(String actor, long id, Input input) {
        String who = validator.actor(actor);
        InputValidator.Errors errors = new InputValidator.Errors();
        String name = input.name() == null ? null : validator.name("name", input.name(), errors);
        String description = input.description() == null ? null : validator.description("description", input.description(), errors);
        String email = input.notificationEmail() == null ? null : validator.email("notificationEmail", input.notificationEmail(), errors);
        errors.throwIfAny();
        db.inTransaction(tx -> {
            Connection c = tx.connection();
            Integration current = lockForUpdate(c, id);
            Instant now = clock.instant();
            List<String> changed = new ArrayList<>();
            String newName = name != null ? name : current.name();
            String newDescription = description != null ? description : current.description();
            String newEmail = email != null ? email : current.notificationEmail();
            boolean newActive = input.active() != null ? input.active() : current.active();
            if (!newName.equals(current.name())) {
                changed.add("name=" + newName);
            }
            if (!newDescription.equals(current.description())) {
                changed.add("description");
            }
            if (!newEmail.equals(current.notificationEmail())) {
                changed.add("notificationEmail=" + newEmail);
            }
            if (changed.isEmpty() && newActive == current.active()) {
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE integration SET name = ?, name_key = ?, description = ?, notification_email = ?, active = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, newName);
                ps.setString(2, nameKey(newName));
                ps.setString(3, newDescription);
                ps.setString(4, newEmail);
                ps.setBoolean(5, newActive);
                Database.setInstant(ps, 6, now);
                ps.setLong(7, id);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw uniqueNameOr(e);
            }
            if (!changed.isEmpty()) {
                audit.append(c, who, "integration.updated", id, null, String.join(", ", changed));
                if (!newName.equals(current.name())) {
                    changes.append(tx, ChangeEvent.Kind.INTEGRATION_UPDATED, id, null, null);
                }
            }
            if (newActive != current.active()) {
                audit.append(c, who, newActive ? "integration.activated" : "integration.deactivated", id, null, null);
                outbox.enqueue(c, newActive ? NotificationOutbox.Kind.INTEGRATION_ACTIVATED : NotificationOutbox.Kind.INTEGRATION_DEACTIVATED,
                        id, who, List.of(), null);
                changes.append(tx, newActive ? ChangeEvent.Kind.INTEGRATION_ACTIVATED
                        : ChangeEvent.Kind.INTEGRATION_DEACTIVATED, id, null, null);
            }
            return null;
        });
        return get(id);
    }

    public Integration setActive(String actor, long id, boolean active) {
        return update(actor, id, new Input(null, null, null, active));
    }

    public Integration get(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM integration i WHERE i.id = ?")) {
                Database.setInstant(ps, 1, clock.instant());
                ps.setLong(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound(id);
                    }
                    return map(rs);
                }
            }
        });
    }

    /** Ordered by name; {@code query} matches anywhere in the name, case-insensitively. */
    public Page<Integration> list(String query, PageRequest page) {
        String q = validator.search(query);
        String where = q == null ? "" : " WHERE i.name_key LIKE ? ESCAPE '!'";
        String pattern = q == null ? null : "%" + likeEscape(nameKey(q)) + "%";
        return db.read(c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM integration i" + where)) {
                if (pattern != null) {
                    ps.setString(1, pattern);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Integration> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM integration i" + where + " ORDER BY i.name_key, i.id LIMIT ? OFFSET ?")) {
                int index = 1;
                Database.setInstant(ps, index++, clock.instant());
                if (pattern != null) {
                    ps.setString(index++, pattern);
                }
                ps.setInt(index++, page.size());
                ps.setLong(index, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(map(rs));
                    }
                }
            }
            return new Page<>(items, total);
        });
    }

    Integration lockForUpdate(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM integration i WHERE i.id = ? FOR UPDATE")) {
            Database.setInstant(ps, 1, clock.instant());
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw notFound(id);
                }
                return map(rs);
            }
        }
    }

    static NotFoundException notFound(long id) {
        return new NotFoundException("integration " + id + " does not exist");
    }

    private RuntimeException uniqueNameOr(SQLException e) {
        if (Database.isUniqueViolation(e)) {
            return new ValidationException("name", "is already used by another integration (names are unique, ignoring case)");
        }
        return db.translate(e);
    }

    private static String nameKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String likeEscape(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static Integration map(ResultSet rs) throws SQLException {
        return new Integration(rs.getLong("id"), rs.getString("name"), rs.getString("description"),
                rs.getString("notification_email"), rs.getBoolean("active"), Database.getInstant(rs, "created_at"),
                rs.getString("created_by"), Database.getInstant(rs, "updated_at"), rs.getLong("active_tokens"));
    }
}
