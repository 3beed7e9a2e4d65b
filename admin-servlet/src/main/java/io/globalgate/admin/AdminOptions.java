package io.globalgate.admin;

import io.globalgate.config.Option;
import io.globalgate.config.OptionSet;
import io.globalgate.config.Parser;
import io.globalgate.config.Parsers;
import io.globalgate.config.Rule;
import io.globalgate.config.StoreOptions;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.time.Duration;
import java.util.List;

/**
 * The admin servlet's options ({@code web.xml} init-params), each declared once; the README's
 * admin table lists them, and the sample gateway offers the mail options under its own flags.
 */
public final class AdminOptions {

    public static final Option<String> ROLE = Option.of("role", "globalgate-admin",
            Parsers.matching("[A-Za-z0-9_.-]{1,100}", "must be 1-100 letters, digits, '.', '_' or '-'"),
            "the role every user of the pages and the API must have");
    public static final Option<Duration> MAX_TOKEN_LIFETIME = Option.of("maxTokenLifetime", "",
            Parsers.duration(Duration.ofNanos(1), Duration.ofDays(36_500), "must be a positive duration such as 90d or P90D"),
            "the longest lifetime a new token may have, e.g. 90d; unset = no limit");
    public static final Option<Boolean> NOTIFICATIONS = Option.of("notifications", "true", Parsers.bool(),
            "this servlet delivers the notification outbox and queues expiry reminders");
    public static final Option<String> SMTP_HOST = Option.of("smtpHost", "",
            Parsers.matching("[A-Za-z0-9.:\\-\\[\\]]{1,255}", "must be a host name or address"),
            "SMTP server; without it and without mailDir, messages wait in the outbox");
    public static final Option<Integer> SMTP_PORT = Option.of("smtpPort", "587",
            Parsers.wholeNumber(1, 65535, "must be a port number from 1 to 65535"), "SMTP port");
    public static final Option<String> SMTP_SECURITY = Option.of("smtpSecurity", "starttls",
            Parsers.oneOf("must be none, starttls or tls", "none", "starttls", "tls"),
            "none, starttls (required) or tls (implicit)");
    public static final Option<String> SMTP_USER = Option.of("smtpUser", "", Parsers.text(), "SMTP user; unset = no authentication");
    public static final Option<String> SMTP_PASSWORD = Option.secret("smtpPassword", Parsers.text(), "SMTP password");
    public static final Option<String> MAIL_FROM = Option.of("mailFrom", "globalgate@localhost", emailAddress(),
            "sender address of notification e-mails");
    public static final Option<String> MAIL_DIR = Option.of("mailDir", "", Parsers.text(),
            "without smtpHost: write each message as an .eml file here");
    public static final Option<String> ADMIN_BASE_URL = Option.of("adminBaseUrl", "",
            Parsers.matching("https?://[^\\s\"<>]{1,500}", "must be an http(s) URL such as https://gateway.example.com/admin"),
            "absolute URL of the admin pages, for links in e-mails");
    public static final Option<List<Duration>> REMINDERS = Option.of("reminders", "7d,1d",
            Parsers.durations(Duration.ofNanos(1), Duration.ofDays(365), "must be a comma-separated list of durations such as 7d,1d"),
            "how long before expiry a reminder goes out");
    public static final Option<Integer> NOTIFICATION_MAX_ATTEMPTS = Option.of("notificationMaxAttempts", "8",
            Parsers.wholeNumber(1, 50, "must be a whole number from 1 to 50"),
            "delivery attempts before a message is marked failed");
    public static final Option<Integer> REVOKE_UNUSED_AFTER_DAYS = Option.of("revokeUnusedAfterDays", "",
            Parsers.wholeNumber(2, 36_500, "must be a whole number of days from 2 to 36500"),
            "revoke tokens not used for this many days (revokedReason unused), each after a reminder to its owner; unset = never");
    public static final Option<Integer> UNUSED_REMINDER_DAYS = Option.of("unusedReminderDays", "7",
            Parsers.wholeNumber(1, 36_499, "must be a whole number of days from 1 to 36499"),
            "with revokeUnusedAfterDays: how many days before an unused token is revoked its owner is reminded");

    /** The reminder of an unused token goes out before its revocation, not on the same day or after. */
    public static final Rule REMINDER_BEFORE_REVOCATION = (settings, problems) -> {
        Integer after = settings.get(REVOKE_UNUSED_AFTER_DAYS);
        Integer reminder = settings.get(UNUSED_REMINDER_DAYS);
        if (after != null && reminder != null && reminder >= after) {
            problems.refuse("the reminder must come before the revocation: " + problems.label(UNUSED_REMINDER_DAYS) + " (" + reminder
                    + ") must be less than " + problems.label(REVOKE_UNUSED_AFTER_DAYS) + " (" + after + ")",
                    UNUSED_REMINDER_DAYS, REVOKE_UNUSED_AFTER_DAYS);
        }
    };

    public static final OptionSet ALL = OptionSet.of(List.of(
            ROLE, MAX_TOKEN_LIFETIME, StoreOptions.DATA_SOURCE, StoreOptions.JDBC_URL, StoreOptions.JDBC_USER, StoreOptions.JDBC_PASSWORD,
            StoreOptions.CONNECTION_TIMEOUT, NOTIFICATIONS, SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USER, SMTP_PASSWORD, MAIL_FROM,
            MAIL_DIR, ADMIN_BASE_URL, REMINDERS, NOTIFICATION_MAX_ATTEMPTS, REVOKE_UNUSED_AFTER_DAYS, UNUSED_REMINDER_DAYS),
            List.of(StoreOptions.ONE_DATABASE, REMINDER_BEFORE_REVOCATION));

    private AdminOptions() {
    }

    /** One address as RFC 822 has it, and nothing a header could be injected through. */
    private static Parser<String> emailAddress() {
        return text -> {
            try {
                new InternetAddress(text, true);
            } catch (AddressException e) {
                throw Parsers.refuse("must be an e-mail address", text);
            }
            if (text.contains("\r") || text.contains("\n")) {
                throw Parsers.refuse("must be an e-mail address", text);
            }
            return text;
        };
    }
}
