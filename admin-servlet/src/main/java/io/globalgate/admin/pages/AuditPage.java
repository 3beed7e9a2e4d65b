package io.globalgate.admin.pages;

import io.globalgate.admin.store.AuditEvent;
import io.globalgate.admin.store.Integration;

import java.time.Instant;
import java.util.List;

/**
 * The audit log, optionally of one integration, narrowed by action, user and dates (the values
 * as the filter form shows them: empty for none).
 */
public record AuditPage(Layout layout, List<AuditEvent> events, Paging paging, Integration integration, String action,
                        String actor, String from, String to, List<String> actors, Instant now) {

    public boolean filtered() {
        return !action.isEmpty() || !actor.isEmpty() || !from.isEmpty() || !to.isEmpty();
    }
}
