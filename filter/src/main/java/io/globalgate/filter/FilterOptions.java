package io.globalgate.filter;

import io.globalgate.config.Option;
import io.globalgate.config.OptionSet;
import io.globalgate.config.Parsers;
import io.globalgate.config.Rule;
import io.globalgate.config.StoreOptions;
import io.globalgate.net.ClientAddress;
import io.globalgate.net.NetworkList;

import java.time.Duration;
import java.util.List;

/** The filter's options ({@code web.xml} init-params), each declared once; the README's filter table lists them. */
public final class FilterOptions {

    /** The highest rate limit, per minute or at once, that may be set. */
    public static final int MAX_RATE = 1_000_000;

    public static final Option<String> REALM = Option.of("realm", "Global API",
            Parsers.matching("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}", "must be 1-100 printable ASCII characters without '\"' or '\\'"),
            "realm of the WWW-Authenticate challenge");
    public static final Option<String> HEADER_NAME = Option.of("headerName", "Authorization",
            Parsers.matching("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}", "must be an HTTP header name such as Authorization"),
            "header that carries Bearer <token>");
    public static final Option<Boolean> HIDE_CREDENTIALS = Option.of("hideCredentials", "true", Parsers.bool(),
            "remove that header before the rest of the chain");
    public static final Option<Integer> CACHE_MAX_ENTRIES = Option.of("cacheMaxEntries", "100000",
            Parsers.wholeNumber(0, 100_000_000, "must be a whole number from 0 (no cache) to 100000000"),
            "decisions kept in memory, for known tokens and, separately, for unknown ones; 0 = no cache");
    public static final Option<Duration> NEGATIVE_CACHE_TTL = Option.of("negativeCacheTtl", "60s",
            Parsers.duration(Duration.ZERO, Duration.ofDays(1)),
            "how long an unknown token is remembered as unknown; 0 = not at all");
    public static final Option<Duration> CACHE_TTL = Option.of("cacheTtl", "10m",
            Parsers.duration(Duration.ofSeconds(1), Duration.ofDays(1)),
            "the longest a known token's decision is kept without being read again");
    public static final Option<Duration> CHANGE_POLL_INTERVAL = Option.of("changePollInterval", "500ms",
            Parsers.duration(Duration.ofMillis(10), Duration.ofMinutes(10)), "how often the change feed is read");
    public static final Option<Duration> MAX_STALENESS = Option.of("maxStaleness", "30s",
            Parsers.duration(Duration.ofMillis(100), Duration.ofDays(1)),
            "after this long without a successful poll, cached accepts are not trusted");
    public static final Option<Duration> USAGE_FLUSH_INTERVAL = Option.of("usageFlushInterval", "10s",
            Parsers.duration(Duration.ofMillis(10), Duration.ofHours(1)), "how often last-used data, hourly counts and the last refused uses of ended tokens are written");
    public static final Option<Duration> RETRY_AFTER = Option.of("retryAfter", "5s",
            Parsers.duration(Duration.ofSeconds(1), Duration.ofHours(1)), "the Retry-After of a 503");
    public static final Option<Integer> INTEGRATION_METRICS = Option.of("integrationMetrics", "200",
            Parsers.wholeNumber(0, IntegrationMeters.MAX_LIMIT, "must be a whole number from 0 (off) to " + IntegrationMeters.MAX_LIMIT),
            "integrations counted apart in globalgate.integration.requests, the rest as integration \"other\"; 0 = off");
    public static final Option<NetworkList> TRUSTED_PROXIES = ClientAddress.TRUSTED_PROXIES.describedAs(
            "comma-separated networks of proxies in front of the application whose X-Forwarded-For (or Forwarded) is believed"
                    + " for the client address that allowed networks are checked against; unset = none: the client address is the peer's");
    public static final Option<Integer> RATE_LIMIT_PER_MINUTE = Option.of("rateLimitPerMinute", "0",
            Parsers.wholeNumber(0, MAX_RATE, "must be a whole number from 0 (no default limit) to " + MAX_RATE),
            "the rate limit of an integration without its own, in requests per minute on each node; 0 = none");
    public static final Option<Integer> RATE_LIMIT_BURST = Option.of("rateLimitBurst", "0",
            Parsers.wholeNumber(0, MAX_RATE, "must be a whole number from 0 (the same as rateLimitPerMinute) to " + MAX_RATE),
            "the most requests that default allows at once; 0 = as many as rateLimitPerMinute");
    public static final Option<String> REPLICA_DATA_SOURCE = Option.of("replicaDataSource", "", Parsers.text(),
            "JNDI name of a DataSource on a read replica of the database: token lookups and the change feed read there");
    public static final Option<String> REPLICA_JDBC_URL = Option.of("replicaJdbcUrl", "", Parsers.jdbcUrl(),
            "or: a JDBC URL of a read replica, and Globalgate opens a second pool of its own").displayedAs(StoreOptions::redact);
    public static final Option<String> REPLICA_JDBC_USER = Option.of("replicaJdbcUser", "", Parsers.text(),
            "database user, with replicaJdbcUrl");
    public static final Option<String> REPLICA_JDBC_PASSWORD = Option.secret("replicaJdbcPassword", Parsers.text(),
            "database password, with replicaJdbcUrl");
    public static final Option<Integer> UNKNOWN_TOKEN_LOOKUPS = Option.of("unknownTokenLookups", "100",
            Parsers.wholeNumber(1, 1_000_000, "must be a whole number from 1 to 1000000"),
            "lookups per second of tokens this node does not know to exist (forged ones, or created elsewhere a moment ago),"
                    + " all clients together; beyond it 503 with Retry-After");
    public static final Option<Integer> UNKNOWN_TOKEN_LOOKUPS_PER_ADDRESS = Option.of("unknownTokenLookupsPerAddress", "10",
            Parsers.wholeNumber(1, 1_000_000, "must be a whole number from 1 to 1000000"),
            "the same per client address (as the network restrictions see it, so behind trustedProxies the forwarded client's; IPv6 by its /64)");
    public static final Option<Boolean> MIGRATE = Option.of("migrate", "true", Parsers.bool(),
            "run the Flyway migrations at start-up");

