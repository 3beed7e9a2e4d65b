package io.globalgate.soak;

import io.globalgate.token.TokenHash;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Nothing lost, nothing added: every admin action that answered success is in MariaDB and in its
 * audit log; no row is there that no action explains (a refused hostile request stored nothing);
 * and the usage the nodes flushed (the last on their graceful stops) adds up to the accepted
 * requests the clients saw.
 */
final class LossCheck {

    private final SoakConfig config;
    private final Timeline timeline;
    private final List<AdminAction> actions;
    private final List<TokenPool.Issued> issued;
    private final StoreState store;
    private final Checker checker;
    private final SoakReport report;
    private final long slackMillis;

    LossCheck(SoakConfig config, Timeline timeline, List<AdminAction> actions, List<TokenPool.Issued> issued, StoreState store,
              Checker checker, SoakReport report) {
        this.config = config;
        this.timeline = timeline;
        this.actions = actions;
        this.issued = issued;
        this.store = store;
        this.checker = checker;
        this.report = report;
        this.slackMillis = config.clockSlackMillis();
    }

    void run() {
        Map<String, int[]> expectedAudit = new HashMap<>(); // action -> {certain, uncertain}
        Set<Long> createdIntegrations = new HashSet<>();
        Map<Long, Integer> revokedBy = new HashMap<>(); // token id -> token.revoked rows it must have (certain)
        Set<Long> mayBeRevoked = new HashSet<>();
        int uncertainCreates = 0;
        int uncertainIntegrations = 0;
        for (AdminAction a : actions) {
            boolean ok = a.outcome == AdminAction.Outcome.SUCCESS;
            if (!a.outcome.mayHaveHappened()) {
                continue;
            }
            switch (a.kind) {
                case CREATE_INTEGRATION -> {
                    expect(expectedAudit, "integration.created", ok, 1);
                    if (ok) {
                        createdIntegrations.add(a.newIntegrationId);
                        StoreState.IntegrationRow row = store.integrations().get(a.newIntegrationId);
                        if (row == null) {
                            lost(a, "integration " + a.newIntegrationId + " is not in the database");
                        }
                    } else {
                        uncertainIntegrations++;
                    }
                }
                case RENAME_INTEGRATION -> expect(expectedAudit, "integration.updated", ok, 1);
                case DEACTIVATE -> expect(expectedAudit, "integration.deactivated", ok, 1);
                case REACTIVATE -> expect(expectedAudit, "integration.activated", ok, 1);
                case CREATE_TOKEN -> {
                    expect(expectedAudit, "token.created", ok, 1);
                    uncertainCreates += ok ? 0 : 1;
                }
                case REGENERATE, REGENERATE_WITH_GRACE -> {
                    expect(expectedAudit, "token.created", ok, 1);
                    expect(expectedAudit, "token.regenerated", ok, 1);
                    uncertainCreates += ok ? 0 : 1;
                    mayBeRevoked.add(a.tokenId);
                    if (ok) {
                        checkRegeneration(a);
                    }
                }
                case REVOKE -> {
                    expect(expectedAudit, "token.revoked", ok, 1);
                    mayBeRevoked.add(a.tokenId);
                    if (ok) {
                        revokedBy.merge(a.tokenId, 1, Integer::sum);
                        checkRevoked(a, a.tokenId);
                    }
                }
                case NARROW_NETWORKS, LIMIT_SCOPE, RESTRICT_ALLOWING, LIFT_RESTRICTIONS ->
                        expect(expectedAudit, "token.restrictions_changed", ok, 1);
                case MASS_REVOKE -> {
                    expect(expectedAudit, "token.revoked", ok, a.expectedRevoked.size());
                    mayBeRevoked.addAll(a.expectedRevoked);
                    if (ok) {
                        for (long id : a.expectedRevoked) {
                            revokedBy.merge(id, 1, Integer::sum);
                            checkRevoked(a, id);
                        }
                    }
                }
            }
        }
        checkFinalIntegrationState();
        checkIssuedTokens(revokedBy, mayBeRevoked);
        checkAudit(expectedAudit);

        long unexplainedIntegrations = store.integrations().keySet().stream().filter(id -> !createdIntegrations.contains(id)).count();
        if (unexplainedIntegrations > uncertainIntegrations) {
            report.violation(SoakReport.Violation.UNEXPLAINED_ROW, unexplainedIntegrations + " integration(s) in the database that no admin action"
                    + " created (only " + uncertainIntegrations + " creation(s) went unanswered)");
        }
        Set<Long> issuedIds = new HashSet<>();
        issued.forEach(t -> issuedIds.add(t.id()));
        long unexplainedTokens = store.tokens().keySet().stream().filter(id -> !issuedIds.contains(id)).count();
        if (unexplainedTokens > uncertainCreates) {
            report.violation(SoakReport.Violation.UNEXPLAINED_ROW, unexplainedTokens + " token(s) in the database that no admin action"
                    + " issued (only " + uncertainCreates + " creation(s) went unanswered)");
        }
        checkUsage();
        report.count("info: admin actions checked in the database and audit log", actions.stream()
                .filter(a -> a.outcome == AdminAction.Outcome.SUCCESS).count());
        report.count("info: audit rows read", store.audit().size());
    }

