package io.globalgate.soak;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Creates, revokes (one by one and by mass action), regenerates (with and without grace) tokens,
 * restricts them and lifts their restrictions again, and deactivates and reactivates
 * integrations, each through a node picked at random, at a few actions per second. It acts only
 * on integrations it created itself, so it knows what each mass revoke must revoke; its mass
 * revokes also name another driver's token and an unknown id, which must be left alone.
 */
final class AdminDriver implements Runnable {

    private static final int INTEGRATIONS = 3;
    private static final int LIVE_TOKENS = 10;
    private static final long MAX_ACTIONS = 1_000_000;
    /** Tokens under restrictions at once: few, so that most of the load stays accepted. */
    private static final int RESTRICTED_AT_ONCE = 2;

    private static final class OwnedIntegration {
        final long id;
        boolean active = true;
        long reactivateAt = -1;
        boolean retired;
        int renames;
        final List<OwnedToken> tokens = new ArrayList<>();

        OwnedIntegration(long id) {
            this.id = id;
        }
    }

    private static final class OwnedToken {
        final TokenPool.Issued issued;
        boolean revoked;
        boolean replaced;
        boolean retired;
        Long liveUntilEpochMillis;
        /** The restriction change in force (answered success), or null: unrestricted. */
        AdminAction.Kind restriction;
        long liftAt;

        OwnedToken(TokenPool.Issued issued) {
            this.issued = issued;
            this.liveUntilEpochMillis = issued.expiresAtEpochMillis();
        }

        boolean live(long nowEpochMillis) {
            return !revoked && !replaced && !retired && (liveUntilEpochMillis == null || liveUntilEpochMillis > nowEpochMillis + 2_000);
        }
    }

    private record Call(AdminAction action, AdminApi.Answer answer) {
        boolean succeeded() {
            return action.outcome == AdminAction.Outcome.SUCCESS;
        }
    }

    private final int driver;
    private final AdminApi api;
    private final int nodes;
    private final TokenPool pool;
    private final List<AdminAction> log;
    private final Timeline timeline;
    private final Random random;
    private final long endAt;
    private final List<OwnedIntegration> integrations = new ArrayList<>();
    private int integrationNames;
    private int tokenNames;

    AdminDriver(int driver, AdminApi api, int nodes, TokenPool pool, List<AdminAction> log, Timeline timeline, long seed, long endAt) {
        this.driver = driver;
        this.api = api;
        this.nodes = nodes;
        this.pool = pool;
        this.log = log;
        this.timeline = timeline;
        this.random = new Random(seed);
        this.endAt = endAt;
    }

    /** Integrations and tokens for the clients to start with. */
    void setUp() {
        for (int i = 0; i < INTEGRATIONS; i++) {
            createIntegration();
        }
        for (int i = 0; i < LIVE_TOKENS; i++) {
            createToken();
        }
        refreshPool();
    }

    @Override
    public void run() {
        for (long n = 0; n < MAX_ACTIONS && timeline.now() < endAt && !Thread.currentThread().isInterrupted(); n++) {
            refreshPool();
            step();
            refreshPool();
            sleep(80 + random.nextInt(170));
        }
    }

    private void step() {
        long now = timeline.now();
        for (OwnedIntegration integration : integrations) {
            if (!integration.active && !integration.retired && integration.reactivateAt <= now) {
                setActive(integration, true);
                return;
            }
        }
        long epochNow = nowEpochMillis();
        for (OwnedToken token : restricted()) {
            if (token.liftAt <= now && token.live(epochNow)) {
                restrict(token, AdminAction.Kind.LIFT_RESTRICTIONS);
                return;
            }
        }
        if (usableIntegrations().size() < INTEGRATIONS) {
            createIntegration();
            return;
        }
        if (liveTokens().size() < LIVE_TOKENS) {
            createToken();
            return;
        }
        int roll = random.nextInt(100);
        if (roll < 18) {
            revokeOne();
        } else if (roll < 28) {
            massRevoke();
        } else if (roll < 42) {
            regenerate(0);
        } else if (roll < 52) {
            regenerate(2 + random.nextInt(5));
        } else if (roll < 60) {
            deactivateOne();
        } else if (roll < 65) {
            rename();
        } else if (roll < 77) {
            restrictOne();
        } else {
            createToken();
        }
    }

