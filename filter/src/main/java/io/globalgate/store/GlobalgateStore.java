package io.globalgate.store;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The Globalgate schema as every node reads it: the decision on a token, the change feed and the
 * usage batches, and the migrations that create it. One instance per database per JVM: the
 * filter and the admin servlet of one web application share it, which is how a change the admin
 * commits reaches the filter's cache at once ({@link #addChangeListener}). The admin servlet's
 * artifact writes to the same schema through it (its {@code ManagementStore}).
 */
public final class GlobalgateStore {

    private final Database database;
    private final Clock clock;
    private final ChangePublisher publisher = new ChangePublisher();
    private final TokenLookup tokens;
    private final ChangeFeed changes;
    private final UsageStore usage;

    public GlobalgateStore(DataSource dataSource, Clock clock) {
        this.database = new Database(dataSource);
        this.clock = clock;
        this.tokens = new TokenLookup(database, clock);
        this.changes = new ChangeFeed(database, clock, publisher);
        this.usage = new UsageStore(database, clock);
    }

    /** Runs the Flyway migrations; call once at start-up. */
    public GlobalgateStore migrate() {
        database.migrate();
        return this;
    }

    /** For {@code migrate=false}: checks the schema is at the expected version; see {@link Database#checkSchemaVersion()}. */
    public String checkSchemaVersion() {
        return database.checkSchemaVersion();
    }

    public Clock clock() {
        return clock;
    }

    public Database database() {
        return database;
    }

    public TokenLookup tokens() {
        return tokens;
    }

    public ChangeFeed changes() {
        return changes;
    }

    public UsageStore usage() {
        return usage;
    }

    /** Called after commit with each change appended through this instance. */
    public void addChangeListener(Consumer<ChangeEvent> listener) {
        publisher.add(listener);
    }

    public void removeChangeListener(Consumer<ChangeEvent> listener) {
        publisher.remove(listener);
    }
}
