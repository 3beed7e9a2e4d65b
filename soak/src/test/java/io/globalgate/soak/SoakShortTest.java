package io.globalgate.soak;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak in short, for every build: 45 s of load on two gateway nodes and one MariaDB, through
 * one database restart and one node restart, while tokens are revoked, regenerated, restricted and
 * their restrictions lifted. {@code -Dsoak.seed=N} repeats a run's choices.
 */
class SoakShortTest {

    @Test
    void twoNodesUnderLoadThroughRestartsNeitherDecideWronglyNorLoseAnything() throws Exception {
        long seed = Long.getLong("soak.seed", new java.security.SecureRandom().nextLong() & Long.MAX_VALUE);
        SoakConfig config = SoakConfig.defaults(Duration.ofSeconds(45), seed);
        Soak.Result result = Soak.run(config, System.out);
        System.out.print(result.summary());
        SoakReport report = result.report();

        assertTrue(report.passed(), result.summary());
        // A soak that exercised nothing would pass too: the run must have done what it claims.
        assertTrue(report.get("requests") >= 2_000, () -> "too few requests to mean anything:\n" + result.summary());
        assertTrue(report.get("class: accepted (200)") >= 1_000, result::summary);
        assertTrue(report.get("class: refused, rightly (401)") >= 50, result::summary);
        assertTrue(report.get("info: admin actions") >= 60, result::summary);
        assertTrue(report.get("info: hostile Authorization headers sent") >= 100, result::summary);
        assertTrue(report.get("info: hostile admin API requests sent") >= 50, result::summary);
        assertTrue(report.get("info: accepted requests the clients saw") > 0, result::summary);
        assertTrue(report.get("info: restriction changes") >= 4, result::summary);
        assertTrue(report.get("class: refused by a restriction, rightly (403)") >= 10, result::summary);
        assertTrue(result.summary().contains("database restart") && result.summary().contains("node 2 restart"), result::summary);
    }
}
