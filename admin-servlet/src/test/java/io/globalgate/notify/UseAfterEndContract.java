package io.globalgate.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.pages.Fmt;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.NotificationOutbox;
import io.globalgate.admin.store.PageRequest;
import io.globalgate.admin.testing.AdminClient;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.GlobalApi;
import io.globalgate.admin.testing.PageChecks;
import io.globalgate.admin.testing.Reply;
import io.globalgate.store.RefusedUse;
import io.globalgate.testing.MutableClock;
import jakarta.mail.internet.MimeMessage;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Use after the end (issue 18) across two gateway nodes sharing one database: each node is an admin
 * servlet and a token filter with its own pool, linked only by the database. A token revoked (or
 * expired) is refused on node B; node B's filter writes the refused use; node A's page and API show
 * it; the owner is told once, through a real SMTP server (GreenMail), by whichever of the two admin
 * nodes' senders claims it first. {@code H2UseAfterEndTest} and {@code MariaDbUseAfterEndTest} run
 * every test here. The servlets' own senders are off, so the test's two are the only ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UseAfterEndContract {

    private static final String OWNER = "owners@example.com";

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private AdminTestServer nodeA;
    private AdminTestServer nodeB;
    private GreenMail smtp;
    private NotificationService senderA;
    private NotificationService senderB;
    private int integrations;

    /** A fresh, empty database of the kind the subclass is about. */
    protected abstract HikariDataSource freshDatabase();

    /** A second pool of its own over the same database, as another node opens. */
    protected abstract HikariDataSource samePoolElsewhere(HikariDataSource first);

    @BeforeAll
    void startTwoNodes() throws Exception {
        poolA = freshDatabase();
        poolB = samePoolElsewhere(poolA);
        nodeA = AdminTestServer.start(poolA, clock, Map.of("notifications", "false"));
        nodeB = AdminTestServer.start(poolB, clock, Map.of("notifications", "false"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
        smtp.start();
        senderA = new NotificationService(nodeA.store(), NotificationServiceTest.settings(port, 3));
        senderB = new NotificationService(nodeB.store(), NotificationServiceTest.settings(port, 3));
    }

    @AfterAll
    void stopTwoNodes() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{senderA, senderB, nodeA, nodeB, poolA, poolB}) {
            if (c != null) {
                c.close();
            }
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    private IssuedToken newToken(String expiration) {
        Integration integration = nodeA.store().integrations().create("alice",
                IntegrationStore.Input.of(getClass().getSimpleName() + " ERP " + (++integrations), "", OWNER));
        IssuedToken issued = nodeA.store().tokens().create("alice", integration.id(), "production", expiration, null);
        assertEquals(200, GlobalApi.status(nodeB.uri(), issued.value()), "node B accepts the new token");
        return issued;
    }

    /** Asks node B until it refuses the token (it learns of a revocation at its next poll of the change feed). */
    private void untilNodeBRefuses(String token) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            int status = GlobalApi.status(nodeB.uri(), token);
            if (status == 401) {
                return;
            }
            assertEquals(200, status, "node B answered neither the old nor the new decision");
            Thread.sleep(5);
        }
        fail("node B still accepted the token 10 s after it ended");
    }

    /** Both admin nodes' senders scan at the same moment; returns how many notices each queued. */
    private List<Integer> bothAdminNodesScanAtOnce() throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> scans = new ArrayList<>();
            for (NotificationService sender : List.of(senderA, senderB)) {
                scans.add(threads.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return sender.scanRefusedUses();
                }));
            }
            List<Integer> queued = new ArrayList<>();
            for (Future<Integer> scan : scans) {
                queued.add(scan.get(30, TimeUnit.SECONDS));
            }
            return queued;
        } finally {
            threads.shutdownNow();
        }
    }

    private List<MimeMessage> mailsAbout(IssuedToken token) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (m.getSubject().contains("still in use") && NotificationServiceTest.text(m).contains(token.token().hint())) {
                found.add(m);
            }
        }
        return found;
    }

    private long noticesInOutbox(IssuedToken token) {
        return nodeA.store().notifications().list(token.token().integrationId(), new PageRequest(1, 100)).items().stream()
                .filter(m -> m.kind() == NotificationOutbox.Kind.TOKEN_USED_AFTER_END).count();
    }

    private static String raw(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRevokedTokenRefusedOnNodeBShowsOnNodeAsPageAndItsOwnerIsToldOnceByOneOfTwoAdminNodes() throws Exception {
        IssuedToken token = newToken("90d");
        long id = token.token().id();
        nodeA.store().tokens().revoke("alice", id);
        untilNodeBRefuses(token.value());
        clock.advance(Duration.ofMinutes(1));
        Instant refusedAt = clock.instant();
        assertEquals(401, GlobalApi.status(nodeB.uri(), token.value()));
        assertEquals(1, nodeB.filter().flushRefusedUses(), "node B writes the token's last refused use");

        Document page = PageChecks.assertPage(AdminClient.admin(nodeA).get("/admin/tokens/" + id));
        assertNotNull(page.getElementById("refused-banner"), page::html);
        assertTrue(page.getElementById("refused-banner").text().startsWith("Still in use after it ended:"), page::html);
        assertEquals(Fmt.relative(refusedAt, clock.instant()) + " " + Fmt.time(refusedAt) + " from 127.0.0.1",
                page.getElementById("last-refused").text());
        JsonNode api = AdminClient.admin(nodeA).get("/admin/api/v1/tokens/" + id).json();
        assertEquals(refusedAt.toString(), Instant.parse(api.get("lastRefusedAt").asText()).toString());
        assertEquals("127.0.0.1", api.get("lastRefusedIp").asText());

        List<Integer> queued = bothAdminNodesScanAtOnce();
        assertEquals(1, queued.get(0) + queued.get(1), "one of the two admin nodes claims the token: " + queued);
        senderA.deliverDue(); // with the messages of the token's creation and revocation
        senderB.deliverDue();

        List<MimeMessage> mails = mailsAbout(token);
        assertEquals(1, mails.size());
        MimeMessage mail = mails.get(0);
        assertEquals(OWNER, mail.getAllRecipients()[0].toString());
        assertTrue(mail.getSubject().startsWith("[Globalgate] Global API access token production of "), mail.getSubject());
        assertTrue(mail.getSubject().endsWith(" is still in use after it was revoked"), mail.getSubject());
        String body = NotificationServiceTest.text(mail);
        String at = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC).format(refusedAt);
        assertTrue(body.contains("was sent to the gateway after it was revoked, last at " + at + " from the address 127.0.0.1"), body);
        assertTrue(body.contains("production (" + token.token().hint() + ")"), body);
        assertTrue(body.contains("give it a current token"), body);
        assertTrue(body.contains("someone else holds a copy of the token"), body);
        assertTrue(body.contains("https://gw.example.com/admin/tokens/" + id), body);
        assertFalse(raw(mail).contains(token.value()), "a token value never goes into a message");

        // Used again later, on node A this time: the page moves on, the owner is not told again.
        clock.advance(Duration.ofMinutes(5));
        Instant later = clock.instant();
        assertEquals(401, GlobalApi.status(nodeA.uri(), token.value()));
        assertEquals(1, nodeA.filter().flushRefusedUses());
        assertEquals(Fmt.relative(later, clock.instant()) + " " + Fmt.time(later) + " from 127.0.0.1",
                PageChecks.assertPage(AdminClient.admin(nodeB).get("/admin/tokens/" + id)).getElementById("last-refused").text());
        assertEquals(List.of(0, 0), bothAdminNodesScanAtOnce());
        assertEquals(0, senderA.deliverDue() + senderB.deliverDue());
        assertEquals(1, mailsAbout(token).size(), "once per token");
        assertEquals(1, noticesInOutbox(token));
    }

    @Test
    void anExpiredTokenRefusedOnNodeBIsShownAndToldAsExpiredWhileALiveTokenShowsNoRefusedUse() throws Exception {
        IssuedToken weekly = newToken("7d");
        IssuedToken live = newToken("never");
        Document before = PageChecks.assertPage(AdminClient.admin(nodeA).get("/admin/tokens/" + weekly.token().id()));
        assertEquals(null, before.getElementById("last-refused"), "a live token has no refused use to show");

        clock.advance(Duration.ofDays(8));
        Instant refusedAt = clock.instant();
        assertEquals(401, GlobalApi.status(nodeB.uri(), weekly.value()));
        assertEquals(200, GlobalApi.status(nodeB.uri(), live.value()));
        nodeB.filter().flushRefusedUses();

        Document page = PageChecks.assertPage(AdminClient.admin(nodeA).get("/admin/tokens/" + weekly.token().id()));
        assertEquals(Fmt.relative(refusedAt, clock.instant()) + " " + Fmt.time(refusedAt) + " from 127.0.0.1",
                page.getElementById("last-refused").text());
        Document livePage = PageChecks.assertPage(AdminClient.admin(nodeA).get("/admin/tokens/" + live.token().id()));
        assertEquals(null, livePage.getElementById("refused-banner"));

        List<Integer> queued = bothAdminNodesScanAtOnce();
        assertEquals(1, queued.get(0) + queued.get(1), String.valueOf(queued));
        senderA.deliverDue();
        senderB.deliverDue();
        List<MimeMessage> mails = mailsAbout(weekly);
        assertEquals(1, mails.size());
        assertTrue(mails.get(0).getSubject().endsWith(" is still in use after it expired"), mails.get(0).getSubject());
        assertTrue(NotificationServiceTest.text(mails.get(0)).contains("was sent to the gateway after it expired, last at "));
        assertEquals(0, mailsAbout(live).size());
    }

    @Test
    void aRefusedUsesAddressIsEscapedOnThePageAndInTheMail() throws Exception {
        IssuedToken token = newToken("90d");
        long id = token.token().id();
        nodeA.store().tokens().revoke("alice", id);
        // The filter writes a canonical address only; a row written otherwise must still be harmless.
        String hostile = "<img src=x onerror=alert(1)>\"'&";
        nodeA.store().shared().usage().recordRefused(List.of(new RefusedUse(id, clock.instant(), hostile)));

        Reply page = AdminClient.admin(nodeA).get("/admin/tokens/" + id);
        Document html = PageChecks.assertPage(page);
        assertTrue(html.getElementById("last-refused").text().endsWith("from " + hostile), html.getElementById("last-refused").text());
        assertFalse(page.text().contains(hostile), "the address is escaped");

        bothAdminNodesScanAtOnce();
        senderA.deliverDue();
        senderB.deliverDue();
        List<MimeMessage> mails = mailsAbout(token);
        assertEquals(1, mails.size());
        assertTrue(NotificationServiceTest.text(mails.get(0)).contains("from the address " + hostile), "the plain text says it as it is");
        jakarta.mail.internet.MimeMultipart parts = (jakarta.mail.internet.MimeMultipart) mails.get(0).getContent();
        String htmlPart = (String) parts.getBodyPart(1).getContent();
        assertFalse(htmlPart.contains(hostile), htmlPart);
        assertTrue(htmlPart.contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"), htmlPart);
    }
}
