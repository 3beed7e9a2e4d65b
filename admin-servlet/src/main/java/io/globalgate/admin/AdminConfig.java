package io.globalgate.admin;

import io.globalgate.filter.TokenFilterConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The admin servlet's options, by their {@code web.xml} init-param names. The database options
 * are only read when the filter of the same context has not already opened the store.
 */
public final class AdminConfig {

    public static final String ROLE = "role";
    public static final String MAX_TOKEN_LIFETIME = "maxTokenLifetime";
    public static final String DATA_SOURCE = "dataSource";
    public static final String JDBC_URL = "jdbcUrl";
    public static final String JDBC_USER = "jdbcUser";
    public static final String JDBC_PASSWORD = "jdbcPassword";
    public static final String CONNECTION_TIMEOUT = "connectionTimeout";

    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(ROLE, "globalgate-admin");
        d.put(MAX_TOKEN_LIFETIME, "");
        d.put(DATA_SOURCE, "");
        d.put(JDBC_URL, "");
        d.put(JDBC_USER, "");
        d.put(JDBC_PASSWORD, "");
        d.put(CONNECTION_TIMEOUT, "2s");
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
    }

    private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    private final String role;
    private final Duration maxTokenLifetime;
    private final String dataSource;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private final Duration connectionTimeout;

    private AdminConfig(Map<String, String> raw) {
        List<String> errors = new ArrayList<>();
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        raw.forEach((k, value) -> {
            if (!DEFAULTS.containsKey(k)) {
                errors.add(k + ": unknown parameter (known: " + String.join(", ", DEFAULTS.keySet()) + ")");
            } else if (value != null) {
                v.put(k, JDBC_PASSWORD.equals(k) ? value : value.strip());
            }
        });
        role = v.get(ROLE);
        if (!ROLE_NAME.matcher(role).matches()) {
            errors.add(ROLE + ": must be 1-100 letters, digits, '.', '_' or '-' (was '" + role + "')");
        }
        String lifetime = v.get(MAX_TOKEN_LIFETIME);
        Duration max = null;
        if (!lifetime.isEmpty()) {
            max = TokenFilterConfig.parseDuration(lifetime);
            if (max == null || max.isZero() || max.compareTo(Duration.ofDays(36_500)) > 0) {
                errors.add(MAX_TOKEN_LIFETIME + ": must be a positive duration such as 90d or P90D (was '" + lifetime + "')");
                max = null;
            }
        }
        maxTokenLifetime = max;
        dataSource = v.get(DATA_SOURCE);
        jdbcUrl = v.get(JDBC_URL);
        jdbcUser = v.get(JDBC_USER);
        jdbcPassword = v.get(JDBC_PASSWORD);
        Duration timeout = TokenFilterConfig.parseDuration(v.get(CONNECTION_TIMEOUT));
        if (timeout == null || timeout.toMillis() < 250) {
            errors.add(CONNECTION_TIMEOUT + ": must be a duration of at least 250ms (was '" + v.get(CONNECTION_TIMEOUT) + "')");
            timeout = Duration.ofSeconds(2);
        }
        connectionTimeout = timeout;
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Globalgate admin configuration refused: " + String.join("; ", errors));
        }
    }

    public static AdminConfig fromMap(Map<String, String> parameters) {
        return new AdminConfig(parameters);
    }

    public String role() {
        return role;
    }

    /** The longest lifetime a new token may be given, or null for no limit. */
    public Duration maxTokenLifetime() {
        return maxTokenLifetime;
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

    public Duration connectionTimeout() {
        return connectionTimeout;
    }
}