    // ---- the actions

    private void createIntegration() {
        String name = "Soak d" + driver + " integration " + (++integrationNames);
        Call call = call(AdminAction.Kind.CREATE_INTEGRATION, -1, -1, List.of(), 0, name, "POST", "/integrations",
                "{\"name\":" + AdminApi.quote(name) + ",\"description\":\"soak test\",\"notificationEmail\":\"soak@example.com\"}");
        if (call.succeeded()) {
            long id = call.answer.json().get("id").asLong();
            call.action.newIntegrationId = id;
            integrations.add(new OwnedIntegration(id));
        }
    }

    private void rename() {
        List<OwnedIntegration> candidates = usableIntegrations();
        if (candidates.isEmpty()) {
            return;
        }
        OwnedIntegration integration = candidates.get(random.nextInt(candidates.size()));
        String name = "Soak d" + driver + " integration " + integration.id + " renamed " + (++integration.renames);
        Call call = call(AdminAction.Kind.RENAME_INTEGRATION, integration.id, -1, List.of(), 0, name, "PATCH",
                "/integrations/" + integration.id, "{\"name\":" + AdminApi.quote(name) + "}");
        if (call.action.outcome.uncertain()) {
            integration.retired = true;
        }
    }

    private void createToken() {
        List<OwnedIntegration> candidates = usableIntegrations();
        if (candidates.isEmpty()) {
            return;
        }
        OwnedIntegration integration = candidates.get(random.nextInt(candidates.size()));
        String name = "t" + (++tokenNames);
        int roll = random.nextInt(100);
        String expiry = roll < 60 ? "\"expiration\":\"30d\""
                : roll < 75 ? "\"expiration\":\"never\""
                : "\"expiresAt\":\"" + Instant.ofEpochMilli(timeline.epochMillis(timeline.now()) + 5_000 + random.nextInt(15_000)) + "\"";
        Call call = call(AdminAction.Kind.CREATE_TOKEN, integration.id, -1, List.of(), 0, name, "POST",
                "/integrations/" + integration.id + "/tokens", "{\"name\":\"" + name + "\"," + expiry + "}");
        if (call.succeeded()) {
            OwnedToken token = register(integration, call);
            call.action.newTokenIndex = token.issued.index();
            call.action.newTokenId = token.issued.id();
        }
    }

    private void revokeOne() {
        OwnedToken token = pickLive();
        if (token == null) {
            return;
        }
        Call call = call(AdminAction.Kind.REVOKE, token.issued.integrationId(), token.issued.id(), List.of(), 0, null, "POST",
                "/tokens/" + token.issued.id() + "/revoke", null);
        afterInvalidation(call, List.of(token));
        if (call.succeeded()) {
            token.revoked = true;
        }
    }

    private void massRevoke() {
        List<OwnedIntegration> candidates = usableIntegrations().stream()
                .filter(i -> i.tokens.stream().anyMatch(t -> t.live(nowEpochMillis()))).toList();
        if (candidates.isEmpty()) {
            return;
        }
        OwnedIntegration integration = candidates.get(random.nextInt(candidates.size()));
        List<OwnedToken> live = new ArrayList<>(integration.tokens.stream().filter(t -> t.live(nowEpochMillis())).toList());
        java.util.Collections.shuffle(live, random);
        List<OwnedToken> chosen = live.subList(0, 1 + random.nextInt(Math.min(3, live.size())));
        List<Long> ids = new ArrayList<>(chosen.stream().map(t -> t.issued.id()).toList());
        integration.tokens.stream().filter(t -> t.revoked && !t.retired).findAny().ifPresent(t -> ids.add(t.issued.id()));
        pool.issued().stream().filter(t -> t.integrationId() != integration.id).reduce((a, b) -> random.nextBoolean() ? a : b)
                .ifPresent(foreign -> ids.add(foreign.id()));
        ids.add(9_000_000_000L + random.nextInt(1_000_000)); // no such token
        java.util.Collections.shuffle(ids, random);
        Call call = call(AdminAction.Kind.MASS_REVOKE, integration.id, -1, ids, 0, null, "POST",
                "/integrations/" + integration.id + "/tokens/revoke", "{\"ids\":" + ids + "}");
        call.action.expectedRevoked = chosen.stream().map(t -> t.issued.id()).toList();
        afterInvalidation(call, chosen);
        if (call.succeeded()) {
            call.action.reportedRevoked = call.answer.json().get("revoked").asInt();
            chosen.forEach(t -> t.revoked = true);
        }
    }

