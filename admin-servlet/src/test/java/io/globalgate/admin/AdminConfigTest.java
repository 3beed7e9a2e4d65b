package io.globalgate.admin;

import io.globalgate.notify.NotificationSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The admin's init-params: the database options refused exactly as the filter refuses them, and the mail settings they build. */
class AdminConfigTest {

    private static final String REFUSED = "Globalgate admin configuration refused: ";

    private static String refusal(Map<String, String> params) {
        return assertThrows(IllegalArgumentException.class, () -> AdminConfig.fromMap(params)).getMessage();
    }

    @Test
    void dataSourceAndJdbcUrlTogetherAreRefusedAsTheFilterRefusesThem() {
        assertEquals(REFUSED + "dataSource, jdbcUrl: give one of them, not both",
                refusal(Map.of(AdminConfig.DATA_SOURCE, "java:comp/env/jdbc/globalgate", AdminConfig.JDBC_URL, "jdbc:h2:mem:x")));
    }

    @Test
    void aJdbcUrlThatDoesNotStartWithJdbcIsRefused() {
        assertEquals(REFUSED + "jdbcUrl: must start with jdbc: (was 'mysql://db')", refusal(Map.of(AdminConfig.JDBC_URL, "mysql://db")));
    }

    @Test
    void aJdbcUserWithoutJdbcUrlIsRefused() {
        assertEquals(REFUSED + "jdbcUser, jdbcPassword: only used with jdbcUrl, which is not set",
                refusal(Map.of(AdminConfig.JDBC_PASSWORD, "s3cret")));
    }

    @Test
    void aConnectionTimeoutOverAMinuteIsRefusedAsByTheFilter() {
        assertEquals(REFUSED + "connectionTimeout: must be between 250ms and 60s (was 120s)",
                refusal(Map.of(AdminConfig.CONNECTION_TIMEOUT, "2m")));
    }

    @Test
    void unusedTokensAreKeptUnlessRevokeUnusedAfterDaysIsSetAndTheReminderDefaultsToSevenDaysBefore() {
        AdminConfig off = AdminConfig.fromMap(Map.of());
        assertNull(off.revokeUnusedAfter());
        AdminConfig on = AdminConfig.fromMap(Map.of(AdminConfig.REVOKE_UNUSED_AFTER_DAYS, "365"));
        assertEquals(Duration.ofDays(365), on.revokeUnusedAfter());
        assertEquals(Duration.ofDays(7), on.unusedReminder());
        assertEquals(Duration.ofDays(30), AdminConfig.fromMap(Map.of(AdminConfig.REVOKE_UNUSED_AFTER_DAYS, "90",
                AdminConfig.UNUSED_REMINDER_DAYS, "30")).unusedReminder());
    }

    @Test
    void anUnusedTokenReminderNotBeforeTheRevocationIsRefusedNamingBoth() {
        assertEquals(REFUSED + "unusedReminderDays, revokeUnusedAfterDays: the reminder must come before the revocation:"
                        + " unusedReminderDays (7) must be less than revokeUnusedAfterDays (7)",
                refusal(Map.of(AdminConfig.REVOKE_UNUSED_AFTER_DAYS, "7")));
    }

    @Test
    void unusedTokenDaysThatAreNotWholeNumbersInRangeAreRefused() {
        assertEquals(REFUSED + "revokeUnusedAfterDays: must be a whole number of days from 2 to 36500 (was '90d')",
                refusal(Map.of(AdminConfig.REVOKE_UNUSED_AFTER_DAYS, "90d")));
        assertEquals(REFUSED + "revokeUnusedAfterDays: must be a whole number of days from 2 to 36500 (was '-1')",
                refusal(Map.of(AdminConfig.REVOKE_UNUSED_AFTER_DAYS, "-1")));
        assertEquals(REFUSED + "unusedReminderDays: must be a whole number of days from 1 to 36499 (was '0')",
                refusal(Map.of(AdminConfig.REVOKE_UNUSED_AFTER_DAYS, "90", AdminConfig.UNUSED_REMINDER_DAYS, "0")));
    }

    @Test
    void notificationsIsReadInAnyCase() {
        assertFalse(AdminConfig.fromMap(Map.of(AdminConfig.NOTIFICATIONS, "FALSE")).notifications());
    }

    @Test
    void aMailFromWithALineBreakIsRefused() {
        assertEquals(REFUSED + "mailFrom: must be an e-mail address (was 'ops@example.com\\u000D\\u000ABcc: all@example.com')",
                refusal(Map.of(AdminConfig.MAIL_FROM, "ops@example.com\r\nBcc: all@example.com")));
    }

    @Test
    void anSmtpPasswordIsNeverPrinted() {
        AdminConfig config = AdminConfig.fromMap(Map.of(AdminConfig.SMTP_HOST, "mail.example.com", AdminConfig.SMTP_USER, "gg",
                AdminConfig.SMTP_PASSWORD, "s3cret"));

        assertFalse(config.toString().contains("s3cret"), config.toString());
        assertFalse(config.notificationSettings().toString().contains("s3cret"), config.notificationSettings().toString());
    }

    @Test
    void theMailOptionsBuildTheNotificationSettings() {
        NotificationSettings settings = AdminConfig.fromMap(Map.of(AdminConfig.SMTP_HOST, "mail.example.com", AdminConfig.SMTP_PORT, "465",
                AdminConfig.SMTP_SECURITY, "tls", AdminConfig.SMTP_USER, "gg", AdminConfig.SMTP_PASSWORD, " pass word ",
                AdminConfig.REMINDERS, "14d, 2d", AdminConfig.NOTIFICATION_MAX_ATTEMPTS, "3")).notificationSettings();

        assertEquals(new NotificationSettings.Smtp("mail.example.com", 465, "tls", "gg", " pass word "), settings.smtp());
        assertEquals(List.of(Duration.ofDays(14), Duration.ofDays(2)), settings.reminders());
        assertEquals(3, settings.maxAttempts());
        assertEquals("globalgate@localhost", settings.from());
        assertEquals(NotificationSettings.Timing.DEFAULT, settings.timing());
    }

    @Test
    void withoutSmtpHostMessagesGoToTheMailDirOrWait() {
        NotificationSettings toFiles = AdminConfig.fromMap(Map.of(AdminConfig.MAIL_DIR, "/var/mail/gg")).notificationSettings();
        NotificationSettings waiting = AdminConfig.fromMap(Map.of()).notificationSettings();

        assertNull(toFiles.smtp());
        assertEquals(Path.of("/var/mail/gg"), toFiles.mailDir());
        assertEquals(List.of(Duration.ofDays(7), Duration.ofDays(1)), waiting.reminders());
        assertFalse(waiting.delivers());
    }

    @Test
    void anEmptyReminderListMeansNoReminders() {
        assertEquals(List.of(), AdminConfig.fromMap(Map.of(AdminConfig.REMINDERS, "")).notificationSettings().reminders());
    }
}
