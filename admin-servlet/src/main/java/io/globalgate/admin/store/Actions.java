package io.globalgate.admin.store;

import io.globalgate.store.ChangeFeed;
import io.globalgate.store.Database;
import io.globalgate.validation.InputValidator;

import java.sql.SQLException;

/** Runs each operator's {@link Action} as one transaction, retried whole on a deadlock. */
final class Actions {

    @FunctionalInterface
    interface Work<T> {
        T run(Action action) throws SQLException;
    }

    private final Database db;
    private final InputValidator validator;
    private final AuditLog audit;
    private final ChangeFeed feed;
    private final NotificationOutbox outbox;

    Actions(Database db, InputValidator validator, AuditLog audit, ChangeFeed feed, NotificationOutbox outbox) {
        this.db = db;
        this.validator = validator;
        this.audit = audit;
        this.feed = feed;
        this.outbox = outbox;
    }

    /** Runs {@code work} on behalf of {@code actor}; a blank or overlong actor is refused before anything is written. */
    <T> T run(String actor, Work<T> work) {
        String who = validator.actor(actor);
        return db.inTransaction(tx -> work.run(new Action(tx, who, audit, feed, outbox)));
    }
}
