package io.globalgate.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.store.NotificationOutbox;
import io.globalgate.admin.store.PageRequest;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.TestDatabases;
import io.globalgate.validation.InputValidator;
import io.globalgate.validation.ValidationException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Notification e-mails against a real SMTP server on loopback (GreenMail) and a real H2 store. */
class NotificationServiceTest {

    private static final String OWNER = "owners@example.com";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private ManagementStore store;
    private GreenMail smtp;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        store = new ManagementStore(new GlobalgateStore(TestDatabases.h2(), clock).migrate(), new InputValidator(clock, null));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    }

    @AfterEach
    void tearDown() {
        smtp.stop();
    }

    private NotificationService service(int maxAttempts) {
        return new NotificationService(store, settings(port, maxAttempts));
    }

    static NotificationSettings settings(int port, int maxAttempts) {
        return new NotificationSettings(new NotificationSettings.Smtp("127.0.0.1", port, "none", null, null), "globalgate@example.com",
                null, "https://gw.example.com/admin", NotificationSettings.DEFAULT_REMINDERS, maxAttempts,
                new NotificationSettings.Timing(Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofSeconds(1),
                        Duration.ofMinutes(1), Duration.ofSeconds(2)));
    }

    private Integration integration(String name) {
        return store.integrations().create("alice", IntegrationStore.Input.of(name, "", OWNER));
    }

    private static String raw(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyEventArrivesAsItsOwnMessageWithoutATokenValue() throws Exception {
        smtp.start();
        Integration erp = integration("ERP sync");
        IssuedToken first = store.tokens().create("alice", erp.id(), "production", "90d", null);
        IssuedToken second = store.tokens().create("alice", erp.id(), "staging", "30d", null);
        IssuedToken third = store.tokens().create("alice", erp.id(), "qa", "7d", null);
        IssuedToken regenerated = store.tokens().regenerate("bob", first.token().id(), Duration.ofHours(1));
        store.tokens().revoke("bob", second.token().id());
        store.tokens().revokeMany("bob", erp.id(), List.of(third.token().id(), regenerated.token().id()));
        store.integrations().setActive("carol", erp.id(), false);
        store.integrations().setActive("carol", erp.id(), true);

        int sent = service(5).deliverDue();

        assertEquals(8, sent, "3 created, regenerated, revoked, mass revoke, deactivated, activated");
        MimeMessage[] received = smtp.getReceivedMessages();
        assertEquals(8, received.length);
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : received) {
            assertEquals(OWNER, m.getAllRecipients()[0].toString());
            subjects.add(m.getSubject());
            String all = raw(m);
            for (IssuedToken t : List.of(first, second, third, regenerated)) {
                assertFalse(all.contains(t.value()), "a token value must never be in a message: " + m.getSubject());
            }
        }
        assertEquals(3, subjects.stream().filter(s -> s.equals("[Globalgate] New Global API access token for ERP sync")).count(),
                "three tokens created; the regenerated one has a message of its own: " + subjects);
        assertTrue(subjects.contains("[Globalgate] Global API access token regenerated for ERP sync"), subjects.toString());
        assertTrue(subjects.contains("[Globalgate] Global API access token revoked for ERP sync"), subjects.toString());
        assertTrue(subjects.contains("[Globalgate] 2 Global API access tokens revoked for ERP sync"), subjects.toString());
        assertTrue(subjects.contains("[Globalgate] Integration ERP sync deactivated: its tokens no longer work"), subjects.toString());
        assertTrue(subjects.contains("[Globalgate] Integration ERP sync activated again"), subjects.toString());

        MimeMessage mass = find(received, "[Globalgate] 2 Global API access tokens revoked for ERP sync");
        String body = text(mass);
        assertTrue(body.contains("qa (" + third.token().hint() + ")"), body);
        assertTrue(body.contains("production (" + regenerated.token().hint() + ")"), body);
        assertTrue(body.contains("by bob"), body);
        assertTrue(body.contains("https://gw.example.com/admin/integrations/" + erp.id()), body);
        String regen = text(find(received, "[Globalgate] Global API access token regenerated for ERP sync"));
        assertTrue(regen.contains("The old token keeps working for 1 hour, then expires."), regen);
    }

    /** The plain-text part, decoded. */
    static String text(MimeMessage message) throws Exception {
        jakarta.mail.internet.MimeMultipart parts = (jakarta.mail.internet.MimeMultipart) message.getContent();
        return (String) parts.getBodyPart(0).getContent();
    }

    private static MimeMessage find(MimeMessage[] messages, String subject) throws Exception {
        for (MimeMessage m : messages) {
            if (subject.equals(m.getSubject())) {
                return m;
            }
        }
        throw new AssertionError("no message with subject " + subject);
    }

    @Test
    void aMessageQueuedWhileSmtpIsDownIsDeliveredWhenItComesBackOnTheRetrySchedule() throws Exception {
        Integration erp = integration("Warehouse bridge");
        store.tokens().create("alice", erp.id(), "production", "90d", null);
        NotificationService service = service(5);

        assertEquals(0, service.deliverDue(), "no SMTP server is listening yet");
        NotificationOutbox.Message afterFirst = store.notifications().list(erp.id(), PageRequest.first(10)).items().get(0);
        assertEquals(NotificationOutbox.Status.PENDING, afterFirst.status());
        assertEquals(1, afterFirst.attempts());
        assertEquals(clock.instant().plus(Duration.ofSeconds(30)), afterFirst.nextAttemptAt(), "first retry after 30 s");
        assertNotNull(afterFirst.lastError());

        clock.advance(Duration.ofSeconds(29));
        assertEquals(0, service.deliverDue());
        assertEquals(1, store.notifications().get(afterFirst.id()).attempts(), "not retried before its time");

        clock.advance(Duration.ofSeconds(2));
        assertEquals(0, service.deliverDue());
        NotificationOutbox.Message afterSecond = store.notifications().get(afterFirst.id());
        assertEquals(2, afterSecond.attempts());
        assertEquals(clock.instant().plus(Duration.ofSeconds(60)), afterSecond.nextAttemptAt(), "the wait doubles");

        smtp.start();
        clock.advance(Duration.ofSeconds(61));
        assertEquals(1, service.deliverDue());
        NotificationOutbox.Message delivered = store.notifications().get(afterFirst.id());
        assertEquals(NotificationOutbox.Status.SENT, delivered.status());
        assertEquals(3, delivered.attempts());
        assertEquals(1, smtp.getReceivedMessages().length);
        assertEquals(0, service.deliverDue(), "a sent message leaves the queue");
    }

    @Test
    void afterTheLastRetryAMessageIsKeptAsFailedWithItsError() {
        Integration erp = integration("Doomed");
        store.notifications().enqueueTest("alice", erp.id());
        NotificationService service = service(3);
        for (int i = 0; i < 3; i++) {
            service.deliverDue();
            clock.advance(Duration.ofHours(1));
        }
        NotificationOutbox.Message m = store.notifications().list(erp.id(), PageRequest.first(10)).items().get(0);
        assertEquals(NotificationOutbox.Status.FAILED, m.status());
        assertEquals(3, m.attempts());
        assertTrue(m.lastError().contains("MailConnectException") || m.lastError().contains("Connect"), m.lastError());
        assertEquals(0, service.deliverDue(), "a failed message is not tried again");
    }

    @Test
    void expiryRemindersAndTheExpiryNoticeGoOutOnceEach() throws Exception {
        smtp.start();
        Integration erp = integration("Nightly export");
        IssuedToken token = store.tokens().create("alice", erp.id(), "export", "30d", null);
        store.tokens().create("alice", erp.id(), "short-lived", "7d", null);
        NotificationService service = service(5);
        service.deliverDue();
        int createdMessages = smtp.getReceivedMessages().length;

        clock.advance(Duration.ofDays(7).plusHours(1)); // "short-lived" expired an hour ago; "export" has 23 days
        assertEquals(1, service.scanReminders(), "only the expiry notice of the 7-day token");
        clock.advance(Duration.ofDays(17)); // "export": 6 days left
        assertEquals(1, service.scanReminders());
        assertEquals(0, service.scanReminders(), "the 7-day reminder goes out once");
        clock.advance(Duration.ofDays(5)); // 23 hours left
        assertEquals(1, service.scanReminders());
        clock.advance(Duration.ofDays(1));
        assertEquals(1, service.scanReminders(), "expired");
        assertEquals(0, service.scanReminders());
        assertEquals(4, service.deliverDue());
        MimeMessage[] all = smtp.getReceivedMessages();
        List<String> subjects = new ArrayList<>();
        for (int i = createdMessages; i < all.length; i++) {
            subjects.add(all[i].getSubject());
            assertFalse(raw(all[i]).contains(token.value()));
        }
        assertEquals(4, subjects.size());
        assertTrue(subjects.contains("[Globalgate] Global API access token short-lived of Nightly export has expired"), subjects.toString());
        assertEquals(2, subjects.stream().filter(s -> s.startsWith("[Globalgate] Global API access token export of Nightly export expires on")).count(),
                subjects.toString());
        assertTrue(subjects.contains("[Globalgate] Global API access token export of Nightly export has expired"), subjects.toString());
    }

    @Test
    void aSevenDayTokenGetsNoSevenDayReminderTheMomentItIsCreated() {
        Integration erp = integration("Short");
        store.tokens().create("alice", erp.id(), "weekly", "7d", null);
        assertEquals(0, service(5).scanReminders());
    }

    @Test
    void hostileNotificationEmailsAreRefusedBeforeReachingSmtp() {
        smtp.start();
        for (String hostile : List.of("owners@example.com\r\nBcc: attacker@evil.test", "owners@example.com\nSubject: hi",
                "a".repeat(250) + "@example.com", "owners@example.com, attacker@evil.test", "<script>@example.com")) {
            ValidationException e = assertThrows(ValidationException.class,
                    () -> store.integrations().create("alice", IntegrationStore.Input.of("Hostile " + hostile.hashCode(), "", hostile)));
            assertEquals("notificationEmail", e.errors().get(0).key());
        }
        Integration ok = integration("Fine");
        assertThrows(ValidationException.class, () -> store.integrations().update("alice", ok.id(),
                new IntegrationStore.Input(null, null, "x@example.com\r\nBcc: attacker@evil.test", null)));
        assertEquals(0, service(5).deliverDue());
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void twoSendersOnOneMariaDbDeliverEachReminderExactlyOnce() throws Exception {
        smtp.start();
        var dataSource = TestDatabases.mariaDb();
        ManagementStore nodeA = new ManagementStore(new GlobalgateStore(dataSource, clock).migrate(), new InputValidator(clock, null));
        ManagementStore nodeB = new ManagementStore(new GlobalgateStore(io.globalgate.store.Database.pool("node-b", dataSource.getJdbcUrl(),
                dataSource.getUsername(), dataSource.getPassword(), Duration.ofSeconds(2)), clock), new InputValidator(clock, null));
        Integration erp = nodeA.integrations().create("alice", IntegrationStore.Input.of("Cluster", "", OWNER));
        int tokens = 40;
        for (int i = 0; i < tokens; i++) {
            nodeA.tokens().create("alice", erp.id(), "token " + i, "30d", null);
        }
        NotificationService a = new NotificationService(nodeA, settings(port, 5));
        NotificationService b = new NotificationService(nodeB, settings(port, 5));
        a.deliverDue();
        int before = smtp.getReceivedMessages().length;
        assertEquals(tokens, before);

        clock.advance(Duration.ofDays(24));
        AtomicInteger queued = new AtomicInteger();
        Thread ta = new Thread(() -> { for (int i = 0; i < 5; i++) { queued.addAndGet(a.scanReminders()); } });
        Thread tb = new Thread(() -> { for (int i = 0; i < 5; i++) { queued.addAndGet(b.scanReminders()); } });
        ta.start();
        tb.start();
        ta.join();
        tb.join();
        assertEquals(tokens, queued.get(), "one 7-day reminder per token, whichever node queued it");

        AtomicInteger delivered = new AtomicInteger();
        Thread da = new Thread(() -> delivered.addAndGet(a.deliverDue()));
        Thread db = new Thread(() -> delivered.addAndGet(b.deliverDue()));
        da.start();
        db.start();
        da.join();
        db.join();
        assertEquals(tokens, delivered.get());
        assertEquals(before + tokens, smtp.getReceivedMessages().length, "each reminder delivered exactly once");
    }
}
