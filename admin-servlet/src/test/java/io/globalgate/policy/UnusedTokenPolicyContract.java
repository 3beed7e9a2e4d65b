package io.globalgate.policy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.notify.NotificationService;
import io.globalgate.notify.NotificationSettings;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.store.TokenUsage;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.Rows;
import io.globalgate.token.TokenHash;
import io.globalgate.validation.InputValidator;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unused-token policy (90 days, reminder 7 days before) against a real database and a real
 * SMTP server (GreenMail): {@link H2UnusedTokenPolicyTest} and {@link MariaDbUnusedTokenPolicyTest}.
 * The policy sweeps every token of its database, so this contract has a database of its own
 * (a fresh H2, or a fresh schema on the shared MariaDB server), and each test starts the clock
 * a year after the one before it: tokens of earlier tests are revoked by then and stay out of the counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UnusedTokenPolicyContract {

    private static final Duration UNUSED = Duration.ofDays(90);
    private static final Duration REMIND = Duration.ofDays(7);
    private static final String OWNER = "owners@example.com";

    private final MutableClock clock = new MutableClock(Instant.parse("2031-03-01T08:00:00.250Z"));
    private final AtomicInteger sequence = new AtomicInteger();
    private HikariDataSource dataSource;
    private ManagementStore store;
    private UnusedTokenPolicy policy;
    private NotificationService mail;
    private GreenMail smtp;
    private Rows rows;

    protected abstract HikariDataSource freshDatabase();

    @BeforeAll
    void open() throws Exception {
        dataSource = freshDatabase();
        store = new ManagementStore(new GlobalgateStore(dataSource, clock).migrate(), new InputValidator(clock, null));
        policy = new UnusedTokenPolicy(store, UNUSED, REMIND);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
        smtp.start();
        mail = new NotificationService(store, new NotificationSettings(new NotificationSettings.Smtp("127.0.0.1", port, "none", null, null),
                "globalgate@example.com", null, "https://gw.example.com/admin", List.of(), 3, NotificationSettings.Timing.DEFAULT));
        rows = new Rows(dataSource);
    }

    @AfterAll
    void close() {
        smtp.stop();
        dataSource.close();
    }

    @BeforeEach
    void aYearLater() {
        clock.advance(Duration.ofDays(365));
        policy.run(); // reminds what earlier tests left
        clock.advance(REMIND);
        policy.run(); // and revokes it: each test starts with no live token
        mail.deliverDue();
    }

    private Integration integration() {
        return store.integrations().create("alice", IntegrationStore.Input.of("Unused " + sequence.incrementAndGet(), "", OWNER));
    }

    private IssuedToken token(Integration integration, String expiration) {
        return store.tokens().create("alice", integration.id(), "batch-" + sequence.incrementAndGet(), expiration, null);
    }

    /** One accepted request, recorded the way the filter's usage batches are. */
    private void use(IssuedToken token) {
        store.shared().usage().record(List.of(new TokenUsage(token.token().id(), clock.instant(), "198.51.100.9", Map.of())));
    }

    private List<MimeMessage> newMail(Runnable action) {
        mail.deliverDue();
        int before = smtp.getReceivedMessages().length;
        action.run();
        mail.deliverDue();
        MimeMessage[] all = smtp.getReceivedMessages();
        return List.of(all).subList(before, all.length);
    }

    private static String text(MimeMessage message) throws Exception {
        return (String) ((MimeMultipart) message.getContent()).getBodyPart(0).getContent();
    }

    private long audited(IssuedToken token) {
        return rows.count("SELECT COUNT(*) FROM audit_event WHERE action = 'token.revoked_unused' AND token_id = ? AND actor = 'policy'",
                token.token().id());
    }

    @Test
    void aNeverUsedTokenIsRemindedSevenDaysBeforeAndRevokedAsUnusedAfterNinetyDays() throws Exception {
        Integration owner = integration();
        IssuedToken token = token(owner, "never");
        Instant created = token.token().createdAt();
        mail.deliverDue();

        clock.set(created.plus(UNUSED).minus(REMIND).minusMillis(1));
        assertEquals(List.of(), newMail(policy::run), "not due a millisecond before 83 days");

        clock.advance(Duration.ofMillis(1));
        List<MimeMessage> reminder = newMail(policy::run);
        assertEquals(1, reminder.size());
        assertEquals(OWNER, reminder.get(0).getAllRecipients()[0].toString());
        String revokeDate = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(created.plus(UNUSED));
        assertEquals("[Globalgate] Global API access token " + token.token().name() + " of " + owner.name()
                + " is unused and will be revoked on " + revokeDate, reminder.get(0).getSubject());
        String body = text(reminder.get(0));
        assertTrue(body.contains("has not been used since " + created.toString().substring(0, 10)), body);
        assertTrue(body.contains("make one request with it before then"), body);
        assertEquals(List.of(), newMail(policy::run), "the reminder goes out once");

        clock.set(created.plus(UNUSED).minusMillis(1));
        assertEquals(new UnusedTokenPolicy.Result(0, 0), policy.run());
        assertNull(store.tokens().get(token.token().id()).revokedAt(), "not revoked before 90 days");

        clock.advance(Duration.ofMillis(1));
        List<MimeMessage> revoked = newMail(() -> assertEquals(new UnusedTokenPolicy.Result(0, 1), policy.run()));
        AccessToken after = store.tokens().get(token.token().id());
        assertEquals(clock.instant(), after.revokedAt());
        assertEquals("policy", after.revokedBy());
        assertEquals("unused", after.revokedReason());
        assertEquals("never used since it was created at " + created + "; the deployment revokes tokens unused for 90 days", after.revokedDetail());
        assertEquals(1, audited(token));
        assertTrue(store.shared().tokens().findDecision(TokenHash.of(token.value())).orElseThrow().revokedAt() != null,
                "the filter's lookup reads it revoked");
        assertEquals(1, revoked.size());
        assertEquals("[Globalgate] Unused Global API access token revoked for " + owner.name(), revoked.get(0).getSubject());
        assertTrue(text(revoked.get(0)).contains("not used for 90 days"), text(revoked.get(0)));

        assertEquals(new UnusedTokenPolicy.Result(0, 0), policy.run(), "nothing more to do");
        assertEquals(1, audited(token));
    }

    @Test
    void aUseAfterTheReminderKeepsTheTokenAndTheNextUnusedStretchGetsItsOwnReminder() {
        IssuedToken token = token(integration(), "never");
        Instant created = token.token().createdAt();
        clock.set(created.plus(Duration.ofDays(83)));
        assertEquals(new UnusedTokenPolicy.Result(1, 0), policy.run());

        clock.set(created.plus(Duration.ofDays(85)));
        use(token);
        Instant used = clock.instant();
        clock.set(created.plus(Duration.ofDays(100)));
        assertEquals(new UnusedTokenPolicy.Result(0, 0), policy.run(), "used 15 days ago: kept, and no reminder yet");
        assertNull(store.tokens().get(token.token().id()).revokedAt());

        clock.set(used.plus(Duration.ofDays(83)));
        assertEquals(new UnusedTokenPolicy.Result(1, 0), policy.run(), "83 days after its last use: a new reminder");
        clock.set(used.plus(UNUSED));
        assertEquals(new UnusedTokenPolicy.Result(0, 1), policy.run());
        AccessToken after = store.tokens().get(token.token().id());
        assertEquals("unused", after.revokedReason());
        assertTrue(after.revokedDetail().startsWith("not used since " + used + ";"), after.revokedDetail());
    }

    @Test
    void aTokenAlreadyUnusedWhenThePolicyStartsIsRevokedOnlyAfterItsReminderPeriod() {
        IssuedToken token = token(integration(), "never");
        clock.set(token.token().createdAt().plus(Duration.ofDays(300)));
        assertEquals(new UnusedTokenPolicy.Result(1, 0), policy.run(), "reminded first, not revoked on the spot");
        Instant reminded = clock.instant();

        clock.set(reminded.plus(REMIND).minusMillis(1));
        assertEquals(new UnusedTokenPolicy.Result(0, 0), policy.run());
        clock.set(reminded.plus(REMIND));
        assertEquals(new UnusedTokenPolicy.Result(0, 1), policy.run());
        assertEquals("unused", store.tokens().get(token.token().id()).revokedReason());
    }

    @Test
    void revokedExpiredAndReplacedTokensAreLeftAloneAndATokenThatExpiresFirstGetsNoReminder() {
        Integration owner = integration();
        IssuedToken revoked = token(owner, "never");
        store.tokens().revoke("bob", revoked.token().id());
        IssuedToken expired = token(owner, "30d");
        IssuedToken replaced = token(owner, "never");
        store.tokens().regenerate("bob", replaced.token().id(), Duration.ofDays(7));
        IssuedToken expiresFirst = token(owner, "90d");
        mail.deliverDue();
        int before = smtp.getReceivedMessages().length;

        clock.advance(Duration.ofDays(83));
        UnusedTokenPolicy.Result reminded = policy.run();
        mail.deliverDue();
        assertEquals(1, reminded.reminded(), "only the regenerated token's successor, a live token like any other, is reminded");
        assertEquals(before + 1, smtp.getReceivedMessages().length);
        clock.advance(REMIND);
        assertEquals(new UnusedTokenPolicy.Result(0, 1), policy.run());

        assertEquals("manual", store.tokens().get(revoked.token().id()).revokedReason(), "an operator's revocation stays as it was");
        for (IssuedToken t : List.of(expired, replaced, expiresFirst)) {
            assertNull(store.tokens().get(t.token().id()).revokedAt(), "ended on its own, not revoked: " + t.token().name());
            assertEquals(0, audited(t));
        }
    }

    @Test
    void twoAdminNodesRunningAtOnceRemindAndRevokeEachTokenOnce() throws Exception {
        Integration owner = integration();
        List<IssuedToken> tokens = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            tokens.add(token(owner, "never"));
        }
        ManagementStore otherNode = new ManagementStore(new GlobalgateStore(dataSource, clock), new InputValidator(clock, null));
        List<UnusedTokenPolicy> nodes = List.of(policy, new UnusedTokenPolicy(otherNode, UNUSED, REMIND));

        clock.advance(Duration.ofDays(83));
        List<UnusedTokenPolicy.Result> first = atOnce(nodes);
        assertEquals(25, first.get(0).reminded() + first.get(1).reminded(), first.toString());
        assertEquals(25, rows.count("SELECT COUNT(*) FROM notification_outbox WHERE kind = 'token_unused' AND integration_id = ?", owner.id()));

        clock.advance(REMIND);
        List<UnusedTokenPolicy.Result> second = atOnce(nodes);
        assertEquals(25, second.get(0).revoked() + second.get(1).revoked(), second.toString());
        for (IssuedToken t : tokens) {
            assertEquals(1, audited(t), "one audit row for " + t.token().name());
            assertEquals("unused", store.tokens().get(t.token().id()).revokedReason());
        }
        assertEquals(25, rows.count("SELECT COUNT(*) FROM change_event WHERE kind = 'token.revoked' AND integration_id = ?", owner.id()));
        long messages = rows.count("SELECT COUNT(*) FROM notification_outbox WHERE kind = 'tokens_revoked_unused' AND integration_id = ?",
                owner.id());
        assertTrue(messages >= 1 && messages <= 2, "one message per node that revoked some: " + messages);
        // Fifty-odd messages nobody reads here: out of the next test's way (sending them takes seconds).
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE notification_outbox SET status = 'sent' WHERE integration_id = ?")) {
            ps.setLong(1, owner.id());
            ps.executeUpdate();
        }
    }

    private static List<UnusedTokenPolicy.Result> atOnce(List<UnusedTokenPolicy> nodes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<UnusedTokenPolicy.Result>> results = new ArrayList<>();
            for (UnusedTokenPolicy node : nodes) {
                Callable<UnusedTokenPolicy.Result> run = () -> {
                    start.await();
                    return node.run();
                };
                results.add(pool.submit(run));
            }
            start.countDown();
            List<UnusedTokenPolicy.Result> done = new ArrayList<>();
            for (Future<UnusedTokenPolicy.Result> f : results) {
                done.add(f.get());
            }
            return done;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReminderThatIsNotBeforeTheRevocationIsRefused() {
        assertEquals("the unused-token policy needs 0 < reminder (PT2160H) < revocation (PT2160H)",
                assertThrows(IllegalArgumentException.class, () -> new UnusedTokenPolicy(store, UNUSED, UNUSED)).getMessage());
    }
}
