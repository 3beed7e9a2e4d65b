package io.globalgate.admin;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.store.NotificationOutbox;
import io.globalgate.admin.store.PageRequest;
import io.globalgate.admin.testing.AdminClient;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.PageChecks;
import io.globalgate.admin.testing.Reply;
import io.globalgate.admin.testing.StoreState;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.TestDatabases;
import io.globalgate.validation.InputValidator;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.globalgate.admin.testing.ApiShapes.assertValidation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deployment that sets {@code maxTokenLifetime=30d}: longer lifetimes are refused, with a message
 * naming the maximum. It also sets {@code revokeUnusedAfterDays=90}, and its database holds, before
 * the servlet starts, a token issued 100 days earlier and never used, which the servlet's first
 * scan must remind its owner of (the policy itself is checked in UnusedTokenPolicyContract).
 */
class MaxTokenLifetimeTest {

    private static final String API = "/admin/api/v1";
    private static final String MAXIMUM = "exceeds the maximum token lifetime of 30 days set for this deployment";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static HikariDataSource dataSource;
    private static AdminTestServer server;
    private static ManagementStore store;
    private static AdminClient admin;
    private static Integration forgottenOwner;
    private static IssuedToken forgotten;

    @BeforeAll
    static void startServer() throws Exception {
        dataSource = TestDatabases.h2();
        MutableClock past = new MutableClock(Instant.now().minus(Duration.ofDays(100)));
        ManagementStore before = new ManagementStore(new GlobalgateStore(dataSource, past).migrate(), new InputValidator(past, null));
        forgottenOwner = before.integrations().create("alice", IntegrationStore.Input.of("Forgotten", "", "owners@example.com"));
        forgotten = before.tokens().create("alice", forgottenOwner.id(), "forgotten", "never", null);
        server = AdminTestServer.start(dataSource, Clock.systemUTC(), Map.of(AdminConfig.MAX_TOKEN_LIFETIME, "30d",
                AdminConfig.REVOKE_UNUSED_AFTER_DAYS, "90"));
        store = server.store();
        admin = AdminClient.admin(server);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        dataSource.close();
    }