    private void regenerate(long graceSeconds) {
        // The new token keeps the old one's restrictions: only unrestricted ones, so that every new token starts unrestricted.
        List<OwnedToken> unrestricted = liveTokens().stream().filter(t -> t.restriction == null).toList();
        OwnedToken token = unrestricted.isEmpty() ? null : unrestricted.get(random.nextInt(unrestricted.size()));
        if (token == null) {
            return;
        }
        OwnedIntegration integration = owner(token);
        AdminAction.Kind kind = graceSeconds == 0 ? AdminAction.Kind.REGENERATE : AdminAction.Kind.REGENERATE_WITH_GRACE;
        String body = graceSeconds == 0 ? (random.nextBoolean() ? null : "{\"graceSeconds\":0}") : "{\"graceSeconds\":" + graceSeconds + "}";
        Call call = call(kind, token.issued.integrationId(), token.issued.id(), List.of(), graceSeconds, null, "POST",
                "/tokens/" + token.issued.id() + "/regenerate", body);
        if (graceSeconds == 0) {
            afterInvalidation(call, List.of(token));
        } else if (call.action.outcome.mayHaveHappened()) {
            long graceEnd = timeline.epochMillis(call.action.sent) + graceSeconds * 1000;
            token.liveUntilEpochMillis = token.liveUntilEpochMillis == null ? graceEnd : Math.min(graceEnd, token.liveUntilEpochMillis);
            pool.liveUntil(token.issued.index(), graceEnd);
            token.retired |= call.action.outcome.uncertain();
        }
        if (call.succeeded()) {
            token.replaced = true;
            token.revoked |= graceSeconds == 0;
            OwnedToken fresh = register(integration, call);
            call.action.newTokenIndex = fresh.issued.index();
            call.action.newTokenId = fresh.issued.id();
        }
    }

    /**
     * Restricts an unrestricted token: its networks elsewhere, its scope elsewhere, or restrictions
     * that still allow the load's GET; {@link #step} lifts them again after a while. A token is
     * never restricted twice in a row, so every change is a change (an unchanged PATCH writes no
     * audit row) and each one's effect shows in the load's answers.
     */
    private void restrictOne() {
        long epochNow = nowEpochMillis();
        if (restricted().stream().filter(t -> t.live(epochNow)).count() >= RESTRICTED_AT_ONCE) {
            return;
        }
        // Not a token about to expire: a lift must find it live.
        List<OwnedToken> candidates = liveTokens().stream().filter(t -> t.restriction == null
                && (t.liveUntilEpochMillis == null || t.liveUntilEpochMillis > epochNow + 30_000)).toList();
        if (candidates.isEmpty()) {
            return;
        }
        AdminAction.Kind[] kinds = {AdminAction.Kind.NARROW_NETWORKS, AdminAction.Kind.LIMIT_SCOPE, AdminAction.Kind.RESTRICT_ALLOWING};
        restrict(candidates.get(random.nextInt(candidates.size())), kinds[random.nextInt(kinds.length)]);
    }

    private List<OwnedToken> restricted() {
        return usableIntegrations().stream().flatMap(i -> i.tokens.stream()).filter(t -> t.restriction != null && !t.retired).toList();
    }

    private void restrict(OwnedToken token, AdminAction.Kind kind) {
        Call call = call(kind, token.issued.integrationId(), token.issued.id(), List.of(), 0, null, "PATCH",
                "/tokens/" + token.issued.id(), kind.body);
        if (call.succeeded()) {
            token.restriction = kind == AdminAction.Kind.LIFT_RESTRICTIONS ? null : kind;
            token.liftAt = timeline.now() + Timeline.ms(1_500 + random.nextInt(2_500));
        } else if (call.action.outcome.uncertain()) {
            token.retired = true; // which restrictions it has is unknown: it is left as it is
        }
    }

