package io.globalgate.soak;

import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A soak run written by hand, for the checker's own tests: tokens, admin actions, faults and
 * requests placed on the timeline at chosen milliseconds, and the database as the run would leave
 * it. {@link #judge()} runs the same {@link Checker} and {@link LossCheck} as a real run. Times are
 * milliseconds from the start of the run; node 0 answers every admin action unless said otherwise.
 */
final class SyntheticRun {

    /** The defaults a real run has: propagation bound, clock slack, recovery margin, maxStaleness. */
    static final long BOUND = 1_500;
    static final long SLACK = 50;
    static final long MARGIN = 5_000;
    static final long STALENESS = 30_000;

    final SoakConfig config = SoakConfig.defaults(Duration.ofSeconds(45), 1);
    final Timeline timeline = new Timeline();
    final FaultLog faults = new FaultLog();
    final SoakReport report = new SoakReport();
    final List<AdminAction> actions = new ArrayList<>();
    final List<TokenPool.Issued> issued = new ArrayList<>();
    final RequestLog load = new RequestLog();
    final RequestLog hostileHeaders = new RequestLog();
    final List<HostileDriver.AdminAttack> hostileAdmin = new ArrayList<>();
    final Map<Long, StoreState.IntegrationRow> integrations = new HashMap<>();
    final Map<Long, StoreState.TokenRow> tokens = new HashMap<>();
    final List<StoreState.AuditRow> audit = new ArrayList<>();
    final Map<Long, StoreState.UsageRow> usage = new HashMap<>();
    /** Per load request row: the integration the upstream saw it as (null: it never arrived). */
    private final Map<Integer, Long> arrivals = new HashMap<>();
    private Checker checker;

    SyntheticRun() {
        if (config.bound().toMillis() != BOUND || config.clockSlackMillis() != SLACK || config.recoveryMargin().toMillis() != MARGIN
                || config.maxStaleness().toMillis() != STALENESS) {
            throw new IllegalStateException("the soak's defaults changed; update SyntheticRun: " + config);
        }
    }

    static long t(long millis) {
        return Timeline.ms(millis);
    }

    long epochMillis(long millis) {
        return timeline.epochMillis(t(millis));
    }

    // ---- what the admin drivers did

    /** An integration created (answered at {@code millis}), with its row and audit row, as a real run leaves it. */
    AdminAction integration(long id, long millis) {
        AdminAction a = action(AdminAction.Kind.CREATE_INTEGRATION, -1, -1, millis - 5, millis, "integration " + id);
        a.newIntegrationId = id;
        integrations.put(id, new StoreState.IntegrationRow(id, "integration " + id, true));
        auditRow(millis, "integration.created", id, null);
        return a;
    }

    /** A token issued (answered at {@code millis}), never expiring, with its row and audit row. */
    TokenPool.Issued token(long id, long integrationId, long millis) {
        return token(id, integrationId, millis, null);
    }

    TokenPool.Issued token(long id, long integrationId, long millis, Long expiresAtMillis) {
        TokenPool.Issued token = issue(id, integrationId, millis, expiresAtMillis);
        AdminAction a = action(AdminAction.Kind.CREATE_TOKEN, integrationId, -1, millis - 5, millis);
        a.newTokenId = id;
        a.newTokenIndex = token.index();
        return token;
    }

    private TokenPool.Issued issue(long id, long integrationId, long millis, Long expiresAtMillis) {
        String value = TokenFormat.generate();
        Long expires = expiresAtMillis == null ? null : epochMillis(expiresAtMillis);
        TokenPool.Issued token = new TokenPool.Issued(issued.size(), id, integrationId, value, t(millis), expires);
        issued.add(token);
        tokens.put(id, new StoreState.TokenRow(id, integrationId, TokenHash.of(value).toBytes(), expires, null, null, null, null));
        auditRow(millis, "token.created", integrationId, id);
        return token;
    }

    /** An admin action answered {@code 200} at {@code answered}; the caller adds what it changed in the database. */
    AdminAction action(AdminAction.Kind kind, long integrationId, long tokenId, long sent, long answered) {
        return action(kind, integrationId, tokenId, sent, answered, "integration " + integrationId);
    }

    private AdminAction action(AdminAction.Kind kind, long integrationId, long tokenId, long sent, long answered, String name) {
        AdminAction a = new AdminAction(kind, 0, t(sent), integrationId, tokenId, List.of(), 0, name);
        a.answered = t(answered);
        a.outcome = AdminAction.Outcome.SUCCESS;
        a.status = 200;
        a.answer = "200";
        actions.add(a);
        return a;
    }

    /** A revocation answered at {@code answered}, with the row revoked and its audit row. */
    AdminAction revoke(TokenPool.Issued token, long sent, long answered) {
        AdminAction a = action(AdminAction.Kind.REVOKE, token.integrationId(), token.id(), sent, answered);
        revokedRow(token, answered);
        return a;
    }

    AdminAction massRevoke(long integrationId, List<Long> ids, List<TokenPool.Issued> live, int answeredRevoked, long sent, long answered) {
        AdminAction a = new AdminAction(AdminAction.Kind.MASS_REVOKE, 0, t(sent), integrationId, -1, ids, 0, null);
        a.answered = t(answered);
        a.outcome = AdminAction.Outcome.SUCCESS;
        a.status = 200;
        a.answer = "200";
        a.expectedRevoked = live.stream().map(TokenPool.Issued::id).toList();
        a.reportedRevoked = answeredRevoked;
        actions.add(a);
        live.forEach(token -> revokedRow(token, answered));
        return a;
    }

    AdminAction deactivate(long integrationId, long sent, long answered) {
        AdminAction a = action(AdminAction.Kind.DEACTIVATE, integrationId, -1, sent, answered);
        integrations.computeIfPresent(integrationId, (id, row) -> new StoreState.IntegrationRow(id, row.name(), false));
        auditRow(answered, "integration.deactivated", integrationId, null);
        return a;
    }

    AdminAction reactivate(long integrationId, long sent, long answered) {
        AdminAction a = action(AdminAction.Kind.REACTIVATE, integrationId, -1, sent, answered);
        integrations.computeIfPresent(integrationId, (id, row) -> new StoreState.IntegrationRow(id, row.name(), true));
        auditRow(answered, "integration.activated", integrationId, null);
        return a;
    }

    /** A change of a token's restrictions ({@code kind} says to what) answered at {@code answered}, with its audit row. */
    AdminAction restrict(TokenPool.Issued token, AdminAction.Kind kind, long sent, long answered) {
        AdminAction a = action(kind, token.integrationId(), token.id(), sent, answered);
        auditRow(answered, "token.restrictions_changed", token.integrationId(), token.id());
        return a;
    }

    /** A regeneration with a grace period: the old token expires {@code graceSeconds} after the answer. */
    AdminAction regenerateWithGrace(TokenPool.Issued old, long newTokenId, long graceSeconds, long sent, long answered) {
        AdminAction a = new AdminAction(AdminAction.Kind.REGENERATE_WITH_GRACE, 0, t(sent), old.integrationId(), old.id(), List.of(),
                graceSeconds, null);
        a.answered = t(answered);
        a.outcome = AdminAction.Outcome.SUCCESS;
        a.status = 200;
        a.answer = "200";
        actions.add(a);
        TokenPool.Issued fresh = issue(newTokenId, old.integrationId(), answered, null);
        a.newTokenId = fresh.id();
        a.newTokenIndex = fresh.index();
        StoreState.TokenRow row = tokens.get(old.id());
        tokens.put(old.id(), new StoreState.TokenRow(row.id(), row.integrationId(), row.hash(), epochMillis(answered) + graceSeconds * 1000,
                null, newTokenId, row.lastUsedAt(), row.lastUsedIp()));
        auditRow(answered, "token.regenerated", old.integrationId(), old.id());
        return a;
    }

    private void revokedRow(TokenPool.Issued token, long millis) {
        StoreState.TokenRow row = tokens.get(token.id());
        tokens.put(token.id(), new StoreState.TokenRow(row.id(), row.integrationId(), row.hash(), row.expiresAt(), epochMillis(millis) - 1,
                row.replacedBy(), row.lastUsedAt(), row.lastUsedIp()));
        auditRow(millis, "token.revoked", token.integrationId(), token.id());
    }

    void auditRow(long millis, String action, Long integrationId, Long tokenId) {
        audit.add(new StoreState.AuditRow(audit.size() + 1, epochMillis(millis), Cluster.ADMIN_USER, action, integrationId, tokenId, null));
    }

    // ---- faults

    SyntheticRun databaseDown(long from, long to) {
        faults.add(new FaultLog.Window("database restart", -1, t(from), t(to), "synthetic"));
        return this;
    }

    SyntheticRun nodeDown(int node, long from, long to) {
        faults.add(new FaultLog.Window("node " + (node + 1) + " restart", node, t(from), t(to), "synthetic"));
        return this;
    }

    // ---- what the clients saw

    /** A load client's request with {@code token} to {@code node}; a {@code 200} reached the upstream as the token's integration. */
    int request(TokenPool.Issued token, int node, long sent, long answered, int status) {
        return request(token, node, sent, answered, status, status == 401 ? RequestLog.REASON_REVOKED : RequestLog.REASON_NONE, (byte) 0);
    }

    int request(TokenPool.Issued token, int node, long sent, long answered, int status, byte reason, byte flags) {
        int row = load.size;
        load.add(t(sent), t(answered), token.index(), node, status, reason, flags, (byte) 0);
        if (status == 200) {
            arrivals.put(row, token.integrationId());
        }
        return row;
    }

    /** Changes what the upstream saw of a load request: {@code null} = it never arrived. */
    void arrivedAs(int row, Long integrationId) {
        if (integrationId == null) {
            arrivals.remove(row);
        } else {
            arrivals.put(row, integrationId);
        }
    }

    void hostileHeader(HostileDriver.HeaderAttack attack, int node, long sent, long answered, int status) {
        hostileHeaders.add(t(sent), t(answered), -1, node, status, RequestLog.REASON_NONE, (byte) 0, (byte) attack.ordinal());
    }

    void hostileAdmin(String attack, long sent, int status, boolean errorShape, String answer) {
        hostileAdmin.add(new HostileDriver.AdminAttack("POST /integrations", attack, 0, t(sent), t(sent + 5), status, errorShape, answer));
    }

    /** The usage the nodes flushed for a token: {@code requests} in one whole hour, last used at {@code lastUsed} from 127.0.0.1. */
    void usage(TokenPool.Issued token, long requests, Long lastUsed) {
        usage.put(token.id(), new StoreState.UsageRow(requests, 1, true));
        StoreState.TokenRow row = tokens.get(token.id());
        tokens.put(token.id(), new StoreState.TokenRow(row.id(), row.integrationId(), row.hash(), row.expiresAt(), row.revokedAt(),
                row.replacedBy(), lastUsed == null ? null : epochMillis(lastUsed), lastUsed == null ? null : "127.0.0.1"));
    }

    /** The usage a correct node flushes: per token, its accepted requests, last used at the last one's sending. */
    void usageAsAccepted() {
        Map<Integer, long[]> accepted = new HashMap<>();
        for (int i = 0; i < load.size; i++) {
            if (load.status[i] == 200) {
                long[] seen = accepted.computeIfAbsent(load.token[i], k -> new long[2]);
                seen[0]++;
                seen[1] = Math.max(seen[1], load.sent[i]);
            }
        }
        accepted.forEach((index, seen) -> usage(issued.get(index), seen[0], seen[1] / 1_000_000));
    }

    // ---- judging

    StoreState store() {
        return new StoreState(integrations, tokens, audit, usage);
    }

    /**
     * Judges the run as {@code Soak.run} does: the load against the model and against a real
     * {@link RecordingUpstream} that the accepted requests reached over HTTP, the hostile requests,
     * the admin actions, then what the database holds.
     */
    SoakReport judge() throws Exception {
        checker = new Checker(config, timeline, faults, List.copyOf(actions), List.copyOf(issued), store(), report);
        checker.judgeLoad(load);
        try (RecordingUpstream upstream = RecordingUpstream.start(1)) {
            HttpClient client = HttpClient.newHttpClient();
            for (Map.Entry<Integer, Long> arrival : arrivals.entrySet()) {
                HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(URI.create(upstream.uri() + "api/global/v1/system/status"))
                        .header(RecordingUpstream.REQUEST_ID_HEADER, "0-" + arrival.getKey())
                        .header("X-Globalgate-Integration-Id", Long.toString(arrival.getValue())).build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("the recording upstream answered " + answer.statusCode());
                }
            }
            checker.judgeUpstream(List.of(load), upstream);
        }
        checker.judgeHostileHeaders(hostileHeaders);
        checker.judgeHostileAdmin(hostileAdmin);
        checker.judgeAdminActions();
        checker.propagation(List.of(load));
        new LossCheck(config, timeline, List.copyOf(actions), List.copyOf(issued), store(), checker, report).run();
        return report;
    }

    long violations(SoakReport.Violation kind) {
        return report.violations(kind);
    }

    /** The summary a real run prints, for assertion messages. */
    String summary() {
        return report.summary("synthetic run");
    }
}
