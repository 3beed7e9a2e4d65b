package io.globalgate.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges every response against a model built from the admin actions' answers alone: which token
 * should have been accepted when. A request is judged on its whole span, from the moment it was
 * sent to the moment its answer came, so only what was certain during all of it counts:
 * <ul>
 * <li>an accept is wrong when the request was sent more than the propagation bound after the
 * answer of a revocation (or regeneration without grace, or deactivation, until a reactivation was
 * sent), or after the token's expiry;</li>
 * <li>a 401 is wrong when, for the whole span, the token was issued, nothing that could invalidate
 * it had been sent, its integration was surely active (a reactivation counts from its answer plus
 * the bound) and the database was up.</li>
 * <li>a token's restrictions are judged the same way: each change's restrictions may be in force
 * from the moment it was sent, and the ones before it until the change's answer plus the bound.
 * An accept is wrong when every restriction that may have been in force during its span refuses
 * the request; a {@code 403} is wrong when none that may have been in force refuses it for the
 * reason the answer gives, and, being a live token's answer, after the token's deadline.</li>
 * </ul>
 * When the database goes down within the bound after an answer, the nodes cannot read the change
 * feed: the bound then runs from the end of the outage ({@link FaultLog#knownBy}).
 */
final class Checker {

    private static final long NEVER = Long.MAX_VALUE;
    /**
     * After a failed lookup a node answers the tokens it must look up with 503 at once, without
     * asking the database, for this long (TokenVerifier's STORE_BACKOFF_NANOS, as the README says):
     * the last lookup that failed did so before the outage ended, so its back-off ends within this
     * long after the outage's end.
     */
    static final long LOOKUP_BACKOFF = Timeline.ms(1_000);

    /** What the model says of one token, on the timeline. */
    private static final class TokenFacts {
        final TokenPool.Issued issued;
        /** An accept of a request sent after this is wrong. */
        long acceptDeadline = NEVER;
        /** What set {@link #acceptDeadline}, for the report. */
        String deadlineBecause;
        /** A refusal of a request answered after this may be right (something that could invalidate it was sent). */
        long refuseFrom = NEVER;
        boolean touchedByUncertainAction;

        TokenFacts(TokenPool.Issued issued) {
            this.issued = issued;
        }

        void deadline(long at, String because) {
            if (at < acceptDeadline) {
                acceptDeadline = at;
                deadlineBecause = because;
            }
        }
    }

    /** [from, to) on the timeline. */
    private record Span(long from, long to) {
        boolean contains(long s, long r) {
            return s >= from && r <= to;
        }

        boolean overlaps(long s, long r) {
            return from <= r && to >= s;
        }
    }

    private final SoakConfig config;
    private final Timeline timeline;
    private final FaultLog faults;
    private final List<AdminAction> actions;
    private final List<TokenPool.Issued> issued;
    private final StoreState store;
    private final SoakReport report;
    private final long bound;
    private final long margin;
    private final long slack;
    private final TokenFacts[] facts;
    private final Map<Long, Integer> indexById = new HashMap<>();
    private final Map<Long, List<Span>> surelyInactive = new HashMap<>();
    private final Map<Long, List<Span>> mayBeInactive = new HashMap<>();
    /** Per token index: its restriction changes that may have happened, in the order they were sent. */
    private final Map<Integer, List<AdminAction>> restrictionChanges = new HashMap<>();
    /** Per token: accepted requests seen, requests that may have been accepted without our seeing it, and the times of the last ones. */
    final long[] acceptedSeen;
    final long[] maybeAccepted;
    final long[] lastAcceptedSent;
    final long[] lastAcceptedReceived;
    /**
     * Per token, from the recording upstream ({@link #judgeUpstream}): requests that reached it, and
     * requests it never saw that the filter may still have let through (the proxy failed, or no
     * answer came back).
     */
    final long[] upstreamArrivals;
    final long[] acceptedUnseenByUpstream;
    private final List<Long> unavailableAt = new ArrayList<>();

    Checker(SoakConfig config, Timeline timeline, FaultLog faults, List<AdminAction> actions, List<TokenPool.Issued> issued,
            StoreState store, SoakReport report) {
        this.config = config;
        this.timeline = timeline;
        this.faults = faults;
        this.actions = actions.stream().sorted(Comparator.comparingLong(a -> a.sent)).toList();
        this.issued = issued;
        this.store = store;
        this.report = report;
        this.bound = config.bound().toNanos();
        this.margin = config.recoveryMargin().toNanos();
        this.slack = Timeline.ms(config.clockSlackMillis());
        this.facts = new TokenFacts[issued.size()];
        this.acceptedSeen = new long[issued.size()];
        this.maybeAccepted = new long[issued.size()];
        this.lastAcceptedSent = new long[issued.size()];
        this.lastAcceptedReceived = new long[issued.size()];
        this.upstreamArrivals = new long[issued.size()];
        this.acceptedUnseenByUpstream = new long[issued.size()];
        Arrays.fill(lastAcceptedSent, -1);
        Arrays.fill(lastAcceptedReceived, -1);
        for (TokenPool.Issued token : issued) {
            facts[token.index()] = new TokenFacts(token);
            indexById.put(token.id(), token.index());
            if (token.expiresAtEpochMillis() != null) {
                long expiresAt = timeline.fromEpochMillis(token.expiresAtEpochMillis());
                facts[token.index()].deadline(expiresAt + slack, "expired at " + Timeline.at(expiresAt));
                facts[token.index()].refuseFrom = expiresAt - slack;
            }
        }
        buildModel();
    }

    long knownBy(long answeredAt) {
        return faults.knownBy(answeredAt, bound, margin);
    }

    // ---- the model

    private void buildModel() {
        for (AdminAction a : actions) {
            switch (a.kind) {
                case REVOKE, REGENERATE -> invalidate(a, a.tokenId);
                case MASS_REVOKE -> {
                    a.expectedRevoked.forEach(id -> invalidate(a, id));
                    if (a.outcome == AdminAction.Outcome.SUCCESS && a.reportedRevoked != a.expectedRevoked.size()) {
                        report.violation(SoakReport.Violation.MASS_REVOKE_COUNT, a + ": answered revoked=" + a.reportedRevoked
                                + ", but " + a.expectedRevoked.size() + " of the ids " + a.ids + " were live tokens of the integration ("
                                + a.expectedRevoked + "); the others must be left alone");
                    }
                }
                case REGENERATE_WITH_GRACE -> graceEnds(a);
                default -> {
                    Integer index = indexById.get(a.tokenId);
                    if (a.kind.restriction && index != null && a.outcome.mayHaveHappened()) {
                        restrictionChanges.computeIfAbsent(index, k -> new ArrayList<>()).add(a);
                    }
                }
            }
        }
        Map<Long, List<AdminAction>> toggles = new HashMap<>();
        for (AdminAction a : actions) {
            if (a.kind == AdminAction.Kind.DEACTIVATE || a.kind == AdminAction.Kind.REACTIVATE) {
                toggles.computeIfAbsent(a.integrationId, k -> new ArrayList<>()).add(a);
            }
        }
        toggles.forEach((integration, list) -> {
            List<Span> surely = new ArrayList<>();
            List<Span> maybe = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                AdminAction d = list.get(i);
                if (d.kind != AdminAction.Kind.DEACTIVATE || !d.outcome.mayHaveHappened()) {
                    continue;
                }
                long reactivationSent = NEVER;
                long reactivationKnown = NEVER;
                for (int j = i + 1; j < list.size(); j++) {
                    AdminAction r = list.get(j);
                    if (r.kind == AdminAction.Kind.REACTIVATE && r.outcome.mayHaveHappened()) {
                        reactivationSent = Math.min(reactivationSent, r.sent);
                        if (r.outcome == AdminAction.Outcome.SUCCESS) {
                            reactivationKnown = knownBy(r.answered);
                            break;
                        }
                    }
                }
                maybe.add(new Span(d.sent, reactivationKnown));
                if (d.outcome == AdminAction.Outcome.SUCCESS) {
                    surely.add(new Span(knownBy(d.answered), reactivationSent));
                }
            }
            surelyInactive.put(integration, surely);
            mayBeInactive.put(integration, maybe);
        });
    }

    /** A revocation of one token: by a revoke, a mass revoke or a regeneration without grace. */
    private void invalidate(AdminAction a, long tokenId) {
        Integer index = indexById.get(tokenId);
        if (index == null || !a.outcome.mayHaveHappened()) {
            return;
        }
        TokenFacts f = facts[index];
        f.refuseFrom = Math.min(f.refuseFrom, a.sent);
        if (a.outcome == AdminAction.Outcome.SUCCESS) {
            f.deadline(knownBy(a.answered), a.kind.label + " answered at " + Timeline.at(a.answered) + " by node " + (a.node + 1));
        } else {
            f.touchedByUncertainAction = true;
            StoreState.TokenRow row = store.tokens().get(tokenId);
            if (row != null && row.revokedAt() != null) { // it did commit: from the time the database says
                long revokedAt = timeline.fromEpochMillis(row.revokedAt());
                f.deadline(knownBy(revokedAt), a.kind.label + " answered " + a.outcome + " but committed at " + Timeline.at(revokedAt));
            }
        }
    }

    /** A regeneration with grace: the old token expires at the end of the grace period (never later than it would have). */
    private void graceEnds(AdminAction a) {
        Integer index = indexById.get(a.tokenId);
        if (index == null || !a.outcome.mayHaveHappened()) {
            return;
        }
        TokenFacts f = facts[index];
        long grace = a.graceSeconds * 1_000_000_000L;
        f.refuseFrom = Math.min(f.refuseFrom, a.sent + grace - slack);
        if (a.outcome == AdminAction.Outcome.SUCCESS) {
            f.deadline(Math.max(a.answered + grace + slack, knownBy(a.answered)),
                    "grace of " + a.graceSeconds + " s from a regeneration answered at " + Timeline.at(a.answered) + " by node " + (a.node + 1));
        } else {
            f.touchedByUncertainAction = true;
            StoreState.TokenRow row = store.tokens().get(a.tokenId);
            if (row != null && row.replacedBy() != null && row.expiresAt() != null) {
                long expiresAt = timeline.fromEpochMillis(row.expiresAt());
                f.deadline(Math.max(expiresAt + slack, knownBy(expiresAt - grace)), "grace from a regeneration answered "
                        + a.outcome + " that committed");
            }
        }
    }

    /** Bits of {@link #restrictionOutcomes}: the load's request accepted, refused for its address, refused for its scope. */
    static final int ALLOWS = 1, REFUSES_NETWORK = 2, REFUSES_SCOPE = 4;

    private static int outcomeBit(byte refusal) {
        return switch (refusal) {
            case RequestLog.REASON_NONE -> ALLOWS;
            case RequestLog.REASON_NETWORK -> REFUSES_NETWORK;
            case RequestLog.REASON_SCOPE -> REFUSES_SCOPE;
            default -> 0;
        };
    }

    /**
     * What the restrictions of a token may have made of a load request sent at {@code s} and
     * answered at {@code r}: the {@link #ALLOWS} / {@code REFUSES_*} bits of every restriction state
     * that may have been in force during some of that span. State {@code k} (after the token's
     * {@code k}-th change; 0 = as issued, unrestricted) may be in force from the moment its change
     * was sent until a later change that answered success is known to every node.
     */
    int restrictionOutcomes(int index, long s, long r) {
        List<AdminAction> changes = restrictionChanges.get(index);
        if (changes == null) {
            return ALLOWS;
        }
        int outcomes = 0;
        for (int k = 0; k <= changes.size(); k++) {
            long from = k == 0 ? Long.MIN_VALUE : changes.get(k - 1).sent;
            long until = NEVER;
            for (int j = k; j < changes.size(); j++) {
                if (changes.get(j).outcome == AdminAction.Outcome.SUCCESS) {
                    until = knownBy(changes.get(j).answered);
                    break;
                }
            }
            if (from <= r && until >= s) {
                outcomes |= outcomeBit(k == 0 ? RequestLog.REASON_NONE : changes.get(k - 1).kind.refusal);
            }
        }
        return outcomes;
    }

    /** The restriction changes of a token that may have been in force during [s, r], for a report line. */
    private String restrictionsDuring(int index, long s, long r) {
        List<String> during = new ArrayList<>();
        List<AdminAction> changes = restrictionChanges.getOrDefault(index, List.of());
        for (AdminAction a : changes) {
            if (a.sent <= r) {
                during.add(a.kind.label + " answered " + a.outcome + " at " + Timeline.at(a.answered) + " by node " + (a.node + 1)
                        + " (known by " + Timeline.at(knownBy(a.answered)) + ")");
            }
        }
        return during.isEmpty() ? "never restricted" : String.join("; ", during);
    }

    // ---- judging the answers

    void judgeLoad(RequestLog log) {
        for (int i = 0; i < log.size; i++) {
            int index = log.token[i];
            long s = log.sent[i];
            long r = log.received[i];
            int node = log.node[i];
            int status = log.status[i];
            TokenFacts f = facts[index];
            long integration = f.issued.integrationId();
            report.count("requests");
            if (status == 200) {
                report.count("class: accepted (200)");
                acceptedSeen[index]++;
                lastAcceptedSent[index] = Math.max(lastAcceptedSent[index], s);
                lastAcceptedReceived[index] = Math.max(lastAcceptedReceived[index], r);
                if ((log.flags[i] & RequestLog.FLAG_WRONG_PRINCIPAL) != 0) {
                    report.violation(SoakReport.Violation.WRONG_PRINCIPAL, describe(f, node, s, r, status, log.reason[i])
                            + ": the upstream did not see integration " + integration + ", or saw the credentials, or the answer was to another request" + log.note(i));
                }
                if (s > f.acceptDeadline) {
                    report.violation(SoakReport.Violation.WRONG_ACCEPT, describe(f, node, s, r, status, log.reason[i])
                            + ": sent " + ms(s - f.acceptDeadline) + " after the deadline " + Timeline.at(f.acceptDeadline)
                            + " (" + f.deadlineBecause + ")");
                } else {
                    Span inactive = find(surelyInactive.get(integration), s, r, true);
                    if (inactive != null) {
                        report.violation(SoakReport.Violation.WRONG_ACCEPT, describe(f, node, s, r, status, log.reason[i])
                                + ": integration " + integration + " surely inactive from " + Timeline.at(inactive.from)
                                + (inactive.to == NEVER ? "" : " until " + Timeline.at(inactive.to)));
                    } else if ((restrictionOutcomes(index, s, r) & ALLOWS) == 0) {
                        report.violation(SoakReport.Violation.WRONG_ACCEPT, describe(f, node, s, r, status, log.reason[i])
                                + ": every restriction in force during the request refuses it (" + restrictionsDuring(index, s, r) + ")");
                    }
                }
            } else if (status == 403) {
                judgeRestrictionRefusal(log, i, f);
            } else if (status == 401) {
                if (log.reason[i] == RequestLog.REASON_UNKNOWN) {
                    report.violation(SoakReport.Violation.ISSUED_TOKEN_UNKNOWN, describe(f, node, s, r, status, log.reason[i])
                            + ": issued at " + Timeline.at(f.issued.answeredAt()));
                }
                boolean surelyValid = r < f.refuseFrom && find(mayBeInactive.get(integration), s, r, false) == null;
                if (!surelyValid) {
                    report.count("class: refused, rightly (401)");
                } else {
                    // Database up or down alike: the README promises a 503 when it cannot answer, never a 401.
                    report.violation(SoakReport.Violation.WRONG_REFUSE, describe(f, node, s, r, status, log.reason[i])
                            + (f.refuseFrom == NEVER ? "; nothing could have invalidated it"
                            : "; nothing could have invalidated it before " + Timeline.at(f.refuseFrom))
                            + (faults.databaseDown(s, r, 0) ? " (during a database outage, when the README promises 503)" : ""));
                }
            } else if (status == 503) {
                unavailableAt.add(s);
                judgeUnavailable(node, s, r, "Global API, " + describe(f, node, s, r, status, log.reason[i]));
            } else if (status < 0) {
                if (status == RequestLog.NO_ANSWER) {
                    maybeAccepted[index]++;
                    lastAcceptedReceived[index] = Math.max(lastAcceptedReceived[index], r);
                }
                judgeNoAnswer(node, s, r, status, "Global API, " + describe(log, i, f));
            } else if (status >= 500) {
                maybeAccepted[index]++; // the filter may have let it through before the proxy failed
                lastAcceptedReceived[index] = Math.max(lastAcceptedReceived[index], r);
                report.count("class: server error (5xx)");
                report.violation(SoakReport.Violation.SERVER_ERROR, describe(log, i, f));
            } else {
                report.count("class: other status");
                report.violation(SoakReport.Violation.UNEXPECTED_STATUS, describe(log, i, f));
            }
        }
    }

    /**
     * A 403 of a load request: right when a restriction that may have been in force during its
     * span refuses it for the reason given; and, like an accept, only while the token may be live.
     */
    private void judgeRestrictionRefusal(RequestLog log, int i, TokenFacts f) {
        int index = log.token[i];
        long s = log.sent[i];
        long r = log.received[i];
        long integration = f.issued.integrationId();
        String what = describe(log, i, f);
        if (s > f.acceptDeadline) {
            report.violation(SoakReport.Violation.WRONG_ACCEPT, what + ": a restriction's refusal (the token still live to the node) sent "
                    + ms(s - f.acceptDeadline) + " after the deadline " + Timeline.at(f.acceptDeadline) + " (" + f.deadlineBecause + ")");
            return;
        }
        Span inactive = find(surelyInactive.get(integration), s, r, true);
        if (inactive != null) {
            report.violation(SoakReport.Violation.WRONG_ACCEPT, what + ": a restriction's refusal (the token still live to the node) while"
                    + " integration " + integration + " was surely inactive from " + Timeline.at(inactive.from));
            return;
        }
        int bit = outcomeBit(log.reason[i]);
        if (bit != ALLOWS && bit != 0 && (restrictionOutcomes(index, s, r) & bit) != 0) {
            report.count("class: refused by a restriction, rightly (403)");
        } else {
            report.violation(SoakReport.Violation.WRONG_REFUSE, what + ": no restriction in force during the request refuses it for"
                    + " that reason (" + restrictionsDuring(index, s, r) + ")");
        }
    }

    /**
     * Holds every load client's log against what reached the upstream: a {@code 200} the upstream
     * never served, or an arrival as another integration, is a wrong principal; a request that
     * arrived twice was sent twice by the client library; what no load client sent must never
     * arrive. {@code logs} are in client number order.
     */
    void judgeUpstream(List<RequestLog> logs, RecordingUpstream upstream) {
        for (int c = 0; c < logs.size(); c++) {
            RequestLog log = logs.get(c);
            RecordingUpstream.Arrivals arrivals = upstream.client(c);
            for (int i = 0; i < log.size; i++) {
                int index = log.token[i];
                int status = log.status[i];
                int arrived = arrivals.count(i);
                TokenFacts f = facts[index];
                upstreamArrivals[index] += arrived;
                if (arrived == 0) {
                    if (status == 200) {
                        report.violation(SoakReport.Violation.WRONG_PRINCIPAL, describe(log, i, f)
                                + ": a 200 the upstream never served (request " + c + "-" + i + ")");
                    } else if (status == RequestLog.NO_ANSWER || (status >= 500 && status != 503)) {
                        acceptedUnseenByUpstream[index]++;
                    }
                    continue;
                }
                long seenAs = arrivals.integration(i);
                if (seenAs != f.issued.integrationId()) {
                    report.violation(SoakReport.Violation.WRONG_PRINCIPAL, describe(log, i, f) + ": the upstream saw it as integration "
                            + (seenAs == -1 ? "(none)" : seenAs == -2 ? "(not a number)" : Long.toString(seenAs)));
                }
                if (arrived > 1) {
                    report.count("info: client requests that reached the upstream twice (the JDK client sent them again)", arrived - 1);
                    report.finding("a request reached the upstream " + arrived + " times: the JDK's HTTP client sends a GET again, once,"
                            + " when a kept-alive connection closes before any answer (the gateway counts both in usage)",
                            describe(log, i, f) + " (request " + c + "-" + i + ")");
                }
                if (status != 200) {
                    report.count("info: requests that reached the upstream, answered " + (status == RequestLog.NO_ANSWER ? "no answer"
                            : status == RequestLog.CONNECT_REFUSED ? "connection refused" : Integer.toString(status)) + " to the client");
                }
            }
        }
        report.count("info: requests that reached the upstream", java.util.stream.LongStream.of(upstreamArrivals).sum());
        if (upstream.withoutClientId() > 0) {
            report.violation(SoakReport.Violation.HOSTILE_ACCEPTED, upstream.withoutClientId()
                    + " request(s) reached the upstream without a load client's request id");
        }
        if (upstream.withCredentials() > 0) {
            report.violation(SoakReport.Violation.WRONG_PRINCIPAL, upstream.withCredentials()
                    + " request(s) reached the upstream with an Authorization header");
        }
    }

    void judgeHostileHeaders(RequestLog log) {
        HostileDriver.HeaderAttack[] attacks = HostileDriver.HeaderAttack.values();
        Map<String, Map<Integer, Long>> table = new java.util.TreeMap<>();
        for (int i = 0; i < log.size; i++) {
            HostileDriver.HeaderAttack attack = attacks[log.variant[i]];
            long s = log.sent[i];
            long r = log.received[i];
            int node = log.node[i];
            int status = log.status[i];
            table.computeIfAbsent(attack.label, k -> new java.util.TreeMap<>()).merge(status, 1L, Long::sum);
            report.count("info: hostile Authorization headers sent");
            String what = "hostile header (" + attack.label + ") to node " + (node + 1) + " sent at " + Timeline.at(s) + " -> " + status
                    + log.note(i);
            if (status >= 200 && status < 300) {
                report.violation(SoakReport.Violation.HOSTILE_ACCEPTED, what);
            } else if (status == 503) {
                unavailableAt.add(s);
                judgeUnavailable(node, s, r, what);
            } else if (status < 0) {
                if ((log.flags[i] & RequestLog.FLAG_RAW) == 0 || status == RequestLog.CONNECT_REFUSED) {
                    judgeNoAnswer(node, s, r, status, what);
                }
            } else if (status >= 500) {
                report.violation(SoakReport.Violation.SERVER_ERROR, what);
            } else if (!attack.allowed.contains(status)) {
                report.violation(SoakReport.Violation.UNEXPECTED_STATUS, what + " (the contract says " + attack.allowed + ")");
            }
        }
        List<String> lines = new ArrayList<>();
        table.forEach((label, statuses) -> lines.add(String.format(Locale.ROOT, "%-60s %s", label, statuses)));
        report.section("hostile Authorization headers: answers by kind (status=count; -1 refused connection, -2 no answer)", lines);
    }

    void judgeHostileAdmin(List<HostileDriver.AdminAttack> attacks) {
        Map<String, Map<Integer, Long>> table = new java.util.TreeMap<>();
        for (HostileDriver.AdminAttack a : attacks) {
            report.count("info: hostile admin API requests sent");
            table.computeIfAbsent(a.attack().replaceAll(" \\(.*", ""), k -> new java.util.TreeMap<>()).merge(a.status(), 1L, Long::sum);
            String what = "hostile admin request (" + a.attack() + ") " + a.endpoint() + " to node " + (a.node() + 1) + " sent at "
                    + Timeline.at(a.sent()) + " -> " + a.status() + " " + a.answer();
            if (a.status() >= 200 && a.status() < 300) {
                report.violation(SoakReport.Violation.HOSTILE_ACCEPTED, what);
            } else if (a.status() == 503) {
                unavailableAt.add(a.sent());
                judgeUnavailable(a.node(), a.sent(), a.received(), what);
            } else if (a.status() < 0) {
                judgeNoAnswer(a.node(), a.sent(), a.received(), a.status(), what);
            } else if (a.status() >= 500) {
                report.violation(SoakReport.Violation.SERVER_ERROR, what);
            } else if (!a.errorShape()) {
                report.violation(SoakReport.Violation.ERROR_SHAPE, what);
            }
        }
        List<String> lines = new ArrayList<>();
        table.forEach((label, statuses) -> lines.add(String.format(Locale.ROOT, "%-60s %s", label, statuses)));
        report.section("hostile admin API bodies: answers by kind (status=count)", lines);
    }

    void judgeAdminActions() {
        Map<String, Map<AdminAction.Outcome, Long>> table = new java.util.TreeMap<>();
        for (AdminAction a : actions) {
            table.computeIfAbsent(a.kind.label, k -> new java.util.EnumMap<>(AdminAction.Outcome.class)).merge(a.outcome, 1L, Long::sum);
            report.count("info: admin actions");
            switch (a.outcome) {
                case SUCCESS -> {
                }
                case REFUSED -> report.violation(SoakReport.Violation.ADMIN_REFUSED, a + ": " + a.answer);
                case UNAVAILABLE -> {
                    unavailableAt.add(a.sent);
                    judgeUnavailable(a.node, a.sent, a.answered, a + ": " + a.answer);
                }
                case NOT_SENT, UNCERTAIN -> {
                    if (a.status >= 500) {
                        report.violation(SoakReport.Violation.SERVER_ERROR, a + ": " + a.answer);
                    } else {
                        judgeNoAnswer(a.node, a.sent, a.answered, a.outcome == AdminAction.Outcome.NOT_SENT
                                ? RequestLog.CONNECT_REFUSED : RequestLog.NO_ANSWER, a + ": " + a.answer);
                    }
                }
            }
        }
        List<String> lines = new ArrayList<>();
        table.forEach((label, outcomes) -> lines.add(String.format(Locale.ROOT, "%-26s %s", label, outcomes)));
        report.section("admin actions through both nodes' JSON APIs, by outcome", lines);
    }

    /**
     * A 503 is right while the database cannot answer: the outage as measured, from the stop until
     * every node's store answers again ({@code /health} 200), and then for as long as a node's
     * lookup back-off may last (1 s), not a moment after (the README promises 503 when the database
     * cannot answer and for at most that second after a failed lookup); or while a node stops.
     */
    private void judgeUnavailable(int node, long s, long r, String what) {
        if (faults.databaseDown(s, r, LOOKUP_BACKOFF)) {
            report.count("class: unavailable during a database outage (503)");
        } else if (faults.nodeDown(node, s, r, margin)) {
            report.count("class: unavailable while a node stopped (503)");
        } else {
            report.violation(SoakReport.Violation.UNEXPECTED_503, what);
        }
    }

    private void judgeNoAnswer(int node, long s, long r, int status, String what) {
        if (faults.nodeDown(node, s, r, margin)) {
            report.count(status == RequestLog.CONNECT_REFUSED ? "class: connection refused, node restarting"
                    : "class: no answer, node restarting");
        } else {
            report.violation(SoakReport.Violation.TRANSPORT_ERROR, what + (status == RequestLog.CONNECT_REFUSED ? " (connection refused)" : " (no answer)"));
        }
    }

    // ---- reporting

    /** The 503s, grouped into windows (a gap of a second ends one), beside the database outages. */
    void unavailableWindows() {
        List<Long> times = new ArrayList<>(unavailableAt);
        times.sort(null);
        List<String> lines = new ArrayList<>();
        for (FaultLog.Window w : faults.all()) {
            lines.add(String.format(Locale.ROOT, "%-18s down from %9s to %9s (%.1f s: %s)", w.what(), Timeline.at(w.begin()),
                    Timeline.at(w.end()), (w.end() - w.begin()) / 1e9, w.note()));
        }
        int start = 0;
        for (int i = 1; i <= times.size(); i++) {
            if (i == times.size() || times.get(i) - times.get(i - 1) > 1_000_000_000L) {
                long first = times.get(start);
                long last = times.get(i - 1);
                lines.add(String.format(Locale.ROOT, "503 window        from %9s to %9s: %d answers%s", Timeline.at(first), Timeline.at(last),
                        i - start, afterOutage(first, last)));
                start = i;
            }
        }
        if (times.isEmpty()) {
            lines.add("no 503 at all");
        }
        report.section("faults and 503 windows (times from the start of the run)", lines);
    }

    /** What explains a 503 window: the faults it overlaps, or how long after the database was back it ended. */
    private String afterOutage(long first, long last) {
        List<String> during = new ArrayList<>();
        for (FaultLog.Window w : faults.all()) {
            if (w.overlaps(first, last, w.isDatabase() ? 0 : margin)) {
                during.add(w.isDatabase() ? "database down" : w.what().replace(" restart", " stopping"));
            }
        }
        String after = "";
        for (FaultLog.Window w : faults.database()) {
            if (last > w.end() && w.overlaps(first, last, config.maxStaleness().toNanos() + margin)) {
                after = String.format(Locale.ROOT, "%slast one %.2f s after the nodes' stores answered again", during.isEmpty() ? "" : "; ",
                        (last - w.end()) / 1e9);
            }
        }
        if (!during.isEmpty()) {
            after = after.isEmpty() || during.stream().anyMatch(d -> !d.startsWith("database")) ? "" : after;
            return ", during: " + String.join(" and ", during) + after;
        }
        return after.isEmpty() ? ", outside every fault" : ", " + after;
    }

    /**
     * How long after a revocation's answer each node still accepted the token: 0 when its first
     * request after the answer was refused. Only (revocation, node) pairs that got a request within
     * the bound count.
     */
    void propagation(List<RequestLog> logs) {
        int[] counts = new int[issued.size()];
        for (RequestLog log : logs) {
            for (int i = 0; i < log.size; i++) {
                counts[log.token[i]]++;
            }
        }
        long[][] byToken = new long[issued.size()][];
        for (int t = 0; t < counts.length; t++) {
            byToken[t] = new long[counts[t]];
        }
        int[] fill = new int[issued.size()];
        for (int l = 0; l < logs.size(); l++) {
            RequestLog log = logs.get(l);
            for (int i = 0; i < log.size; i++) {
                byToken[log.token[i]][fill[log.token[i]]++] = ((long) l << 32) | i;
            }
        }
        List<Long> sameNode = new ArrayList<>();
        List<Long> otherNode = new ArrayList<>();
        for (AdminAction a : actions) {
            if (a.outcome != AdminAction.Outcome.SUCCESS) {
                continue;
            }
            List<Long> tokens = switch (a.kind) {
                case REVOKE, REGENERATE -> List.of(a.tokenId);
                case MASS_REVOKE -> a.expectedRevoked;
                case DEACTIVATE -> issued.stream().filter(t -> t.integrationId() == a.integrationId && t.answeredAt() < a.sent)
                        .map(TokenPool.Issued::id).toList();
                default -> List.of();
            };
            for (long id : tokens) {
                Integer index = indexById.get(id);
                if (index == null) {
                    continue;
                }
                for (int node = 0; node < 2; node++) {
                    long lag = -1;
                    for (long ref : byToken[index]) {
                        RequestLog log = logs.get((int) (ref >>> 32));
                        int i = (int) ref;
                        long s = log.sent[i];
                        if (log.node[i] != node || s < a.answered || s > a.answered + bound) {
                            continue;
                        }
                        lag = Math.max(lag, log.status[i] == 200 ? s - a.answered : 0);
                    }
                    if (lag >= 0) {
                        (node == a.node ? sameNode : otherNode).add(lag);
                    }
                }
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(percentiles("the other node", otherNode));
        lines.add(percentiles("the node that answered", sameNode));
        lines.add("(bound " + config.bound().toMillis() + " ms = changePollInterval 500 ms + margin; deactivations count each token)");
        report.section("propagation: how long after an admin answer a node still accepted the token", lines);
        report.count("info: propagation p99 to the other node (ms)", percentile(otherNode, 0.99) / 1_000_000);
        report.count("info: accepts by the answering node after its own answer", sameNode.stream().filter(l -> l > 0).count());
        restrictionReach(logs, byToken);
    }

    /**
     * The same for restriction changes: how long after a change's answer a node still answered as
     * the restrictions before it said (accepted after a restriction that refuses the load's
     * requests, refused after its lift). Changes that alter no answer of the load (a restriction
     * that still allows its GET, and its lift) have nothing to show and are left out.
     */
    private void restrictionReach(List<RequestLog> logs, long[][] byToken) {
        List<Long> restrictOther = new ArrayList<>();
        List<Long> restrictSame = new ArrayList<>();
        List<Long> liftOther = new ArrayList<>();
        List<Long> liftSame = new ArrayList<>();
        int changes = 0;
        for (Map.Entry<Integer, List<AdminAction>> entry : restrictionChanges.entrySet()) {
            List<AdminAction> list = entry.getValue();
            changes += list.size();
            for (int k = 0; k < list.size(); k++) {
                AdminAction a = list.get(k);
                byte before = k == 0 ? RequestLog.REASON_NONE : list.get(k - 1).kind.refusal;
                if (a.outcome != AdminAction.Outcome.SUCCESS || (k > 0 && list.get(k - 1).outcome != AdminAction.Outcome.SUCCESS)
                        || before == a.kind.refusal) {
                    continue;
                }
                boolean lift = a.kind.refusal == RequestLog.REASON_NONE;
                for (int node = 0; node < 2; node++) {
                    long lag = -1;
                    for (long ref : byToken[entry.getKey()]) {
                        RequestLog log = logs.get((int) (ref >>> 32));
                        int i = (int) ref;
                        long s = log.sent[i];
                        if (log.node[i] != node || s < a.answered || s > a.answered + bound || (log.status[i] != 200 && log.status[i] != 403)) {
                            continue;
                        }
                        byte got = log.status[i] == 200 ? RequestLog.REASON_NONE : log.reason[i];
                        lag = Math.max(lag, got == before ? s - a.answered : 0);
                    }
                    if (lag >= 0) {
                        (lift ? (node == a.node ? liftSame : liftOther) : (node == a.node ? restrictSame : restrictOther)).add(lag);
                    }
                }
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(percentiles("restricted, other node", restrictOther));
        lines.add(percentiles("restricted, same node", restrictSame));
        lines.add(percentiles("lifted, other node", liftOther));
        lines.add(percentiles("lifted, same node", liftSame));
        lines.add("(" + changes + " restriction changes sent; the same bound as revocations; 'still accepting' = still answering as before"
                + " the change)");
        report.section("restriction reach: how long after a restriction change's answer a node still answered as before it", lines);
        List<Long> other = new ArrayList<>(restrictOther);
        other.addAll(liftOther);
        report.count("info: restriction changes", changes);
        report.count("info: restriction reach p99 to the other node (ms)", percentile(other, 0.99) / 1_000_000);
        report.count("info: answers as before a restriction change by the answering node after its own answer",
                restrictSame.stream().filter(l -> l > 0).count() + liftSame.stream().filter(l -> l > 0).count());
    }

    private static String percentiles(String what, List<Long> lags) {
        if (lags.isEmpty()) {
            return what + ": no observation";
        }
        return String.format(Locale.ROOT, "%-24s n=%-6d p50 %4d ms   p99 %4d ms   max %4d ms   still accepting after the answer: %d",
                what, lags.size(), percentile(lags, 0.50) / 1_000_000, percentile(lags, 0.99) / 1_000_000,
                percentile(lags, 1.0) / 1_000_000, lags.stream().filter(l -> l > 0).count());
    }

    private static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static Span find(List<Span> spans, long s, long r, boolean contains) {
        if (spans == null) {
            return null;
        }
        for (Span span : spans) {
            if (contains ? span.contains(s, r) : span.overlaps(s, r)) {
                return span;
            }
        }
        return null;
    }

    private static String describe(RequestLog log, int i, TokenFacts f) {
        return describe(f, log.node[i], log.sent[i], log.received[i], log.status[i], log.reason[i]) + log.note(i);
    }

    private static String describe(TokenFacts f, int node, long s, long r, int status, byte reason) {
        return f.issued + " to node " + (node + 1) + ", sent " + Timeline.at(s) + ", answered " + Timeline.at(r) + " -> " + status
                + (status == 401 ? " (" + RequestLog.reasonName(reason) + ")" : "");
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }

    boolean touchedByUncertainAction(int index) {
        return facts[index].touchedByUncertainAction;
    }
}
