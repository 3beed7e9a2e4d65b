package io.globalgate.filter;

import io.globalgate.config.InvalidConfiguration;
import io.globalgate.config.Labels;
import io.globalgate.config.Option;
import io.globalgate.config.Settings;
import io.globalgate.config.StoreOptions;

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

    public static final String DATA_SOURCE = StoreOptions.DATA_SOURCE.name();
    public static final String JDBC_URL = StoreOptions.JDBC_URL.name();
    public static final String JDBC_USER = StoreOptions.JDBC_USER.name();
    public static final String JDBC_PASSWORD = StoreOptions.JDBC_PASSWORD.name();
    public static final String REALM = FilterOptions.REALM.name();
    public static final String HEADER_NAME = FilterOptions.HEADER_NAME.name();
    public static final String HIDE_CREDENTIALS = FilterOptions.HIDE_CREDENTIALS.name();
    public static final String CACHE_MAX_ENTRIES = FilterOptions.CACHE_MAX_ENTRIES.name();
    public static final String NEGATIVE_CACHE_TTL = FilterOptions.NEGATIVE_CACHE_TTL.name();
    public static final String CACHE_TTL = FilterOptions.CACHE_TTL.name();
    public static final String CHANGE_POLL_INTERVAL = FilterOptions.CHANGE_POLL_INTERVAL.name();
    public static final String MAX_STALENESS = FilterOptions.MAX_STALENESS.name();
    public static final String USAGE_FLUSH_INTERVAL = FilterOptions.USAGE_FLUSH_INTERVAL.name();
    public static final String CONNECTION_TIMEOUT = StoreOptions.CONNECTION_TIMEOUT.name();
    public static final String RETRY_AFTER = FilterOptions.RETRY_AFTER.name();
    public static final String INTEGRATION_METRICS = FilterOptions.INTEGRATION_METRICS.name();
    public static final String MIGRATE = FilterOptions.MIGRATE.name();

    private final Settings settings;

    private TokenFilterConfig(Map<String, String> raw) {
        try {
            settings = FilterOptions.ALL.read(raw, Labels.BY_NAME);
        } catch (InvalidConfiguration e) {
            throw new IllegalArgumentException("Globalgate filter configuration refused: " + e.getMessage(), e);
        }
    }

    /** From {@code web.xml} init-params or any other map of strings; unknown names are refused. */
    public static TokenFilterConfig fromMap(Map<String, String> parameters) {
        return new TokenFilterConfig(parameters);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same names as the init-params, for {@code FilterRegistration} or plain code. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();

        public Builder set(String name, String value) {
            values.put(name, value);
            return this;
        }

        public Builder set(String name, Duration value) {
            return set(name, value.toString());
        }

        public TokenFilterConfig build() {
            return new TokenFilterConfig(values);
        }
    }

    private <T> T get(Option<T> option) {
        return settings.get(option);
    }

    public String dataSource() {
        return settings.text(StoreOptions.DATA_SOURCE);
    }

    public String jdbcUrl() {
        return settings.text(StoreOptions.JDBC_URL);
    }

    public String jdbcUser() {
        return settings.text(StoreOptions.JDBC_USER);
    }

    public String jdbcPassword() {
        return settings.text(StoreOptions.JDBC_PASSWORD);
    }

    public String realm() {
        return get(FilterOptions.REALM);
    }

    public String headerName() {
        return get(FilterOptions.HEADER_NAME);
    }

    public boolean hideCredentials() {
        return get(FilterOptions.HIDE_CREDENTIALS);
    }

    public int cacheMaxEntries() {
        return get(FilterOptions.CACHE_MAX_ENTRIES);
    }

    public Duration negativeCacheTtl() {
        return get(FilterOptions.NEGATIVE_CACHE_TTL);
    }

    public Duration cacheTtl() {
        return get(FilterOptions.CACHE_TTL);
    }

    public Duration changePollInterval() {
        return get(FilterOptions.CHANGE_POLL_INTERVAL);
    }

    public Duration maxStaleness() {
        return get(FilterOptions.MAX_STALENESS);
    }

    public Duration usageFlushInterval() {
        return get(FilterOptions.USAGE_FLUSH_INTERVAL);
    }

    public Duration connectionTimeout() {
        return get(StoreOptions.CONNECTION_TIMEOUT);
    }

    public Duration retryAfter() {
        return get(FilterOptions.RETRY_AFTER);
    }

    public int integrationMetrics() {
        return get(FilterOptions.INTEGRATION_METRICS);
    }

    public boolean migrate() {
        return get(FilterOptions.MIGRATE);
    }

    /** Every option and its effective value; the password, also one inside the JDBC URL, prints as {@code <masked>}. */
    @Override
    public String toString() {
        return "TokenFilterConfig{" + settings + "}";
    }
}
