package io.globalgate.admin.store;

import java.time.Instant;

/**
 * One line of the audit log: who did what, when, to which integration or token; with the names
 * they have now (null when there is none), for people.
 */
public record AuditEvent(long id, Instant occurredAt, String actor, String action,
                         Long integrationId, Long tokenId, String detail,
                         String integrationName, String tokenName, String tokenHint) {
}
