package io.globalgate.filter;

import io.globalgate.config.InvalidConfiguration;
import io.globalgate.config.Labels;
import io.globalgate.config.Option;
import io.globalgate.config.Settings;
import io.globalgate.config.StoreOptions;
import io.globalgate.net.NetworkList;
import io.globalgate.store.TokenRestrictions;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The filter's options, by the names of its {@code web.xml} init-params (declared in
 * {@link FilterOptions}). Built from a map of strings (init-params) or in code through
 * {@link #builder()}; either way every option is checked once and every refused value is reported
 * with its parameter's name.
 */
public final class TokenFilterConfig {

    /** JNDI name of a container {@code DataSource}, e.g. {@code java:comp/env/jdbc/globalgate}. */
    public static final String DATA_SOURCE = StoreOptions.DATA_SOURCE.name();
    /** JDBC URL of a database the filter opens its own HikariCP pool to (instead of {@link #DATA_SOURCE}). */
    public static final String JDBC_URL = StoreOptions.JDBC_URL.name();
    /** Database user, with {@link #JDBC_URL}. */
    public static final String JDBC_USER = StoreOptions.JDBC_USER.name();
    /** Database password, with {@link #JDBC_URL}; printed as {@code <masked>}. */
    public static final String JDBC_PASSWORD = StoreOptions.JDBC_PASSWORD.name();
    /** Realm of the {@code WWW-Authenticate} challenge; default {@code Global API}. */
    public static final String REALM = FilterOptions.REALM.name();
    /** Header that carries {@code Bearer <token>}; default {@code Authorization}. */
    public static final String HEADER_NAME = FilterOptions.HEADER_NAME.name();
    /** Whether that header is removed before the rest of the chain; default {@code true}. */
    public static final String HIDE_CREDENTIALS = FilterOptions.HIDE_CREDENTIALS.name();
    /** Decisions kept in memory, for known and, separately, unknown tokens; default {@code 100000}, {@code 0} = no cache. */
    public static final String CACHE_MAX_ENTRIES = FilterOptions.CACHE_MAX_ENTRIES.name();
    /** How long an unknown token is remembered as unknown; default {@code 60s}. */
    public static final String NEGATIVE_CACHE_TTL = FilterOptions.NEGATIVE_CACHE_TTL.name();
    /** The longest a known token's decision is kept without being read again; default {@code 10m}. */
    public static final String CACHE_TTL = FilterOptions.CACHE_TTL.name();
    /** How often the change feed is read; default {@code 500ms}. */
    public static final String CHANGE_POLL_INTERVAL = FilterOptions.CHANGE_POLL_INTERVAL.name();
    /** After this long without a successful poll, cached accepts are not trusted; default {@code 30s}. */
    public static final String MAX_STALENESS = FilterOptions.MAX_STALENESS.name();
    /** How often last-used data and hourly counts are written; default {@code 10s}. */
    public static final String USAGE_FLUSH_INTERVAL = FilterOptions.USAGE_FLUSH_INTERVAL.name();
    /** How long a request waits for a connection of the filter's own pool before {@code 503}; default {@code 2s}. */
    public static final String CONNECTION_TIMEOUT = StoreOptions.CONNECTION_TIMEOUT.name();
    /** The {@code Retry-After} of a {@code 503}; default {@code 5s}. */
    public static final String RETRY_AFTER = FilterOptions.RETRY_AFTER.name();
    /** Integrations counted one by one in {@code globalgate.integration.requests}; default {@code 200}, {@code 0} = off. */
    public static final String INTEGRATION_METRICS = FilterOptions.INTEGRATION_METRICS.name();
    /** Networks of proxies whose {@code X-Forwarded-For} is believed for the client address; default none. */
    public static final String TRUSTED_PROXIES = FilterOptions.TRUSTED_PROXIES.name();
    /** The rate limit, per minute and node, of an integration without its own; default {@code 0} = none. */
    public static final String RATE_LIMIT_PER_MINUTE = FilterOptions.RATE_LIMIT_PER_MINUTE.name();
    /** The most requests that default allows at once; default {@code 0} = as many as {@link #RATE_LIMIT_PER_MINUTE}. */
    public static final String RATE_LIMIT_BURST = FilterOptions.RATE_LIMIT_BURST.name();
    /** Lookups per second of tokens this node does not know to exist, all clients together; default {@code 100}. */
    public static final String UNKNOWN_TOKEN_LOOKUPS = FilterOptions.UNKNOWN_TOKEN_LOOKUPS.name();
    /** Lookups per second of tokens this node does not know to exist, per client address; default {@code 10}. */
    public static final String UNKNOWN_TOKEN_LOOKUPS_PER_ADDRESS = FilterOptions.UNKNOWN_TOKEN_LOOKUPS_PER_ADDRESS.name();
    /** Whether the Flyway migrations run at start-up; default {@code true}. */
    public static final String MIGRATE = FilterOptions.MIGRATE.name();

    /** JNDI name of a {@code DataSource} on a read replica, where lookups and the change feed read. */
    public static final String REPLICA_DATA_SOURCE = FilterOptions.REPLICA_DATA_SOURCE.name();
    /** JDBC URL of a read replica the filter opens a second pool to (instead of {@link #REPLICA_DATA_SOURCE}). */
    public static final String REPLICA_JDBC_URL = FilterOptions.REPLICA_JDBC_URL.name();
    /** Database user, with {@link #REPLICA_JDBC_URL}. */
    public static final String REPLICA_JDBC_USER = FilterOptions.REPLICA_JDBC_USER.name();
    /** Database password, with {@link #REPLICA_JDBC_URL}; printed as {@code <masked>}. */
    public static final String REPLICA_JDBC_PASSWORD = FilterOptions.REPLICA_JDBC_PASSWORD.name();

    private final Settings settings;

    private TokenFilterConfig(Map<String, String> raw) {
        try {
            settings = FilterOptions.ALL.read(raw, Labels.BY_NAME);
        } catch (InvalidConfiguration e) {
            throw new IllegalArgumentException("Globalgate filter configuration refused: " + e.getMessage(), e);
        }
    }

    /**
     * From {@code web.xml} init-params or any other map of strings; unknown names are refused.
     *
     * @param parameters option names (the constants of this class) and their values as text
     * @return the checked configuration
     * @throws IllegalArgumentException naming every refused option and why
     */
    public static TokenFilterConfig fromMap(Map<String, String> parameters) {
        return new TokenFilterConfig(parameters);
    }

    /**
     * A builder taking the same names as the init-params.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The same names as the init-params, for {@code FilterRegistration} or plain code. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets an option as its init-param text would.
         *
         * @param name  one of the constants of {@link TokenFilterConfig}
         * @param value the value as text, e.g. {@code 30s}
         * @return this builder
         */
        public Builder set(String name, String value) {
            values.put(name, value);
            return this;
        }

        /**
         * Sets a duration option.
         *
         * @param name  one of the duration constants of {@link TokenFilterConfig}
         * @param value the duration
         * @return this builder
         */
        public Builder set(String name, Duration value) {
            return set(name, value.toString());
        }

        /**
         * Checks every option set.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming every refused option and why
         */
        public TokenFilterConfig build() {
            return new TokenFilterConfig(values);
        }
    }

    private <T> T get(Option<T> option) {
        return settings.get(option);
    }

    /**
     * Option {@code dataSource}.
     *
     * @return the JNDI name of the container {@code DataSource}, or null
     */
    public String dataSource() {
        return settings.text(StoreOptions.DATA_SOURCE);
    }

    /**
     * Option {@code jdbcUrl}.
     *
     * @return the JDBC URL of the filter's own pool, or null
     */
    public String jdbcUrl() {
        return settings.text(StoreOptions.JDBC_URL);
    }

    /**
     * Option {@code jdbcUser}.
     *
     * @return the database user of the filter's own pool, or null
     */
    public String jdbcUser() {
        return settings.text(StoreOptions.JDBC_USER);
    }

    /**
     * Option {@code jdbcPassword}.
     *
     * @return the database password of the filter's own pool, or null
     */
    public String jdbcPassword() {
        return settings.text(StoreOptions.JDBC_PASSWORD);
    }

    /**
     * Option {@code realm}.
     *
     * @return the realm of the {@code WWW-Authenticate} challenge
     */
    public String realm() {
        return get(FilterOptions.REALM);
    }

    /**
     * Option {@code headerName}.
     *
     * @return the header that carries the bearer token
     */
    public String headerName() {
        return get(FilterOptions.HEADER_NAME);
    }

    /**
     * Option {@code hideCredentials}.
     *
     * @return whether that header is removed before the rest of the chain
     */
    public boolean hideCredentials() {
        return get(FilterOptions.HIDE_CREDENTIALS);
    }

    /**
     * Option {@code cacheMaxEntries}.
     *
     * @return how many decisions each cache keeps, {@code 0} = no cache
     */
    public int cacheMaxEntries() {
        return get(FilterOptions.CACHE_MAX_ENTRIES);
    }

    /**
     * Option {@code negativeCacheTtl}.
     *
     * @return how long an unknown token is remembered as unknown
     */
    public Duration negativeCacheTtl() {
        return get(FilterOptions.NEGATIVE_CACHE_TTL);
    }

    /**
     * Option {@code cacheTtl}.
     *
     * @return the longest a known token's decision is kept without being read again
     */
    public Duration cacheTtl() {
        return get(FilterOptions.CACHE_TTL);
    }

    /**
     * Option {@code changePollInterval}.
     *
     * @return how often the change feed is read
     */
    public Duration changePollInterval() {
        return get(FilterOptions.CHANGE_POLL_INTERVAL);
    }

    /**
     * Option {@code maxStaleness}.
     *
     * @return how long cached accepts are trusted without a successful poll
     */
    public Duration maxStaleness() {
        return get(FilterOptions.MAX_STALENESS);
    }

    /**
     * Option {@code usageFlushInterval}.
     *
     * @return how often usage is written
     */
    public Duration usageFlushInterval() {
        return get(FilterOptions.USAGE_FLUSH_INTERVAL);
    }

    /**
     * Option {@code connectionTimeout}.
     *
     * @return how long a request waits for a connection of the filter's own pool
     */
    public Duration connectionTimeout() {
        return get(StoreOptions.CONNECTION_TIMEOUT);
    }

    /**
     * Option {@code retryAfter}.
     *
     * @return the {@code Retry-After} of a {@code 503}
     */
    public Duration retryAfter() {
        return get(FilterOptions.RETRY_AFTER);
    }

    /**
     * Option {@code integrationMetrics}.
     *
     * @return how many integrations are counted one by one, {@code 0} = off
     */
    public int integrationMetrics() {
        return get(FilterOptions.INTEGRATION_METRICS);
    }

    /**
     * Option {@code trustedProxies}.
     *
     * @return the networks of proxies whose {@code X-Forwarded-For} is believed; empty = none
     */
    NetworkList trustedProxies() {
        return settings.get(FilterOptions.TRUSTED_PROXIES, NetworkList.empty());
    }

    /**
     * Options {@code rateLimitPerMinute} and {@code rateLimitBurst}.
     *
     * @return the rate limit of an integration without its own, or null for none
     */
    TokenRestrictions.RateLimit defaultRateLimit() {
        int perMinute = get(FilterOptions.RATE_LIMIT_PER_MINUTE);
        int burst = get(FilterOptions.RATE_LIMIT_BURST);
        return perMinute == 0 ? null : new TokenRestrictions.RateLimit(perMinute, burst == 0 ? perMinute : burst);
    }

    /**
     * Option {@code unknownTokenLookups}.
     *
     * @return lookups per second of tokens this node does not know to exist, all clients together
     */
    public int unknownTokenLookups() {
        return get(FilterOptions.UNKNOWN_TOKEN_LOOKUPS);
    }

    /**
     * Option {@code unknownTokenLookupsPerAddress}.
     *
     * @return lookups per second of tokens this node does not know to exist, per client address
     */
    public int unknownTokenLookupsPerAddress() {
        return get(FilterOptions.UNKNOWN_TOKEN_LOOKUPS_PER_ADDRESS);
    }

    /**
     * Option {@code migrate}.
     *
     * @return whether the migrations run at start-up
     */
    public boolean migrate() {
        return get(FilterOptions.MIGRATE);
    }

    /**
     * Option {@code replicaDataSource}.
     *
     * @return the JNDI name of a replica's {@code DataSource}, or null
     */
    public String replicaDataSource() {
        return settings.text(FilterOptions.REPLICA_DATA_SOURCE);
    }

    /**
     * Option {@code replicaJdbcUrl}.
     *
     * @return the JDBC URL of a replica, or null
     */
    public String replicaJdbcUrl() {
        return settings.text(FilterOptions.REPLICA_JDBC_URL);
    }

    /**
     * Option {@code replicaJdbcUser}.
     *
     * @return the replica's database user, or null
     */
    public String replicaJdbcUser() {
        return settings.text(FilterOptions.REPLICA_JDBC_USER);
    }

    /**
     * Option {@code replicaJdbcPassword}.
     *
     * @return the replica's database password, or null
     */
    public String replicaJdbcPassword() {
        return settings.text(FilterOptions.REPLICA_JDBC_PASSWORD);
    }

    /** Every option and its effective value; the password, also one inside the JDBC URL, prints as {@code <masked>}. */
    @Override
    public String toString() {
        return "TokenFilterConfig{" + settings + "}";
    }
}
