package io.globalgate.admin.store;

import io.globalgate.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code notification_outbox} and {@code token_reminder} tables. Rows are written inside the
 * transaction of the change they report; senders on any number of nodes claim them one by one
 * with a conditional update, so each message is delivered by one sender, and it leaves the
 * outbox only when the mail server accepted it.
 */
public final class NotificationOutbox {

    /** What happened; the code is stored. */
    public enum Kind {
        TOKEN_CREATED, TOKENS_REVOKED, TOKEN_REGENERATED, INTEGRATION_DEACTIVATED, INTEGRATION_ACTIVATED,
        TOKEN_EXPIRING, TOKEN_EXPIRED, TEST,
        /** A token's or the integration's restrictions changed (detail: what they are now). */
        RESTRICTIONS_CHANGED,
        /** A secret scanner reported a token found in public; it was revoked (detail: where). */
        TOKEN_LEAKED,
        /** Someone who held tokens sent them to be revoked (detail: the client address). */
        TOKENS_REVOKED_BY_VALUE,
        /** A token is unused and will be revoked (detail: when it will be, a space, since when it is unused). */
        TOKEN_UNUSED,
        /** The unused-token policy revoked tokens (detail: the policy's period in words, e.g. "90 days"). */
        TOKENS_REVOKED_UNUSED,
        /**
         * A revoked or expired token was still used (detail: {@link RefusedUseNotice}); once per token.
         */
        TOKEN_USED_AFTER_END;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind fromCode(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    public enum Status {
        PENDING, SENT, FAILED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A token as a message names it: never its value. */
    public record TokenFact(long id, String name, String hint, Instant expiresAt) {
    }

    /** One message to deliver or delivered. */
    public record Message(long id, Kind kind, long integrationId, String recipient, String actor, Instant occurredAt,
                          List<TokenFact> tokens, String detail, Status status, int attempts, Instant nextAttemptAt,
                          String lastError, Instant sentAt) {
    }

    private static final String COLUMNS = "id, kind, integration_id, recipient, actor, occurred_at, facts, detail, status,"
            + " attempts, next_attempt_at, last_error, sent_at";

    private final Database db;
    private final Clock clock;

    NotificationOutbox(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Adds a message in the caller's transaction, addressed to the integration's current e-mail. */
    void enqueue(Connection c, Kind kind, long integrationId, String actor, List<TokenFact> tokens, String detail) throws SQLException {
        String recipient;
        try (PreparedStatement ps = c.prepareStatement("SELECT notification_email FROM integration WHERE id = ?")) {
            ps.setLong(1, integrationId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw IntegrationStore.notFound(integrationId);
                }
                recipient = rs.getString(1);
            }
        }
        Instant now = clock.instant();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_outbox (kind, integration_id, recipient, actor,"
                + " occurred_at, facts, detail, status, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)")) {
            ps.setString(1, kind.code());
            ps.setLong(2, integrationId);
            ps.setString(3, recipient);
            ps.setString(4, actor);
            Database.setInstant(ps, 5, now);
            ps.setString(6, writeFacts(tokens));
            ps.setString(7, detail);
            ps.setString(8, Status.PENDING.code());
            Database.setInstant(ps, 9, now);
            ps.executeUpdate();
        }
    }

    /** A test message for an integration, on an operator's request. */
    public void enqueueTest(String actor, long integrationId) {
        db.inTransaction(tx -> {
            Connection c = tx.connection();
            enqueue(c, Kind.TEST, integrationId, actor, List.of(), null);
            return null;
        });
    }

    /**
     * Claims up to {@code limit} due messages for {@code node} for {@code lease}; a message whose
     * sender died is claimed again when its lease ends.
     */
    public List<Message> claimDue(String node, int limit, Duration lease) {
        Instant now = clock.instant();
        List<Long> candidates = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM notification_outbox WHERE status = ?"
                    + " AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?")) {
                ps.setString(1, Status.PENDING.code());
                Database.setInstant(ps, 2, now);
                Database.setInstant(ps, 3, now);
                ps.setInt(4, limit);
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            }
        });
        List<Message> claimed = new ArrayList<>();
        for (long id : candidates) {
            boolean mine = db.update(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE notification_outbox SET claimed_by = ?, claimed_until = ?"
                        + " WHERE id = ? AND status = ? AND (claimed_until IS NULL OR claimed_until < ?)")) {
                    ps.setString(1, node);
                    Database.setInstant(ps, 2, now.plus(lease));
                    ps.setLong(3, id);
                    ps.setString(4, Status.PENDING.code());
                    Database.setInstant(ps, 5, now);
                    return ps.executeUpdate();
                }
            }) == 1;
            if (mine) {
                claimed.add(get(id));
            }
        }
        return claimed;
    }

    public Message get(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM notification_outbox WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFoundException("notification " + id + " does not exist");
                    }
                    return map(rs);
                }
            }
        });
    }

    /** The mail server accepted the message: it leaves the outbox's queue. */
    public void markSent(long id) {
        db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notification_outbox SET status = ?, sent_at = ?,"
                    + " attempts = attempts + 1, claimed_until = NULL, last_error = NULL WHERE id = ?")) {
                ps.setString(1, Status.SENT.code());
                Database.setInstant(ps, 2, clock.instant());
                ps.setLong(3, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Delivery failed; try again at {@code nextAttempt}. */
    public void markRetry(long id, Instant nextAttempt, String error) {
        db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notification_outbox SET status = ?, next_attempt_at = ?,"
                    + " attempts = attempts + 1, claimed_until = NULL, last_error = ? WHERE id = ?")) {
                ps.setString(1, Status.PENDING.code());
                Database.setInstant(ps, 2, nextAttempt);
                ps.setString(3, clipError(error));
                ps.setLong(4, id);
                return ps.executeUpdate();
            }
        });
    }

    /** The last retry failed too: the message stays, visible with its error, and is not tried again. */
    public void markFailed(long id, String error) {
        db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notification_outbox SET status = ?, sent_at = NULL,"
                    + " attempts = attempts + 1, claimed_until = NULL, last_error = ? WHERE id = ?")) {
                ps.setString(1, Status.FAILED.code());
                ps.setString(2, clipError(error));
                ps.setLong(3, id);
                return ps.executeUpdate();
            }
        });
    }

    /** {@code last_error} holds 1000 characters. */
    private static String clipError(String error) {
        return error == null ? null : error.length() > 1000 ? error.substring(0, 999) + "…" : error;
    }

    /** Newest first. */
    public Page<Message> list(long integrationId, PageRequest page) {
        return db.read(c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM notification_outbox WHERE integration_id = ?")) {
                ps.setLong(1, integrationId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Message> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM notification_outbox WHERE integration_id = ?"
                    + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
                ps.setLong(1, integrationId);
                ps.setInt(2, page.size());
                ps.setLong(3, page.offset());
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
     * Queues the reminders now due for one threshold: tokens that are active, expire within
     * {@code before} (or, with a null {@code before}, have expired), were issued before that
     * window opened, were not replaced, and have no reminder for {@code key} yet. The reminder row
     * and the message are one transaction; the reminder row's primary key makes a second node's
     * attempt fail, so each reminder goes out once.
     *
     * @return how many reminders this call queued
     */
    public int queueReminders(String key, Duration before, int limit) {
        Instant now = clock.instant();
        List<DueReminder> due = db.read(c -> {
            String window = before == null
                    ? " AND t.expires_at <= ? AND t.expires_at > ?"
                    : " AND t.expires_at > ? AND t.expires_at <= ?";
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id, t.integration_id, t.name, t.hint, t.expires_at, t.created_at"
                    + " FROM access_token t LEFT JOIN token_reminder r ON r.token_id = t.id AND r.threshold_key = ?"
                    + " WHERE r.token_id IS NULL AND t.revoked_at IS NULL AND t.replaced_by IS NULL" + window
                    + " ORDER BY t.expires_at LIMIT ?")) {
                int i = 1;
                ps.setString(i++, key);
                if (before == null) {
                    Database.setInstant(ps, i++, now);
                    Database.setInstant(ps, i++, now.minus(Duration.ofDays(7))); // no news of long-dead tokens
                } else {
                    Database.setInstant(ps, i++, now);
                    Database.setInstant(ps, i++, now.plus(before));
                }
                ps.setInt(i, limit);
                List<DueReminder> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new DueReminder(rs.getLong(2), new TokenFact(rs.getLong(1), rs.getString(3), rs.getString(4),
                                Database.getInstant(rs, "expires_at")), Database.getInstant(rs, "created_at")));
                    }
                }
                return rows;
            }
        });
        int queued = 0;
        for (DueReminder row : due) {
            long integrationId = row.integrationId();
            TokenFact token = row.token();
            Instant createdAt = row.createdAt();
            // A token issued inside the window (a 7-day token and the 7-day reminder) needs no
            // reminder: its owner chose that lifetime a moment ago. Its row is claimed all the same,
            // so it stops being a candidate.
            boolean remind = before == null || createdAt.isBefore(token.expiresAt().minus(before));
            boolean claimed;
            try {
                claimed = db.inTransaction(tx -> {
                    Connection c = tx.connection();
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO token_reminder (token_id, threshold_key, created_at) VALUES (?, ?, ?)")) {
                        ps.setLong(1, token.id());
                        ps.setString(2, key);
                        Database.setInstant(ps, 3, now);
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        if (Database.isUniqueViolation(e)) {
                            return false; // another node queued this reminder first
                        }
                        throw e;
                    }
                    if (remind) {
                        enqueue(c, before == null ? Kind.TOKEN_EXPIRED : Kind.TOKEN_EXPIRING, integrationId, null,
                                List.of(token), key);
                    }
                    return remind;
                });
            } catch (IllegalStateException e) {
                claimed = false; // a unique violation surfacing as a store error on some drivers
            }
            if (claimed) {
                queued++;
            }
        }
        return queued;
    }

    /**
     * The words of a {@link Kind#TOKEN_USED_AFTER_END} message, as its {@code detail} keeps them:
     * {@code ended} is {@code revoked} or {@code expired}, {@code at} the last refused use, {@code ip}
     * its client address (may be null).
     */
    public record RefusedUseNotice(String ended, Instant at, String ip) {
        String detail() {
            return ended + " " + at + " " + (ip == null ? "" : ip);
        }

        /** The notice a detail holds, or null for a detail this version did not write. */
        public static RefusedUseNotice parse(String detail) {
            String[] f = detail == null ? new String[0] : detail.split(" ", 3);
            if (f.length < 2) {
                return null;
            }
            try {
                return new RefusedUseNotice(f[0], Instant.parse(f[1]), f.length < 3 || f[2].isEmpty() ? null : f[2]);
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
    }

    /**
     * Queues one message per token that was used after it ended (the filter recorded a refused use,
     * {@code last_refused_at}) and whose owner has not been told yet, up to {@code limit} tokens.
     * Each token is claimed by setting {@code refused_notified_at} with a conditional update, in the
     * transaction that adds its message: of two admin nodes scanning at once, one claims it and
     * queues the message, the other changes nothing; the owner is told once per token, ever.
     *
     * @return how many messages this call queued
     */
    public int queueRefusedUseNotices(int limit) {
        List<Long> candidates = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM access_token"
                    + " WHERE refused_notified_at IS NULL AND last_refused_at IS NOT NULL ORDER BY last_refused_at LIMIT ?")) {
                ps.setInt(1, limit);
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            }
        });
        int queued = 0;
        for (long id : candidates) {
            boolean mine = db.inTransaction(tx -> {
                Connection c = tx.connection();
                try (PreparedStatement ps = c.prepareStatement("UPDATE access_token SET refused_notified_at = ?"
                        + " WHERE id = ? AND refused_notified_at IS NULL AND last_refused_at IS NOT NULL")) {
                    Database.setInstant(ps, 1, clock.instant());
                    ps.setLong(2, id);
                    if (ps.executeUpdate() != 1) {
                        return false; // another node told the owner first
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT integration_id, name, hint, expires_at, revoked_at,"
                        + " last_refused_at, last_refused_ip FROM access_token WHERE id = ?")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        RefusedUseNotice notice = new RefusedUseNotice(Database.getInstant(rs, "revoked_at") != null ? "revoked" : "expired",
                                Database.getInstant(rs, "last_refused_at"), rs.getString("last_refused_ip"));
                        enqueue(c, Kind.TOKEN_USED_AFTER_END, rs.getLong("integration_id"), null,
                                List.of(new TokenFact(id, rs.getString("name"), rs.getString("hint"), Database.getInstant(rs, "expires_at"))),
                                notice.detail());
                    }
                }
                return true;
            });
            if (mine) {
                queued++;
            }
        }
        return queued;
    }

    /** A token a reminder may be due for, as the scan found it. */
    private record DueReminder(long integrationId, TokenFact token, Instant createdAt) {
    }

    /** The tokens of a message, one line each, as the {@code facts} column keeps them. */
    static String writeFacts(List<TokenFact> tokens) {
        StringBuilder sb = new StringBuilder();
        for (TokenFact t : tokens) {
            sb.append(t.id()).append('\t').append(t.name()).append('\t').append(t.hint()).append('\t')
                    .append(t.expiresAt() == null ? "" : t.expiresAt().toString()).append('\n');
        }
        return sb.toString();
    }

    static List<TokenFact> readFacts(String facts) {
        List<TokenFact> tokens = new ArrayList<>();
        for (String line : facts.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            tokens.add(new TokenFact(Long.parseLong(f[0]), f[1], f[2], f[3].isEmpty() ? null : Instant.parse(f[3])));
        }
        return tokens;
    }

    private static Message map(ResultSet rs) throws SQLException {
        return new Message(rs.getLong("id"), Kind.fromCode(rs.getString("kind")), rs.getLong("integration_id"),
                rs.getString("recipient"), rs.getString("actor"), Database.getInstant(rs, "occurred_at"),
                readFacts(rs.getString("facts")), rs.getString("detail"),
                Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)), rs.getInt("attempts"),
                Database.getInstant(rs, "next_attempt_at"), rs.getString("last_error"), Database.getInstant(rs, "sent_at"));
    }

}
