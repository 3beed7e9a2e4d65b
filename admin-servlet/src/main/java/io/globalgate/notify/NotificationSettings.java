package io.globalgate.notify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How notification e-mails leave: over SMTP when {@code smtp} is set, else as {@code .eml} files
 * in {@code mailDir} (so the flow can be seen without a mail server), else not at all (they wait
 * in the outbox, visible in the admin pages).
 *
 * @param smtp         the SMTP server, or null
 * @param adminBaseUrl absolute URL of the admin pages, for the link in each message (e.g. https://gw.example.com/admin)
 * @param reminders    how long before expiry a reminder goes out, e.g. 7 days and 1 day
 */
public record NotificationSettings(Smtp smtp, String from, Path mailDir, String adminBaseUrl, List<Duration> reminders,
                                   int maxAttempts, Timing timing) {

    public static final List<Duration> DEFAULT_REMINDERS = List.of(Duration.ofDays(7), Duration.ofDays(1));

    /**
     * @param security {@code none}, {@code starttls} (required, not opportunistic) or {@code tls} (implicit)
     * @param user     null for no authentication
     */
    public record Smtp(String host, int port, String security, String user, String password) {
        @Override
        public String toString() {
            return host + ":" + port + " " + security + ", user=" + (user == null ? "-" : user)
                    + ", password=" + (password == null ? "-" : "<masked>");
        }
    }

    /**
     * The service's pace: retries wait from {@code firstRetry}, doubling up to {@code maxRetry}; the
     * outbox is read every {@code sendInterval}, reminders looked for every {@code scanInterval}.
     */
    public record Timing(Duration firstRetry, Duration maxRetry, Duration sendInterval, Duration scanInterval, Duration smtpTimeout) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofSeconds(5),
                Duration.ofMinutes(1), Duration.ofSeconds(20));
    }

    public boolean delivers() {
        return smtp != null || mailDir != null;
    }

    /** Wait before retry number {@code attempt} (1-based): doubling from {@code firstRetry}, capped. */
    public Duration backoff(int attempt) {
        Duration d = timing.firstRetry();
        for (int i = 1; i < attempt && d.compareTo(timing.maxRetry()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(timing.maxRetry()) > 0 ? timing.maxRetry() : d;
    }

    @Override
    public String toString() {
        return "NotificationSettings[smtp=" + (smtp == null ? "-" : smtp) + ", from=" + from + ", mailDir=" + mailDir + ", reminders="
                + reminders.stream().map(NotificationService::key).toList() + " before expiry, maxAttempts=" + maxAttempts + "]";
    }
}
