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

    public static final String ROLE = AdminOptions.ROLE.name();
    public static final String MAX_TOKEN_LIFETIME = AdminOptions.MAX_TOKEN_LIFETIME.name();
    public static final String DATA_SOURCE = StoreOptions.DATA_SOURCE.name();
    public static final String JDBC_URL = StoreOptions.JDBC_URL.name();
    public static final String JDBC_USER = StoreOptions.JDBC_USER.name();
    public static final String JDBC_PASSWORD = StoreOptions.JDBC_PASSWORD.name();
    public static final String CONNECTION_TIMEOUT = StoreOptions.CONNECTION_TIMEOUT.name();
    public static final String NOTIFICATIONS = AdminOptions.NOTIFICATIONS.name();
    public static final String SMTP_HOST = AdminOptions.SMTP_HOST.name();
    public static final String SMTP_PORT = AdminOptions.SMTP_PORT.name();
    public static final String SMTP_SECURITY = AdminOptions.SMTP_SECURITY.name();
    public static final String SMTP_USER = AdminOptions.SMTP_USER.name();
    public static final String SMTP_PASSWORD = AdminOptions.SMTP_PASSWORD.name();
    public static final String MAIL_FROM = AdminOptions.MAIL_FROM.name();
    public static final String MAIL_DIR = AdminOptions.MAIL_DIR.name();
    public static final String ADMIN_BASE_URL = AdminOptions.ADMIN_BASE_URL.name();
    public static final String REMINDERS = AdminOptions.REMINDERS.name();
    public static final String NOTIFICATION_MAX_ATTEMPTS = AdminOptions.NOTIFICATION_MAX_ATTEMPTS.name();

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

    public static AdminConfig fromMap(Map<String, String> parameters) {
        return new AdminConfig(parameters);
    }

    public String role() {
        return settings.get(AdminOptions.ROLE);
    }

    /** The longest lifetime a new token may be given, or null for no limit. */
    public Duration maxTokenLifetime() {
        return settings.get(AdminOptions.MAX_TOKEN_LIFETIME);
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

    public Duration connectionTimeout() {
        return settings.get(StoreOptions.CONNECTION_TIMEOUT);
    }

    /** Whether this servlet delivers the notification outbox and queues expiry reminders. */
    public boolean notifications() {
        return settings.get(AdminOptions.NOTIFICATIONS);
    }

    public NotificationSettings notificationSettings() {
        return notificationSettings;
    }

    /** Every option and its effective value, secrets masked. */
    @Override
    public String toString() {
        return "AdminConfig{" + settings + "}";
    }
}