    private void deactivateOne() {
        if (integrations.stream().anyMatch(i -> !i.active && !i.retired)) {
            return; // one inactive integration at a time keeps most tokens live
        }
        List<OwnedIntegration> candidates = usableIntegrations().stream()
                .filter(i -> i.tokens.stream().anyMatch(t -> t.live(nowEpochMillis()))).toList();
        if (candidates.isEmpty()) {
            return;
        }
        setActive(candidates.get(random.nextInt(candidates.size())), false);
    }

    private void setActive(OwnedIntegration integration, boolean active) {
        Call call = call(active ? AdminAction.Kind.REACTIVATE : AdminAction.Kind.DEACTIVATE, integration.id, -1, List.of(), 0, null,
                "PATCH", "/integrations/" + integration.id, "{\"active\":" + active + "}");
        if (call.succeeded()) {
            integration.active = active;
            integration.reactivateAt = active ? -1 : timeline.now() + Timeline.ms(2_000 + random.nextInt(4_000));
            for (OwnedToken token : integration.tokens) {
                if (active) {
                    pool.resume(token.issued.index());
                } else {
                    pool.suspend(token.issued.index(), call.action.answered);
                }
            }
        } else if (call.action.outcome.uncertain()) {
            integration.retired = true; // its state is unknown until the checker reads the audit log
            integration.tokens.forEach(t -> pool.invalidate(t.issued.index(), call.action.answered));
        } else if (!active) {
            integration.reactivateAt = timeline.now() + Timeline.ms(500); // try again shortly
        }
    }

    // ---- helpers

    private Call call(AdminAction.Kind kind, long integrationId, long tokenId, List<Long> ids, long grace, String name,
                      String method, String path, String body) {
        int node = random.nextInt(nodes);
        Call call = null;
        for (int attempt = 0; attempt < nodes; attempt++) {
            AdminAction action = new AdminAction(kind, node, timeline.now(), integrationId, tokenId, ids, grace, name);
            AdminApi.Answer answer = api.call(node, method, path, body);
            action.answered = timeline.now();
            action.outcome = answer.outcome();
            action.status = answer.status();
            action.answer = answer.brief();
            log.add(action);
            call = new Call(action, answer);
            if (action.outcome != AdminAction.Outcome.NOT_SENT) {
                break;
            }
            node = (node + 1) % nodes; // that node is restarting: the other one will do
        }
        return call;
    }

    private void afterInvalidation(Call call, List<OwnedToken> tokens) {
        if (call.action.outcome.mayHaveHappened()) {
            for (OwnedToken token : tokens) {
                pool.invalidate(token.issued.index(), call.action.answered);
                token.retired |= call.action.outcome.uncertain();
            }
        }
    }

    private OwnedToken register(OwnedIntegration integration, Call call) {
        JsonNode json = call.answer.json();
        JsonNode expiresAt = json.get("expiresAt");
        Long expiresAtMillis = expiresAt == null || expiresAt.isNull() ? null : Instant.parse(expiresAt.asText()).toEpochMilli();
        TokenPool.Issued issued = pool.register(json.get("id").asLong(), integration.id, json.get("token").asText(),
                call.action.answered, expiresAtMillis, integration.active);
        OwnedToken token = new OwnedToken(issued);
        integration.tokens.add(token);
        return token;
    }

    private List<OwnedIntegration> usableIntegrations() {
        return integrations.stream().filter(i -> !i.retired).toList();
    }

    private List<OwnedToken> liveTokens() {
        long now = nowEpochMillis();
        return usableIntegrations().stream().flatMap(i -> i.tokens.stream()).filter(t -> t.live(now)).toList();
    }

    private OwnedToken pickLive() {
        List<OwnedToken> live = liveTokens();
        return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
    }

    private OwnedIntegration owner(OwnedToken token) {
        return integrations.stream().filter(i -> i.id == token.issued.integrationId()).findFirst().orElseThrow();
    }

    private long nowEpochMillis() {
        return timeline.epochMillis(timeline.now());
    }

    private void refreshPool() {
        long now = timeline.now();
        pool.refresh(now, timeline.epochMillis(now));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
