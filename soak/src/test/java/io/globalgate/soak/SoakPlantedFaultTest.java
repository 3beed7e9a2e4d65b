package io.globalgate.soak;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak's checker shown to catch a fault: the same run as {@link SoakShortTest}, shorter, with
 * the nodes' change feed made to read nothing ({@link BlindChangeFeed}), so a revocation answered
 * by one node never reaches the other, and no other fault. The run must fail, on wrong accepts. By hand:
 * {@code soak/run --duration 30s --plant blind-change-feed} (exit code 1).
 */
class SoakPlantedFaultTest {

    @Test
    void aChangeFeedThatReadsNothingIsReportedAsWrongAccepts() throws Exception {
        long seed = Long.getLong("soak.seed", new java.security.SecureRandom().nextLong() & Long.MAX_VALUE);
        SoakConfig config = SoakConfig.defaults(Duration.ofSeconds(10), seed).planted(SoakConfig.Plant.BLIND_CHANGE_FEED);
        Soak.Result result = Soak.run(config, System.out);
        System.out.print(result.summary());
        SoakReport report = result.report();

        assertFalse(report.passed(), result::summary);
        assertTrue(report.violations(SoakReport.Violation.WRONG_ACCEPT) > 0,
                () -> "the planted fault went unseen: no wrong accept\n" + result.summary());
        assertTrue(result.summary().contains("WRONG_ACCEPT (first "), result::summary);
    }
}
