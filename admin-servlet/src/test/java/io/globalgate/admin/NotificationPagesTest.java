package io.globalgate.admin;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.NotificationOutbox;
import io.globalgate.admin.store.PageRequest;
import io.globalgate.admin.testing.AdminClient;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.PageChecks;
import io.globalgate.admin.testing.Reply;
import io.globalgate.admin.testing.StoreState;
import io.globalgate.testing.TestDatabases;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The integration page's Notifications section and its "Send test e-mail" button, with a real SMTP server. */
class NotificationPagesTest {

    private static AdminTestServer server;
    private static GreenMail smtp;
    private static AdminClient admin;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
        smtp.start();
        server = AdminTestServer.start(TestDatabases.h2(), Clock.systemUTC(), Map.of(
                AdminConfig.SMTP_HOST, "127.0.0.1", AdminConfig.SMTP_PORT, Integer.toString(port),
                AdminConfig.SMTP_SECURITY, "none", AdminConfig.MAIL_FROM, "gateway@example.com",
                AdminConfig.ADMIN_BASE_URL, "https://gw.example.com/admin"));
        admin = AdminClient.admin(server);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        smtp.stop();
    }

    @Test
    void theTestEmailButtonDeliversAMessageListedAsSent() throws Exception {
        Integration erp = server.store().integrations().create("admin",
                IntegrationStore.Input.of("Test mail <b>", "", "owners@example.com"));
        admin.get("/admin/integrations/" + erp.id());

        Reply sent = admin.submit("/admin/integrations/" + erp.id() + "/test-email");

        assertEquals(303, sent.status(), sent.toString());
        assertEquals("/admin/integrations/" + erp.id(), sent.location());
        Document page = PageChecks.assertPage(admin.get(sent.location()));
        assertEquals("A test e-mail to owners@example.com is queued; its status shows under Notifications.",
                page.selectFirst("p.flash").text());
        assertTrue(smtp.waitForIncomingEmail(15_000, 1), "the servlet's sender delivers within its send interval");
        assertEquals("[Globalgate] Test e-mail for Test mail <b>", smtp.getReceivedMessages()[0].getSubject());

        long deadline = System.currentTimeMillis() + 10_000;
        NotificationOutbox.Message message;
        do {
            message = server.store().notifications().list(erp.id(), PageRequest.first(10)).items().get(0);
        } while (message.status() != NotificationOutbox.Status.SENT && System.currentTimeMillis() < deadline && sleep());
        assertEquals(NotificationOutbox.Status.SENT, message.status());
        Element row = PageChecks.assertPage(admin.get("/admin/integrations/" + erp.id())).selectFirst("#notifications tbody tr");
        assertNotNull(row);
        assertTrue(row.text().contains("Test e-mail"), row.text());
        assertTrue(row.text().contains("owners@example.com"), row.text());
        assertEquals("Sent", row.selectFirst(".badge").text(), "delivered to an SMTP server");
    }

    @Test
    void theTestEmailButtonNeedsTheFormsCsrfTokenLikeEveryOtherForm() {
        Integration erp = server.store().integrations().create("admin",
                IntegrationStore.Input.of("No forged mail", "", "owners@example.com"));
        Reply forged = admin.postForm("/admin/integrations/" + erp.id() + "/test-email", java.util.List.of());
        assertEquals(403, forged.status());
        assertEquals(0, server.store().notifications().list(erp.id(), PageRequest.first(10)).total());
    }

    @Test
    void aTestEmailForAnUnknownIntegrationIsA404BeforeAnythingIsQueued() {
        admin.get("/admin/");
        Map<String, Long> before = StoreState.snapshot(server.store());
        long queued = queued();
        Reply missing = admin.submit("/admin/integrations/987654/test-email");
        assertEquals(404, missing.status());
        assertEquals(queued, queued(), "nothing queued");
        assertEquals(before, StoreState.snapshot(server.store()), "nothing stored");
    }

    /** Messages in the outbox, whatever their status (StoreState's snapshot does not count them). */
    private static long queued() {
        return StoreState.count(server.store(), "SELECT COUNT(*) FROM notification_outbox");
    }

    private static boolean sleep() {
        try {
            Thread.sleep(100);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