    /** A burst without a rate is a limit nobody could mean. (The sample gateway reads its options under the same rule.) */
    public static final Rule BURST_NEEDS_A_RATE = (settings, problems) -> {
        Integer rate = settings.get(RATE_LIMIT_PER_MINUTE);
        Integer burst = settings.get(RATE_LIMIT_BURST);
        if (rate != null && burst != null && rate == 0 && burst > 0) {
            problems.refuse("needs " + problems.label(RATE_LIMIT_PER_MINUTE) + " above 0: a burst is the size of a rate limit's bucket",
                    RATE_LIMIT_BURST);
        }
    };

    /** Every hiccup of one poll would refuse requests if a single missed poll made the node stale. */
    static final Rule STALENESS_OUTLASTS_TWO_POLLS = (settings, problems) -> {
        Duration poll = settings.get(CHANGE_POLL_INTERVAL);
        Duration staleness = settings.get(MAX_STALENESS);
        if (poll != null && staleness != null && staleness.compareTo(poll.multipliedBy(2)) < 0) {
            problems.refuse("must be at least twice " + problems.label(CHANGE_POLL_INTERVAL) + " (" + Parsers.format(poll)
                    + "), or every hiccup of one poll would refuse requests; was " + Parsers.format(staleness), MAX_STALENESS);
        }
    };

    /** As for the primary: one way to the replica, and no user or password that would be silently ignored. */
    static final Rule ONE_REPLICA = (settings, problems) -> {
        if (settings.isSet(REPLICA_DATA_SOURCE) && settings.isSet(REPLICA_JDBC_URL)) {
            problems.refuse("give one of them, not both", REPLICA_DATA_SOURCE, REPLICA_JDBC_URL);
        }
        if (!settings.isSet(REPLICA_JDBC_URL) && (settings.isSet(REPLICA_JDBC_USER) || settings.isSet(REPLICA_JDBC_PASSWORD))) {
            problems.refuse("only used with " + problems.label(REPLICA_JDBC_URL) + ", which is not set",
                    REPLICA_JDBC_USER, REPLICA_JDBC_PASSWORD);
        }
    };

    public static final OptionSet ALL = OptionSet.of(List.of(
            StoreOptions.DATA_SOURCE, StoreOptions.JDBC_URL, StoreOptions.JDBC_USER, StoreOptions.JDBC_PASSWORD,
            REALM, HEADER_NAME, HIDE_CREDENTIALS, CACHE_MAX_ENTRIES, NEGATIVE_CACHE_TTL, CACHE_TTL, CHANGE_POLL_INTERVAL,
            MAX_STALENESS, USAGE_FLUSH_INTERVAL, StoreOptions.CONNECTION_TIMEOUT, RETRY_AFTER, INTEGRATION_METRICS, TRUSTED_PROXIES,
            RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST, UNKNOWN_TOKEN_LOOKUPS, UNKNOWN_TOKEN_LOOKUPS_PER_ADDRESS, MIGRATE, REPLICA_DATA_SOURCE, REPLICA_JDBC_URL, REPLICA_JDBC_USER, REPLICA_JDBC_PASSWORD),
            List.of(StoreOptions.ONE_DATABASE, ONE_REPLICA, STALENESS_OUTLASTS_TWO_POLLS, BURST_NEEDS_A_RATE));

    private FilterOptions() {
    }
}
