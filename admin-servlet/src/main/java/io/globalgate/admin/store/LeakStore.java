package io.globalgate.admin.store;

import io.globalgate.store.ChangeEvent;
import io.globalgate.store.Database;
import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Revocations by someone who holds a token's value rather than by an operator: a secret scanner
 * that found it in public ({@link #reportLeaked}), or anyone who sends it ({@link #revokeByValue}).
 * Each call is one action (one transaction) whatever the number of tokens; only tokens that are
 * live when it runs are changed, audited and told to their owner, so the same report twice
 * changes nothing more.
 */
public final class LeakStore {

    /** How many tokens one call takes at most: GitHub's batches and the revocation endpoint's limit. */
    public static final int MAX_TOKENS = 1000;
    /** What {@code revoked_detail} holds at most. */
    private static final int DETAIL_MAX = 1000;
    /** What a notification's detail holds at most. */
    private static final int MESSAGE_DETAIL_MAX = 255;

    /** One token as a scanner reported it: where it was found ({@code url}) and in what ({@code source}). */
    public record Report(String token, String url, String source) {
    }

    private final Clock clock;
    private final Actions actions;

    LeakStore(Clock clock, Actions actions) {
        this.clock = clock;
        this.actions = actions;
    }

    /**
     * Revokes the live tokens among {@code reports}, recording in the audit log that
     * {@code reporter} found each at its URL, and telling each owner.
     *
     * @return the hashes of the reported tokens that are tokens of this deployment (live or not)
     */
    public Set<TokenHash> reportLeaked(String reporter, List<Report> reports) {
        Map<TokenHash, Report> byHash = new LinkedHashMap<>();
        for (Report report : limited(reports)) {
            if (TokenFormat.problemOf(report.token()) == null) {
                byHash.putIfAbsent(TokenHash.of(report.token()), report);
            }
        }
        if (byHash.isEmpty()) {
            return Set.of();
        }
        return actions.run(reporter, action -> {
            Set<TokenHash> known = new HashSet<>();
            Instant now = clock.instant();
            for (Found token : lock(action.connection(), byHash.keySet())) {
                known.add(token.hash());
                if (!token.live(now)) {
                    continue;
                }
                Report report = byHash.get(token.hash());
                String where = clip(report.url(), 800) + " (source: " + clip(report.source(), 60) + ")";
                revoke(action, token, RevokedReason.LEAK_REPORTED, "reported by " + reporter + " at " + where);
                action.audit("token.leak_reported", token.integrationId(), token.fact().id(),
                        "hint=" + token.fact().hint() + ", found at " + where + ", revoked");
                action.notifyOwner(NotificationOutbox.Kind.TOKEN_LEAKED, token.integrationId(), List.of(token.fact()),
                        clip(where, MESSAGE_DETAIL_MAX));
            }
            return known;
        });
    }

    /**
     * Revokes the live tokens among {@code values} on behalf of whoever sent them from
     * {@code clientAddress}; values that are malformed, unknown or not live are left alone, and
     * the caller learns nothing of which were which.
     */
    public void revokeByValue(String clientAddress, List<String> values) {
        Set<TokenHash> hashes = new HashSet<>();
        for (String value : limited(values)) {
            if (value != null && TokenFormat.problemOf(value) == null) {
                hashes.add(TokenHash.of(value));
            }
        }
        if (hashes.isEmpty()) {
            return;
        }
        actions.run("revocation-by-value", action -> {
            Instant now = clock.instant();
            Map<Long, List<NotificationOutbox.TokenFact>> byIntegration = new LinkedHashMap<>();
            String from = "sent by " + clip(clientAddress, 64);
            for (Found token : lock(action.connection(), hashes)) {
                if (!token.live(now)) {
                    continue;
                }
                revoke(action, token, RevokedReason.REVOKED_BY_VALUE, from);
                action.audit("token.revoked_by_value", token.integrationId(), token.fact().id(),
                        "hint=" + token.fact().hint() + ", " + from);
                byIntegration.computeIfAbsent(token.integrationId(), k -> new ArrayList<>()).add(token.fact());
            }
            for (Map.Entry<Long, List<NotificationOutbox.TokenFact>> e : byIntegration.entrySet()) {
                action.notifyOwner(NotificationOutbox.Kind.TOKENS_REVOKED_BY_VALUE, e.getKey(), e.getValue(), clip(clientAddress, 64));
            }
            return null;
        });
    }

    private static <T> List<T> limited(List<T> items) {
        if (items.size() > MAX_TOKENS) {
            throw new IllegalArgumentException("at most " + MAX_TOKENS + " tokens at once (" + items.size() + " given)");
        }
        return items;
    }

    /** A reported token found in the store, locked. */
    private record Found(long integrationId, NotificationOutbox.TokenFact fact, TokenHash hash, Instant revokedAt) {
        boolean live(Instant now) {
            return revokedAt == null && (fact.expiresAt() == null || fact.expiresAt().isAfter(now));
        }
    }

    /** Locks the rows of the hashes that exist, in id order (so two actions lock alike). */
    private static List<Found> lock(Connection c, Set<TokenHash> hashes) throws SQLException {
        List<TokenHash> list = List.copyOf(hashes);
        try (PreparedStatement ps = c.prepareStatement("SELECT id, integration_id, token_hash, hint, name, expires_at, revoked_at"
                + " FROM access_token WHERE token_hash IN (" + TokenStore.placeholders(list.size()) + ") ORDER BY id FOR UPDATE")) {
            for (int i = 0; i < list.size(); i++) {
                ps.setBytes(i + 1, list.get(i).toBytes());
            }
            List<Found> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Found(rs.getLong("integration_id"), new NotificationOutbox.TokenFact(rs.getLong("id"), rs.getString("name"),
                            rs.getString("hint"), Database.getInstant(rs, "expires_at")), TokenHash.fromBytes(rs.getBytes("token_hash")),
                            Database.getInstant(rs, "revoked_at")));
                }
            }
            return found;
        }
    }

    private void revoke(Action action, Found token, RevokedReason reason, String detail) throws SQLException {
        try (PreparedStatement ps = action.connection().prepareStatement("UPDATE access_token SET revoked_at = ?, revoked_by = ?,"
                + " revoked_reason = ?, revoked_detail = ? WHERE id = ? AND revoked_at IS NULL")) {
            Database.setInstant(ps, 1, clock.instant());
            ps.setString(2, action.actor());
            ps.setString(3, reason.code());
            ps.setString(4, clip(detail, DETAIL_MAX));
            ps.setLong(5, token.fact().id());
            ps.executeUpdate();
        }
        action.tellEveryNode(ChangeEvent.Kind.TOKEN_REVOKED, token.integrationId(), token.fact().id(), token.hash());
    }

    /** Text from outside, cut to {@code max} characters and without control characters (it goes into logs, pages and mail). */
    static String clip(String text, int max) {
        if (text == null || text.isEmpty()) {
            return "unknown";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && sb.length() < max; i++) {
            char ch = text.charAt(i);
            sb.append(Character.isISOControl(ch) || Character.isSurrogate(ch) ? '?' : ch);
        }
        return text.length() > max ? sb.substring(0, max - 1) + "…" : sb.toString();
    }
}