    private static void expect(Map<String, int[]> expected, String action, boolean certain, int rows) {
        expected.computeIfAbsent(action, k -> new int[2])[certain ? 0 : 1] += rows;
    }

    private void checkRevoked(AdminAction a, long tokenId) {
        StoreState.TokenRow row = store.tokens().get(tokenId);
        if (row == null || row.revokedAt() == null) {
            lost(a, "token " + tokenId + " is not revoked in the database");
            return;
        }
        Integer index = indexOf(tokenId);
        if (index != null && checker.touchedByUncertainAction(index)) {
            return; // an earlier unanswered revocation may have committed first
        }
        long from = timeline.epochMillis(a.sent) - slackMillis;
        long to = timeline.epochMillis(a.answered) + slackMillis;
        if (row.revokedAt() < from || row.revokedAt() > to) {
            lost(a, "token " + tokenId + " revoked_at " + java.time.Instant.ofEpochMilli(row.revokedAt())
                    + " is not between the request and its answer");
        }
    }

    private void checkRegeneration(AdminAction a) {
        StoreState.TokenRow old = store.tokens().get(a.tokenId);
        StoreState.TokenRow fresh = store.tokens().get(a.newTokenId);
        if (old == null || fresh == null) {
            lost(a, "old token " + a.tokenId + (old == null ? " missing" : " present") + ", new token " + a.newTokenId
                    + (fresh == null ? " missing" : " present"));
            return;
        }
        if (old.replacedBy() == null || old.replacedBy() != a.newTokenId) {
            lost(a, "token " + a.tokenId + " has replaced_by " + old.replacedBy() + ", not " + a.newTokenId);
        }
        if (a.kind == AdminAction.Kind.REGENERATE && old.revokedAt() == null) {
            lost(a, "token " + a.tokenId + " was regenerated without grace but is not revoked");
        }
        if (a.kind == AdminAction.Kind.REGENERATE_WITH_GRACE) {
            if (old.revokedAt() != null) {
                lost(a, "token " + a.tokenId + " was regenerated with grace but is revoked");
            }
            long latest = timeline.epochMillis(a.answered) + a.graceSeconds * 1000 + slackMillis;
            if (old.expiresAt() == null || old.expiresAt() > latest) {
                lost(a, "token " + a.tokenId + " expires at " + old.expiresAt() + ", after the grace period (" + latest + ")");
            }
        }
    }

