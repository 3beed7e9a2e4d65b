package io.globalgate.store;

import io.globalgate.validation.InputValidator;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The Globalgate schema, table by table. One instance per database per JVM: the filter and the
 * admin servlet of one web application share it, which is how a revocation made in the admin
 * reaches the filter's cache at once ({@link #addChangeListener}).
 */
public final class GlobalgateStore {

    private final Database database;
    private final Clock clock;
    private final InputValidator validator;
    private final ChangePublisher publisher;
    private final IntegrationStore integrations;
    private final TokenStore tokens;
    private final AuditLog audit;
    private final ChangeFeed changes;
    private final UsageStore usage;
    private final NotificationOutbox notifications;

    public GlobalgateStore(DataSource dataSource, Clock clock, InputValidator validator) {
        this(new Database(dataSource), clock, validator, new ChangePublisher());
    }

    private GlobalgateStore(Database database, Clock clock, InputValidator validator, ChangePublisher publisher) {
        this.database = database;
        this.clock = clock;
        this.validator = validator;
        this.publisher = publisher;
        this.audit = new AuditLog(database, clock);
        this.changes = new ChangeFeed(database, clock, publisher);
        this.notifications = new NotificationOutbox(database, clock);
        this.integrations = new IntegrationStore(database, clock, validator, audit, changes, notifications);
        this.tokens = new TokenStore(database, clock, validator, audit, changes, notifications);
        this.usage = new UsageStore(database, clock);
    }

    /** Runs the Flyway migrations; call once at start-up. */
    public GlobalgateStore migrate() {
        database.migrate();
        return this;
    }

    /**
     * The same store with other input rules (e.g. a maximum token lifetime): same database, same
     * in-process change listeners.
     */
    public GlobalgateStore withValidator(InputValidator otherRules) {
        return new GlobalgateStore(database, clock, otherRules, publisher);
    }

    public Clock clock() {
        return clock;
    }

    public Database database() {
        return database;
    }

    public InputValidator validator() {
        return validator;
    }

    public IntegrationStore integrations() {
        return integrations;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public AuditLog audit() {
        return audit;
    }

    public ChangeFeed changes() {
        return changes;
    }

    public UsageStore usage() {
        return usage;
    }

    public NotificationOutbox notifications() {
        return notifications;
    }

    /** Called after commit with each change made through this instance. */
    public void addChangeListener(Consumer<ChangeEvent> listener) {
        publisher.add(listener);
    }

    public void removeChangeListener(Consumer<ChangeEvent> listener) {
        publisher.remove(listener);
    }
}
