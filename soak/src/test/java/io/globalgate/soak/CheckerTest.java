package io.globalgate.soak;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static io.globalgate.soak.SoakReport.Violation.ADMIN_REFUSED;
import static io.globalgate.soak.SoakReport.Violation.ERROR_SHAPE;
import static io.globalgate.soak.SoakReport.Violation.HOSTILE_ACCEPTED;
import static io.globalgate.soak.SoakReport.Violation.ISSUED_TOKEN_UNKNOWN;
import static io.globalgate.soak.SoakReport.Violation.MASS_REVOKE_COUNT;
import static io.globalgate.soak.SoakReport.Violation.SERVER_ERROR;
import static io.globalgate.soak.SoakReport.Violation.TRANSPORT_ERROR;
import static io.globalgate.soak.SoakReport.Violation.UNEXPECTED_503;
import static io.globalgate.soak.SoakReport.Violation.UNEXPECTED_STATUS;
import static io.globalgate.soak.SoakReport.Violation.WRONG_ACCEPT;
import static io.globalgate.soak.SoakReport.Violation.WRONG_PRINCIPAL;
import static io.globalgate.soak.SoakReport.Violation.WRONG_REFUSE;
import static io.globalgate.soak.SyntheticRun.BOUND;
import static io.globalgate.soak.SyntheticRun.MARGIN;
import static io.globalgate.soak.SyntheticRun.SLACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak's checker on synthetic timelines ({@link SyntheticRun}): for each class of violation, a
 * run one millisecond past the bound must report exactly one violation of that class, and the same
 * run one millisecond inside it must pass as a whole (so the class is not hiding behind another).
 * Node 0 answers the admin actions; the requests go to node 1, which learns of a change only
 * through its change feed. Times are milliseconds from the start of the run.
 */
class CheckerTest {

    private static final long INTEGRATION = 1;
    private static final long TOKEN = 10;
    private static final long ANSWERED = 10_000;

    /** A run with integration 1 and its token 10 (issued at 1 s), changed by {@code story}, then judged. */
    private static SyntheticRun judged(Consumer<SyntheticRun> story) throws Exception {
        SyntheticRun run = new SyntheticRun();
        run.integration(INTEGRATION, 1_000);
        story.accept(run);
        run.usageAsAccepted();
        run.judge();
        return run;
    }

    private static void assertOnly(SoakReport.Violation kind, long expected, SyntheticRun run) {
        assertEquals(expected, run.violations(kind), run::summary);
        assertEquals(expected, run.report.totalViolations(), run::summary);
    }

    private static TokenPool.Issued token(SyntheticRun run) {
        return run.token(TOKEN, INTEGRATION, 1_000);
    }

