package io.globalgate.testing;

import io.globalgate.store.ChangeEvent;
import io.globalgate.store.Database;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.store.TokenRestrictions;
import io.globalgate.token.ExpirationPolicy;
import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;

/**
 * The rows the admin node writes, for the filter's own tests: integrations, tokens, and the
 * changes that alter a decision (revocation, deactivation, regeneration), each with the change
 * event the admin's write side appends. The events go through the real {@code ChangeFeed}, so a
 * filter sharing the store hears of them at commit, as it hears the admin servlet of its own
 * application. The admin artifact's store tests check that its write side writes these rows.
 */
public final class Seed {

    /** An integration as the filter sees it. */
    public record Integration(long id, String name) {
    }

    public record Token(long id, long integrationId, String name) {
    }

    /** A token and, once only, its value. */
    public record Issued(Token token, String value) {
        @Override
        public String toString() {
            return "Issued[id=" + token.id() + ", value=<masked>]";
        }
    }

    /** When and from where a token was last used, as the usage batches left it. */
    public record LastUse(Instant at, String ip) {
    }

    private static final String ACTOR = "seed";

    private final GlobalgateStore store;

    public Seed(GlobalgateStore store) {
        this.store = store;
    }

    /** An active integration. */
    public Integration integration(String name) {
        return store.database().inTransaction(tx -> {
            Instant now = store.clock().instant();
            try (PreparedStatement ps = tx.connection().prepareStatement("INSERT INTO integration (name, name_key, description,"
                    + " notification_email, active, created_at, created_by, updated_at) VALUES (?, ?, '', 'ops@example.com', TRUE, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, name);
                ps.setString(2, name.toLowerCase(Locale.ROOT));
                Database.setInstant(ps, 3, now);
                ps.setString(4, ACTOR);
                Database.setInstant(ps, 5, now);
                ps.executeUpdate();
                return new Integration(generatedKey(ps), name);
            }
        });
    }

    /**
     * A token of {@code integrationId}.
     *
     * @param expiration a fixed policy ({@code never}, {@code 7d}, ...), or null with {@code expiresAt}
     * @param expiresAt  an ISO-8601 instant, or null
     */
    public Issued token(long integrationId, String name, String expiration, String expiresAt) {
        ExpirationPolicy policy = expiration != null ? ExpirationPolicy.fixed(expiration) : ExpirationPolicy.custom(Instant.parse(expiresAt));
        if (policy == null) {
            throw new IllegalArgumentException("no such policy: " + expiration);
        }
        return store.database().inTransaction(tx -> {
            Issued issued = insertToken(tx.connection(), integrationId, name, policy);
            store.changes().append(tx, ChangeEvent.Kind.TOKEN_CREATED, integrationId, issued.token().id(), TokenHash.of(issued.value()));
            return issued;
        });
    }

    /** Revokes the tokens now, in one transaction, one change event each. */
    public void revoke(long... tokenIds) {
        store.database().inTransaction(tx -> {
            for (long id : tokenIds) {
                long integrationId = integrationOf(tx.connection(), id);
                try (PreparedStatement ps = tx.connection().prepareStatement(
                        "UPDATE access_token SET revoked_at = ?, revoked_by = ? WHERE id = ?")) {
                    Database.setInstant(ps, 1, store.clock().instant());
                    ps.setString(2, ACTOR);
                    ps.setLong(3, id);
                    ps.executeUpdate();
                }
                store.changes().append(tx, ChangeEvent.Kind.TOKEN_REVOKED, integrationId, id, hashOf(tx.connection(), id));
            }
            return null;
        });
    }

    /** Switches an integration off or on, with its change event. */
    public void setActive(long integrationId, boolean active) {
        store.database().inTransaction(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement("UPDATE integration SET active = ?, updated_at = ? WHERE id = ?")) {
                ps.setBoolean(1, active);
                Database.setInstant(ps, 2, store.clock().instant());
                ps.setLong(3, integrationId);
                ps.executeUpdate();
            }
            store.changes().append(tx, active ? ChangeEvent.Kind.INTEGRATION_ACTIVATED : ChangeEvent.Kind.INTEGRATION_DEACTIVATED,
                    integrationId, null, null);
            return null;
        });
    }

    /** A new token of the same name that never expires; the old one is revoked now and replaced by it. */
    public Issued regenerate(long tokenId) {
        return store.database().inTransaction(tx -> {
            Connection c = tx.connection();
            long integrationId = integrationOf(c, tokenId);
            String name;
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM access_token WHERE id = ?")) {
                ps.setLong(1, tokenId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    name = rs.getString(1);
                }
            }
            Issued fresh = insertToken(c, integrationId, name, ExpirationPolicy.NEVER);
            store.changes().append(tx, ChangeEvent.Kind.TOKEN_CREATED, integrationId, fresh.token().id(), TokenHash.of(fresh.value()));
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE access_token SET revoked_at = ?, revoked_by = ?, replaced_by = ? WHERE id = ?")) {
                Database.setInstant(ps, 1, store.clock().instant());
                ps.setString(2, ACTOR);
                ps.setLong(3, fresh.token().id());
                ps.setLong(4, tokenId);
                ps.executeUpdate();
            }
            store.changes().append(tx, ChangeEvent.Kind.TOKEN_REVOKED, integrationId, tokenId, hashOf(c, tokenId));
            return fresh;
        });
    }

    /** Sets a token's restrictions (null or empty = none), with its change event. */
    public void restrictToken(long tokenId, String allowedNetworks, String scope, java.util.List<String> pathPrefixes) {
        store.database().inTransaction(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement(
                    "UPDATE access_token SET allowed_networks = ?, scope = ?, path_prefixes = ? WHERE id = ?")) {
                ps.setString(1, allowedNetworks);
                ps.setString(2, scope);
                ps.setString(3, TokenRestrictions.joinPrefixes(pathPrefixes));
                ps.setLong(4, tokenId);
                ps.executeUpdate();
            }
            store.changes().append(tx, ChangeEvent.Kind.TOKEN_RESTRICTIONS_CHANGED, integrationOf(tx.connection(), tokenId), tokenId,
                    hashOf(tx.connection(), tokenId));
            return null;
        });
    }

    /** Sets an integration's allowed networks (null = none) and rate limit (null = the default), with its change event. */
    public void restrictIntegration(long integrationId, String allowedNetworks, Integer requestsPerMinute, Integer burst) {
        store.database().inTransaction(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement("UPDATE integration SET allowed_networks = ?,"
                    + " rate_limit_per_minute = ?, rate_limit_burst = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, allowedNetworks);
                ps.setObject(2, requestsPerMinute);
                ps.setObject(3, burst);
                Database.setInstant(ps, 4, store.clock().instant());
                ps.setLong(5, integrationId);
                ps.executeUpdate();
            }
            store.changes().append(tx, ChangeEvent.Kind.INTEGRATION_UPDATED, integrationId, null, null);
            return null;
        });
    }

    public LastUse lastUse(long tokenId) {
        return store.database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_used_at, last_used_ip FROM access_token WHERE id = ?")) {
                ps.setLong(1, tokenId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new LastUse(Database.getInstant(rs, "last_used_at"), rs.getString("last_used_ip"));
                }
            }
        });
    }

    /** The last request refused because the token had ended, as the filter's flush wrote it: {@code (null, null)} for none. */
    public LastUse lastRefused(long tokenId) {
        return store.database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_refused_at, last_refused_ip FROM access_token WHERE id = ?")) {
                ps.setLong(1, tokenId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new LastUse(Database.getInstant(rs, "last_refused_at"), rs.getString("last_refused_ip"));
                }
            }
        });
    }

    private Issued insertToken(Connection c, long integrationId, String name, ExpirationPolicy policy) throws SQLException {
        Instant now = store.clock().instant();
        String value = TokenFormat.generate();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO access_token (integration_id, name, token_hash, hint, expiration,"
                + " expires_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, integrationId);
            ps.setString(2, name);
            ps.setBytes(3, TokenHash.of(value).toBytes());
            ps.setString(4, TokenFormat.hint(value));
            ps.setString(5, policy.code());
            Database.setInstant(ps, 6, policy.expiresAt(now));
            Database.setInstant(ps, 7, now);
            ps.setString(8, ACTOR);
            ps.executeUpdate();
            return new Issued(new Token(generatedKey(ps), integrationId, name), value);
        }
    }

    private static long integrationOf(Connection c, long tokenId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT integration_id FROM access_token WHERE id = ?")) {
            ps.setLong(1, tokenId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no token " + tokenId);
                }
                return rs.getLong(1);
            }
        }
    }

    private static TokenHash hashOf(Connection c, long tokenId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT token_hash FROM access_token WHERE id = ?")) {
            ps.setLong(1, tokenId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return TokenHash.fromBytes(rs.getBytes(1));
            }
        }
    }

    private static long generatedKey(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }
}
