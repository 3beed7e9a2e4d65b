package io.globalgate.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.LeakStore;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.TestDatabases;
import io.globalgate.validation.InputValidator;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The owner's e-mails of a leak report and of a revocation by value, through a real SMTP server (GreenMail). */
class LeakNotificationTest {

    private static final String OWNER = "owners@example.com";
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private static ManagementStore store;
    private static GreenMail smtp;
    private static NotificationService service;

    @BeforeAll
    static void start() throws Exception {
        store = new ManagementStore(new GlobalgateStore(TestDatabases.h2(), CLOCK).migrate(), new InputValidator(CLOCK, null));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
        smtp.start();
        service = new NotificationService(store, NotificationServiceTest.settings(port, 3));
    }

    @AfterAll
    static void stop() {
        smtp.stop();
    }

    private static IssuedToken token(String integrationName) {
        Integration integration = store.integrations().create("alice", IntegrationStore.Input.of(integrationName, "", OWNER));
        return store.tokens().create("alice", integration.id(), "production", "90d", null);
    }

    private static MimeMessage onlyNewMessage(int before) {
        MimeMessage[] received = smtp.getReceivedMessages();
        assertEquals(before + 1, received.length, "one new message");
        return received[received.length - 1];
    }

    private static String raw(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aReportedLeakTellsTheOwnerWhereItLeakedWhatWasRevokedAndWhatToDo() throws Exception {
        IssuedToken leaked = token("Leaky ERP");
        service.deliverDue();
        int before = smtp.getReceivedMessages().length;

        store.leaks().reportLeaked("github-secret-scanning", List.of(new LeakStore.Report(leaked.value(),
                "https://github.com/octocat/app/blob/1a2b3c/config.env", "commit")));
        assertEquals(1, service.deliverDue());

        MimeMessage message = onlyNewMessage(before);
        assertEquals(OWNER, message.getAllRecipients()[0].toString());
        assertEquals("[Globalgate] Global API access token production of Leaky ERP leaked and revoked", message.getSubject());
        String body = NotificationServiceTest.text(message);
        assertTrue(body.contains("found in public by a secret scanner, at https://github.com/octocat/app/blob/1a2b3c/config.env (source: commit)"),
                body);
        assertTrue(body.contains("it was revoked at once"), body);
        assertTrue(body.contains("production (" + leaked.token().hint() + ")"), body);
        assertTrue(body.contains("Remove the token from where it was found"), body);
        assertTrue(body.contains("by github-secret-scanning"), body);
        assertFalse(raw(message).contains(leaked.value()), "a token value never goes into a message");

        store.leaks().reportLeaked("github-secret-scanning", List.of(new LeakStore.Report(leaked.value(), "https://elsewhere", "content")));
        assertEquals(0, service.deliverDue(), "the same token reported again: no second message");
    }

    @Test
    void aRevocationByValueTellsTheOwnerFromWhichAddressWithoutATokenValue() throws Exception {
        IssuedToken sent = token("Careful CRM");
        service.deliverDue();
        int before = smtp.getReceivedMessages().length;

        store.leaks().revokeByValue("198.51.100.23", List.of(sent.value(), "gat_notatoken", "x".repeat(500)));
        assertEquals(1, service.deliverDue());

        MimeMessage message = onlyNewMessage(before);
        assertEquals("[Globalgate] Global API access token revoked on request of someone who held it, for Careful CRM", message.getSubject());
        String body = NotificationServiceTest.text(message);
        assertTrue(body.contains("sent to the revocation endpoint from the address 198.51.100.23 and revoked"), body);
        assertTrue(body.contains("production (" + sent.token().hint() + ")"), body);
        assertFalse(raw(message).contains(sent.value()), "a token value never goes into a message");
    }
}
