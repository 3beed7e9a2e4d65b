package io.globalgate.admin.store;

import io.globalgate.store.ChangeEvent;
import io.globalgate.store.Database;
import io.globalgate.token.TokenHash;
import io.globalgate.validation.InputValidator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployment policy that revokes tokens nobody uses: a token not used for {@code unusedFor}
 * (since its last accepted request, or since it was created if it never was) is revoked with
 * reason {@code unused}, by the actor {@link #ACTOR}, but never before its owner was reminded at
 * least {@code remindBefore} earlier within the same unused stretch. Tokens that are revoked,
 * expired or replaced (they end on their own) are left alone.
 * <p>
 * Safe on any number of admin nodes at once: a reminder is claimed by a conditional update of
 * {@code unused_reminded_at} in the transaction that queues its message, and a revocation is a
 * conditional update in the transaction that writes its audit row, so each happens once.
 */
public final class UnusedTokenStore {

    /** Who the audit log and the revoked tokens name as having revoked an unused token. */
    public static final String ACTOR = "policy";
    /** The start of the current unused stretch. */
    private static final String SINCE = "COALESCE(last_used_at, created_at)";
    /** Neither revoked, nor replaced, nor expired at the time bound to the next parameter. */
    private static final String LIVE = "revoked_at IS NULL AND replaced_by IS NULL AND (expires_at IS NULL OR expires_at > ?)";

    private final Database db;
    private final Clock clock;
    private final Actions actions;
    private final NotificationOutbox outbox;

    UnusedTokenStore(Database db, Clock clock, Actions actions, NotificationOutbox outbox) {
        this.db = db;
        this.clock = clock;
        this.actions = actions;
        this.outbox = outbox;
    }

    /**
     * A token the scan found: what a message says of it, since when it is unused (its last use,
     * or its creation when {@code neverUsed}), and the hash the nodes forget.
     */
    private record Candidate(long integrationId, NotificationOutbox.TokenFact fact, Instant since, boolean neverUsed, TokenHash hash) {
    }

    /**
     * Queues a reminder for each live token unused for {@code unusedFor - remindBefore} that has
     * none for its current unused stretch: the message says when the token will be revoked.
     * A token that expires before then is claimed without a message: its expiry reminders speak for it.
     *
     * @return how many reminders this call queued
     */
    public int queueReminders(Duration unusedFor, Duration remindBefore, int limit) {
        Instant now = clock.instant();
        List<Candidate> due = candidates(" AND " + SINCE + " <= ? AND (unused_reminded_at IS NULL OR unused_reminded_at < "
                + SINCE + ")", now, List.of(now.minus(unusedFor).plus(remindBefore)), limit);
        int queued = 0;
        for (Candidate token : due) {
            Instant revokeAt = latest(token.since().plus(unusedFor), now.plus(remindBefore));
            boolean remind = token.fact().expiresAt() == null || token.fact().expiresAt().isAfter(revokeAt);
            boolean claimed = db.inTransaction(tx -> {
                Connection c = tx.connection();
                try (PreparedStatement ps = c.prepareStatement("UPDATE access_token SET unused_reminded_at = ? WHERE id = ? AND " + LIVE
                        + " AND " + SINCE + " = ? AND (unused_reminded_at IS NULL OR unused_reminded_at < " + SINCE + ")")) {
                    Database.setInstant(ps, 1, now);
                    ps.setLong(2, token.fact().id());
                    Database.setInstant(ps, 3, now);
                    Database.setInstant(ps, 4, token.since());
                    if (ps.executeUpdate() != 1) {
                        return false; // another node reminded first, or the token was used, revoked or replaced since the scan
                    }
                }
                if (remind) {
                    outbox.enqueue(c, NotificationOutbox.Kind.TOKEN_UNUSED, token.integrationId(), ACTOR,
                            List.of(token.fact()), revokeAt.toString() + " " + token.since());
                }
                return remind;
            });
            if (claimed) {
                queued++;
            }
        }
        return queued;
    }

    /**
     * Revokes each live token unused for {@code unusedFor} whose owner was reminded, within its
     * current unused stretch, at least {@code remindBefore} ago: one action per call, one audit
     * row per token, one message per integration.
     *
     * @return how many tokens this call revoked
     */
    public int revokeUnused(Duration unusedFor, Duration remindBefore, int limit) {
        Instant now = clock.instant();
        String due = " AND " + SINCE + " <= ? AND unused_reminded_at IS NOT NULL AND unused_reminded_at >= " + SINCE
                + " AND unused_reminded_at <= ?";
        List<Instant> bounds = List.of(now.minus(unusedFor), now.minus(remindBefore));
        if (candidates(due, now, bounds, 1).isEmpty()) {
            return 0; // the usual answer: no transaction, no lock
        }
        return actions.run(ACTOR, action -> {
            // Locked and checked again: a use flushed since, or another node's run, takes the token out.
            List<Candidate> locked = select(action.connection(), due + " ORDER BY id LIMIT ? FOR UPDATE", now, bounds, limit);
            Map<Long, List<NotificationOutbox.TokenFact>> byIntegration = new LinkedHashMap<>();
            for (Candidate token : locked) {
                String detail = (token.neverUsed() ? "never used since it was created at " : "not used since ") + token.since()
                        + "; the deployment revokes tokens unused for " + InputValidator.describe(unusedFor);
                try (PreparedStatement ps = action.connection().prepareStatement("UPDATE access_token SET revoked_at = ?, revoked_by = ?,"
                        + " revoked_reason = ?, revoked_detail = ? WHERE id = ? AND revoked_at IS NULL")) {
                    Database.setInstant(ps, 1, now);
                    ps.setString(2, ACTOR);
                    ps.setString(3, RevokedReason.UNUSED.code());
                    ps.setString(4, detail);
                    ps.setLong(5, token.fact().id());
                    if (ps.executeUpdate() != 1) {
                        continue;
                    }
                }
                action.audit("token.revoked_unused", token.integrationId(), token.fact().id(), "hint=" + token.fact().hint() + ", " + detail);
                action.tellEveryNode(ChangeEvent.Kind.TOKEN_REVOKED, token.integrationId(), token.fact().id(), token.hash());
                byIntegration.computeIfAbsent(token.integrationId(), k -> new ArrayList<>()).add(token.fact());
            }
            for (Map.Entry<Long, List<NotificationOutbox.TokenFact>> e : byIntegration.entrySet()) {
                action.notifyOwner(NotificationOutbox.Kind.TOKENS_REVOKED_UNUSED, e.getKey(), e.getValue(),
                        InputValidator.describe(unusedFor));
            }
            return byIntegration.values().stream().mapToInt(List::size).sum();
        });
    }

    private List<Candidate> candidates(String condition, Instant now, List<Instant> bounds, int limit) {
        return db.read(c -> select(c, condition + " ORDER BY id LIMIT ?", now, bounds, limit));
    }

    private static List<Candidate> select(Connection c, String conditionAndTail, Instant now, List<Instant> bounds, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, integration_id, name, hint, expires_at, token_hash, last_used_at, " + SINCE
                + " AS unused_since FROM access_token WHERE " + LIVE + conditionAndTail)) {
            int i = 1;
            Database.setInstant(ps, i++, now);
            for (Instant bound : bounds) {
                Database.setInstant(ps, i++, bound);
            }
            ps.setInt(i, limit);
            List<Candidate> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Candidate(rs.getLong("integration_id"), new NotificationOutbox.TokenFact(rs.getLong("id"),
                            rs.getString("name"), rs.getString("hint"), Database.getInstant(rs, "expires_at")),
                            Database.getInstant(rs, "unused_since"), rs.getObject("last_used_at") == null, TokenHash.fromBytes(rs.getBytes("token_hash"))));
                }
            }
            return rows;
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
