package io.globalgate.admin;

import io.globalgate.config.InvalidConfiguration;
import io.globalgate.config.Labels;
import io.globalgate.config.Settings;
import io.globalgate.config.StoreOptions;
import io.globalgate.notify.NotificationSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The admin servlet's options, by their {@code web.xml} init-param names (declared in
 * {@link AdminOptions}). The database options are only read when the filter of the same context
 * has not already opened the store.
 */
public final class AdminConfig {

    /** Init-param {@code role}: the role every user of the pages and the API must have; default {@code globalgate-admin}. */
    public static final String ROLE = AdminOptions.ROLE.name();
    /** Init-param {@code maxTokenLifetime}: the longest lifetime a new token may have, e.g. {@code 90d}; default none. */
    public static final String MAX_TOKEN_LIFETIME = AdminOptions.MAX_TOKEN_LIFETIME.name();
    /** Init-param {@code dataSource}: JNDI name of a container {@code DataSource}, when no filter of the context opened the store. */
    public static final String DATA_SOURCE = StoreOptions.DATA_SOURCE.name();
    /** Init-param {@code jdbcUrl}: a database to open a pool of its own to, when no filter of the context opened the store. */
    public static final String JDBC_URL = StoreOptions.JDBC_URL.name();
    /** Init-param {@code jdbcUser}: database user, with {@link #JDBC_URL}. */
    public static final String JDBC_USER = StoreOptions.JDBC_USER.name();
    /** Init-param {@code jdbcPassword}: database password, with {@link #JDBC_URL}. */
    public static final String JDBC_PASSWORD = StoreOptions.JDBC_PASSWORD.name();
    /** Init-param {@code connectionTimeout}: with {@link #JDBC_URL}; default {@code 2s}. */
    public static final String CONNECTION_TIMEOUT = StoreOptions.CONNECTION_TIMEOUT.name();
    /** Init-param {@code notifications}: whether this servlet delivers the notification outbox; default {@code true}. */
    public static final String NOTIFICATIONS = AdminOptions.NOTIFICATIONS.name();
    /** Init-param {@code smtpHost}: the SMTP server; without it and without {@link #MAIL_DIR}, messages wait in the outbox. */
    public static final String SMTP_HOST = AdminOptions.SMTP_HOST.name();
    /** Init-param {@code smtpPort}: default {@code 587}. */
    public static final String SMTP_PORT = AdminOptions.SMTP_PORT.name();
    /** Init-param {@code smtpSecurity}: {@code none}, {@code starttls} (default) or {@code tls}. */
    public static final String SMTP_SECURITY = AdminOptions.SMTP_SECURITY.name();
    /** Init-param {@code smtpUser}: SMTP authentication user. */
    public static final String SMTP_USER = AdminOptions.SMTP_USER.name();
    /** Init-param {@code smtpPassword}: SMTP authentication password. */
    public static final String SMTP_PASSWORD = AdminOptions.SMTP_PASSWORD.name();
    /** Init-param {@code mailFrom}: sender address; default {@code globalgate@localhost}. */
    public static final String MAIL_FROM = AdminOptions.MAIL_FROM.name();
    /** Init-param {@code mailDir}: without {@link #SMTP_HOST}, each message is written here as an {@code .eml} file. */
    public static final String MAIL_DIR = AdminOptions.MAIL_DIR.name();
    /** Init-param {@code adminBaseUrl}: absolute URL of the admin pages, for links in e-mails. */
    public static final String ADMIN_BASE_URL = AdminOptions.ADMIN_BASE_URL.name();
    /** Init-param {@code reminders}: how long before expiry reminders go out; default {@code 7d,1d}. */
    public static final String REMINDERS = AdminOptions.REMINDERS.name();
    /** Init-param {@code notificationMaxAttempts}: delivery attempts before a message is marked failed; default {@code 8}. */
    public static final String NOTIFICATION_MAX_ATTEMPTS = AdminOptions.NOTIFICATION_MAX_ATTEMPTS.name();
    /** Init-param {@code revokeUnusedAfterDays}: revoke tokens unused for this many days; default none (never). */
    public static final String REVOKE_UNUSED_AFTER_DAYS = AdminOptions.REVOKE_UNUSED_AFTER_DAYS.name();
    /** Init-param {@code unusedReminderDays}: how many days before that the owner is reminded; default {@code 7}. */
    public static final String UNUSED_REMINDER_DAYS = AdminOptions.UNUSED_REMINDER_DAYS.name();

