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
    private final AuditLog audit;
    private final NotificationOutbox notifications;

    /** @param validator the deployment's input rules (e.g. a maximum token lifetime) */
    public ManagementStore(GlobalgateStore shared, InputValidator validator) {
        this.shared = shared;
        this.validator = validator;
        Database db = shared.database();
        this.audit = new AuditLog(db, shared.clock());
        this.notifications = new NotificationOutbox(db, shared.clock());
        Actions actions = new Actions(db, validator, audit, shared.changes(), notifications);
        this.integrations = new IntegrationStore(db, shared.clock(), validator, actions);
        this.tokens = new TokenStore(db, shared.clock(), validator, actions);
    }

    /** The store this one writes through, shared with the filter of the same application. */
    public GlobalgateStore shared() {
        return shared;
    }

    public Clock clock() {
        return shared.clock();
    }

    public Database database() {
        return shared.database();
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

    public NotificationOutbox notifications() {
        return notifications;
    }
}
