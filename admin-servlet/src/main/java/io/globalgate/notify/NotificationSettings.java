package io.globalgate.notify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How notification e-mails leave: over SMTP when {@code smtpHost} is set, else as {@code .eml}
 * files in {@code mailDir} (so the flow can be seen without a mail server), else not at all (they
 * wait in the outbox, visible in the admin pages).
 *
 * @param smtpSecurity {@code none}, {@code starttls} (required, not opportunistic) or {@code tls} (implicit)
 * @param adminBaseUrl absolute URL of the admin pages, for the link in each message (e.g. https://gw.example.com/admin)
 * @param reminders    how long before expiry a reminder goes out, e.g. 7 days and 1 day
 */
public record NotificationSettings(
        String smtpHost, int smtpPort, String smtpSecurity, String smtpUser, String smtpPassword,
        String from, Path mailDir, String adminBaseUrl, List<Duration> reminders,
        int maxAttempts, Duration firstRetry, Duration maxRetry, Duration sendInterval, Duration scanInterval,
        Duration smtpTimeout) {

    public static final List<Duration> DEFAULT_REMINDERS = List.of(Duration.ofDays(7), Duration.ofDays(1));

    public boolean delivers() {
        return smtpHost != null || mailDir != null;
    }

    /** Wait before retry number {@code attempt} (1-based): doubling from {@code firstRetry}, capped. */
    public Duration backoff(int attempt) {
        Duration d = firstRetry;
        for (int i = 1; i < attempt && d.compareTo(maxRetry) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxRetry) > 0 ? maxRetry : d;
    }

    @Override
    public String toString() {
        return "NotificationSettings[smtp=" + (smtpHost == null ? "-" : smtpHost + ":" + smtpPort + " " + smtpSecurity)
                + ", user=" + (smtpUser == null ? "-" : smtpUser) + ", password=" + (smtpPassword == null ? "-" : "<masked>")
                + ", from=" + from + ", mailDir=" + mailDir + ", reminders="
                + reminders.stream().map(NotificationService::key).toList() + " before expiry, maxAttempts=" + maxAttempts + "]";
    }
}
