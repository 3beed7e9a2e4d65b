package io.globalgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.testing.AdminClient;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.GlobalApi;
import io.globalgate.admin.testing.Reply;
import io.globalgate.admin.testing.StoreState;
import io.globalgate.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;

import static io.globalgate.admin.testing.ApiShapes.assertIntegration;
import static io.globalgate.admin.testing.ApiShapes.assertToken;
import static io.globalgate.admin.testing.ApiShapes.assertValidation;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token restrictions through the JSON API: set, read back, audited, told to the owner and to the
 * filter of the same application at once; and every hostile value of the new fields refused with
 * a 400 naming the field, leaving the token or integration as it was.
 */
class TokenRestrictionsApiTest {

    private static final String API = "/admin/api/v1";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static HikariDataSource dataSource;
    private static AdminTestServer server;
    private static ManagementStore store;
    private static AdminClient api;

    @BeforeAll
    static void startServer() throws Exception {
        dataSource = TestDatabases.h2();
        server = AdminTestServer.start(dataSource, Clock.systemUTC(), Map.of());
        store = server.store();
        api = AdminClient.admin(server);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        dataSource.close();
    }

    @Test
    void tokenCreatedWithRestrictionsReadsThemBackInCanonicalForm() {
        Integration i = newIntegration();
        Reply created = api.json("POST", API + "/integrations/" + i.id() + "/tokens", "{\"name\":\"ci\",\"expiration\":\"30d\","
                + "\"allowedNetworks\":[\"203.0.113.0/24\",\" 2001:DB8::/32 \",\"::ffff:198.51.100.7\"],\"scope\":\"read-only\","
                + "\"pathPrefixes\":[\"/api/global/v1/orders/\"]}");
        assertEquals(201, created.status(), created::toString);
        JsonNode token = api.get(API + "/tokens/" + created.json().get("id").asLong()).json();
        assertToken(token);
        assertAll(
                () -> assertEquals("[\"203.0.113.0/24\",\"2001:db8:0:0:0:0:0:0/32\",\"198.51.100.7/32\"]", token.get("allowedNetworks").toString()),
                () -> assertEquals("read-only", token.get("scope").asText()),
                () -> assertEquals("[\"/api/global/v1/orders/\"]", token.get("pathPrefixes").toString()));
    }

    @Test
    void patchingATokensRestrictionsIsAuditedToldToTheOwnerAndEnforcedAtOnce() {
        Integration i = newIntegration();
        IssuedToken t = store.tokens().create("setup", i.id(), "erp", "never", null);
        assertEquals(200, GlobalApi.status(server.uri(), t.value()));

        Reply patched = api.json("PATCH", API + "/tokens/" + t.token().id(), "{\"allowedNetworks\":[\"10.0.0.0/8\",\"10.1.0.0/16\"]}");

        assertEquals(200, patched.status(), patched::toString);
        assertToken(patched.json());
        assertEquals("[\"10.0.0.0/8\",\"10.1.0.0/16\"]", patched.json().get("allowedNetworks").toString(), "overlapping networks are kept");
        assertEquals("read-write", patched.json().get("scope").asText(), "fields not given are left as they are");
        assertEquals(403, GlobalApi.status(server.uri(), t.value()), "the test client's 127.0.0.1 is outside 10.0.0.0/8");
        assertEquals("allowedNetworks=10.0.0.0/8, 10.1.0.0/16, scope=read-write, pathPrefixes=any", lastDetail("token.restrictions_changed", t));
        assertEquals(1, StoreState.count(store, "SELECT COUNT(*) FROM notification_outbox WHERE kind = 'restrictions_changed'"
                + " AND integration_id = " + i.id()));

        Reply lifted = api.json("PATCH", API + "/tokens/" + t.token().id(), "{\"allowedNetworks\":[]}");
        assertEquals("[]", lifted.json().get("allowedNetworks").toString());
        assertEquals(200, GlobalApi.status(server.uri(), t.value()));
    }

