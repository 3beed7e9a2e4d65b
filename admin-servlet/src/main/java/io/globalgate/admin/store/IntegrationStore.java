package io.globalgate.admin.store;

import io.globalgate.net.NetworkList;
import io.globalgate.store.ChangeEvent;
import io.globalgate.store.Database;
import io.globalgate.store.TokenRestrictions.RateLimit;
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
import java.util.Objects;

/** The {@code integration} table. Every change is one {@link Action}: its row, audit row, change event and message together. */
public final class IntegrationStore {

    private static final String COLUMNS =
            "i.id, i.name, i.description, i.notification_email, i.active, i.created_at, i.created_by, i.updated_at,"
                    + " i.allowed_networks, i.rate_limit_per_minute, i.rate_limit_burst, "
                    + "(SELECT COUNT(*) FROM access_token t WHERE t.integration_id = i.id AND t.revoked_at IS NULL"
                    + " AND (t.expires_at IS NULL OR t.expires_at > ?)) AS active_tokens";

    private final Database db;
    private final Clock clock;
    private final InputValidator validator;
    private final Actions actions;

    IntegrationStore(Database db, Clock clock, InputValidator validator, Actions actions) {
        this.db = db;
        this.clock = clock;
        this.validator = validator;
        this.actions = actions;
    }

    /**
     * What an operator submits for a new integration or an edit; null fields are left as they are.
     * {@code allowedNetworks} as written ({@code []} = from anywhere); {@code rateLimit} a new limit
     * or {@link RateLimitInput#DEPLOYMENT_DEFAULT}.
     */
    public record Input(String name, String description, String notificationEmail, Boolean active, List<String> allowedNetworks,
                        RateLimitInput rateLimit) {
        public Input(String name, String description, String notificationEmail, Boolean active) {
            this(name, description, notificationEmail, active, null, null);
        }

        public static Input of(String name, String description, String notificationEmail) {
            return new Input(name, description, notificationEmail, null);
        }
    }

    /** A rate limit as submitted, checked by the validator; both null = the deployment's default. */
    public record RateLimitInput(Long requestsPerMinute, Long burst) {
        public static final RateLimitInput DEPLOYMENT_DEFAULT = new RateLimitInput(null, null);

        boolean isDeploymentDefault() {
            return requestsPerMinute == null && burst == null;
        }
    }

    public Integration create(String actor, Input input) {
        InputValidator.Errors errors = new InputValidator.Errors();
        String name = validator.name("name", input.name(), errors);
        String description = validator.description("description", input.description(), errors);
        String email = validator.email("notificationEmail", input.notificationEmail(), errors);
        errors.throwIfAny();
        boolean active = input.active() == null || input.active();
        long id = actions.run(actor, action -> {
            long created = insert(action, name, description, email, active);
            action.audit("integration.created", created, null, "name=" + name);
            return created;
        });
        return get(id);
    }