    private void checkFinalIntegrationState() {
        Map<Long, AdminAction> lastName = new HashMap<>();
        Map<Long, AdminAction> lastToggle = new HashMap<>();
        for (AdminAction a : actions) {
            if (!a.outcome.mayHaveHappened()) {
                continue;
            }
            if (a.kind == AdminAction.Kind.CREATE_INTEGRATION && a.outcome == AdminAction.Outcome.SUCCESS) {
                lastName.put(a.newIntegrationId, a);
            } else if (a.kind == AdminAction.Kind.RENAME_INTEGRATION) {
                lastName.put(a.integrationId, a);
            } else if (a.kind == AdminAction.Kind.DEACTIVATE || a.kind == AdminAction.Kind.REACTIVATE) {
                lastToggle.put(a.integrationId, a);
            }
        }
        lastName.forEach((id, a) -> {
            StoreState.IntegrationRow row = store.integrations().get(id);
            if (a.outcome == AdminAction.Outcome.SUCCESS && row != null && !row.name().equals(a.name)) {
                lost(a, "integration " + id + " is named '" + row.name() + "', not '" + a.name + "'");
            }
        });
        lastToggle.forEach((id, a) -> {
            StoreState.IntegrationRow row = store.integrations().get(id);
            boolean active = a.kind == AdminAction.Kind.REACTIVATE;
            if (a.outcome == AdminAction.Outcome.SUCCESS && row != null && row.active() != active) {
                lost(a, "integration " + id + " is " + (row.active() ? "active" : "inactive") + " in the database");
            }
        });
    }

    private void checkIssuedTokens(Map<Long, Integer> revokedBy, Set<Long> mayBeRevoked) {
        Map<Long, Integer> createdRows = new HashMap<>();
        Map<Long, Integer> revokedRows = new HashMap<>();
        for (StoreState.AuditRow row : store.audit()) {
            if (row.tokenId() != null && row.action().equals("token.created")) {
                createdRows.merge(row.tokenId(), 1, Integer::sum);
            }
            if (row.tokenId() != null && row.action().equals("token.revoked")) {
                revokedRows.merge(row.tokenId(), 1, Integer::sum);
            }
        }
        for (TokenPool.Issued token : issued) {
            StoreState.TokenRow row = store.tokens().get(token.id());
            if (row == null) {
                report.violation(SoakReport.Violation.LOST, token + " was issued but is not in the database");
                continue;
            }
            if (row.integrationId() != token.integrationId() || !Arrays.equals(row.hash(), TokenHash.of(token.value()).toBytes())) {
                report.violation(SoakReport.Violation.LOST, token + " is stored with another integration or hash");
            }
            if (createdRows.getOrDefault(token.id(), 0) != 1) {
                report.violation(SoakReport.Violation.LOST, token + " has " + createdRows.getOrDefault(token.id(), 0)
                        + " 'token.created' audit rows, not 1");
            }
            int revokes = revokedRows.getOrDefault(token.id(), 0);
            int certain = revokedBy.getOrDefault(token.id(), 0);
            if (certain > 0 && revokes != 1) {
                report.violation(SoakReport.Violation.LOST, token + " was revoked (answered success) but has " + revokes
                        + " 'token.revoked' audit rows, not 1");
            }
            if (revokes > 0 && certain == 0 && !mayBeRevoked.contains(token.id())) {
                report.violation(SoakReport.Violation.UNEXPLAINED_ROW, token + " has a 'token.revoked' audit row but no admin action revoked it");
            }
            if (row.revokedAt() != null && !mayBeRevoked.contains(token.id())) {
                report.violation(SoakReport.Violation.UNEXPLAINED_ROW, token + " is revoked in the database but no admin action revoked it");
            }
        }
    }