    @Test
    void patchingAnIntegrationsNetworksAndRateLimitBindsItsTokensAndNullRestoresTheDefault() {
        Integration i = newIntegration();
        IssuedToken t = store.tokens().create("setup", i.id(), "erp", "never", null);

        Reply patched = api.json("PATCH", API + "/integrations/" + i.id(),
                "{\"allowedNetworks\":[\"127.0.0.0/8\"],\"rateLimit\":{\"requestsPerMinute\":1,\"burst\":2}}");
        assertEquals(200, patched.status(), patched::toString);
        assertIntegration(patched.json());
        assertEquals("{\"requestsPerMinute\":1,\"burst\":2}", patched.json().get("rateLimit").toString());
        assertEquals(List.of(200, 200, 429), List.of(GlobalApi.status(server.uri(), t.value()), GlobalApi.status(server.uri(), t.value()),
                GlobalApi.status(server.uri(), t.value())));
        assertEquals("allowedNetworks=127.0.0.0/8, rateLimit=1/min, burst 2", lastDetail("integration.restrictions_changed", i.id()));

        Reply defaulted = api.json("PATCH", API + "/integrations/" + i.id(), "{\"rateLimit\":null}");
        assertTrue(defaulted.json().get("rateLimit").isNull(), defaulted::toString);
        assertEquals(200, GlobalApi.status(server.uri(), t.value()), "no limit by default");
        Reply burstDefault = api.json("PATCH", API + "/integrations/" + i.id(), "{\"rateLimit\":{\"requestsPerMinute\":90}}");
        assertEquals("{\"requestsPerMinute\":90,\"burst\":90}", burstDefault.json().get("rateLimit").toString());
    }

