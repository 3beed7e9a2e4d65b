package io.globalgate.admin;

import io.globalgate.filter.TokenFilterConfig;
import io.globalgate.notify.NotificationSettings;

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
    public static final String NOTIFICATIONS = "notifications";
    public static final String SMTP_HOST = "smtpHost";
    public static final String SMTP_PORT = "smtpPort";
    public static final String SMTP_SECURITY = "smtpSecurity";
    public static final String SMTP_USER = "smtpUser";
    public static final String SMTP_PASSWORD = "smtpPassword";
    public static final String MAIL_FROM = "mailFrom";
    public static final String MAIL_DIR = "mailDir";
    public static final String ADMIN_BASE_URL = "adminBaseUrl";
    public static final String REMINDERS = "reminders";
    public static final String NOTIFICATION_MAX_ATTEMPTS = "notificationMaxAttempts";

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
        d.put(NOTIFICATIONS, "true");
        d.put(SMTP_HOST, "");
        d.put(SMTP_PORT, "587");
        d.put(SMTP_SECURITY, "starttls");
        d.put(SMTP_USER, "");
        d.put(SMTP_PASSWORD, "");
        d.put(MAIL_FROM, "globalgate@localhost");
        d.put(MAIL_DIR, "");
        d.put(ADMIN_BASE_URL, "");
        d.put(REMINDERS, "7d,1d");
        d.put(NOTIFICATION_MAX_ATTEMPTS, "8");
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
    private final boolean notifications;
    private final NotificationSettings notificationSettings;

    private AdminConfig(Map<String, String> raw) {
        List<String> errors = new ArrayList<>();
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        raw.forEach((k, value) -> {
            if (!DEFAULTS.containsKey(k)) {
                errors.add(k + ": unknown parameter (known: " + String.join(", ", DEFAULTS.keySet()) + ")");
            } else if (value != null) {
                v.put(k, JDBC_PASSWORD.equals(k) || SMTP_PASSWORD.equals(k) ? value : value.strip());
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
        notifications = switch (v.get(NOTIFICATIONS)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                errors.add(NOTIFICATIONS + ": must be true or false (was '" + v.get(NOTIFICATIONS) + "')");
                yield false;
            }
        };
        notificationSettings = notificationSettings(v, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Globalgate admin configuration refused: " + String.join("; ", errors));
        }
    }

    private static NotificationSettings notificationSettings(Map<String, String> v, List<String> errors) {
        String host = v.get(SMTP_HOST);
        if (!host.isEmpty() && !host.matches("[A-Za-z0-9.:\\-\\[\\]]{1,255}")) {
            errors.add(SMTP_HOST + ": must be a host name or address (was '" + host + "')");
        }
        int port = -1;
        try {
            port = Integer.parseInt(v.get(SMTP_PORT));
        } catch (NumberFormatException e) {
            // reported below
        }
        if (port < 1 || port > 65535) {
            errors.add(SMTP_PORT + ": must be a port number from 1 to 65535 (was '" + v.get(SMTP_PORT) + "')");
        }
        String security = v.get(SMTP_SECURITY);
        if (!List.of("none", "starttls", "tls").contains(security)) {
            errors.add(SMTP_SECURITY + ": must be none, starttls or tls (was '" + security + "')");
        }
        String from = v.get(MAIL_FROM);
        try {
            new jakarta.mail.internet.InternetAddress(from, true);
            if (from.contains("\r") || from.contains("\n")) {
                throw new jakarta.mail.internet.AddressException("line break");
            }
        } catch (jakarta.mail.internet.AddressException e) {
            errors.add(MAIL_FROM + ": must be an e-mail address (was '" + from + "')");
        }
        String baseUrl = v.get(ADMIN_BASE_URL);
        if (!baseUrl.isEmpty() && !baseUrl.matches("https?://[^\\s\"<>]{1,500}")) {
            errors.add(ADMIN_BASE_URL + ": must be an http(s) URL such as https://gateway.example.com/admin (was '" + baseUrl + "')");
        }
        List<Duration> reminders = new ArrayList<>();
        for (String part : v.get(REMINDERS).split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Duration d = TokenFilterConfig.parseDuration(part.strip());
            if (d == null || d.isZero() || d.compareTo(Duration.ofDays(365)) > 0) {
                errors.add(REMINDERS + ": must be a comma-separated list of durations such as 7d,1d (was '" + v.get(REMINDERS) + "')");
                break;
            }
            reminders.add(d);
        }
        int attempts = -1;
        try {
            attempts = Integer.parseInt(v.get(NOTIFICATION_MAX_ATTEMPTS));
        } catch (NumberFormatException e) {
            // reported below
        }
        if (attempts < 1 || attempts > 50) {
            errors.add(NOTIFICATION_MAX_ATTEMPTS + ": must be a whole number from 1 to 50 (was '" + v.get(NOTIFICATION_MAX_ATTEMPTS) + "')");
        }
        String mailDir = v.get(MAIL_DIR);
        return new NotificationSettings(host.isEmpty() ? null : host, port, security, v.get(SMTP_USER).isEmpty() ? null : v.get(SMTP_USER),
                v.get(SMTP_PASSWORD).isEmpty() ? null : v.get(SMTP_PASSWORD), from,
                mailDir.isEmpty() ? null : java.nio.file.Path.of(mailDir), baseUrl.isEmpty() ? null : baseUrl, List.copyOf(reminders),
                attempts, Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofSeconds(20));
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

    /** Whether this servlet delivers the notification outbox and queues expiry reminders. */
    public boolean notifications() {
        return notifications;
    }

    public NotificationSettings notificationSettings() {
        return notificationSettings;
    }
}
