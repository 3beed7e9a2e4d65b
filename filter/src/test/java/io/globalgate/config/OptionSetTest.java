package io.globalgate.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema every configuration is read through: one declaration, one rule, the same words wherever it is read. */
class OptionSetTest {

    private static final Option<Duration> POLL = Option.of("pollInterval", "500ms",
            Parsers.duration(Duration.ofMillis(10), Duration.ofMinutes(1)), "how often");
    private static final Option<String> NICKNAME = Option.of("nickname", "", Parsers.matching("[a-z]{1,8}", "must be 1-8 letters"), "a name");
    private static final Option<String> PASSWORD = Option.secret("password", text -> {
        if (text.length() < 12) {
            throw Parsers.refuse("must be at least 12 characters", text);
        }
        return text;
    }, "a secret");
    private static final OptionSet SET = OptionSet.of(List.of(POLL, NICKNAME, PASSWORD, StoreOptions.JDBC_URL, StoreOptions.JDBC_USER,
            StoreOptions.JDBC_PASSWORD, StoreOptions.DATA_SOURCE), List.of(StoreOptions.ONE_DATABASE));

    private static List<String> problems(Map<String, String> given, Labels labels) {
        return assertThrows(InvalidConfiguration.class, () -> SET.read(given, labels)).problems();
    }

    @Test
    void anOptionLeftOutTakesItsDefault() {
        Settings settings = SET.read(Map.of(), Labels.BY_NAME);

        assertEquals(Duration.ofMillis(500), settings.get(POLL));
        assertEquals("500ms", settings.text(POLL));
        assertNull(settings.get(NICKNAME));
        assertEquals("", settings.text(NICKNAME));
    }

    @Test
    void aBlankValueOfAnOptionWithADefaultIsRefusedNotDefaulted() {
        assertEquals(List.of("pollInterval: must be a duration such as 500ms, 30s, 5m or PT30S (was '')"),
                problems(Map.of("pollInterval", "  "), Labels.BY_NAME));
    }

    @Test
    void aBlankValueOfAnOptionWithoutADefaultLeavesItUnset() {
        assertNull(SET.read(Map.of("nickname", " "), Labels.BY_NAME).get(NICKNAME));
    }

    @Test
    void aNullValueLeavesTheOptionUnset() {
        Map<String, String> given = new HashMap<>();
        given.put("pollInterval", null);

        assertEquals(Duration.ofMillis(500), SET.read(given, Labels.BY_NAME).get(POLL));
    }

    @Test
    void valuesAreStrippedButASecretIsTakenAsGiven() {
        Settings settings = SET.read(Map.of("nickname", " bob ", "password", " twelve chars ", "jdbcUrl", "jdbc:h2:mem:x"),
                Labels.BY_NAME);

        assertEquals("bob", settings.get(NICKNAME));
        assertEquals(" twelve chars ", settings.get(PASSWORD));
    }

    @Test
    void everyUnknownNameAndRefusedValueIsReportedAtOnceInDeclarationOrder() {
        Map<String, String> given = new java.util.LinkedHashMap<>();
        given.put("nickname", "Robert'); DROP TABLE x;--");
        given.put("pollIntervall", "1s");
        given.put("pollInterval", "5ms");

        assertEquals(List.of(
                "pollIntervall: unknown parameter (known: pollInterval, nickname, password, jdbcUrl, jdbcUser, jdbcPassword, dataSource)",
                "pollInterval: must be between 10ms and 60s (was 5ms)",
                "nickname: must be 1-8 letters (was 'Robert'); DROP TABLE x;--')"), problems(given, Labels.BY_NAME));
    }

    @Test
    void aRefusalQuotesAtMost80CharactersOfALongValue() {
        String problem = problems(Map.of("nickname", "<script>" + "x".repeat(10_000)), Labels.BY_NAME).get(0);

        assertEquals("nickname: must be 1-8 letters (was '<script>" + "x".repeat(72) + "…')", problem);
    }

    @Test
    void aRefusedSecretIsNamedByItsLengthNeverItsText() {
        String problem = problems(Map.of("password", "hun (was 'x"), Labels.BY_NAME).get(0);

        assertEquals("password: must be at least 12 characters (was 11)", problem);
        assertFalse(problem.contains("hun"), problem);
    }

    @Test
    void theGatewayNamesAnOptionByFlagAndVariable() {
        assertEquals(List.of("--nickname / GLOBALGATE_NICKNAME must be 1-8 letters (was '42')"),
                problems(Map.of("nickname", "42"), Labels.BY_FLAG_AND_VARIABLE));
    }

    @Test
    void aRuleBetweenOptionsNamesThemTheWayTheReaderDoes() {
        assertEquals(List.of("dataSource, jdbcUrl: give one of them, not both"),
                problems(Map.of("dataSource", "java:comp/env/jdbc/gg", "jdbcUrl", "jdbc:h2:mem:x"), Labels.BY_NAME));
        assertEquals(List.of("--jdbc-user / GLOBALGATE_JDBC_USER, --jdbc-password / GLOBALGATE_JDBC_PASSWORD only used with"
                        + " --jdbc-url / GLOBALGATE_JDBC_URL, which is not set"),
                problems(Map.of("jdbcUser", "gg"), Labels.BY_FLAG_AND_VARIABLE));
    }

    @Test
    void theFlagAndVariableComeFromTheName() {
        assertEquals("--max-token-lifetime", Option.of("maxTokenLifetime", "", Parsers.text(), "").flag());
        assertEquals("GLOBALGATE_MAX_TOKEN_LIFETIME", Option.of("maxTokenLifetime", "", Parsers.text(), "").env());
    }

    @Test
    void aVariantUnderAnotherDescriptionReadsTheSameValue() {
        Option<String> described = NICKNAME.describedAs("another description");

        assertEquals("bob", SET.read(Map.of("nickname", "bob"), Labels.BY_NAME).get(described));
    }

    @Test
    void settingsPrintEverySetOptionWithSecretsAndUrlPasswordsMasked() {
        Settings settings = SET.read(Map.of("password", "s3cret-s3cret", "jdbcUrl", "jdbc:mariadb://db/gg?password=s3cret",
                "jdbcPassword", "s3cret"), Labels.BY_NAME);

        assertEquals("pollInterval=500ms, password=<masked>, jdbcUrl=jdbc:mariadb://db/gg?password=<masked>, jdbcPassword=<masked>",
                settings.toString());
    }

    @Test
    void booleansAreReadInAnyCase() {
        Parser<Boolean> bool = Parsers.bool();

        assertTrue(bool.parse("TRUE"));
        assertFalse(bool.parse("False"));
        assertEquals("must be true or false (was 'yes')", assertThrows(InvalidValue.class, () -> bool.parse("yes")).getMessage());
    }

    @Test
    void anOptionNameIsCamelCaseAscii() {
        assertThrows(IllegalArgumentException.class, () -> Option.of("smtp-host", "", Parsers.text(), ""));
    }

    @Test
    void anOptionDeclaredTwiceInOneSetIsAMistakeCaughtAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> OptionSet.of(List.of(NICKNAME, NICKNAME.describedAs("again")), List.of()));
    }
}
