package io.globalgate.admin.store;

import io.globalgate.net.NetworkList;
import io.globalgate.store.ChangeEvent;
import io.globalgate.store.Database;
import io.globalgate.store.TokenRestrictions;
import io.globalgate.store.UsageStore;
import io.globalgate.token.ExpirationPolicy;
import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;
import io.globalgate.validation.InputValidator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** The {@code access_token} table. Only hashes and hints are stored; values leave once, in {@link IssuedToken}. */
public final class TokenStore {

    private static final String COLUMNS = "id, integration_id, name, hint, expiration, expires_at, created_at, created_by,"
            + " revoked_at, revoked_by, replaced_by, last_used_at, last_used_ip, allowed_networks, scope, path_prefixes,"
            + " revoked_reason, revoked_detail, last_refused_at, last_refused_ip";
    /** The same columns of {@code access_token t}, for the paged list's join. */
    private static final String PAGE_COLUMNS = "t." + COLUMNS.replace(", ", ", t.");

    private final Database db;
    private final Clock clock;
    private final InputValidator validator;
    private final Actions actions;
    private final UsageStore usage;

    TokenStore(Database db, Clock clock, InputValidator validator, Actions actions, UsageStore usage) {
        this.db = db;
        this.usage = usage;
        this.clock = clock;
        this.validator = validator;
        this.actions = actions;
    }

    /**
     * A token's restrictions as submitted; null fields are left as they are (on a new token: none,
     * read-write). Lists as written: {@code []} lifts the restriction.
     */
    public record RestrictionsInput(List<String> allowedNetworks, String scope, List<String> pathPrefixes) {
        public static final RestrictionsInput UNCHANGED = new RestrictionsInput(null, null, null);

        boolean isEmpty() {
            return allowedNetworks == null && scope == null && pathPrefixes == null;
        }
    }

    /** A token's restrictions, checked. */
    private record Restrictions(NetworkList allowedNetworks, TokenRestrictions.Scope scope, List<String> pathPrefixes) {
        static final Restrictions NONE = new Restrictions(NetworkList.empty(), TokenRestrictions.Scope.READ_WRITE, List.of());

        static Restrictions of(AccessToken t) {
            return new Restrictions(t.allowedNetworks(), t.scope(), t.pathPrefixes());
        }

        /** As the audit log and the owner's message give them, in at most {@code max} characters (see {@link RestrictionText}). */
        String text(int max) {
            return RestrictionText.token(allowedNetworks, scope, pathPrefixes, max);
        }
    }

    /** The checked restrictions {@code input} gives {@code base}; errors recorded. */
    private Restrictions restrictions(RestrictionsInput input, Restrictions base, InputValidator.Errors errors) {
        NetworkList networks = input.allowedNetworks() == null ? base.allowedNetworks()
                : validator.allowedNetworks("allowedNetworks", input.allowedNetworks(), errors);
        TokenRestrictions.Scope scope = input.scope() == null ? base.scope() : validator.scope("scope", input.scope(), errors);
        List<String> prefixes = input.pathPrefixes() == null ? base.pathPrefixes()
                : validator.pathPrefixes("pathPrefixes", input.pathPrefixes(), errors);
        return networks == null || scope == null || prefixes == null ? null : new Restrictions(networks, scope, prefixes);
    }

    /**
     * Issues a token for an integration.
     *
     * @param expiration a fixed policy code ({@code never}, {@code 7d}, ...), or null with {@code expiresAt}
     * @param expiresAt  an ISO-8601 instant for a custom expiry, or null
     */
    public IssuedToken create(String actor, long integrationId, String name, String expiration, String expiresAt) {
        return create(actor, integrationId, name, expiration, expiresAt, RestrictionsInput.UNCHANGED);
    }