    /** Applies the non-null fields of {@code input}; a change of Active is also a change event. */
    public Integration update(String actor, long id, Input input) {
        InputValidator.Errors errors = new InputValidator.Errors();
        String name = input.name() == null ? null : validator.name("name", input.name(), errors);
        String description = input.description() == null ? null : validator.description("description", input.description(), errors);
        String email = input.notificationEmail() == null ? null : validator.email("notificationEmail", input.notificationEmail(), errors);
        NetworkList networks = input.allowedNetworks() == null ? null : validator.allowedNetworks("allowedNetworks", input.allowedNetworks(), errors);
        RateLimit limit = input.rateLimit() == null || input.rateLimit().isDeploymentDefault() ? null
                : validator.rateLimit("rateLimit", input.rateLimit().requestsPerMinute(), input.rateLimit().burst(), errors);
        errors.throwIfAny();
        actions.run(actor, action -> {
            Integration current = lock(action.connection(), id);
            Edit edit = new Edit(current, name != null ? name : current.name(), description != null ? description : current.description(),
                    email != null ? email : current.notificationEmail(), input.active() != null ? input.active() : current.active(),
                    networks != null ? networks : current.allowedNetworks(), input.rateLimit() != null ? limit : current.rateLimit());
            if (edit.changesNothing()) {
                return null;
            }
            write(action, edit);
            if (edit.restricts()) {
                action.audit("integration.restrictions_changed", id, null, edit.restrictionsText(RestrictionText.AUDIT_MAX));
                action.notifyOwner(NotificationOutbox.Kind.RESTRICTIONS_CHANGED, id, List.of(),
                        edit.restrictionsText(RestrictionText.MESSAGE_MAX));
                action.tellEveryNode(ChangeEvent.Kind.INTEGRATION_UPDATED, id, null, null); // the decisions carry the restrictions
            }
            if (!edit.changedFields().isEmpty()) {
                action.audit("integration.updated", id, null, String.join(", ", edit.changedFields()));
            }
            if (edit.renames()) {
                action.tellEveryNode(ChangeEvent.Kind.INTEGRATION_UPDATED, id, null, null); // the name is the requests' principal
            }
            if (edit.switchesActive()) {
                action.audit(edit.active() ? "integration.activated" : "integration.deactivated", id, null, null);
                action.notifyOwner(edit.active() ? NotificationOutbox.Kind.INTEGRATION_ACTIVATED
                        : NotificationOutbox.Kind.INTEGRATION_DEACTIVATED, id, List.of(), null);
                action.tellEveryNode(edit.active() ? ChangeEvent.Kind.INTEGRATION_ACTIVATED : ChangeEvent.Kind.INTEGRATION_DEACTIVATED,
                        id, null, null);
            }
            return null;
        });
        return get(id);
    }

    /** An integration as it is and as an edit leaves it. */
    private record Edit(Integration current, String name, String description, String notificationEmail, boolean active,
                        NetworkList allowedNetworks, RateLimit rateLimit) {

        /** Whether the allowed networks or the rate limit change. */
        boolean restricts() {
            return !allowedNetworks.equals(current.allowedNetworks()) || !Objects.equals(rateLimit, current.rateLimit());
        }

        /** The restrictions as the audit log and the owner's message give them, in at most {@code max} characters. */
        String restrictionsText(int max) {
            return RestrictionText.integration(allowedNetworks, rateLimit, max);
        }

        /** The fields the audit row names (the description only by name: it may be long). */
        List<String> changedFields() {
            List<String> changed = new ArrayList<>();
            if (renames()) {
                changed.add("name=" + name);
            }
            if (!description.equals(current.description())) {
                changed.add("description");
            }
            if (!notificationEmail.equals(current.notificationEmail())) {
                changed.add("notificationEmail=" + notificationEmail);
            }
            return changed;
        }

        boolean renames() {
            return !name.equals(current.name());
        }

        boolean switchesActive() {
            return active != current.active();
        }

        boolean changesNothing() {
            return changedFields().isEmpty() && !switchesActive() && !restricts();
        }
    }

