package io.globalgate.store;

import io.globalgate.net.NetworkList;
import io.globalgate.token.TokenHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What the filter reads of the {@code access_token} table: the decision on one token, and the counts for the gauges. */
public final class TokenLookup {

    private static final Logger LOG = LoggerFactory.getLogger(TokenLookup.class);

    private final Database db;
    private final Clock clock;

    TokenLookup(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * What the filter needs to decide on a token; empty when no token has this hash. The row must
     * carry the hash asked for: a connection that answers with another token's row (a driver or
     * pool out of step with its server) would let one integration's token act as another's, so
     * such an answer is refused as the store being unavailable and the connection is discarded.
     */
    public Optional<TokenDecision> findDecision(TokenHash hash) {
        byte[] asked = hash.toBytes();
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT t.id, t.integration_id, t.expires_at, t.revoked_at, i.name, i.active, t.token_hash,"
                            + " t.allowed_networks, t.scope, t.path_prefixes, i.allowed_networks AS integration_networks,"
                            + " i.rate_limit_per_minute, i.rate_limit_burst"
                            + " FROM access_token t JOIN integration i ON i.id = t.integration_id WHERE t.token_hash = ?")) {
                ps.setBytes(1, asked);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    if (!Arrays.equals(asked, rs.getBytes("token_hash"))) {
                        db.discard(c);
                        LOG.error("The database answered a token lookup with the row of another token (token {});"
                                + " the connection is discarded and the request answered 503", rs.getLong("id"));
                        throw new StoreUnavailableException("Globalgate store answered a token lookup with another token's row", null);
                    }
                    return Optional.of(new TokenDecision(rs.getLong("id"), rs.getLong("integration_id"), rs.getString("name"),
                            rs.getBoolean("active"), Database.getInstant(rs, "expires_at"), Database.getInstant(rs, "revoked_at"),
                            restrictions(rs)));
                }
            }
        });
    }

    /**
     * The restrictions of the row. The admin writes only what its validation accepted; a value the
     * filter cannot read (written by hand) must not open the token up, so it makes the lookup fail
     * as the store being unavailable ({@code 503}) and is logged with the token's id.
     */
    private static TokenRestrictions restrictions(ResultSet rs) throws SQLException {
        String tokenNetworks = rs.getString("allowed_networks");
        String integrationNetworks = rs.getString("integration_networks");
        String scopeCode = rs.getString("scope");
        String prefixes = rs.getString("path_prefixes");
        int perMinute = rs.getInt("rate_limit_per_minute");
        boolean ownLimit = !rs.wasNull();
        int burst = rs.getInt("rate_limit_burst");
        boolean ownBurst = !rs.wasNull();
        if (tokenNetworks == null && integrationNetworks == null && prefixes == null && !ownLimit
                && TokenRestrictions.Scope.READ_WRITE.code().equals(scopeCode)) {
            return TokenRestrictions.NONE;
        }
        try {
            TokenRestrictions.Scope scope = TokenRestrictions.Scope.fromCode(scopeCode);
            if (scope == null) {
                throw new IllegalArgumentException("unknown scope '" + scopeCode + "'");
            }
            return new TokenRestrictions(NetworkList.parse(tokenNetworks), NetworkList.parse(integrationNetworks), scope,
                    TokenRestrictions.splitPrefixes(prefixes),
                    ownLimit ? new TokenRestrictions.RateLimit(perMinute, ownBurst ? burst : perMinute) : null);
        } catch (IllegalArgumentException e) {
            LOG.error("The restrictions of token {} cannot be read ({}); its requests are answered 503 until they are corrected",
                    rs.getLong("id"), e.getMessage());
            throw new StoreUnavailableException("Globalgate store holds restrictions the filter cannot read", null);
        }
    }

    /**
     * The hashes of every token there is, revoked and expired ones included: what a node lists so
     * that a flood of forged tokens cannot crowd real ones out of its lookup budget
     * ({@code io.globalgate.filter.TokenLookupBudget}). Revoked ones too: a client still sending a
     * revoked token must get its {@code 401}, not a {@code 503} because forged tokens used the budget.
     */
    public List<TokenHash> everyTokenHash() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT token_hash FROM access_token");
                 ResultSet rs = ps.executeQuery()) {
                List<TokenHash> hashes = new ArrayList<>();
                while (rs.next()) {
                    hashes.add(TokenHash.fromBytes(rs.getBytes(1)));
                }
                return hashes;
            }
        });
    }

    /** Counts for the metrics: tokens neither revoked nor expired, and those of them expiring within {@code window}. */
    public TokenCounts counts(Duration window) {
        Instant now = clock.instant();
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(CASE WHEN expires_at <= ? THEN 1 ELSE 0 END), 0)"
                    + " FROM access_token WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)")) {
                Database.setInstant(ps, 1, now.plus(window));
                Database.setInstant(ps, 2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new TokenCounts(rs.getLong(1), rs.getLong(2));
                }
            }
        });
    }

    /** Tokens neither revoked nor expired, and those of them expiring within the window asked for. */
    public record TokenCounts(long active, long expiringSoon) {
    }
}