    /** Issues a token with restrictions. */
    public IssuedToken create(String actor, long integrationId, String name, String expiration, String expiresAt,
                              RestrictionsInput restrictionsInput) {
        InputValidator.Errors errors = new InputValidator.Errors();
        String tokenName = validator.name("name", name, errors);
        ExpirationPolicy policy = validator.expiration(expiration, expiresAt, errors);
        Restrictions restrictions = restrictions(restrictionsInput, Restrictions.NONE, errors);
        errors.throwIfAny();
        return actions.run(actor, action -> {
            requireIntegration(action.connection(), integrationId);
            IssuedToken issued = issue(action, integrationId, tokenName, policy, null, restrictions);
            String created = "name=" + tokenName + ", expiration=" + policy.code() + ", hint=" + issued.token().hint();
            action.audit("token.created", integrationId, issued.token().id(), created
                    + (restrictions.equals(Restrictions.NONE) ? "" : ", " + restrictions.text(RestrictionText.AUDIT_MAX - created.length() - 2)));
            action.notifyOwner(NotificationOutbox.Kind.TOKEN_CREATED, integrationId, List.of(fact(issued.token())), null);
            return issued;
        });
    }

    public AccessToken get(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM access_token WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound(id);
                    }
                    return map(rs);
                }
            }
        });
    }

    /** The tokens that {@code id} replaced (normally at most one). */
    public List<AccessToken> predecessors(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM access_token WHERE replaced_by = ? ORDER BY id")) {
                ps.setLong(1, id);
                List<AccessToken> tokens = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tokens.add(map(rs));
                    }
                }
                return tokens;
            }
        });
    }

    /** Newest first; {@code status} null for all. */
    public Page<AccessToken> list(long integrationId, TokenStatus status, PageRequest page) {
        return list(integrationId, status, null, Sort.TOKEN_DEFAULT, page);
    }

    /**
     * One page of an integration's tokens: {@code status} null for all; {@code query} matches
     * anywhere in the name, case-insensitively (null for any name); in {@code sort}'s order, ties
     * newest first. A token that never expires sorts after every expiry date, one never used before
     * every use; by status, those that work come first, then expired, then revoked.
     */
    public Page<AccessToken> list(long integrationId, TokenStatus status, String query, Sort sort, PageRequest page) {
        Instant now = clock.instant();
        Listing listing = listing(integrationId, status, validator.search(query), now);
        String order = order(sort, "t.");
        boolean orderNeedsNow = sort.key().equals("status");
        return db.read(c -> {
            requireIntegration(c, integrationId);
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM access_token t WHERE " + listing.where())) {
                listing.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AccessToken> items = new ArrayList<>();
            // A deferred join: the page's ids come from the index alone, and only those rows are
            // read; with the columns in the paged query itself, every skipped row would be read too
            // (docs/BENCHMARKS.md, store-scale, has the figures). Another order than the newest
            // first sorts the integration's matching rows.
            try (PreparedStatement ps = c.prepareStatement("SELECT " + PAGE_COLUMNS + " FROM access_token t JOIN (SELECT t.id FROM access_token t"
                    + " WHERE " + listing.where() + " ORDER BY " + order + " LIMIT ? OFFSET ?) p ON p.id = t.id ORDER BY " + order)) {
                int i = listing.bind(ps, 1);
                if (orderNeedsNow) {
                    Database.setInstant(ps, i++, now);
                }
                ps.setInt(i++, page.size());
                ps.setLong(i++, page.offset());
                if (orderNeedsNow) {
                    Database.setInstant(ps, i, now);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(map(rs));
                    }
                }
            }
            return new Page<>(items, total);
        });
    }

    /**
     * The ids of the tokens of a listing ({@code status}, {@code query} as for {@link #list}) that
     * can still be revoked (not revoked, not expired), lowest first, at most {@code limit}: what a
     * mass revocation of every page of the listing revokes.
     */
    public List<Long> revocableIds(long integrationId, TokenStatus status, String query, int limit) {
        Instant now = clock.instant();
        if (status == TokenStatus.EXPIRED || status == TokenStatus.REVOKED) {
            return List.of();
        }
        Listing listing = listing(integrationId, TokenStatus.ACTIVE, validator.search(query), now);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id FROM access_token t WHERE " + listing.where()
                    + " ORDER BY t.id LIMIT ?")) {
                int i = listing.bind(ps, 1);
                ps.setInt(i, limit);
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            }
        });
    }

    /**
     * The hints of {@code tokens} and of the tokens that replaced them, and for each of them the token it replaced, if any: how
     * a grid tells apart the old and the new token of a regeneration, which share a name.
     */
    public Lineage lineage(List<AccessToken> tokens) {
        if (tokens.isEmpty()) {
            return new Lineage(java.util.Map.of(), java.util.Map.of());
        }
        List<Long> shown = tokens.stream().map(AccessToken::id).distinct().toList();
        java.util.Set<Long> read = new java.util.LinkedHashSet<>(shown);
        tokens.stream().map(AccessToken::replacedBy).filter(java.util.Objects::nonNull).forEach(read::add);
        List<Long> rows = List.copyOf(read);
        return db.read(c -> {
            java.util.Map<Long, String> hints = new java.util.HashMap<>();
            java.util.Map<Long, Long> predecessors = new java.util.HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, hint, replaced_by FROM access_token WHERE id IN ("
                    + placeholders(rows.size()) + ") OR replaced_by IN (" + placeholders(shown.size()) + ")")) {
                int i = 1;
                for (long id : rows) {
                    ps.setLong(i++, id);
                }
                for (long id : shown) {
                    ps.setLong(i++, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong("id");
                        hints.put(id, rs.getString("hint"));
                        Long replacedBy = Database.getLongOrNull(rs, "replaced_by");
                        if (replacedBy != null) {
                            predecessors.putIfAbsent(replacedBy, id);
                        }
                    }
                }
            }
            return new Lineage(hints, predecessors);
        });
    }

    /** Hints by token id, and the token each token replaced (by the new token's id). */
    public record Lineage(java.util.Map<Long, String> hints, java.util.Map<Long, Long> predecessors) {

        public String hint(Long id) {
            return id == null ? null : hints.get(id);
        }

        /** The hint of the token {@code id} replaced, or null. */
        public String replacedHint(long id) {
            return hint(predecessors.get(id));
        }
    }

    /** The WHERE clause of a listing of one integration's tokens, and its values. */
    private record Listing(String where, long integrationId, boolean needsNow, Instant now, String pattern) {

        int bind(PreparedStatement ps, int first) throws SQLException {
            int i = first;
            ps.setLong(i++, integrationId);
            if (needsNow) {
                Database.setInstant(ps, i++, now);
            }
            if (pattern != null) {
                ps.setString(i++, pattern);
            }
            return i;
        }
    }

    private static Listing listing(long integrationId, TokenStatus status, String query, Instant now) {
        String filter = status == null ? "" : switch (status) {
            case ACTIVE -> " AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)";
            case EXPIRED -> " AND t.revoked_at IS NULL AND t.expires_at <= ?";
            case REVOKED -> " AND t.revoked_at IS NOT NULL";
        };
        String pattern = query == null ? null : "%" + IntegrationStore.likeEscape(query.toLowerCase(java.util.Locale.ROOT)) + "%";
        return new Listing("t.integration_id = ?" + filter + (pattern == null ? "" : " AND LOWER(t.name) LIKE ? ESCAPE '!'"),
                integrationId, status == TokenStatus.ACTIVE || status == TokenStatus.EXPIRED, now, pattern);
    }

    /** The ORDER BY of a listing, columns of {@code alias}; {@code status} takes the time as its one value. */
    private static String order(Sort sort, String alias) {
        String d = sort.direction();
        String t = alias;
        String key = switch (sort.key()) {
            case "name" -> "LOWER(" + t + "name) " + d + ", ";
            case "created" -> "";
            case "expires" -> "CASE WHEN " + t + "expires_at IS NULL THEN 1 ELSE 0 END " + d + ", " + t + "expires_at " + d + ", ";
            case "lastUsed" -> "CASE WHEN " + t + "last_used_at IS NULL THEN 0 ELSE 1 END " + d + ", " + t + "last_used_at " + d + ", ";
            case "status" -> "CASE WHEN " + t + "revoked_at IS NOT NULL THEN 2 WHEN " + t + "expires_at <= ? THEN 1 ELSE 0 END " + d + ", ";
            default -> throw new IllegalArgumentException("no token order " + sort.key());
        };
        // Created: the ids are issued in order; ties of the other keys newest first.
        return key + t + "id " + (sort.key().equals("created") ? d : "DESC");
    }

    /**
     * Changes a token's restrictions: one transaction with its audit row, its change event (every
     * node drops the cached decision) and the message to the integration's owner.
     */
    public AccessToken restrict(String actor, long id, RestrictionsInput input) {
        InputValidator.Errors errors = new InputValidator.Errors();
        AccessToken before = get(id);
        restrictions(input, Restrictions.of(before), errors); // every field's errors before anything is locked
        errors.throwIfAny();
        actions.run(actor, action -> {
            Locked token = lockToken(action.connection(), id);
            Restrictions current = Restrictions.of(token.row);
            InputValidator.Errors none = new InputValidator.Errors();
            Restrictions next = restrictions(input, current, none);
            none.throwIfAny();
            if (next.equals(current)) {
                return null;
            }
            try (PreparedStatement ps = action.connection().prepareStatement(
                    "UPDATE access_token SET allowed_networks = ?, scope = ?, path_prefixes = ? WHERE id = ?")) {
                ps.setString(1, IntegrationStore.networksText(next.allowedNetworks()));
                ps.setString(2, next.scope().code());
                ps.setString(3, TokenRestrictions.joinPrefixes(next.pathPrefixes()));
                ps.setLong(4, id);
                ps.executeUpdate();
            }
            String hint = "hint=" + token.row.hint() + ", ";
            action.audit("token.restrictions_changed", token.row.integrationId(), id,
                    hint + next.text(RestrictionText.AUDIT_MAX - hint.length()));
            action.notifyOwner(NotificationOutbox.Kind.RESTRICTIONS_CHANGED, token.row.integrationId(), List.of(fact(token.row)),
                    next.text(RestrictionText.MESSAGE_MAX));
            action.tellEveryNode(ChangeEvent.Kind.TOKEN_RESTRICTIONS_CHANGED, token.row.integrationId(), id, token.hash);
            return null;
        });
        return get(id);
    }

    /** The client addresses the token was used from lately, latest first: a starting list of allowed networks. */
    public List<String> recentClientAddresses(long id, int limit) {
        get(id);
        return usage.recentClientAddresses(id, limit);
    }

    /** Revokes one token now. Revoking a revoked token is a {@link ConflictException}. */
    public AccessToken revoke(String actor, long id) {
        actions.run(actor, action -> {
            Locked token = lockToken(action.connection(), id);
            if (token.row.revokedAt() != null) {
                throw new ConflictException("token " + id + " is already revoked (at " + token.row.revokedAt()
                        + " by " + token.row.revokedBy() + ")");
            }
            revokeRows(action, List.of(id));
            action.audit("token.revoked", token.row.integrationId(), id, "hint=" + token.row.hint());
            action.notifyOwner(NotificationOutbox.Kind.TOKENS_REVOKED, token.row.integrationId(), List.of(fact(token.row)), null);
            action.tellEveryNode(ChangeEvent.Kind.TOKEN_REVOKED, token.row.integrationId(), id, token.hash);
            return null;
        });
        return get(id);
    }

    /**
     * Revokes, in one transaction, those of {@code ids} that belong to the integration and are not
     * revoked yet; ids of other integrations and unknown ids are left alone.
     *
     * @return how many tokens this call revoked
     */
    public int revokeMany(String actor, long integrationId, Collection<Long> ids) {
        List<Long> wanted = validator.revokeIds(ids);
        return actions.run(actor, action -> {
            requireIntegration(action.connection(), integrationId);
            List<Revocable> locked = lockRevocable(action.connection(), integrationId, wanted);
            if (locked.isEmpty()) {
                return 0;
            }
            int count = revokeRows(action, locked.stream().map(t -> t.fact().id()).toList());
            for (Revocable token : locked) {
                action.audit("token.revoked", integrationId, token.fact().id(), "hint=" + token.fact().hint() + ", mass revoke of " + locked.size());
                action.tellEveryNode(ChangeEvent.Kind.TOKEN_REVOKED, integrationId, token.fact().id(), token.hash());
            }
            // One message for the whole action, listing every token it revoked.
            action.notifyOwner(NotificationOutbox.Kind.TOKENS_REVOKED, integrationId, locked.stream().map(Revocable::fact).toList(), null);
            return count;
        });
    }

    /**
     * Replaces a token with a new one of the same name and policy, atomically. With a zero grace
     * the old token is revoked now; otherwise it expires at now + grace (never later than it would
     * have). A token that is revoked or already replaced is a {@link ConflictException}, which is
     * what the loser of two concurrent regenerations gets.
     */
    public IssuedToken regenerate(String actor, long id, Duration grace) {
        return regenerate(actor, id, grace, null, null);
    }

    /**
     * As {@link #regenerate(String, long, Duration)}, with the new token's expiration chosen: a
     * fixed policy code or a custom {@code expiresAt} as for {@link #create}; both null keep the
     * old token's policy (a custom one: the same lifetime, counted from now).
     */
    public IssuedToken regenerate(String actor, long id, Duration grace, String expiration, String expiresAt) {
        Duration gracePeriod = validator.gracePeriod(grace);
        boolean chosen = (expiration != null && !expiration.isBlank()) || (expiresAt != null && !expiresAt.isBlank());
        ExpirationPolicy chosenPolicy = null;
        if (chosen) {
            InputValidator.Errors errors = new InputValidator.Errors();
            chosenPolicy = validator.expiration(expiration, expiresAt, errors);
            errors.throwIfAny();
        }
        ExpirationPolicy newPolicy = chosenPolicy;
        return actions.run(actor, action -> {
            Locked old = lockToken(action.connection(), id);
            if (old.row.revokedAt() != null) {
                throw new ConflictException("token " + id + " is revoked and cannot be regenerated");
            }
            if (old.row.replacedBy() != null) {
                throw new ConflictException("token " + id + " was already regenerated (replaced by token " + old.row.replacedBy() + ")");
            }
            ExpirationPolicy policy = newPolicy != null ? newPolicy
                    : ExpirationPolicy.forReplacement(old.row.expiration(), old.row.createdAt(), old.row.expiresAt(), clock.instant());
            InputValidator.Errors errors = new InputValidator.Errors();
            validator.withinMaxLifetime(policy, "expiration", errors);
            errors.throwIfAny();
            IssuedToken fresh = issue(action, old.row.integrationId(), old.row.name(), policy, id, Restrictions.of(old.row));
            retire(action, old, fresh.token().id(), gracePeriod);
            // Read by people in the audit log: the tokens by their hints (the ids mean nothing there), the grace in words.
            action.audit("token.regenerated", old.row.integrationId(), id, "replaced by " + fresh.token().hint()
                    + (gracePeriod.isZero() ? ", old token revoked now" : ", old token works " + inWords(gracePeriod) + " more"));
            action.audit("token.created", old.row.integrationId(), fresh.token().id(), "name=" + old.row.name() + ", expiration="
                    + policy.code() + ", hint=" + fresh.token().hint() + ", replaces " + old.row.hint());
            action.notifyOwner(NotificationOutbox.Kind.TOKEN_REGENERATED, old.row.integrationId(),
                    List.of(fact(fresh.token()), fact(old.row)), Long.toString(gracePeriod.toSeconds()));
            return fresh;
        });
    }

    /**
     * Requests per hour of one token ({@code integration} false) or, summed, of every token of an
     * integration, for the hours starting in [{@code from}, {@code to}): every hour, oldest first,
     * with 0 for an hour without requests. {@code from} and {@code to} are whole hours.
     */
    public List<HourlyCount> usage(long id, boolean integration, Instant from, Instant to) {
        return db.read(c -> {
            if (integration) {
                requireIntegration(c, id);
            } else {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM access_token WHERE id = ?")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw notFound(id);
                        }
                    }
                }
            }
            String sql = integration
                    ? "SELECT u.hour_start, SUM(u.request_count) AS requests FROM token_usage_hourly u JOIN access_token t ON t.id = u.token_id"
                            + " WHERE t.integration_id = ? AND u.hour_start >= ? AND u.hour_start < ? GROUP BY u.hour_start"
                    : "SELECT hour_start, request_count AS requests FROM token_usage_hourly WHERE token_id = ? AND hour_start >= ? AND hour_start < ?";
            java.util.Map<Instant, Long> counts = new java.util.HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, id);
                Database.setInstant(ps, 2, from);
                Database.setInstant(ps, 3, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(Database.getInstant(rs, "hour_start"), rs.getLong("requests"));
                    }
                }
            }
            List<HourlyCount> hours = new ArrayList<>();
            for (Instant hour = from; hour.isBefore(to); hour = hour.plus(Duration.ofHours(1))) {
                hours.add(new HourlyCount(hour, counts.getOrDefault(hour, 0L)));
            }
            return hours;
        });
    }

    /** The requests of one hour, starting at {@code hour}. */
    public record HourlyCount(Instant hour, long requests) {
    }

    // ---- internals

    /**
     * Ends the replaced token: revoked now without a grace, else it expires when the grace ends (or
     * when it would have, if sooner). Either way its decision changes on every node.
     */
    private void retire(Action action, Locked old, long successorId, Duration grace) throws SQLException {
        Instant now = clock.instant();
        if (grace.isZero()) {
            try (PreparedStatement ps = action.connection().prepareStatement(
                    "UPDATE access_token SET revoked_at = ?, revoked_by = ?, replaced_by = ?, revoked_reason = ? WHERE id = ?")) {
                Database.setInstant(ps, 1, now);
                ps.setString(2, action.actor());
                ps.setLong(3, successorId);
                ps.setString(4, RevokedReason.REGENERATED.code());
                ps.setLong(5, old.row.id());
                ps.executeUpdate();
            }
            action.tellEveryNode(ChangeEvent.Kind.TOKEN_REVOKED, old.row.integrationId(), old.row.id(), old.hash);
        } else {
            Instant graceEnd = now.plus(grace);
            Instant expiresAt = old.row.expiresAt() != null && old.row.expiresAt().isBefore(graceEnd) ? old.row.expiresAt() : graceEnd;
            try (PreparedStatement ps = action.connection().prepareStatement(
                    "UPDATE access_token SET expires_at = ?, replaced_by = ? WHERE id = ?")) {
                Database.setInstant(ps, 1, expiresAt);
                ps.setLong(2, successorId);
                ps.setLong(3, old.row.id());
                ps.executeUpdate();
            }
            action.tellEveryNode(ChangeEvent.Kind.TOKEN_EXPIRY_CHANGED, old.row.integrationId(), old.row.id(), old.hash);
        }
    }

    /** A token a mass revocation has locked: what its message says of it, and the hash the nodes forget. */
    private record Revocable(NotificationOutbox.TokenFact fact, TokenHash hash) {
    }

    /** Locks those of {@code ids} that belong to the integration and are not revoked, in id order (so two actions lock alike). */
    private static List<Revocable> lockRevocable(Connection c, long integrationId, List<Long> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, token_hash, hint, name, expires_at FROM access_token"
                + " WHERE integration_id = ? AND revoked_at IS NULL AND id IN (" + placeholders(ids.size()) + ") ORDER BY id FOR UPDATE")) {
            ps.setLong(1, integrationId);
            for (int i = 0; i < ids.size(); i++) {
                ps.setLong(i + 2, ids.get(i));
            }
            List<Revocable> locked = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    locked.add(new Revocable(new NotificationOutbox.TokenFact(rs.getLong("id"), rs.getString("name"), rs.getString("hint"),
                            Database.getInstant(rs, "expires_at")), TokenHash.fromBytes(rs.getBytes("token_hash"))));
                }
            }
            return locked;
        }
    }

    private record Locked(AccessToken row, TokenHash hash) {
    }

    static NotificationOutbox.TokenFact fact(AccessToken token) {
        return new NotificationOutbox.TokenFact(token.id(), token.name(), token.hint(), token.expiresAt());
    }

    /** A new token's row; its value leaves this method once, in the {@link IssuedToken}, and is stored only as its hash. */
    private IssuedToken issue(Action action, long integrationId, String name, ExpirationPolicy policy, Long replaces,
                              Restrictions restrictions) throws SQLException {
        Instant now = Database.truncate(clock.instant());
        Instant expiresAt = Database.truncate(policy.expiresAt(now));
        String value = TokenFormat.generate();
        String hint = TokenFormat.hint(value);
        long id;
        try (PreparedStatement ps = action.connection().prepareStatement(
                "INSERT INTO access_token (integration_id, name, token_hash, hint, expiration, expires_at, created_at, created_by,"
                        + " allowed_networks, scope, path_prefixes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, integrationId);
            ps.setString(2, name);
            ps.setBytes(3, TokenHash.of(value).toBytes());
            ps.setString(4, hint);
            ps.setString(5, policy.code());
            Database.setInstant(ps, 6, expiresAt);
            Database.setInstant(ps, 7, now);
            ps.setString(8, action.actor());
            ps.setString(9, IntegrationStore.networksText(restrictions.allowedNetworks()));
            ps.setString(10, restrictions.scope().code());
            ps.setString(11, TokenRestrictions.joinPrefixes(restrictions.pathPrefixes()));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        // Every node lists the new token at its next poll, so a flood of forged tokens cannot crowd it out of the lookup budget.
        action.tellEveryNode(ChangeEvent.Kind.TOKEN_CREATED, integrationId, id, TokenHash.of(value));
        AccessToken token = new AccessToken(id, integrationId, name, hint, policy.code(), expiresAt, now, action.actor(),
                null, null, null, null, null, restrictions.allowedNetworks(), restrictions.scope(), restrictions.pathPrefixes(),
                null, null, null, null);
        return new IssuedToken(token, value, replaces);
    }

    /** Marks the tokens revoked now by the actor; returns how many were not revoked yet. */
    private int revokeRows(Action action, List<Long> ids) throws SQLException {
        try (PreparedStatement ps = action.connection().prepareStatement("UPDATE access_token SET revoked_at = ?, revoked_by = ?,"
                + " revoked_reason = ? WHERE revoked_at IS NULL AND id IN (" + placeholders(ids.size()) + ")")) {
            Database.setInstant(ps, 1, clock.instant());
            ps.setString(2, action.actor());
            ps.setString(3, RevokedReason.MANUAL.code());
            for (int i = 0; i < ids.size(); i++) {
                ps.setLong(i + 4, ids.get(i));
            }
            return ps.executeUpdate();
        }
    }

    private Locked lockToken(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", token_hash FROM access_token WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw notFound(id);
                }
                return new Locked(map(rs), TokenHash.fromBytes(rs.getBytes("token_hash")));
            }
        }
    }

    private static void requireIntegration(Connection c, long integrationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM integration WHERE id = ?")) {
            ps.setLong(1, integrationId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw IntegrationStore.notFound(integrationId);
                }
            }
        }
    }

    static NotFoundException notFound(long id) {
        return new NotFoundException("token " + id + " does not exist");
    }

    static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static AccessToken map(ResultSet rs) throws SQLException {
        return new AccessToken(rs.getLong("id"), rs.getLong("integration_id"), rs.getString("name"), rs.getString("hint"),
                rs.getString("expiration"), Database.getInstant(rs, "expires_at"), Database.getInstant(rs, "created_at"),
                rs.getString("created_by"), Database.getInstant(rs, "revoked_at"), rs.getString("revoked_by"),
                Database.getLongOrNull(rs, "replaced_by"), Database.getInstant(rs, "last_used_at"), rs.getString("last_used_ip"),
                NetworkList.parse(rs.getString("allowed_networks")), TokenRestrictions.Scope.fromCode(rs.getString("scope")),
                TokenRestrictions.splitPrefixes(rs.getString("path_prefixes")),
                rs.getString("revoked_reason"), rs.getString("revoked_detail"), Database.getInstant(rs, "last_refused_at"),
                rs.getString("last_refused_ip"));
    }

    /** A grace period in the largest whole unit: "1 hour", "24 hours", "7 days", "90 seconds". */
    static String inWords(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0 && s >= 2 * 86_400) {
            return plural(s / 86_400, "day");
        }
        if (s % 3_600 == 0) {
            return plural(s / 3_600, "hour");
        }
        if (s % 60 == 0) {
            return plural(s / 60, "minute");
        }
        return plural(s, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
