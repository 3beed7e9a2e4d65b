package io.globalgate.filter;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filter's options, by the names of its {@code web.xml} init-params. Built from a map of
 * strings (init-params) or in code through {@link #builder()}; either way {@link #validate()}
 * runs once and every refused value is reported with its parameter's name.
 */
public final class TokenFilterConfig {

    public static final String DATA_SOURCE = "dataSource";
    public static final String JDBC_URL = "jdbcUrl";
    public static final String JDBC_USER = "jdbcUser";
    public static final String JDBC_PASSWORD = "jdbcPassword";
    public static final String REALM = "realm";
    public static final String HEADER_NAME = "headerName";
    public static final String HIDE_CREDENTIALS = "hideCredentials";
    public static final String CACHE_MAX_ENTRIES = "cacheMaxEntries";
    public static final String NEGATIVE_CACHE_TTL = "negativeCacheTtl";
    public static final String CACHE_TTL = "cacheTtl";
    public static final String CHANGE_POLL_INTERVAL = "changePollInterval";
    public static final String MAX_STALENESS = "maxStaleness";
    public static final String USAGE_FLUSH_INTERVAL = "usageFlushInterval";
    public static final String CONNECTION_TIMEOUT = "connectionTimeout";
    public static final String RETRY_AFTER = "retryAfter";
    public static final String MIGRATE = "migrate";

    /** Every parameter and its default ("" when it has none), in the order the README lists them. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(DATA_SOURCE, "");
        d.put(JDBC_URL, "");
        d.put(JDBC_USER, "");
        d.put(JDBC_PASSWORD, "");
        d.put(REALM, "Global API");
        d.put(HEADER_NAME, "Authorization");
        d.put(HIDE_CREDENTIALS, "true");
        d.put(CACHE_MAX_ENTRIES, "100000");
        d.put(NEGATIVE_CACHE_TTL, "60s");
        d.put(CACHE_TTL, "10m");
        d.put(CHANGE_POLL_INTERVAL, "500ms");
        d.put(MAX_STALENESS, "30s");
        d.put(USAGE_FLUSH_INTERVAL, "10s");
        d.put(CONNECTION_TIMEOUT, "2s");
        d.put(RETRY_AFTER, "5s");
        d.put(MIGRATE, "true");
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final Pattern TOKEN68_SAFE_REALM = Pattern.compile("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");
    private static final Pattern HEADER_TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");

    private final Map<String, String> values;
    private final String dataSource;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private final String realm;
    private final String headerName;
    private final boolean hideCredentials;
    private final int cacheMaxEntries;
    private final Duration negativeCacheTtl;
    private final Duration cacheTtl;
    private final Duration changePollInterval;
    private final Duration maxStaleness;
    private final Duration usageFlushInterval;
    private final Duration connectionTimeout;
    private final Duration retryAfter;
    private final boolean migrate;

    private TokenFilterConfig(Map<String, String> raw) {
        List<String> errors = new ArrayList<>();
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        for (Map.Entry<String, String> e : raw.entrySet()) {
            if (!DEFAULTS.containsKey(e.getKey())) {
                errors.add(e.getKey() + ": unknown parameter (known: " + String.join(", ", DEFAULTS.keySet()) + ")");
            } else if (e.getValue() != null) {
                v.put(e.getKey(), e.getValue().strip());
            }
        }
        this.values = v;
        this.dataSource = v.get(DATA_SOURCE);
        this.jdbcUrl = v.get(JDBC_URL);
        this.jdbcUser = v.get(JDBC_USER);
        String password = raw.get(JDBC_PASSWORD); // not stripped: passwords may have meaningful spaces
        this.jdbcPassword = password == null ? "" : password;
        this.realm = check(errors, REALM, s -> TOKEN68_SAFE_REALM.matcher(s).matches() ? s : null,
                "must be 1-100 printable ASCII characters without '\"' or '\\'");
        this.headerName = check(errors, HEADER_NAME, s -> HEADER_TOKEN.matcher(s).matches() ? s : null,
                "must be an HTTP header name such as Authorization");
        // Boxed on purpose: a refused value is null, reported below with its name, never unboxed into an NPE.
        Boolean hide = check(errors, HIDE_CREDENTIALS, TokenFilterConfig::parseBoolean, "must be true or false");
        this.hideCredentials = hide == null || hide;
        Boolean migrateAtStart = check(errors, MIGRATE, TokenFilterConfig::parseBoolean, "must be true or false");
        this.migrate = migrateAtStart == null || migrateAtStart;
        Integer entries = check(errors, CACHE_MAX_ENTRIES, s -> {
            try {
                int n = Integer.parseInt(s);
                return n >= 0 && n <= 100_000_000 ? n : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }, "must be a whole number from 0 (no cache) to 100000000");
        this.cacheMaxEntries = entries == null ? 0 : entries;
        this.negativeCacheTtl = duration(errors, NEGATIVE_CACHE_TTL, Duration.ZERO, Duration.ofDays(1));
        this.cacheTtl = duration(errors, CACHE_TTL, Duration.ofSeconds(1), Duration.ofDays(1));
        this.changePollInterval = duration(errors, CHANGE_POLL_INTERVAL, Duration.ofMillis(10), Duration.ofMinutes(10));
        this.maxStaleness = duration(errors, MAX_STALENESS, Duration.ofMillis(100), Duration.ofDays(1));
        this.usageFlushInterval = duration(errors, USAGE_FLUSH_INTERVAL, Duration.ofMillis(10), Duration.ofHours(1));
        this.connectionTimeout = duration(errors, CONNECTION_TIMEOUT, Duration.ofMillis(250), Duration.ofMinutes(1));
        this.retryAfter = duration(errors, RETRY_AFTER, Duration.ofSeconds(1), Duration.ofHours(1));
        if (!dataSource.isEmpty() && !jdbcUrl.isEmpty()) {
            errors.add(DATA_SOURCE + ", " + JDBC_URL + ": give one of them, not both");
        }
        if (!jdbcUrl.isEmpty() && !jdbcUrl.startsWith("jdbc:")) {
            errors.add(JDBC_URL + ": must start with jdbc: (was '" + jdbcUrl + "')");
        }
        if (jdbcUrl.isEmpty() && (!jdbcUser.isEmpty() || !jdbcPassword.isEmpty())) {
            errors.add(JDBC_USER + ", " + JDBC_PASSWORD + ": only used with " + JDBC_URL + ", which is not set");
        }
        if (changePollInterval != null && maxStaleness != null && maxStaleness.compareTo(changePollInterval.multipliedBy(2)) < 0) {
            errors.add(MAX_STALENESS + ": must be at least twice " + CHANGE_POLL_INTERVAL + " (" + format(changePollInterval)
                    + "), or every hiccup of one poll would refuse requests; was " + format(maxStaleness));
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Globalgate filter configuration refused: " + String.join("; ", errors));
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

    private <T> T check(List<String> errors, String name, Function<String, T> parse, String rule) {
        String value = values.get(name);
        T parsed = parse.apply(value);
        if (parsed == null) {
            errors.add(name + ": " + rule + " (was '" + value + "')");
        }
        return parsed;
    }

    private Duration duration(List<String> errors, String name, Duration min, Duration max) {
        Duration d = check(errors, name, TokenFilterConfig::parseDuration,
                "must be a duration such as 500ms, 30s, 5m or PT30S");
        if (d != null && (d.compareTo(min) < 0 || d.compareTo(max) > 0)) {
            errors.add(name + ": must be between " + format(min) + " and " + format(max) + " (was " + format(d) + ")");
            return null;
        }
        return d;
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT30S}); null if neither. */
    public static Duration parseDuration(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT_DURATION.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (s.length() > 40) {
            return null;
        }
        try {
            Duration d = Duration.parse(text.strip());
            return d.isNegative() ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Boolean parseBoolean(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        return d.toSeconds() + "s";
    }

    public String dataSource() {
        return dataSource;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String jdbcUser() {
        return jdbcUser;
    }

    public String jdbcPassword() {
        return jdbcPassword;
    }

    public String realm() {
        return realm;
    }

    public String headerName() {
        return headerName;
    }

    public boolean hideCredentials() {
        return hideCredentials;
    }

    public int cacheMaxEntries() {
        return cacheMaxEntries;
    }

    public Duration negativeCacheTtl() {
        return negativeCacheTtl;
    }

    public Duration cacheTtl() {
        return cacheTtl;
    }

    public Duration changePollInterval() {
        return changePollInterval;
    }

    public Duration maxStaleness() {
        return maxStaleness;
    }

    public Duration usageFlushInterval() {
        return usageFlushInterval;
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean migrate() {
        return migrate;
    }

    /** Every option and its effective value; the password, also one inside the JDBC URL, prints as {@code <masked>}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TokenFilterConfig{");
        values.forEach((k, v) -> {
            if (!v.isEmpty()) {
                String shown = JDBC_PASSWORD.equals(k) ? "<masked>" : JDBC_URL.equals(k) ? StoreProvider.redact(v) : v;
                sb.append(k).append('=').append(shown).append(", ");
            }
        });
        if (sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 2);
        }
        return sb.append('}').toString();
    }
}
