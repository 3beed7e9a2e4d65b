package io.globalgate.filter;

import io.globalgate.config.Parsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The init-params: defaults from the README's configuration reference, durations, and a refusal naming each bad parameter. */
class TokenFilterConfigTest {

    private static final String REFUSED = "Globalgate filter configuration refused: ";

    private static String refusal(Map<String, String> params) {
        return assertThrows(IllegalArgumentException.class, () -> TokenFilterConfig.fromMap(params)).getMessage();
    }

    @Test
    void withoutParametersTheDefaultsOfTheContractApply() {
        TokenFilterConfig config = TokenFilterConfig.fromMap(Map.of());

        assertEquals("Global API", config.realm());
        assertEquals("Authorization", config.headerName());
        assertTrue(config.hideCredentials());
        assertEquals(100_000, config.cacheMaxEntries());
        assertEquals(Duration.ofMillis(500), config.changePollInterval());
        assertEquals(Duration.ofSeconds(30), config.maxStaleness());
        assertEquals(Duration.ofSeconds(10), config.usageFlushInterval());
        assertEquals("", config.dataSource());
        assertEquals("", config.jdbcUrl());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "500ms, PT0.5S",
            "30s,   PT30S",
            "5m,    PT5M",
            "2h,    PT2H",
            "1d,    PT24H",
            "PT30S, PT30S",
            "pt30s, PT30S",
            "PT1M30S, PT1M30S",
    })
    void durationsAreReadInShortFormAndInIso8601(String text, String expected) {
        assertEquals(Duration.parse(expected), Parsers.parseDuration(text));
    }

    @Test
    void durationParametersAcceptEveryDocumentedForm() {
        TokenFilterConfig config = TokenFilterConfig.fromMap(Map.of(
                TokenFilterConfig.CHANGE_POLL_INTERVAL, "500ms",
                TokenFilterConfig.MAX_STALENESS, "5m",
                TokenFilterConfig.USAGE_FLUSH_INTERVAL, "PT30S",
                TokenFilterConfig.RETRY_AFTER, "30s"));

        assertEquals(Duration.ofMillis(500), config.changePollInterval());
        assertEquals(Duration.ofMinutes(5), config.maxStaleness());
        assertEquals(Duration.ofSeconds(30), config.usageFlushInterval());
        assertEquals(Duration.ofSeconds(30), config.retryAfter());
    }

    @Test
    void durationsSetInCodeThroughTheBuilderAreTheSameAsInitParams() {
        TokenFilterConfig config = TokenFilterConfig.builder()
                .set(TokenFilterConfig.CHANGE_POLL_INTERVAL, Duration.ofMillis(200))
                .set(TokenFilterConfig.MAX_STALENESS, Duration.ofSeconds(3))
                .build();

        assertEquals(Duration.ofMillis(200), config.changePollInterval());
        assertEquals(Duration.ofSeconds(3), config.maxStaleness());
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "realm              | Global\"API | realm: must be 1-100 printable ASCII characters without '\"' or '\\' (was 'Global\"API')",
            "headerName         | Auth header | headerName: must be an HTTP header name such as Authorization (was 'Auth header')",
            "hideCredentials    | yes         | hideCredentials: must be true or false (was 'yes')",
            "migrate            | 1           | migrate: must be true or false (was '1')",
            "cacheMaxEntries    | -1          | cacheMaxEntries: must be a whole number from 0 (no cache) to 100000000 (was '-1')",
            "cacheMaxEntries    | lots        | cacheMaxEntries: must be a whole number from 0 (no cache) to 100000000 (was 'lots')",
            "cacheMaxEntries    | 100000001   | cacheMaxEntries: must be a whole number from 0 (no cache) to 100000000 (was '100000001')",
            "changePollInterval | fast        | changePollInterval: must be a duration such as 500ms, 30s, 5m or PT30S (was 'fast')",
            "changePollInterval | 5ms         | changePollInterval: must be between 10ms and 600s (was 5ms)",
            "maxStaleness       | 50ms        | maxStaleness: must be between 100ms and 86400s (was 50ms)",
            "maxStaleness       | PT-5S       | maxStaleness: must be a duration such as 500ms, 30s, 5m or PT30S (was 'PT-5S')",
            "maxStaleness       | 1.5s        | maxStaleness: must be a duration such as 500ms, 30s, 5m or PT30S (was '1.5s')",
            "usageFlushInterval | 2h          | usageFlushInterval: must be between 10ms and 3600s (was 7200s)",
            "cacheTtl           | 500ms       | cacheTtl: must be between 1s and 86400s (was 500ms)",
            "negativeCacheTtl   | 2d          | negativeCacheTtl: must be between 0s and 86400s (was 172800s)",
            "connectionTimeout  | 100ms       | connectionTimeout: must be between 250ms and 60s (was 100ms)",
            "retryAfter         | 0s          | retryAfter: must be between 1s and 3600s (was 0s)",
            "jdbcUrl            | mysql://db  | jdbcUrl: must start with jdbc: (was 'mysql://db')",
    })
    void badValueIsRefusedWithTheNameOfItsParameter(String name, String value, String expected) {
        String message = refusal(Map.of(name, value));

        assertEquals(REFUSED + expected, message);
    }

    @Test
    void emptyDurationIsRefusedNotDefaulted() {
        assertEquals(REFUSED + "maxStaleness: must be a duration such as 500ms, 30s, 5m or PT30S (was '')",
                refusal(Map.of(TokenFilterConfig.MAX_STALENESS, " ")));
    }

    @Test
    void unknownParameterIsRefusedWithTheListOfKnownOnes() {
        String message = refusal(Map.of("cacheSize", "10"));

        assertTrue(message.startsWith(REFUSED + "cacheSize: unknown parameter (known: dataSource, jdbcUrl, jdbcUser, jdbcPassword, realm,"), message);
    }

    @Test
    void dataSourceAndJdbcUrlTogetherAreRefused() {
        assertEquals(REFUSED + "dataSource, jdbcUrl: give one of them, not both",
                refusal(Map.of(TokenFilterConfig.DATA_SOURCE, "java:comp/env/jdbc/globalgate", TokenFilterConfig.JDBC_URL, "jdbc:h2:mem:x")));
    }

    @Test
    void jdbcUserWithoutJdbcUrlIsRefused() {
        assertEquals(REFUSED + "jdbcUser, jdbcPassword: only used with jdbcUrl, which is not set",
                refusal(Map.of(TokenFilterConfig.JDBC_USER, "globalgate")));
    }

    @Test
    void replicaDataSourceAndReplicaJdbcUrlTogetherAreRefused() {
        assertEquals(REFUSED + "replicaDataSource, replicaJdbcUrl: give one of them, not both",
                refusal(Map.of(TokenFilterConfig.REPLICA_DATA_SOURCE, "java:comp/env/jdbc/globalgate-replica",
                        TokenFilterConfig.REPLICA_JDBC_URL, "jdbc:mariadb://replica/globalgate")));
    }

    @Test
    void replicaJdbcUserWithoutReplicaJdbcUrlIsRefused() {
        assertEquals(REFUSED + "replicaJdbcUser, replicaJdbcPassword: only used with replicaJdbcUrl, which is not set",
                refusal(Map.of(TokenFilterConfig.REPLICA_JDBC_PASSWORD, "secret")));
    }

    @Test
    void aReplicaIsReadWhereItsOptionsSayAndItsPasswordIsMasked() {
        TokenFilterConfig config = TokenFilterConfig.fromMap(Map.of(TokenFilterConfig.REPLICA_JDBC_URL,
                "jdbc:mariadb://replica:3306/globalgate?password=hunter2", TokenFilterConfig.REPLICA_JDBC_USER, "reader",
                TokenFilterConfig.REPLICA_JDBC_PASSWORD, "hunter2"));

        assertEquals("jdbc:mariadb://replica:3306/globalgate?password=hunter2", config.replicaJdbcUrl());
        assertEquals("reader", config.replicaJdbcUser());
        assertEquals("hunter2", config.replicaJdbcPassword());
        assertFalse(config.toString().contains("hunter2"), config.toString());
    }

    @Test
    void maxStalenessBelowTwiceThePollIntervalIsRefused() {
        assertEquals(REFUSED + "maxStaleness: must be at least twice changePollInterval (600ms), or every hiccup of one poll"
                        + " would refuse requests; was 1s",
                refusal(Map.of(TokenFilterConfig.CHANGE_POLL_INTERVAL, "600ms", TokenFilterConfig.MAX_STALENESS, "1s")));
    }

    @Test
    void everyBadValueIsReportedInOneMessage() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(TokenFilterConfig.HIDE_CREDENTIALS, "maybe");
        params.put(TokenFilterConfig.CACHE_MAX_ENTRIES, "many");
        params.put(TokenFilterConfig.RETRY_AFTER, "soon");

        String message = refusal(params);

        assertTrue(message.contains("hideCredentials: "), message);
        assertTrue(message.contains("cacheMaxEntries: "), message);
        assertTrue(message.contains("retryAfter: "), message);
    }

    @Test
    void passwordIsMaskedInToString() {
        TokenFilterConfig config = TokenFilterConfig.fromMap(Map.of(
                TokenFilterConfig.JDBC_URL, "jdbc:mariadb://db:3306/globalgate",
                TokenFilterConfig.JDBC_USER, "globalgate",
                TokenFilterConfig.JDBC_PASSWORD, "s3cret pass"));

        String text = config.toString();

        assertTrue(text.contains("jdbcPassword=<masked>"), text);
        assertFalse(text.contains("s3cret"), text);
        assertTrue(text.contains("jdbcUser=globalgate"), text);
        assertTrue(text.contains("changePollInterval=500ms"), text);
        assertEquals("s3cret pass", config.jdbcPassword(), "the password itself is kept as given, spaces and all");
    }

    @Test
    void passwordInsideTheJdbcUrlIsMaskedInToString() {
        TokenFilterConfig config = TokenFilterConfig.fromMap(Map.of(
                TokenFilterConfig.JDBC_URL, "jdbc:mariadb://db:3306/globalgate?user=gg&password=s3cret"));

        assertFalse(config.toString().contains("s3cret"), config.toString());
    }

    @Test
    void nullPasswordInTheMapMeansUnsetLikeEveryOtherNullValue() {
        Map<String, String> withUrl = new HashMap<>();
        withUrl.put(TokenFilterConfig.JDBC_URL, "jdbc:h2:mem:x");
        withUrl.put(TokenFilterConfig.JDBC_PASSWORD, null);
        Map<String, String> withoutUrl = new HashMap<>();
        withoutUrl.put(TokenFilterConfig.JDBC_PASSWORD, null);

        assertEquals("", TokenFilterConfig.fromMap(withUrl).jdbcPassword());
        assertEquals("", TokenFilterConfig.fromMap(withoutUrl).jdbcPassword());
    }
}
