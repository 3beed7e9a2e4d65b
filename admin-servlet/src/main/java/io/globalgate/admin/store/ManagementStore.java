package io.globalgate.admin.store;

import io.globalgate.store.Database;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.validation.InputValidator;

import java.time.Clock;

/**
 * The write side of the Globalgate schema, which only the admin node needs: integrations and
 * tokens, each change one transaction with its audit row, its change event and its notification;
 * the audit log; the notification outbox. It writes through the {@link GlobalgateStore} that the
 * filter of the same application shares, so that filter hears of each change when it commits.
 */
public final class ManagementStore {

    private final GlobalgateStore shared;
    private final InputValidator validator;
    private final IntegrationStore integrations;
    private final TokenStore tokens;
    private final LeakStore leaks;
    private final UnusedTokenStore unused;
    private final AuditLog audit;
    private final NotificationOutbox notifications;

    /**
     * The write side over the filter's store.
     *
     * @param shared    the store the filter reads (so the filter of the same application hears each change at commit)
     * @param validator the deployment's input rules (e.g. a maximum token lifetime)
     */
    public ManagementStore(GlobalgateStore shared, InputValidator validator) {
        this.shared = shared;
        this.validator = validator;
        Database db = shared.database();
        this.audit = new AuditLog(db, shared.clock());
        this.notifications = new NotificationOutbox(db, shared.clock());
        Actions actions = new Actions(db, validator, audit, shared.changes(), notifications);
        this.integrations = new IntegrationStore(db, shared.clock(), validator, actions);
        this.tokens = new TokenStore(db, shared.clock(), validator, actions, shared.usage());
        this.leaks = new LeakStore(shared.clock(), actions);
        this.unused = new UnusedTokenStore(db, shared.clock(), actions, notifications);
    }

    /**
     * The store this one writes through.
     *
     * @return the store shared with the filter of the same application
     */
    public GlobalgateStore shared() {
        return shared;
    }

    /**
     * The clock every time written is read from.
     *
     * @return the clock every time written is read from
     */
    public Clock clock() {
        return shared.clock();
    }

    /**
     * The database, its pool and migrations.
     *
     * @return the database, its pool and migrations
     */
    public Database database() {
        return shared.database();
    }

    /**
     * The rules on what an operator or a script may submit.
     *
     * @return the rules on what an operator or a script may submit
     */
    public InputValidator validator() {
        return validator;
    }

    /**
     * Integrations: list, create, read, change.
     *
     * @return integrations
     */
    public IntegrationStore integrations() {
        return integrations;
    }

    /**
     * Tokens: list, issue, read, revoke one or many, regenerate.
     *
     * @return tokens
     */
    public TokenStore tokens() {
        return tokens;
    }

    /**
     * Revocations by value: leaks reported by a secret scanner, and tokens sent to be revoked.
     *
     * @return revocations by value
     */
    public LeakStore leaks() {
        return leaks;
    }

    /**
     * The policy that revokes tokens nobody uses, and its reminders.
     *
     * @return unused tokens
     */
    public UnusedTokenStore unused() {
        return unused;
    }

    /**
     * The audit log, newest first.
     *
     * @return the audit log, newest first
     */
    public AuditLog audit() {
        return audit;
    }

    /**
     * The outbox of notification e-mails.
     *
     * @return the outbox of notification e-mails
     */
    public NotificationOutbox notifications() {
        return notifications;
    }
}
