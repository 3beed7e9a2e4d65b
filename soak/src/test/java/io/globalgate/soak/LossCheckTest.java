package io.globalgate.soak;

import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static io.globalgate.soak.SoakReport.Violation.LOST;
import static io.globalgate.soak.SoakReport.Violation.UNEXPLAINED_ROW;
import static io.globalgate.soak.SoakReport.Violation.USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The soak's loss check on synthetic runs ({@link SyntheticRun}): a run whose database holds
 * exactly what its admin actions answered passes; each thing lost, added or miscounted is reported
 * in its class. Times are milliseconds from the start of the run.
 */
class LossCheckTest {

    /**
     * Integration 1 with tokens 10 and 11; token 10 accepted three times, then revoked; token 11
     * accepted once; integration 1 deactivated at the end. {@code damage} then changes the database.
     */
    private static SyntheticRun judged(Consumer<SyntheticRun> damage) throws Exception {
        SyntheticRun run = new SyntheticRun();
        run.integration(1, 1_000);
        TokenPool.Issued revoked = run.token(10, 1, 1_000);
        TokenPool.Issued kept = run.token(11, 1, 1_100);
        run.request(revoked, 1, 2_000, 2_010, 200);
        run.request(revoked, 0, 2_500, 2_510, 200);
        run.request(revoked, 1, 3_000, 3_010, 200);
        run.request(kept, 0, 3_200, 3_210, 200);
        run.revoke(revoked, 4_000, 4_020);
        run.request(revoked, 0, 4_100, 4_110, 401);
        run.deactivate(1, 8_000, 8_020);
        run.usageAsAccepted();
        damage.accept(run);
        run.judge();
        return run;
    }

    private static void assertOnly(SoakReport.Violation kind, long expected, SyntheticRun run) {
        assertEquals(expected, run.violations(kind), run::summary);
        assertEquals(expected, run.report.totalViolations(), run::summary);
    }

    @Test
    void aDatabaseThatHoldsWhatEveryActionAnsweredPasses() throws Exception {
        assertOnly(LOST, 0, judged(run -> { }));
    }

    @Test
    void aRevocationAnsweredButNotInTheDatabaseIsLost() throws Exception {
        SyntheticRun run = judged(r -> {
            StoreState.TokenRow row = r.tokens.get(10L);
            r.tokens.put(10L, new StoreState.TokenRow(row.id(), row.integrationId(), row.hash(), row.expiresAt(), null, null,
                    row.lastUsedAt(), row.lastUsedIp()));
        });
        assertOnly(LOST, 1, run);
    }

    @Test
    void aRevocationStoredOneMillisecondOutsideItsRequestAndAnswerIsLost() throws Exception {
        for (long offset : new long[] {-1, 1}) {
            SyntheticRun run = judged(r -> {
                StoreState.TokenRow row = r.tokens.get(10L);
                r.tokens.put(10L, new StoreState.TokenRow(row.id(), row.integrationId(), row.hash(), row.expiresAt(),
                        r.epochMillis(4_020) + SyntheticRun.SLACK + offset, null, row.lastUsedAt(), row.lastUsedIp()));
            });
            assertOnly(LOST, offset > 0 ? 1 : 0, run);
        }
    }

    @Test
    void anIssuedTokenMissingFromTheDatabaseIsLost() throws Exception {
        SyntheticRun run = judged(r -> r.tokens.remove(11L));
        assertEquals(1, run.violations(LOST), run::summary);
    }

    @Test
    void aMissingAuditRowIsLost() throws Exception {
        SyntheticRun run = judged(r -> r.audit.removeIf(row -> row.action().equals("integration.deactivated")));
        assertOnly(LOST, 1, run);
    }

    @Test
    void aDeactivationAnsweredButActiveInTheDatabaseIsLost() throws Exception {
        SyntheticRun run = judged(r -> r.integrations.put(1L, new StoreState.IntegrationRow(1, "integration 1", true)));
        assertOnly(LOST, 1, run);
    }

    @Test
    void anIntegrationNoActionCreatedIsUnexplained() throws Exception {
        SyntheticRun run = judged(r -> r.integrations.put(2L, new StoreState.IntegrationRow(2, "planted", true)));
        assertOnly(UNEXPLAINED_ROW, 1, run);
    }

    @Test
    void aRevocationNoActionMadeIsUnexplained() throws Exception {
        SyntheticRun run = judged(r -> {
            StoreState.TokenRow row = r.tokens.get(11L);
            r.tokens.put(11L, new StoreState.TokenRow(row.id(), row.integrationId(), row.hash(), row.expiresAt(), r.epochMillis(5_000),
                    null, row.lastUsedAt(), row.lastUsedIp()));
        });
        assertOnly(UNEXPLAINED_ROW, 1, run);
    }

    @Test
    void anAuditRowByAnotherActorIsUnexplained() throws Exception {
        SyntheticRun run = judged(r -> r.audit.add(new StoreState.AuditRow(99, r.epochMillis(5_000), "mallory", "integration.updated", 1L,
                null, null)));
        assertEquals(2, run.violations(UNEXPLAINED_ROW), run::summary); // by another actor, and an update no action made
    }

    @Test
    void usageOneRequestOverWhatReachedTheUpstreamIsReported() throws Exception {
        SyntheticRun run = judged(r -> r.usage(r.issued.get(0), 4, 3_000L));
        assertOnly(USAGE, 1, run);
    }

    @Test
    void usageOneRequestUnderWhatTheClientsSawAcceptedIsReported() throws Exception {
        SyntheticRun run = judged(r -> r.usage(r.issued.get(0), 2, 3_000L));
        assertOnly(USAGE, 1, run);
    }

    @Test
    void aLastUsedTimeOutsideTheLastAcceptedRequestIsReported() throws Exception {
        for (long offset : new long[] {-1, 1}) {
            // the last accepted request of token 10 was sent at 3 000 ms and answered at 3 010 ms
            long lastUsed = offset < 0 ? 3_000 - SyntheticRun.SLACK - 1 : 3_010 + SyntheticRun.SLACK + 1;
            SyntheticRun run = judged(r -> r.usage(r.issued.get(0), 3, lastUsed));
            assertOnly(USAGE, 1, run);
        }
        SyntheticRun inside = judged(r -> r.usage(r.issued.get(0), 3, 3_010 + SyntheticRun.SLACK));
        assertOnly(USAGE, 0, inside);
    }
}