    private long insert(Action action, String name, String description, String email, boolean active) throws SQLException {
        Instant now = clock.instant();
        try (PreparedStatement ps = action.connection().prepareStatement(
                "INSERT INTO integration (name, name_key, description, notification_email, active, created_at, created_by, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, name);
            ps.setString(2, nameKey(name));
            ps.setString(3, description);
            ps.setString(4, email);
            ps.setBoolean(5, active);
            Database.setInstant(ps, 6, now);
            ps.setString(7, action.actor());
            Database.setInstant(ps, 8, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw uniqueNameOr(e);
        }
    }

    private void write(Action action, Edit edit) {
        try (PreparedStatement ps = action.connection().prepareStatement(
                "UPDATE integration SET name = ?, name_key = ?, description = ?, notification_email = ?, active = ?, updated_at = ?,"
                        + " allowed_networks = ?, rate_limit_per_minute = ?, rate_limit_burst = ? WHERE id = ?")) {
            ps.setString(1, edit.name());
            ps.setString(2, nameKey(edit.name()));
            ps.setString(3, edit.description());
            ps.setString(4, edit.notificationEmail());
            ps.setBoolean(5, edit.active());
            Database.setInstant(ps, 6, clock.instant());
            ps.setString(7, networksText(edit.allowedNetworks()));
            ps.setObject(8, edit.rateLimit() == null ? null : edit.rateLimit().requestsPerMinute());
            ps.setObject(9, edit.rateLimit() == null ? null : edit.rateLimit().burst());
            ps.setLong(10, edit.current().id());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw uniqueNameOr(e);
        }
    }

    public Integration setActive(String actor, long id, boolean active) {
        return update(actor, id, new Input(null, null, null, active));
    }

    public Integration get(long id) {
        return db.read(c -> select(c, id, ""));
    }

    /** Ordered by name; {@code query} matches anywhere in the name, case-insensitively. */
    public Page<Integration> list(String query, PageRequest page) {
        return list(query, false, null, Sort.INTEGRATION_DEFAULT, page);
    }

    /** As {@link #list(String, PageRequest)}, in {@code sort}'s order (ties by name, then by id). */
    public Page<Integration> list(String query, Sort sort, PageRequest page) {
        return list(query, false, null, sort, page);
    }

    /**
     * As the pages search: {@code query} matches anywhere in the name or the notification e-mail
     * address, case-insensitively; {@code active} null for both states.
     */
    public Page<Integration> search(String query, Boolean active, PageRequest page) {
        return list(query, true, active, Sort.INTEGRATION_DEFAULT, page);
    }

    /** As {@link #search(String, Boolean, PageRequest)}, in {@code sort}'s order (ties by name, then by id). */
    public Page<Integration> search(String query, Boolean active, Sort sort, PageRequest page) {
        return list(query, true, active, sort, page);
    }

    /** The ORDER BY of a listing: by name; by creation (the ids are issued in order); active ones first, ascending. */
    private static String order(Sort sort) {
        String d = sort.direction();
        return switch (sort.key()) {
            case "name" -> "i.name_key " + d + ", i.id " + d;
            case "created" -> "i.id " + d;
            case "active" -> "CASE WHEN i.active THEN 0 ELSE 1 END " + d + ", i.name_key, i.id";
            default -> throw new IllegalArgumentException("no integration order " + sort.key());
        };
    }

    private Page<Integration> list(String query, boolean matchEmail, Boolean active, Sort sort, PageRequest page) {
        String q = validator.search(query);
        List<String> conditions = new ArrayList<>();
        if (q != null) {
            conditions.add(matchEmail ? "(i.name_key LIKE ? ESCAPE '!' OR LOWER(i.notification_email) LIKE ? ESCAPE '!')"
                    : "i.name_key LIKE ? ESCAPE '!'");
        }
        if (active != null) {
            conditions.add("i.active = " + (active ? "TRUE" : "FALSE"));
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        List<String> patterns = new ArrayList<>();
        if (q != null) {
            // name_key and the lower-cased address are compared alike
            String pattern = "%" + likeEscape(nameKey(q)) + "%";
            patterns.add(pattern);
            if (matchEmail) {
                patterns.add(pattern);
            }
        }
        return db.read(c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM integration i" + where)) {
                for (int n = 0; n < patterns.size(); n++) {
                    ps.setString(n + 1, patterns.get(n));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Integration> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM integration i" + where + " ORDER BY " + order(sort) + " LIMIT ? OFFSET ?")) {
                int index = 1;
                Database.setInstant(ps, index++, clock.instant());
                for (String pattern : patterns) {
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

    private Integration lock(Connection c, long id) throws SQLException {
        return select(c, id, " FOR UPDATE");
    }

    private Integration select(Connection c, long id, String lockClause) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM integration i WHERE i.id = ?" + lockClause)) {
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

    static String likeEscape(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static Integration map(ResultSet rs) throws SQLException {
        int perMinute = rs.getInt("rate_limit_per_minute");
        RateLimit limit = rs.wasNull() ? null : new RateLimit(perMinute, rs.getInt("rate_limit_burst"));
        return new Integration(rs.getLong("id"), rs.getString("name"), rs.getString("description"),
                rs.getString("notification_email"), rs.getBoolean("active"), Database.getInstant(rs, "created_at"),
                rs.getString("created_by"), Database.getInstant(rs, "updated_at"), rs.getLong("active_tokens"),
                NetworkList.parse(rs.getString("allowed_networks")), limit);
    }

    /** A network list as stored: the filter reads it back with {@link NetworkList#parse}; null for none. */
    static String networksText(NetworkList networks) {
        return networks.isEmpty() ? null : networks.toString();
    }

}
