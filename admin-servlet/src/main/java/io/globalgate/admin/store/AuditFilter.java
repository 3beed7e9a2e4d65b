package io.globalgate.admin.store;

import java.time.Instant;

/** What the audit log can be narrowed to; every field null for all of it. {@code to} is exclusive. */
public record AuditFilter(Long integrationId, String action, String actor, Instant from, Instant to) {

    public static AuditFilter of(Long integrationId) {
        return new AuditFilter(integrationId, null, null, null, null);
    }
}