    @Test
    void theServletsFirstScanRemindsTheOwnerOfATokenUnusedForLongerThanRevokeUnusedAfterDaysAndRevokesNothingYet() throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        List<NotificationOutbox.Kind> kinds;
        do {
            kinds = store.notifications().list(forgottenOwner.id(), PageRequest.first(10)).items().stream()
                    .map(NotificationOutbox.Message::kind).toList();
        } while (!kinds.contains(NotificationOutbox.Kind.TOKEN_UNUSED) && System.currentTimeMillis() < deadline && pause());
        assertEquals(List.of(NotificationOutbox.Kind.TOKEN_UNUSED, NotificationOutbox.Kind.TOKEN_CREATED), kinds,
                "the reminder, newest first, after the creation's message");
        assertNull(store.tokens().get(forgotten.token().id()).revokedAt(), "revoked 7 days after its reminder, not at once");
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }

    @Test
    void theApiRefusesPoliciesBeyondTheMaximumNamingItBeforeAnythingIsStored() {
        Integration i = integration();
        Map<String, Long> before = StoreState.snapshot(store);
        for (String policy : List.of("never", "365d", "90d", "60d")) {
            Reply reply = admin.json("POST", API + "/integrations/" + i.id() + "/tokens",
                    "{\"name\":\"too long\",\"expiration\":\"" + policy + "\"}");
            assertEquals(MAXIMUM, assertValidation(reply, "expiration"), policy);
        }
        Instant beyond = Instant.now().plus(Duration.ofDays(31)).truncatedTo(ChronoUnit.SECONDS);
        Reply custom = admin.json("POST", API + "/integrations/" + i.id() + "/tokens",
                "{\"name\":\"too long\",\"expiresAt\":\"" + beyond + "\"}");
        assertEquals(MAXIMUM, assertValidation(custom, "expiresAt"));
        assertEquals(before, StoreState.snapshot(store));
    }

    @Test
    void theApiAcceptsLifetimesUpToTheMaximum() {
        Integration i = integration();
        for (String policy : List.of("30d", "7d")) {
            Reply reply = admin.json("POST", API + "/integrations/" + i.id() + "/tokens",
                    "{\"name\":\"within " + policy + "\",\"expiration\":\"" + policy + "\"}");
            assertEquals(201, reply.status(), reply.toString());
        }
        Instant within = Instant.now().plus(Duration.ofDays(29)).truncatedTo(ChronoUnit.SECONDS);
        Reply custom = admin.json("POST", API + "/integrations/" + i.id() + "/tokens",
                "{\"name\":\"custom within\",\"expiresAt\":\"" + within + "\"}");
        assertEquals(201, custom.status(), custom.toString());
    }

    @Test
    void regeneratingATokenIssuedBeforeTheMaximumWithALongerPolicyIsRefusedBeforeAnythingChanges() {
        Integration i = integration();
        // Issued through a store without the limit, as before the deployment set it.
        IssuedToken forever = store.tokens().create("setup", i.id(), "issued before the limit", "never", null);
        Map<String, Long> before = StoreState.snapshot(store);

        Reply reply = admin.json("POST", API + "/tokens/" + forever.token().id() + "/regenerate", null);

        assertEquals(MAXIMUM, assertValidation(reply, "expiration"));
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(null, store.tokens().get(forever.token().id()).revokedAt(), "the old token is left as it was");
    }

    @Test
    void theTokenFormUnderAMaximumPreselectsSevenDaysAndNamesTheMaximum() {
        Integration i = integration();
        Document form = PageChecks.assertPage(admin.get("/admin/integrations/" + i.id() + "/tokens/new"));
        assertEquals("This deployment allows tokens to live at most 30 days.", form.selectFirst("p.hint").text());
        assertEquals("7d", form.selectFirst("select#expiration option[selected]").val());

        Map<String, Long> before = StoreState.snapshot(store);
        Reply refused = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", "kept", "expiration", "never");
        assertEquals(400, refused.status(), refused.toString());
        Document page = PageChecks.assertHtml(refused);
        AdminPagesTest.assertFieldError(page, "expiration", "Expiration " + MAXIMUM);
        assertEquals("kept", page.selectFirst("input#name").val());
        assertEquals("never", page.selectFirst("select#expiration option[selected]").val());
        Reply refusedCustom = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", "kept", "expiration", "custom",
                "expiresAt", "2099-01-01T00:00");
        assertEquals(400, refusedCustom.status(), refusedCustom.toString());
        AdminPagesTest.assertFieldError(PageChecks.assertHtml(refusedCustom), "expiresAt", "Custom expiry " + MAXIMUM);
        assertEquals(before, StoreState.snapshot(store));

        Reply accepted = admin.submit("/admin/integrations/" + i.id() + "/tokens", "name", "within", "expiration", "30d");
        assertEquals(303, accepted.status(), accepted.toString());
    }

    @Test
    void aMaximumThatIsNotAPositiveDurationStopsStartUpNamingTheParameter() {
        for (String bad : List.of("abc", "0d", "-5d", "40000d")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AdminConfig.fromMap(Map.of(AdminConfig.MAX_TOKEN_LIFETIME, bad)), bad);
            assertTrue(e.getMessage().contains("maxTokenLifetime: must be a positive duration such as 90d or P90D (was '" + bad + "')"),
                    e.getMessage());
        }
        assertEquals(Duration.ofDays(30), AdminConfig.fromMap(Map.of(AdminConfig.MAX_TOKEN_LIFETIME, "P30D")).maxTokenLifetime());
        assertEquals(null, AdminConfig.fromMap(Map.of()).maxTokenLifetime(), "no maximum by default");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> AdminConfig.fromMap(Map.of("maxTokenLifetme", "30d")));
        assertTrue(unknown.getMessage().contains("maxTokenLifetme: unknown parameter"), unknown.getMessage());
    }

    private static Integration integration() {
        return store.integrations().create("setup", IntegrationStore.Input.of("Limited " + NAMES.incrementAndGet(), "",
                "limit@example.com"));
    }
}