    private void checkAudit(Map<String, int[]> expected) {
        Map<String, Integer> actual = new HashMap<>();
        for (StoreState.AuditRow row : store.audit()) {
            actual.merge(row.action(), 1, Integer::sum);
            if (!Cluster.ADMIN_USER.equals(row.actor())) {
                report.violation(SoakReport.Violation.UNEXPLAINED_ROW, "audit row " + row.id() + " by '" + row.actor() + "': " + row.action());
            }
        }
        Set<String> actions = new HashSet<>(actual.keySet());
        actions.addAll(expected.keySet());
        for (String action : actions) {
            int[] range = expected.getOrDefault(action, new int[2]);
            int n = actual.getOrDefault(action, 0);
            if (n < range[0]) {
                report.violation(SoakReport.Violation.LOST, "audit log has " + n + " '" + action + "' rows; " + range[0]
                        + " actions answered success");
            } else if (n > range[0] + range[1]) {
                report.violation(SoakReport.Violation.UNEXPLAINED_ROW, "audit log has " + n + " '" + action + "' rows; only "
                        + range[0] + " actions answered success and " + range[1] + " went unanswered");
            }
        }
    }

    private void checkUsage() {
        long seen = 0;
        long stored = 0;
        for (TokenPool.Issued token : issued) {
            int i = token.index();
            StoreState.UsageRow usage = store.usage().get(token.id());
            long counted = usage == null ? 0 : usage.requests();
            seen += checker.acceptedSeen[i];
            stored += counted;
            // Every request the filter lets through is counted, then proxied: the upstream's arrivals
            // are the count, plus what failed between the filter and the upstream.
            if (counted < checker.acceptedSeen[i] || counted < checker.upstreamArrivals[i]
                    || counted > checker.upstreamArrivals[i] + checker.acceptedUnseenByUpstream[i]) {
                report.violation(SoakReport.Violation.USAGE, token + ": token_usage_hourly counts " + counted + " requests; "
                        + checker.upstreamArrivals[i] + " reached the upstream" + (checker.acceptedUnseenByUpstream[i] > 0 ? " and "
                        + checker.acceptedUnseenByUpstream[i] + " may have failed between the filter and the upstream" : "")
                        + " (the clients saw " + checker.acceptedSeen[i] + " accepted)");
            }
            if (usage != null && !usage.wholeHours()) {
                report.violation(SoakReport.Violation.USAGE, token + ": an hour_start that is not a whole hour");
            }
            StoreState.TokenRow row = store.tokens().get(token.id());
            if (row == null) {
                continue;
            }
            if (checker.acceptedSeen[i] == 0 && checker.maybeAccepted[i] == 0) {
                if (row.lastUsedAt() != null) {
                    report.violation(SoakReport.Violation.USAGE, token + ": last used at " + row.lastUsedAt() + " but never accepted");
                }
                continue;
            }
            if (row.lastUsedAt() == null) {
                if (checker.acceptedSeen[i] > 0) {
                    report.violation(SoakReport.Violation.USAGE, token + ": accepted " + checker.acceptedSeen[i] + " times, no last_used_at");
                }
                continue;
            }
            long earliest = checker.acceptedSeen[i] > 0 ? timeline.epochMillis(checker.lastAcceptedSent[i]) - slackMillis : Long.MIN_VALUE;
            long latest = timeline.epochMillis(checker.lastAcceptedReceived[i]) + slackMillis;
            if (row.lastUsedAt() < earliest || row.lastUsedAt() > latest) {
                report.violation(SoakReport.Violation.USAGE, token + ": last_used_at " + java.time.Instant.ofEpochMilli(row.lastUsedAt())
                        + " is not the time of its last accepted request (sent " + java.time.Instant.ofEpochMilli(earliest + slackMillis)
                        + ", answered " + java.time.Instant.ofEpochMilli(latest - slackMillis) + ")");
            }
            if (!"127.0.0.1".equals(row.lastUsedIp())) {
                report.violation(SoakReport.Violation.USAGE, token + ": last_used_ip " + row.lastUsedIp());
            }
        }
        report.count("info: accepted requests the clients saw", seen);
        report.count("info: requests counted in token_usage_hourly", stored);
    }

    private Integer indexOf(long tokenId) {
        for (TokenPool.Issued t : issued) {
            if (t.id() == tokenId) {
                return t.index();
            }
        }
        return null;
    }

    private void lost(AdminAction a, String what) {
        report.violation(SoakReport.Violation.LOST, a + ": " + what);
    }
}