    @Test
    void hostileValuesOfTheNewFieldsAre400NamingTheFieldAndChangeNothing() {
        Integration i = newIntegration();
        IssuedToken t = store.tokens().create("setup", i.id(), "target", "never", null);
        String token = API + "/tokens/" + t.token().id();
        String integration = API + "/integrations/" + i.id();
        String tokens = API + "/integrations/" + i.id() + "/tokens";
        StringJoiner thousands = new StringJoiner(",", "[", "]");
        for (int n = 0; n < 2000; n++) {
            thousands.add("\"10." + (n / 256) + "." + (n % 256) + ".0/24\"");
        }
        List<String> prefixes21 = new ArrayList<>();
        for (int n = 0; n < 21; n++) {
            prefixes21.add("\"/p" + n + "\"");
        }
        String before = api.get(token).json().toString();
        String integrationBefore = api.get(integration).json().toString().replaceAll("\"activeTokens\":\\d+", "");
        Map<String, Long> rows = StoreState.snapshot(store);
        Object[][] cases = {
                {token, "{\"allowedNetworks\":[\"10.0.0.0/33\"]}", "allowedNetworks", "no valid prefix length"},
                {token, "{\"allowedNetworks\":[\"10.1.2.3/8\"]}", "allowedNetworks", "did you mean 10.0.0.0/8"},
                {token, "{\"allowedNetworks\":[\"gateway.example.com\"]}", "allowedNetworks", "no host names"},
                {token, "{\"allowedNetworks\":[\"fe80::1%eth0\"]}", "allowedNetworks", "is not an IPv4 or IPv6 network"},
                {token, "{\"allowedNetworks\":[\"fe80::1%25eth0/64\"]}", "allowedNetworks", "is not an IPv4 or IPv6 network"},
                {token, "{\"allowedNetworks\":[\"010.0.0.1\"]}", "allowedNetworks", "is not an IPv4 or IPv6 network"},
                {token, "{\"allowedNetworks\":[\"::/129\"]}", "allowedNetworks", "no valid prefix length"},
                {token, "{\"allowedNetworks\":[\"\"]}", "allowedNetworks", "entry 1 is empty"},
                {token, "{\"allowedNetworks\":[\"10.0.0.0/8\",\"10.0.0.0/8, 192.0.2.1\"]}", "allowedNetworks", "entry 2"},
                {token, "{\"allowedNetworks\":\"10.0.0.0/8\"}", "allowedNetworks", "must be an array of strings"},
                {token, "{\"allowedNetworks\":[167772160]}", "allowedNetworks", "must contain only strings"},
                {token, "{\"allowedNetworks\":" + thousands + "}", "allowedNetworks", "lists 2000 networks; at most 100"},
                {token, "{\"scope\":\"admin\"}", "scope", "must be read-write or read-only"},
                {token, "{\"scope\":\"READ-ONLY\"}", "scope", "must be read-write or read-only"},
                {token, "{\"scope\":true}", "scope", "must be a string"},
                {token, "{\"pathPrefixes\":[\"/api/global/v1/orders/../customers\"]}", "pathPrefixes", "must not contain . or .. segments"},
                {token, "{\"pathPrefixes\":[\"/api/global/./v1\"]}", "pathPrefixes", "must not contain . or .. segments"},
                {token, "{\"pathPrefixes\":[\"/..\"]}", "pathPrefixes", "must not contain . or .. segments"},
                {token, "{\"pathPrefixes\":[\"api/global\"]}", "pathPrefixes", "must start with /"},
                {token, "{\"pathPrefixes\":[\"/api//global\"]}", "pathPrefixes", "empty segment"},
                {token, "{\"pathPrefixes\":[\"/api/%2e%2e/x\"]}", "pathPrefixes", "without % escapes"},
                {token, "{\"pathPrefixes\":[\"/api/orders;jsessionid=1\"]}", "pathPrefixes", "no ;"},
                {token, "{\"pathPrefixes\":[\"/api/orders?x=1\"]}", "pathPrefixes", "no ;, ?"},
                {token, "{\"pathPrefixes\":[\"/api/a b\"]}", "pathPrefixes", "spaces"},
                {token, "{\"pathPrefixes\":[\"/api/\\u0000\"]}", "pathPrefixes", "control characters"},
                {token, "{\"pathPrefixes\":[\"/" + "a".repeat(200) + "\"]}", "pathPrefixes", "longer than 200"},
                {token, "{\"pathPrefixes\":[" + String.join(",", prefixes21) + "]}", "pathPrefixes", "lists 21 prefixes; at most 20"},
                {token, "{\"name\":\"renamed\"}", "name", "is not a field of this request"},
                {tokens, "{\"name\":\"x\",\"expiration\":\"7d\",\"allowedNetworks\":[\"300.0.0.0/8\"]}", "allowedNetworks", "entry 1"},
                {tokens, "{\"name\":\"x\",\"expiration\":\"7d\",\"pathPrefixes\":[\"/a/../b\"]}", "pathPrefixes", ". or .. segments"},
                {integration, "{\"allowedNetworks\":[\"192.0.2.0/24\",\"not a network\"]}", "allowedNetworks", "entry 2"},
                {integration, "{\"rateLimit\":{\"requestsPerMinute\":0}}", "rateLimit.requestsPerMinute", "from 1 to 1000000"},
                {integration, "{\"rateLimit\":{\"requestsPerMinute\":1000001}}", "rateLimit.requestsPerMinute", "from 1 to 1000000"},
                {integration, "{\"rateLimit\":{\"requestsPerMinute\":60,\"burst\":-1}}", "rateLimit.burst", "from 1 to 1000000"},
                {integration, "{\"rateLimit\":{\"burst\":5}}", "rateLimit.requestsPerMinute", "is required"},
                {integration, "{\"rateLimit\":{\"requestsPerMinute\":\"60\"}}", "requestsPerMinute", "must be a whole number"},
                {integration, "{\"rateLimit\":{\"requestsPerMinute\":1e99}}", "requestsPerMinute", "must be a whole number"},
                {integration, "{\"rateLimit\":{\"requestsPerMinute\":60,\"window\":60}}", "rateLimit.window", "is not a field of a rate limit"},
                {integration, "{\"rateLimit\":60}", "rateLimit", "must be an object"},
        };
        for (Object[] c : cases) {
            Reply reply = api.json(c[0] == tokens ? "POST" : "PATCH", (String) c[0], (String) c[1]);
            String message = assertValidation(reply, (String) c[2]);
            assertTrue(message.contains((String) c[3]), () -> c[1] + " -> " + message);
        }
        assertEquals(before, api.get(token).json().toString(), "the token is as it was");
        assertEquals(integrationBefore, api.get(integration).json().toString().replaceAll("\"activeTokens\":\\d+", ""));
        assertEquals(rows, StoreState.snapshot(store), "no row written");
    }

