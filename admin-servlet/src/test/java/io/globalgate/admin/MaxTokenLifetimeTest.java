package io.globalgate.admin;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.testing.AdminClient;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.PageChecks;
import io.globalgate.admin.testing.Reply;
import io.globalgate.admin.testing.StoreState;
import io.globalgate.testing.TestDatabases;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A deployment that sets {@code maxTokenLifetime=30d}: longer lifetimes are refused, with a message naming the maximum. */
class MaxTokenLifetimeTest {

    private static final String API = "/admin/api/v1";
    private static final String MAXIMUM = "exceeds the maximum token lifetime of 30 days set for this deployment";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static HikariDataSource dataSource;
    private static AdminTestServer server;
    private static ManagementStore store;
    private static AdminClient admin;

    @BeforeAll
    static void startServer() throws Exception {
        dataSource = TestDatabases.h2();
        server = AdminTestServer.start(dataSource, Clock.systemUTC(), Map.of(AdminConfig.MAX_TOKEN_LIFETIME, "30d"));
        store = server.store();
        admin = AdminClient.admin(server);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        dataSource.close();
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