    private final Settings settings;
    private final NotificationSettings notificationSettings;

    private AdminConfig(Map<String, String> raw) {
        try {
            settings = AdminOptions.ALL.read(raw, Labels.BY_NAME);
        } catch (InvalidConfiguration e) {
            throw new IllegalArgumentException("Globalgate admin configuration refused: " + e.getMessage(), e);
        }
        notificationSettings = notificationSettings(settings);
    }

    private static NotificationSettings notificationSettings(Settings s) {
        String host = s.get(AdminOptions.SMTP_HOST);
        NotificationSettings.Smtp smtp = host == null ? null : new NotificationSettings.Smtp(host, s.get(AdminOptions.SMTP_PORT),
                s.get(AdminOptions.SMTP_SECURITY), s.get(AdminOptions.SMTP_USER), s.get(AdminOptions.SMTP_PASSWORD));
        String mailDir = s.get(AdminOptions.MAIL_DIR);
        return new NotificationSettings(smtp, s.get(AdminOptions.MAIL_FROM), mailDir == null ? null : Path.of(mailDir),
                s.get(AdminOptions.ADMIN_BASE_URL), s.get(AdminOptions.REMINDERS), s.get(AdminOptions.NOTIFICATION_MAX_ATTEMPTS),
                NotificationSettings.Timing.DEFAULT);
    }

    /**
     * From {@code web.xml} init-params or any other map of strings; unknown names are refused.
     *
     * @param parameters option names (the constants of this class) and their values as text
     * @return the checked configuration
     * @throws IllegalArgumentException naming every refused option and why
     */
    public static AdminConfig fromMap(Map<String, String> parameters) {
        return new AdminConfig(parameters);
    }

    /**
     * Option {@code role}.
     *
     * @return the role every user must have
     */
    public String role() {
        return settings.get(AdminOptions.ROLE);
    }

    /**
     * Option {@code maxTokenLifetime}.
     *
     * @return the longest lifetime a new token may be given, or null for no limit
     */
    public Duration maxTokenLifetime() {
        return settings.get(AdminOptions.MAX_TOKEN_LIFETIME);
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
     * @return the JDBC URL of the servlet's own pool, or null
     */
    public String jdbcUrl() {
        return settings.text(StoreOptions.JDBC_URL);
    }

    /**
     * Option {@code jdbcUser}.
     *
     * @return the database user of that pool, or null
     */
    public String jdbcUser() {
        return settings.text(StoreOptions.JDBC_USER);
    }

    /**
     * Option {@code jdbcPassword}.
     *
     * @return the database password of that pool, or null
     */
    public String jdbcPassword() {
        return settings.text(StoreOptions.JDBC_PASSWORD);
    }

    /**
     * Option {@code connectionTimeout}.
     *
     * @return how long a request waits for a connection of that pool
     */
    public Duration connectionTimeout() {
        return settings.get(StoreOptions.CONNECTION_TIMEOUT);
    }

    /**
     * Option {@code notifications}.
     *
     * @return whether this servlet delivers the notification outbox and queues expiry reminders
     */
    public boolean notifications() {
        return settings.get(AdminOptions.NOTIFICATIONS);
    }

    /**
     * Option {@code revokeUnusedAfterDays}.
     *
     * @return how long a token may go unused before it is revoked, or null when unused tokens are kept
     */
    public Duration revokeUnusedAfter() {
        Integer days = settings.get(AdminOptions.REVOKE_UNUSED_AFTER_DAYS);
        return days == null ? null : Duration.ofDays(days);
    }

    /**
     * Option {@code unusedReminderDays}.
     *
     * @return how long before an unused token's revocation its owner is reminded
     */
    public Duration unusedReminder() {
        return Duration.ofDays(settings.get(AdminOptions.UNUSED_REMINDER_DAYS));
    }

    /** What the notification sender needs, read from the options above (internal to the servlet). */
    NotificationSettings notificationSettings() {
        return notificationSettings;
    }

    /** Every option and its effective value, secrets masked. */
    @Override
    public String toString() {
        return "AdminConfig{" + settings + "}";
    }
}
