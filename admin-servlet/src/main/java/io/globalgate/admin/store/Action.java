package io.globalgate.admin.store;

import io.globalgate.store.ChangeEvent;
import io.globalgate.store.ChangeFeed;
import io.globalgate.store.Transaction;
import io.globalgate.token.TokenHash;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * One operator's action, in its transaction: the rows it changes and what every action records
 * beside them, all committed together or not at all: its audit row, the change event that tells
 * every node (when the action can alter a decision; this JVM's filter hears it at commit), and the
 * message to the integration's owner.
 */
final class Action {

    private final Transaction transaction;
    private final String actor;
    private final AuditLog audit;
    private final ChangeFeed feed;
    private final NotificationOutbox outbox;

    Action(Transaction transaction, String actor, AuditLog audit, ChangeFeed feed, NotificationOutbox outbox) {
        this.transaction = transaction;
        this.actor = actor;
        this.audit = audit;
        this.feed = feed;
        this.outbox = outbox;
    }

    Connection connection() {
        return transaction.connection();
    }

    /** Who acts, as the audit log and the rows name them. */
    String actor() {
        return actor;
    }

    void audit(String what, Long integrationId, Long tokenId, String detail) throws SQLException {
        audit.append(connection(), actor, what, integrationId, tokenId, detail);
    }

    /** A change that can alter the decision on a token (or, without a hash, on every token of the integration). */
    void tellEveryNode(ChangeEvent.Kind kind, long integrationId, Long tokenId, TokenHash hash) throws SQLException {
        feed.append(transaction, kind, integrationId, tokenId, hash);
    }

    void notifyOwner(NotificationOutbox.Kind kind, long integrationId, List<NotificationOutbox.TokenFact> tokens, String detail)
            throws SQLException {
        outbox.enqueue(connection(), kind, integrationId, actor, tokens, detail);
    }
}
