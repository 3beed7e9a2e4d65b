package io.globalgate.gateway;

import io.globalgate.config.Option;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayConfigTest {

    private static GatewayConfig parse(Map<String, String> env, String... args) throws GatewayConfig.UsageException {
        return GatewayConfig.parse(args, env);
    }

    private static String refusal(Map<String, String> env, String... args) {
        return assertThrows(GatewayConfig.UsageException.class, () -> GatewayConfig.parse(args, env)).getMessage();
    }

    private static String refusal(String... args) {
        return refusal(Map.of(), args);
    }

    @Test
    void withoutOptionsEveryDefaultOfTheReadmeApplies() throws Exception {
        GatewayConfig config = parse(Map.of());
        assertEquals(8080, config.port());
        assertEquals("127.0.0.1", config.host());
        assertEquals(Path.of("globalgate-data").toAbsolutePath().normalize(), config.dataDir());
        assertTrue(config.embeddedDatabase());
        assertTrue(config.effectiveJdbcUrl().startsWith("jdbc:h2:file:" + config.dataDir().resolve("globalgate")), config.effectiveJdbcUrl());
        assertNull(config.upstreamUrl(), "no upstream: the built-in demo Global API");
        assertEquals(Duration.ofSeconds(30), config.upstreamTimeout());
        assertEquals("admin", config.adminUser());
        assertNull(config.adminPassword(), "no password: generated on the first start");
        assertNull(config.maxTokenLifetime());
        assertTrue(config.trustedProxies().isEmpty(), "no trusted proxies: the client address is the peer's");
    }

    @Test
    void trustedProxiesAreReadAsNetworks() throws Exception {
        GatewayConfig config = parse(Map.of(), "--trusted-proxies", "10.0.0.0/8, 192.0.2.7,2001:db8::/32");

        assertTrue(config.trustedProxies().contains("10.1.2.3"));
        assertTrue(config.trustedProxies().contains("192.0.2.7"));
        assertFalse(config.trustedProxies().contains("192.0.2.8"));
        assertTrue(config.toString().contains("trustedProxies=10.0.0.0/8, 192.0.2.7/32, 2001:db8:0:0:0:0:0:0/32"), config.toString());
    }

    @Test
    void theDefaultRateLimitIsPassedToTheFilterByItsInitParamNames() throws Exception {
        assertEquals(Map.of("rateLimitPerMinute", "0", "rateLimitBurst", "0"), parse(Map.of()).filterParams(), "none by default");
        assertEquals(Map.of("rateLimitPerMinute", "120", "rateLimitBurst", "20"),
                parse(Map.of("GLOBALGATE_RATE_LIMIT_PER_MINUTE", "120", "GLOBALGATE_RATE_LIMIT_BURST", "20")).filterParams());
        assertEquals(Map.of("rateLimitPerMinute", "300", "rateLimitBurst", "20"),
                parse(Map.of("GLOBALGATE_RATE_LIMIT_PER_MINUTE", "120", "GLOBALGATE_RATE_LIMIT_BURST", "20"),
                        "--rate-limit-per-minute", "300").filterParams());
    }

    @Test
    void aRateLimitOutsideItsRangeOrABurstWithoutARateIsRefusedNamingTheFlag() {
        assertEquals("--rate-limit-per-minute / GLOBALGATE_RATE_LIMIT_PER_MINUTE must be a whole number from 0 (no default limit)"
                + " to 1000000 (was '-5')", refusal("--rate-limit-per-minute", "-5"));
        assertEquals("--rate-limit-burst / GLOBALGATE_RATE_LIMIT_BURST must be a whole number from 0 (as many as"
                + " --rate-limit-per-minute) to 1000000 (was '1e9')", refusal("--rate-limit-burst", "1e9"));
        assertEquals("--rate-limit-burst / GLOBALGATE_RATE_LIMIT_BURST needs --rate-limit-per-minute / GLOBALGATE_RATE_LIMIT_PER_MINUTE"
                + " above 0: a burst is the size of a rate limit's bucket", refusal("--rate-limit-burst", "10"));
    }

    @Test
    void aTrustedProxyThatIsNoNetworkIsRefusedNamingEachBadItem() {
        assertEquals("--trusted-proxies / GLOBALGATE_TRUSTED_PROXIES must be comma-separated networks such as 10.0.0.0/8, 192.0.2.7,"
                + " 2001:db8::/32: 'proxy.internal' is not an IPv4 or IPv6 network such as 10.0.0.0/8 or 2001:db8::/32"
                + " (addresses only, no host names); '10.0.0.1/8' has bits set after its 8-bit prefix; did you mean 10.0.0.0/8"
                + " (or 10.0.0.1 alone)?", refusal("--trusted-proxies", "proxy.internal,10.0.0.1/8"));
    }

    @Test
    void aFlagWinsOverItsEnvironmentVariable() throws Exception {
        Map<String, String> env = Map.of("GLOBALGATE_PORT", "9000", "GLOBALGATE_UPSTREAM_URL", "http://erp.internal:9000",
                "GLOBALGATE_UPSTREAM_TIMEOUT", "5s", "GLOBALGATE_ADMIN_USER", "ops", "GLOBALGATE_MAX_TOKEN_LIFETIME", "90d");
        GatewayConfig fromEnv = parse(env);
        assertEquals(9000, fromEnv.port());
        assertEquals(URI.create("http://erp.internal:9000"), fromEnv.upstreamUrl());
        assertEquals(Duration.ofSeconds(5), fromEnv.upstreamTimeout());
        assertEquals("ops", fromEnv.adminUser());
        assertEquals(Duration.ofDays(90), fromEnv.maxTokenLifetime());

        assertEquals(9001, parse(env, "--port", "9001").port());
        assertEquals(9002, parse(env, "--port=9002").port());
        for (Option<?> option : GatewayConfig.OPTIONS) {
            assertEquals("GLOBALGATE_" + option.flag().substring(2).replace('-', '_').toUpperCase(Locale.ROOT), option.env());
        }
    }

    @Test
    void theUnusedTokenOptionsReachTheAdminServletAndARemindersNotBeforeTheRevocationIsRefused() throws Exception {
        assertFalse(parse(Map.of()).adminParams().containsKey("revokeUnusedAfterDays"), "off by default");
        GatewayConfig config = parse(Map.of("GLOBALGATE_UNUSED_REMINDER_DAYS", "14"), "--revoke-unused-after-days", "365");
        assertEquals("365", config.adminParams().get("revokeUnusedAfterDays"));
        assertEquals("14", config.adminParams().get("unusedReminderDays"));
        assertEquals("--unused-reminder-days / GLOBALGATE_UNUSED_REMINDER_DAYS, --revoke-unused-after-days / GLOBALGATE_REVOKE_UNUSED_AFTER_DAYS"
                        + " the reminder must come before the revocation: --unused-reminder-days / GLOBALGATE_UNUSED_REMINDER_DAYS (30)"
                        + " must be less than --revoke-unused-after-days / GLOBALGATE_REVOKE_UNUSED_AFTER_DAYS (30)",
                refusal("--revoke-unused-after-days", "30", "--unused-reminder-days", "30"));
        assertEquals("--revoke-unused-after-days / GLOBALGATE_REVOKE_UNUSED_AFTER_DAYS must be a whole number of days from 2 to 36500"
                + " (was '1e3')", refusal("--revoke-unused-after-days", "1e3"));
    }

    @Test
    void theRevocationByValueLimitReachesThePublicEndpointsAndImpossibleNumbersAreRefused() throws Exception {
        assertEquals(Map.of("revokeByValueBurst", "10", "revokeByValuePerMinute", "10"), parse(Map.of()).publicLeakParams(),
                "the defaults: 10 at once, then 10 a minute");
        GatewayConfig config = parse(Map.of("GLOBALGATE_REVOKE_BY_VALUE_BURST", "50"), "--revoke-by-value-per-minute", "120",
                "--trusted-proxies", "10.0.0.0/8");
        assertEquals(Map.of("revokeByValueBurst", "50", "revokeByValuePerMinute", "120", "trustedProxies", "10.0.0.0/8"),
                config.publicLeakParams());
        assertEquals("--revoke-by-value-burst / GLOBALGATE_REVOKE_BY_VALUE_BURST must be a whole number from 1 to 10000 (was '0')",
                refusal("--revoke-by-value-burst", "0"));
        assertEquals("--revoke-by-value-per-minute / GLOBALGATE_REVOKE_BY_VALUE_PER_MINUTE must be a whole number from 1 to 60000"
                + " (was '10/m')", refusal("--revoke-by-value-per-minute", "10/m"));
    }

    @Test
    void aMariaDbUrlReplacesTheEmbeddedH2WithItsPasswordMasked() throws Exception {
        GatewayConfig config = parse(Map.of("GLOBALGATE_JDBC_PASSWORD", "s3cret-db"),
                "--jdbc-url", "jdbc:mariadb://db:3306/globalgate?password=s3cret-url", "--jdbc-user", "gg");
        assertFalse(config.embeddedDatabase());
        assertEquals("jdbc:mariadb://db:3306/globalgate?password=s3cret-url", config.effectiveJdbcUrl());
        assertEquals("gg", config.jdbcUser());
        assertEquals("s3cret-db", config.jdbcPassword());
        assertEquals("jdbc:mariadb://db:3306/globalgate?password=<masked>", config.maskedJdbcUrl());
        assertFalse(config.toString().contains("s3cret"), config.toString());
        assertFalse(parse(Map.of(), "--admin-password", "a-long-admin-secret").toString().contains("a-long-admin-secret"));
    }

    @Test
    void aPortThatIsNotANumberIsRefusedWithAMessageNamingTheFlagAndTheVariable() {
        assertEquals("--port / GLOBALGATE_PORT must be a number from 0 to 65535 (was 'banana')", refusal("--port", "banana"));
        assertEquals("--port / GLOBALGATE_PORT must be a number from 0 to 65535 (was '65536')", refusal(Map.of("GLOBALGATE_PORT", "65536")));
    }

    @Test
    void anUnknownFlagIsRefusedByName() {
        assertEquals("Unknown option --colour (see --help)", refusal("--colour", "blue"));
        assertEquals("Unknown option --colour (see --help)", refusal("--colour=blue"));
        assertEquals("Unknown option stray (see --help)", refusal("stray"));
    }

    @Test
    void aFlagWithoutItsValueIsRefused() {
        assertEquals("--data-dir needs a value", refusal("--data-dir"));
    }

    @Test
    void anUpstreamUrlThatIsNotAnHttpUrlWithoutQueryIsRefused() {
        for (String bad : new String[] {"erp.internal:9000", "ftp://erp.internal/", "http://erp.internal/?x=1", "http:// bad", "http:///path"}) {
            assertEquals("--upstream-url / GLOBALGATE_UPSTREAM_URL must be an http(s) URL without query, such as http://erp.internal:9000 (was '"
                    + bad + "')", refusal("--upstream-url", bad), bad);
        }
    }

    @Test
    void anAdminPasswordShorterThan12CharactersIsRefusedWithoutEchoingIt() {
        String message = refusal("--admin-password", "hunter2");
        assertEquals("--admin-password / GLOBALGATE_ADMIN_PASSWORD must be 12 to 200 characters (was 7)", message);
        assertFalse(message.contains("hunter2"));
        assertEquals("--admin-password / GLOBALGATE_ADMIN_PASSWORD must be 12 to 200 characters (was 11)",
                refusal(Map.of("GLOBALGATE_ADMIN_PASSWORD", "elevenchars")));
    }

    @Test
    void anUpstreamTimeoutOutsideOneHundredMillisecondsToAnHourIsRefused() {
        assertEquals("--upstream-timeout / GLOBALGATE_UPSTREAM_TIMEOUT must be a duration from 100ms to 1h such as 30s (was '50ms')",
                refusal("--upstream-timeout", "50ms"));
        assertEquals("--upstream-timeout / GLOBALGATE_UPSTREAM_TIMEOUT must be a duration from 100ms to 1h such as 30s (was 'soon')",
                refusal("--upstream-timeout", "soon"));
    }

    @Test
    void aJdbcUrlOfAnotherDatabaseIsRefused() {
        assertEquals("--jdbc-url / GLOBALGATE_JDBC_URL must be a MariaDB JDBC URL such as jdbc:mariadb://localhost:3306/globalgate "
                + "(was 'jdbc:postgresql://db/gg')", refusal("--jdbc-url", "jdbc:postgresql://db/gg"));
    }

    @Test
    void everyBadOptionIsReportedAtOnceOnALineOfItsOwn() {
        String message = refusal("--port", "-1", "--admin-user", "a b", "--max-token-lifetime", "forever");
        assertEquals(3, message.lines().count(), message);
        assertTrue(message.lines().allMatch(line -> line.startsWith("--")), message);
    }

    @Test
    void helpListsEveryOptionWithItsVariableAndDefault() {
        String help = GatewayConfig.help();
        for (Option<?> option : GatewayConfig.OPTIONS) {
            String defaultValue = option.defaultValue().isEmpty() ? "(none)" : option.defaultValue();
            assertTrue(help.contains(option.flag() + " VALUE"), option.flag());
            assertTrue(help.contains(option.env()), option.env());
            assertTrue(help.lines().dropWhile(line -> !line.contains(option.flag() + " VALUE")).skip(1).findFirst()
                    .orElseThrow().strip().equals("default: " + defaultValue), () -> option.flag() + " default in\n" + help);
        }
        assertTrue(GatewayConfig.wantsHelp(new String[] {"--port", "1", "--help"}));
        assertTrue(GatewayConfig.wantsHelp(new String[] {"-h"}));
    }

    @Test
    void theOptionsAreExactlyTheOnesTheReadmeTableNamesWithTheirVariablesAndDefaults() throws Exception {
        java.nio.file.Path readme = java.nio.file.Path.of(System.getProperty("basedir", "."), "..", "README.md");
        java.util.List<String> rows = java.nio.file.Files.readAllLines(readme).stream()
                .dropWhile(line -> !line.equals("### Sample gateway"))
                .filter(line -> line.startsWith("| `--"))
                .toList();
        java.util.List<String> flags = rows.stream().map(line -> line.split("`")[1]).toList();
        assertEquals(GatewayConfig.OPTIONS.stream().map(Option::flag).toList(), flags,
                "README's sample gateway table and GatewayConfig.OPTIONS must list the same options, in order");
        for (int i = 0; i < rows.size(); i++) {
            Option<?> option = GatewayConfig.OPTIONS.get(i);
            assertTrue(rows.get(i).contains("`" + option.env() + "`"), rows.get(i));
            assertTrue(option.defaultValue().isEmpty() ? rows.get(i).contains("| —") : rows.get(i).contains("`" + option.defaultValue() + "`"),
                    "README default of " + option.flag() + ": " + rows.get(i));
        }
        assertTrue(flags.containsAll(java.util.List.of("--port", "--data-dir", "--jdbc-url", "--jdbc-user", "--jdbc-password",
                "--upstream-url", "--admin-user", "--admin-password")), "the options the sample gateway has always had");
    }

    @Test
    void aJdbcUserWithoutAJdbcUrlIsRefusedAsTheFilterRefusesIt() {
        assertEquals("--jdbc-user / GLOBALGATE_JDBC_USER, --jdbc-password / GLOBALGATE_JDBC_PASSWORD only used with"
                + " --jdbc-url / GLOBALGATE_JDBC_URL, which is not set", refusal("--jdbc-user", "gg"));
    }

    @Test
    void aValueWithALineBreakIsQuotedOnOneLine() {
        assertEquals("--admin-user / GLOBALGATE_ADMIN_USER must be 1-64 letters, digits, '.', '_', '@' or '-' (was 'ops\\u000Aroot')",
                refusal("--admin-user", "ops\nroot"));
    }
}
