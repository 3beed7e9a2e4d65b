package io.globalgate.notify;

import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.store.NotificationOutbox.Message;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import io.globalgate.concurrent.DaemonScheduler;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the outbox and queues expiry reminders and the notices of tokens used after they ended,
 * on one background thread. Safe to run on every gateway node at once: messages are claimed row by
 * row, reminders once per token and threshold, notices of use after the end once per token, in the
 * database.
 */
public final class NotificationService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);
    private static final Duration LEASE = Duration.ofMinutes(2);

    private final ManagementStore store;
    private final NotificationSettings settings;
    private final MailTransport transport;
    private final MessageRenderer renderer;
    private final Clock clock;
    private final String node = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private DaemonScheduler scheduler;

    public NotificationService(ManagementStore store, NotificationSettings settings) {
        this.store = store;
        this.settings = settings;
        this.clock = store.clock();
        this.transport = settings.smtp() != null ? new SmtpMailTransport(settings.smtp(), settings.timing().smtpTimeout())
                : settings.mailDir() != null ? new EmlFileTransport(settings.mailDir()) : null;
        this.renderer = new MessageRenderer(settings.adminBaseUrl());
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = new DaemonScheduler("globalgate-notifications");
        scheduler.executor().scheduleWithFixedDelay(() -> {
            guarded(this::scanReminders);
            guarded(this::scanRefusedUses);
        }, 0, settings.timing().scanInterval().toMillis(), TimeUnit.MILLISECONDS);
        if (transport != null) {
            scheduler.executor().scheduleWithFixedDelay(() -> guarded(this::deliverDue), 0, settings.timing().sendInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("Globalgate notifications: {}", transport == null
                ? "no SMTP server and no mail folder configured; messages wait in the outbox" : settings);
    }

    /** Queues the reminders that are due now; returns how many. */
    public int scanReminders() {
        int queued = 0;
        for (Duration before : settings.reminders()) {
            queued += store.notifications().queueReminders(key(before), before, 500);
        }
        queued += store.notifications().queueReminders("expired", null, 500);
        return queued;
    }

    /**
     * Queues a message for each token used after it ended (revoked or expired) whose owner was not
     * told yet: once per token, whichever admin node claims it first. Returns how many.
     */
    public int scanRefusedUses() {
        int queued = 0;
        int batch;
        do {
            batch = store.notifications().queueRefusedUseNotices(500);
            queued += batch;
        } while (batch == 500);
        return queued;
    }

    /** Tries every due message once; returns how many the server accepted. */
    public int deliverDue() {
        if (transport == null) {
            return 0;
        }
        int sent = 0;
        List<Message> claimed;
        // Until nothing is left to claim: another node may take part of each batch, so a short
        // batch does not mean the queue is empty.
        while (!(claimed = store.notifications().claimDue(node, 20, LEASE)).isEmpty()) {
            for (Message m : claimed) {
                if (deliver(m)) {
                    sent++;
                }
            }
        }
        return sent;
    }

    private boolean deliver(Message m) {
        try {
            Integration integration = store.integrations().get(m.integrationId());
            transport.send(mime(m, integration.name()));
            store.notifications().markSent(m.id());
            return true;
        } catch (MessagingException | RuntimeException e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            int attempt = m.attempts() + 1;
            if (attempt >= settings.maxAttempts()) {
                store.notifications().markFailed(m.id(), error);
                LOG.warn("Notification {} to {} failed for good after {} attempts: {}", m.id(), m.recipient(), attempt, error);
            } else {
                Instant next = clock.instant().plus(settings.backoff(attempt));
                store.notifications().markRetry(m.id(), next, error);
                LOG.info("Notification {} to {} not delivered (attempt {}), retrying at {}: {}", m.id(), m.recipient(), attempt, next, error);
            }
            return false;
        }
    }

    MimeMessage mime(Message m, String integrationName) throws MessagingException {
        MessageRenderer.Rendered r = renderer.render(m, integrationName);
        MimeMessage mime = new MimeMessage(transport.session());
        mime.setFrom(new InternetAddress(settings.from(), true));
        mime.setRecipients(RecipientType.TO, InternetAddress.parse(m.recipient(), true));
        mime.setSubject(r.subject(), "UTF-8");
        mime.setSentDate(Date.from(clock.instant()));
        mime.setHeader("X-Globalgate-Notification", Long.toString(m.id()));
        mime.setHeader("Auto-Submitted", "auto-generated");
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(r.text(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(r.html(), "UTF-8", "html");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        mime.setContent(alternative);
        mime.saveChanges();
        return mime;
    }

    static String key(Duration before) {
        return before.toDays() > 0 && before.equals(Duration.ofDays(before.toDays())) ? before.toDays() + "d" : before.toSeconds() + "s";
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("Globalgate notifications: {}", e.getMessage());
        }
    }

    /** Stops the scans and waits for one that is running: {@link BackgroundScans#stop}. */
    @Override
    public void close() {
        DaemonScheduler stopping;
        synchronized (this) {
            stopping = scheduler;
            scheduler = null;
        }
        BackgroundScans.stop(stopping, LOG, "Globalgate notifications");
    }
}
