package io.globalgate.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * One transaction of {@link Database#inTransaction}: its connection, and what is to happen once
 * it has committed, such as telling this JVM's listeners of the changes it made. A deadlock retry
 * runs the work again in a new transaction, so only what the attempt that committed collected
 * happens, and nothing does when the transaction rolls back.
 */
public final class Transaction {

    private static final Logger LOG = LoggerFactory.getLogger(Transaction.class);

    private final Connection connection;
    private final List<Runnable> afterCommit = new ArrayList<>();

    Transaction(Connection connection) {
        this.connection = connection;
    }

    public Connection connection() {
        return connection;
    }

    /** Runs {@code action} once this transaction has committed and its connection is back in the pool. */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    void committed() {
        for (Runnable action : afterCommit) {
            try {
                action.run();
            } catch (RuntimeException e) {
                // The transaction is committed: the caller must hear of its success, not of this.
                LOG.warn("An action after commit failed", e);
            }
        }
    }
}