    @Test
    void theLongestListsAreShortenedInTheAuditAndTheOwnersMessageWithoutLosingTheScopeOrTheRateLimit() {
        Integration i = newIntegration();
        IssuedToken t = store.tokens().create("setup", i.id(), "erp", "never", null);
        StringJoiner networks = new StringJoiner(",", "[", "]");
        for (int n = 1; n <= 100; n++) { // the most a list may hold, each as long as a network is written
            networks.add("\"2001:db8:ffff:ffff:ffff:ffff:ffff:" + Integer.toHexString(0xff00 + n) + "/128\"");
        }

        Reply patched = api.json("PATCH", API + "/tokens/" + t.token().id(), "{\"allowedNetworks\":" + networks
                + ",\"scope\":\"read-only\",\"pathPrefixes\":[\"/api/global/v1/orders/\"]}");
        assertEquals(200, patched.status(), patched::toString);
        assertEquals(100, patched.json().get("allowedNetworks").size(), "the token keeps every network");

        String audit = lastDetail("token.restrictions_changed", t);
        String message = lastMessageDetail(i.id());
        for (String detail : List.of(audit, message)) {
            assertAll(detail,
                    () -> assertTrue(detail.startsWith("allowedNetworks=2001:db8:ffff:ffff:ffff:ffff:ffff:ff01/128, "), "the first networks"),
                    () -> assertTrue(detail.endsWith("… (100 in all), scope=read-only, pathPrefixes=/api/global/v1/orders/"),
                            "how many, then the scope and the prefixes whole"));
        }
        assertTrue(message.length() <= 255, message);

        Reply integration = api.json("PATCH", API + "/integrations/" + i.id(), "{\"allowedNetworks\":" + networks
                + ",\"rateLimit\":{\"requestsPerMinute\":60,\"burst\":5}}");
        assertEquals(200, integration.status(), integration::toString);
        for (String detail : List.of(lastDetail("integration.restrictions_changed", i.id()), lastMessageDetail(i.id()))) {
            assertTrue(detail.startsWith("allowedNetworks=2001:db8:ffff:ffff:ffff:ffff:ffff:ff01/128, ")
                    && detail.endsWith("… (100 in all), rateLimit=60/min, burst 5"), detail);
        }
    }

    /** The detail of the integration's latest message to its owner about its restrictions. */
    private static String lastMessageDetail(long integrationId) {
        return store.database().read(c -> {
            try (var ps = c.prepareStatement("SELECT detail FROM notification_outbox WHERE kind = 'restrictions_changed'"
                    + " AND integration_id = ? ORDER BY id DESC")) {
                ps.setLong(1, integrationId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    private static Integration newIntegration() {
        return store.integrations().create("setup", IntegrationStore.Input.of("Restricted " + NAMES.incrementAndGet(), "", "o@example.com"));
    }

    private static String lastDetail(String action, IssuedToken t) {
        return lastDetail(action, t.token().integrationId()).replace("hint=" + t.token().hint() + ", ", "");
    }

    private static String lastDetail(String action, long integrationId) {
        return store.database().read(c -> {
            try (var ps = c.prepareStatement("SELECT detail FROM audit_event WHERE action = ? AND integration_id = ? ORDER BY id DESC")) {
                ps.setString(1, action);
                ps.setLong(2, integrationId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }
}