    @Test
    void anAcceptIsWrongFromOneMillisecondPastTheRevocationsBound() throws Exception {
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = token(r);
                r.request(t, 1, 5_000, 5_010, 200);
                r.revoke(t, ANSWERED - 20, ANSWERED);
                r.request(t, 1, ANSWERED + BOUND + offset, ANSWERED + BOUND + offset + 10, 200);
            });
            assertOnly(WRONG_ACCEPT, offset > 0 ? 1 : 0, run);
        }
    }

    @Test
    void anAcceptIsWrongFromOneMillisecondPastTheBoundOfAMassRevocationOfTheToken() throws Exception {
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = token(r);
                TokenPool.Issued other = r.token(11, INTEGRATION, 1_000);
                r.massRevoke(INTEGRATION, List.of(TOKEN, 11L, 999L), List.of(t, other), 2, ANSWERED - 20, ANSWERED);
                r.request(t, 1, ANSWERED + BOUND + offset, ANSWERED + BOUND + offset + 10, 200);
            });
            assertOnly(WRONG_ACCEPT, offset > 0 ? 1 : 0, run);
        }
    }

    @Test
    void anAcceptIsWrongFromOneMillisecondPastTheExpiryAndItsClockSlack() throws Exception {
        long expiry = 20_000;
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = r.token(TOKEN, INTEGRATION, 1_000, expiry);
                r.request(t, 1, expiry + SLACK + offset, expiry + SLACK + offset + 10, 200);
            });
            assertOnly(WRONG_ACCEPT, offset > 0 ? 1 : 0, run);
        }
    }

    @Test
    void anAcceptIsWrongFromOneMillisecondPastTheDeactivationsBound() throws Exception {
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = token(r);
                r.deactivate(INTEGRATION, ANSWERED - 20, ANSWERED);
                r.request(t, 1, ANSWERED + BOUND + offset, ANSWERED + BOUND + offset + 10, 200);
            });
            assertOnly(WRONG_ACCEPT, offset > 0 ? 1 : 0, run);
        }
    }

    @Test
    void anAcceptAnsweredAfterTheReactivationWasSentIsNotWrong() throws Exception {
        long reactivationSent = 20_000;
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = token(r);
                r.deactivate(INTEGRATION, ANSWERED - 20, ANSWERED);
                r.reactivate(INTEGRATION, reactivationSent, reactivationSent + 20);
                r.request(t, 1, reactivationSent - 50, reactivationSent + offset, 200);
            });
            assertOnly(WRONG_ACCEPT, offset < 0 ? 1 : 0, run);
        }
    }

    @Test
    void anAcceptIsWrongFromOneMillisecondPastTheEndOfAGracePeriod() throws Exception {
        long graceEnd = ANSWERED + 2_000 + SLACK;
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = token(r);
                r.regenerateWithGrace(t, 11, 2, ANSWERED - 20, ANSWERED);
                r.request(t, 1, graceEnd + offset, graceEnd + offset + 10, 200);
            });
            assertOnly(WRONG_ACCEPT, offset > 0 ? 1 : 0, run);
        }
    }

    // ---- restriction changes: measured against the same bound as revocations

    private static int refused(TokenPool.Issued t, SyntheticRun r, long sent, long answered, byte reason) {
        return r.request(t, 1, sent, answered, 403, reason, (byte) 0);
    }

    @Test
    void anAcceptIsWrongFromOneMillisecondPastTheBoundOfARestrictionThatRefusesIt() throws Exception {
        for (AdminAction.Kind kind : new AdminAction.Kind[] {AdminAction.Kind.NARROW_NETWORKS, AdminAction.Kind.LIMIT_SCOPE}) {
            for (long offset : new long[] {-1, 1}) {
                SyntheticRun run = judged(r -> {
                    TokenPool.Issued t = token(r);
                    r.request(t, 1, 5_000, 5_010, 200);
                    r.restrict(t, kind, ANSWERED - 20, ANSWERED);
                    r.request(t, 1, ANSWERED + BOUND + offset, ANSWERED + BOUND + offset + 10, 200);
                });
                assertOnly(WRONG_ACCEPT, offset > 0 ? 1 : 0, run);
            }
        }
    }

    @Test
    void aRestrictionsRefusalIsWrongFromOneMillisecondPastTheBoundOfItsLift() throws Exception {
        long lifted = 20_000;
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = token(r);
                r.restrict(t, AdminAction.Kind.NARROW_NETWORKS, ANSWERED - 20, ANSWERED);
                refused(t, r, ANSWERED + 100, ANSWERED + 110, RequestLog.REASON_NETWORK);
                r.restrict(t, AdminAction.Kind.LIFT_RESTRICTIONS, lifted - 20, lifted);
                refused(t, r, lifted + BOUND + offset, lifted + BOUND + offset + 10, RequestLog.REASON_NETWORK);
            });
            assertOnly(WRONG_REFUSE, offset > 0 ? 1 : 0, run);
        }
    }

    @Test
    void aRestrictionsRefusalAnsweredBeforeTheRestrictionWasSentIsAWrongRefusal() throws Exception {
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = token(r);
                r.restrict(t, AdminAction.Kind.LIMIT_SCOPE, ANSWERED - 20, ANSWERED);
                refused(t, r, ANSWERED - 20 + offset - 10, ANSWERED - 20 + offset, RequestLog.REASON_SCOPE);
            });
            assertOnly(WRONG_REFUSE, offset < 0 ? 1 : 0, run);
        }
    }

    @Test
    void aRefusalForARestrictionTheTokenDoesNotHaveIsAWrongRefusal() throws Exception {
        SyntheticRun right = judged(r -> {
            TokenPool.Issued t = token(r);
            r.restrict(t, AdminAction.Kind.NARROW_NETWORKS, ANSWERED - 20, ANSWERED);
            refused(t, r, ANSWERED + 100, ANSWERED + 110, RequestLog.REASON_NETWORK);
        });
        assertOnly(WRONG_REFUSE, 0, right);
        SyntheticRun wrong = judged(r -> {
            TokenPool.Issued t = token(r);
            r.restrict(t, AdminAction.Kind.NARROW_NETWORKS, ANSWERED - 20, ANSWERED);
            refused(t, r, ANSWERED + 100, ANSWERED + 110, RequestLog.REASON_SCOPE);
        });
        assertOnly(WRONG_REFUSE, 1, wrong);
    }

    @Test
    void aRefusalUnderRestrictionsThatAllowTheRequestIsAWrongRefusal() throws Exception {
        SyntheticRun never = judged(r -> refused(token(r), r, 5_000, 5_010, RequestLog.REASON_NETWORK));
        assertOnly(WRONG_REFUSE, 1, never);
        SyntheticRun allowing = judged(r -> {
            TokenPool.Issued t = token(r);
            r.restrict(t, AdminAction.Kind.RESTRICT_ALLOWING, ANSWERED - 20, ANSWERED);
            refused(t, r, ANSWERED + BOUND + 100, ANSWERED + BOUND + 110, RequestLog.REASON_SCOPE);
        });
        assertOnly(WRONG_REFUSE, 1, allowing);
    }

    @Test
    void aRestrictionsRefusalIsAWrongAcceptFromOneMillisecondPastTheRevocationsBound() throws Exception {
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = token(r);
                r.restrict(t, AdminAction.Kind.NARROW_NETWORKS, 5_000, 5_020);
                r.revoke(t, ANSWERED - 20, ANSWERED);
                refused(t, r, ANSWERED + BOUND + offset, ANSWERED + BOUND + offset + 10, RequestLog.REASON_NETWORK);
            });
            assertOnly(WRONG_ACCEPT, offset > 0 ? 1 : 0, run);
        }
    }

    @Test
    void theReachOfARestrictionAndOfItsLiftIsHowLongANodeStillAnsweredAsBefore() throws Exception {
        long lifted = 20_000;
        SyntheticRun run = judged(r -> {
            TokenPool.Issued t = token(r);
            r.restrict(t, AdminAction.Kind.NARROW_NETWORKS, ANSWERED - 20, ANSWERED);
            r.request(t, 0, ANSWERED + 5, ANSWERED + 15, 403, RequestLog.REASON_NETWORK, (byte) 0);
            r.request(t, 1, ANSWERED + 100, ANSWERED + 110, 200);
            r.request(t, 1, ANSWERED + 300, ANSWERED + 310, 200);
            refused(t, r, ANSWERED + 600, ANSWERED + 610, RequestLog.REASON_NETWORK);
            r.restrict(t, AdminAction.Kind.LIFT_RESTRICTIONS, lifted - 20, lifted);
            refused(t, r, lifted + 400, lifted + 410, RequestLog.REASON_NETWORK);
            r.request(t, 1, lifted + 700, lifted + 710, 200);
        });
        assertOnly(WRONG_ACCEPT, 0, run);
        assertEquals(400, run.report.get("info: restriction reach p99 to the other node (ms)"), run::summary);
        assertEquals(2, run.report.get("info: restriction changes"), run::summary);
        assertEquals(0, run.report.get("info: answers as before a restriction change by the answering node after its own answer"),
                run::summary);
        assertTrue(run.summary().contains("restricted, other node   n=1      p50  300 ms"), run::summary);
    }

    @Test
    void aDatabaseOutageWithinTheBoundMovesTheBoundToItsEndPlusTheRecoveryMargin() throws Exception {
        long outageEnd = 20_000;
        long deadline = outageEnd + BOUND + MARGIN;
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = token(r);
                r.revoke(t, ANSWERED - 20, ANSWERED);
                r.databaseDown(ANSWERED + 500, outageEnd);
                r.request(t, 1, deadline + offset, deadline + offset + 10, 200);
            });
            assertOnly(WRONG_ACCEPT, offset > 0 ? 1 : 0, run);
        }
    }

    @Test
    void aRefusalAnsweredBeforeTheRevocationWasSentIsAWrongRefusal() throws Exception {
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = token(r);
                r.revoke(t, ANSWERED - 20, ANSWERED);
                r.request(t, 1, ANSWERED - 20 + offset - 10, ANSWERED - 20 + offset, 401);
            });
            assertOnly(WRONG_REFUSE, offset < 0 ? 1 : 0, run);
        }
    }

    @Test
    void aRefusalIsWrongFromOneMillisecondPastTheReactivationsBound() throws Exception {
        long reactivated = 20_000;
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = token(r);
                r.deactivate(INTEGRATION, ANSWERED - 20, ANSWERED);
                r.reactivate(INTEGRATION, reactivated - 20, reactivated);
                r.request(t, 1, reactivated + BOUND + offset, reactivated + BOUND + offset + 10, 401, RequestLog.REASON_INACTIVE,
                        (byte) 0);
            });
            assertOnly(WRONG_REFUSE, offset > 0 ? 1 : 0, run);
        }
    }

    @Test
    void aRefusalIsWrongUntilOneMillisecondBeforeTheExpiryLessItsClockSlack() throws Exception {
        long expiry = 20_000;
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = r.token(TOKEN, INTEGRATION, 1_000, expiry);
                r.request(t, 1, expiry - SLACK + offset - 10, expiry - SLACK + offset, 401, RequestLog.REASON_EXPIRED, (byte) 0);
            });
            assertOnly(WRONG_REFUSE, offset < 0 ? 1 : 0, run);
        }
    }

    @Test
    void aValidTokenRefusedWhileTheDatabaseIsDownIsAWrongRefusal() throws Exception {
        SyntheticRun run = judged(r -> {
            r.databaseDown(15_000, 20_000);
            r.request(token(r), 1, 16_000, 16_010, 401, RequestLog.REASON_OTHER, (byte) 0);
        });
        assertOnly(WRONG_REFUSE, 1, run);
    }

    @Test
    void anIssuedTokenAnsweredNotRecognisedIsReported() throws Exception {
        SyntheticRun run = judged(r -> {
            TokenPool.Issued t = token(r);
            r.revoke(t, ANSWERED - 20, ANSWERED);
            r.request(t, 1, ANSWERED + 100, ANSWERED + 110, 401, RequestLog.REASON_UNKNOWN, (byte) 0);
        });
        assertOnly(ISSUED_TOKEN_UNKNOWN, 1, run);
    }

    @Test
    void anAcceptTheClientSawAsAnotherIntegrationIsAWrongPrincipal() throws Exception {
        SyntheticRun run = judged(r -> r.request(token(r), 1, 5_000, 5_010, 200, RequestLog.REASON_NONE, RequestLog.FLAG_WRONG_PRINCIPAL));
        assertOnly(WRONG_PRINCIPAL, 1, run);
    }

    @Test
    void anAcceptThatReachedTheUpstreamAsAnotherIntegrationIsAWrongPrincipal() throws Exception {
        SyntheticRun run = judged(r -> {
            int row = r.request(token(r), 1, 5_000, 5_010, 200);
            r.arrivedAs(row, 2L);
        });
        assertOnly(WRONG_PRINCIPAL, 1, run);
    }

    @Test
    void anAcceptTheUpstreamNeverServedIsAWrongPrincipal() throws Exception {
        SyntheticRun run = new SyntheticRun();
        run.integration(INTEGRATION, 1_000);
        TokenPool.Issued t = token(run);
        int row = run.request(t, 1, 5_000, 5_010, 200);
        run.arrivedAs(row, null);
        run.usage(t, 0, 5_000L); // counted nothing: nothing reached the upstream
        run.judge();
        assertEquals(1, run.violations(WRONG_PRINCIPAL), run::summary);
    }

    @Test
    void aServiceUnavailableIsUnexpectedFromOneMillisecondPastTheOutagesEndAndTheLookupBackOff() throws Exception {
        long outageEnd = 20_000;
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                r.databaseDown(15_000, outageEnd);
                r.request(token(r), 1, outageEnd + 1_000 + offset, outageEnd + 1_000 + offset + 10, 503);
            });
            assertOnly(UNEXPECTED_503, offset > 0 ? 1 : 0, run);
        }
    }

    @Test
    void aServiceUnavailableIsUnexpectedFromOneMillisecondPastANodesRestartAndTheRecoveryMargin() throws Exception {
        long back = 20_000;
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                r.nodeDown(1, 18_000, back);
                r.request(token(r), 1, back + MARGIN + offset, back + MARGIN + offset + 10, 503);
            });
            assertOnly(UNEXPECTED_503, offset > 0 ? 1 : 0, run);
        }
    }

    @Test
    void aBadGatewayIsAServerError() throws Exception {
        SyntheticRun run = new SyntheticRun();
        run.integration(INTEGRATION, 1_000);
        run.request(token(run), 1, 5_000, 5_010, 502);
        run.judge();
        assertEquals(1, run.violations(SERVER_ERROR), run::summary);
    }

    @Test
    void noAnswerIsATransportErrorFromOneMillisecondPastANodesRestartAndTheRecoveryMargin() throws Exception {
        long back = 20_000;
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                r.nodeDown(1, 18_000, back);
                r.request(token(r), 1, back + MARGIN + offset, back + MARGIN + offset + 10, RequestLog.CONNECT_REFUSED);
            });
            assertOnly(TRANSPORT_ERROR, offset > 0 ? 1 : 0, run);
        }
    }

    @Test
    void aStatusTheContractDoesNotListIsUnexpected() throws Exception {
        SyntheticRun run = judged(r -> r.request(token(r), 1, 5_000, 5_010, 418));
        assertOnly(UNEXPECTED_STATUS, 1, run);
    }

    @Test
    void aHostileHeaderAcceptedIsReported() throws Exception {
        SyntheticRun run = judged(r -> r.hostileHeader(HostileDriver.HeaderAttack.UNKNOWN_TOKEN, 1, 5_000, 5_010, 200));
        assertOnly(HOSTILE_ACCEPTED, 1, run);
    }

    @Test
    void aHostileHeaderAnsweredOtherwiseThanTheReadmeSaysIsUnexpected() throws Exception {
        SyntheticRun right = judged(r -> r.hostileHeader(HostileDriver.HeaderAttack.TWO_TOKENS, 1, 5_000, 5_010, 400));
        assertOnly(UNEXPECTED_STATUS, 0, right);
        SyntheticRun wrong = judged(r -> r.hostileHeader(HostileDriver.HeaderAttack.TWO_TOKENS, 1, 5_000, 5_010, 401));
        assertOnly(UNEXPECTED_STATUS, 1, wrong);
    }

    @Test
    void aHostileAdminBodyAcceptedIsReported() throws Exception {
        SyntheticRun run = judged(r -> r.hostileAdmin("wrong type (name)", 5_000, 201, false, "{\"id\":7}"));
        assertOnly(HOSTILE_ACCEPTED, 1, run);
    }

    @Test
    void anAdminRefusalWithoutTheErrorShapeIsReported() throws Exception {
        SyntheticRun right = judged(r -> r.hostileAdmin("wrong type (name)", 5_000, 400, true, "{\"errors\":[...]}"));
        assertOnly(ERROR_SHAPE, 0, right);
        SyntheticRun wrong = judged(r -> r.hostileAdmin("wrong type (name)", 5_000, 400, false, "text/html"));
        assertOnly(ERROR_SHAPE, 1, wrong);
    }

    @Test
    void theAdminApisHtmlPageForAWrongPasswordIsAnErrorShapeViolation() throws Exception {
        SyntheticRun run = judged(r -> r.hostileAdmin("wrong password", 5_000, 401, false, "text/html \"HTTP ERROR 401 Unauthorized\" page"));
        assertOnly(ERROR_SHAPE, 1, run);
    }

    @Test
    void aValidAdminActionRefusedIsReported() throws Exception {
        SyntheticRun run = judged(r -> {
            AdminAction a = r.action(AdminAction.Kind.RENAME_INTEGRATION, INTEGRATION, -1, 5_000, 5_010);
            a.outcome = AdminAction.Outcome.REFUSED;
            a.status = 400;
        });
        assertOnly(ADMIN_REFUSED, 1, run);
    }

    @Test
    void aMassRevocationAnsweringAnotherCountThanTheLiveTokensItNamedIsReported() throws Exception {
        for (int answered : new int[] {1, 2, 3}) {
            SyntheticRun run = judged(r -> {
                TokenPool.Issued t = token(r);
                TokenPool.Issued other = r.token(11, INTEGRATION, 1_000);
                r.massRevoke(INTEGRATION, List.of(TOKEN, 11L, 999L), List.of(t, other), answered, ANSWERED - 20, ANSWERED);
            });
            assertOnly(MASS_REVOKE_COUNT, answered == 2 ? 0 : 1, run);
        }
    }
}
