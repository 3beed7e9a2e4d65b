package io.globalgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.globalgate.admin.testing.ApiShapes.assertError;
import static io.globalgate.admin.testing.ApiShapes.assertValidation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a careless or hostile script may send the JSON API: wrong types, missing and unknown
 * fields, deep nesting, huge and broken bodies, JSON that is not an object. Each is a 4xx in the
 * error shape, never a 500, and stores nothing; text that only looks dangerous is stored verbatim.
 */
class AdminApiHostileInputTest {

    private static final String API = "/admin/api/v1";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static HikariDataSource dataSource;
    private static AdminTestServer server;
    private static ManagementStore store;
    private static AdminClient api;
    private static Integration integration;
    private static IssuedToken token;

    @BeforeAll
    static void startServer() throws Exception {
        dataSource = TestDatabases.h2();
        server = AdminTestServer.start(dataSource, Clock.systemUTC(), Map.of());
        store = server.store();
        api = AdminClient.admin(server);
        integration = store.integrations().create("setup", IntegrationStore.Input.of("Target", "hostile input", "t@example.com"));
        token = store.tokens().create("setup", integration.id(), "target token", "30d", null);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        dataSource.close();
    }

    @Test
    void fieldsOfTheWrongTypeAre400NamingTheFieldBeforeAnythingIsStored() {
        Map<String, Long> before = StoreState.snapshot(store);
        long i = integration.id();
        long t = token.token().id();
        String integrations = API + "/integrations";
        String one = API + "/integrations/" + i;
        String tokens = API + "/integrations/" + i + "/tokens";
        String revoke = API + "/integrations/" + i + "/tokens/revoke";
        String regenerate = API + "/tokens/" + t + "/regenerate";
        Object[][] cases = {
                {integrations, "POST", "{\"name\":123,\"notificationEmail\":\"a@example.com\"}", "name", "must be a string"},
                {integrations, "POST", "{\"name\":\"x\",\"description\":true,\"notificationEmail\":\"a@example.com\"}", "description", "must be a string"},
                {integrations, "POST", "{\"name\":\"x\",\"notificationEmail\":[\"a@example.com\"]}", "notificationEmail", "must be a string"},
                {integrations, "POST", "{\"name\":{\"first\":\"x\"},\"notificationEmail\":\"a@example.com\"}", "name", "must be a string"},
                {one, "PATCH", "{\"active\":\"yes\"}", "active", "must be true or false"},
                {one, "PATCH", "{\"active\":1}", "active", "must be true or false"},
                {one, "PATCH", "{\"active\":\"false\"}", "active", "must be true or false"},
                {one, "PATCH", "{\"name\":false}", "name", "must be a string"},
                {tokens, "POST", "{\"name\":\"x\",\"expiration\":30}", "expiration", "must be a string"},
                {tokens, "POST", "{\"name\":\"x\",\"expiresAt\":1893456000}", "expiresAt", "must be a string"},
                {tokens, "POST", "{\"name\":[],\"expiration\":\"7d\"}", "name", "must be a string"},
                {revoke, "POST", "{\"ids\":[\"a\"]}", "ids", "must contain only whole numbers"},
                {revoke, "POST", "{\"ids\":[\"" + t + "\"]}", "ids", "must contain only whole numbers"},
                {revoke, "POST", "{\"ids\":[1.5]}", "ids", "must contain only whole numbers"},
                {revoke, "POST", "{\"ids\":[99999999999999999999]}", "ids", "must contain only whole numbers"},
                {revoke, "POST", "{\"ids\":[null]}", "ids", "must contain only whole numbers"},
                {revoke, "POST", "{\"ids\":[-1]}", "ids", "must contain only positive token ids"},
                {revoke, "POST", "{\"ids\":" + t + "}", "ids", "must be an array of token ids"},
                {revoke, "POST", "{\"ids\":{\"0\":" + t + "}}", "ids", "must be an array of token ids"},
                {regenerate, "POST", "{\"graceSeconds\":1e40}", "graceSeconds", "must be a whole number"},
                {regenerate, "POST", "{\"graceSeconds\":99999999999999999999}", "graceSeconds", "must be a whole number"},
                {regenerate, "POST", "{\"graceSeconds\":\"60\"}", "graceSeconds", "must be a whole number"},
                {regenerate, "POST", "{\"graceSeconds\":60.5}", "graceSeconds", "must be a whole number"},
                {regenerate, "POST", "{\"graceSeconds\":-1}", "graceSeconds", "must be between 0 and 604800 (7 days)"},
                {regenerate, "POST", "{\"graceSeconds\":604801}", "graceSeconds", "must be between 0 and 604800 (7 days)"},
                {regenerate, "POST", "{\"graceSeconds\":9223372036854775807}", "graceSeconds", "must be between 0 and 604800 (7 days)"},
                {regenerate, "POST", "{\"expiration\":30}", "expiration", "must be a string"},
                {regenerate, "POST", "{\"expiresAt\":1893456000}", "expiresAt", "must be a string"},
                {regenerate, "POST", "{\"expiration\":\"7d\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}", "expiration",
                        "give either expiration or expiresAt, not both"},
        };
        for (Object[] c : cases) {
            Reply reply = api.json((String) c[1], (String) c[0], (String) c[2]);
            assertEquals(c[4], assertValidation(reply, (String) c[3]), c[2] + " -> " + reply);
        }
        List<Long> tooMany = new ArrayList<>();
        for (long n = 1; n <= 1001; n++) {
            tooMany.add(n);
        }
        Reply many = api.json("POST", revoke, "{\"ids\":" + tooMany + "}");
        assertEquals("must list at most 1000 token ids (was 1001)", assertValidation(many, "ids"));
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(200, GlobalApi.status(server.uri(), token.value()));
    }

    @Test
    void missingFieldsAre400NamingEachBeforeAnythingIsStored() {
        Map<String, Long> before = StoreState.snapshot(store);
        long i = integration.id();
        assertEquals("is required", assertValidation(api.json("POST", API + "/integrations", "{\"name\":\"only a name\"}"),
                "notificationEmail"));
        assertEquals("is required", assertValidation(api.json("POST", API + "/integrations",
                "{\"notificationEmail\":\"a@example.com\"}"), "name"));
        assertEquals("is required", assertValidation(api.json("POST", API + "/integrations",
                "{\"name\":null,\"notificationEmail\":\"a@example.com\"}"), "name"));
        assertEquals("is required", assertValidation(api.json("POST", API + "/integrations",
                "{\"name\":\" \\u00a0\\t \",\"notificationEmail\":\"a@example.com\"}"), "name"));
        assertEquals("is required", assertValidation(api.json("POST", API + "/integrations/" + i + "/tokens",
                "{\"expiration\":\"7d\"}"), "name"));
        assertEquals("must be an array of token ids", assertValidation(api.json("POST", API + "/integrations/" + i + "/tokens/revoke",
                "{}"), "ids"));
        assertError(api.json("POST", API + "/integrations", null), 415, "validation");
        assertEquals(before, StoreState.snapshot(store));
    }

    @Test
    void unknownFieldsAre400NamingThemWithTheKnownOnesBeforeAnythingIsStored() {
        Map<String, Long> before = StoreState.snapshot(store);
        long i = integration.id();
        String msg = assertValidation(api.json("POST", API + "/integrations",
                "{\"name\":\"sneaky\",\"notificationEmail\":\"a@example.com\",\"id\":1,\"active\":false}"), "id");
        assertEquals("is not a field of this request (fields: description, name, notificationEmail)", msg);
        assertValidation(api.json("POST", API + "/integrations",
                "{\"name\":\"sneaky\",\"notificationEmail\":\"a@example.com\",\"id\":1,\"active\":false}"), "active");
        assertValidation(api.json("PATCH", API + "/integrations/" + i, "{\"activeTokens\":99}"), "activeTokens");
        assertValidation(api.json("POST", API + "/integrations/" + i + "/tokens",
                "{\"name\":\"x\",\"expiration\":\"7d\",\"token\":\"gat_00000000000000000000000000000000000000\"}"), "token");
        assertValidation(api.json("POST", API + "/integrations/" + i + "/tokens/revoke", "{\"ids\":[1],\"all\":true}"), "all");
        assertValidation(api.json("POST", API + "/tokens/" + token.token().id() + "/regenerate", "{\"grace\":60}"), "grace");
        assertEquals("is not a field of this request",
                assertValidation(api.json("POST", API + "/tokens/" + token.token().id() + "/revoke", "{\"reason\":\"x\"}"), "reason"));
        String longKey = "k".repeat(5000);
        String clipped = api.json("PATCH", API + "/integrations/" + i, "{\"" + longKey + "\":1}").json()
                .at("/errors/0/details/0/key").asText();
        assertTrue(clipped.length() <= 101, "an unknown key is not echoed at length: " + clipped.length());
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(200, GlobalApi.status(server.uri(), token.value()));
    }

    @Test
    void jsonThatIsNotAnObjectOrNotJsonAtAllIs400BeforeAnythingIsStored() {
        Map<String, Long> before = StoreState.snapshot(store);
        List<String> bodies = List.of("[]", "[{\"name\":\"x\",\"notificationEmail\":\"a@example.com\"}]", "\"x\"", "null", "42",
                "true", "", "   ", "{", "{\"name\":", "{\"name\":\"x\",}", "{'name':'x'}", "{name:\"x\"}",
                "{\"name\":\"x\",\"notificationEmail\":\"a@example.com\"} {}",
                "{\"name\":\"x\",\"notificationEmail\":\"a@example.com\"} trailing",
                "{\"name\":\"x\",\"name\":\"y\",\"notificationEmail\":\"a@example.com\"}",
                "/* comment */ {\"name\":\"x\",\"notificationEmail\":\"a@example.com\"}",
                "{\"name\":\"x\",\"notificationEmail\":\"a@example.com\",\"description\":NaN}",
                "\u0000");
        for (String body : bodies) {
            Reply reply = api.json("POST", API + "/integrations", body);
            assertError(reply, 400, "validation");
        }
        for (String path : List.of(API + "/integrations/" + integration.id(), API + "/integrations/" + integration.id() + "/tokens/revoke",
                API + "/tokens/" + token.token().id() + "/regenerate")) {
            for (String body : List.of("[]", "\"x\"", "null")) {
                String method = path.endsWith("/" + integration.id()) ? "PATCH" : "POST";
                assertError(api.json(method, path, body), 400, "validation");
            }
        }
        assertEquals("Request body must be a JSON object",
                api.json("POST", API + "/integrations", "[]").json().at("/errors/0/message").asText());
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(200, GlobalApi.status(server.uri(), token.value()));
    }

    @Test
    void deeplyNestedJsonIs400WithoutExhaustingTheServer() {
        Map<String, Long> before = StoreState.snapshot(store);
        for (int depth : new int[] {100, 100_000}) {
            String arrays = "{\"name\":" + "[".repeat(depth) + "]".repeat(depth) + ",\"notificationEmail\":\"a@example.com\"}";
            assertError(api.json("POST", API + "/integrations", arrays), depth > 20_000 ? 413 : 400, "validation");
            StringBuilder objects = new StringBuilder();
            for (int d = 0; d < Math.min(depth, 10_000); d++) {
                objects.append("{\"a\":");
            }
            objects.append("1").append("}".repeat(Math.min(depth, 10_000)));
            // at most 10 000 levels: 60 KB, under the 64 KB limit, so refused for its depth
            assertError(api.json("PATCH", API + "/integrations/" + integration.id(), objects.toString()), 400, "validation");
        }
        assertEquals(before, StoreState.snapshot(store));
        assertEquals(200, api.get(API + "/integrations").status(), "the server still answers");
    }

    @Test
    void aTenMegabyteBodyIs413WithoutStoppingTheServer() throws Exception {
        Map<String, Long> before = StoreState.snapshot(store);
        byte[] big = new byte[10 * 1024 * 1024];
        Arrays.fill(big, (byte) 'a');
        byte[] prefix = "{\"name\":\"big\",\"notificationEmail\":\"a@example.com\",\"description\":\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(prefix, 0, big, 0, prefix.length);
        big[big.length - 2] = '"';
        big[big.length - 1] = '}';

        // With Content-Length. (Not with Expect: 100-continue: Java 17's HttpClient then waits
        // forever on a final answer that is not 100; curl, which sends it for large bodies, gets the 413.)
        Reply announced = api.send("POST", API + "/integrations", "application/json", big);
        JsonNode error = assertError(announced, 413, "validation");
        assertEquals("Request body is larger than 65536 bytes", error.get("message").asText());
        assertEquals("close", announced.header("Connection"), "the unread connection is not offered for the next request");
        for (int n = 0; n < 5; n++) {
            assertEquals(200, api.get(API + "/integrations").status(), "the same client goes on at once");
        }
        // Streamed in chunks without a length: the server reads no more than the limit allows.
        Reply chunked = api.sendBody("POST", API + "/integrations", "application/json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)));
        assertError(chunked, 413, "validation");
        assertEquals(200, api.get(API + "/integrations").status(), "the server still answers");
        assertEquals(before, StoreState.snapshot(store));
    }

    @Test
    void aTenMegabyteBodySentWithoutWaitingIsRefusedWithoutStoppingTheServer() throws Exception {
        Map<String, Long> before = StoreState.snapshot(store);
        byte[] big = new byte[10 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        // A raw client that writes the whole body before reading: it must get the 413 (or see the
        // connection closed after it), and the server must go on serving others.
        try (java.net.Socket socket = new java.net.Socket(server.uri().getHost(), server.uri().getPort())) {
            socket.setSoTimeout(20_000);
            String head = "POST " + API + "/integrations HTTP/1.1\r\nHost: " + server.uri().getRawAuthority() + "\r\n"
                    + "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin-secret".getBytes())
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + big.length + "\r\n\r\n";
            var out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(big);
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // the server may answer and close before the whole body is written
            }
            String answer = readSome(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer.isEmpty() ? "no answer" : answer);
        }
        assertEquals(200, api.get(API + "/integrations").status(), "the server still answers");
        assertEquals(before, StoreState.snapshot(store));
    }

    @Test
    void invalidUtf8Is400BeforeAnythingIsStored() {
        Map<String, Long> before = StoreState.snapshot(store);
        byte[][] broken = {
                {(byte) 0xC3, (byte) 0x28},                 // truncated two-byte sequence
                {(byte) 0xC0, (byte) 0xAF},                 // overlong '/'
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80},    // an encoded surrogate
                {(byte) 0xFF, (byte) 0xFE},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
        };
        for (byte[] bad : broken) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"name\":\"x".getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes("\",\"notificationEmail\":\"a@example.com\"}".getBytes(StandardCharsets.UTF_8));
            Reply reply = api.send("POST", API + "/integrations", "application/json", body.toByteArray());
            JsonNode error = assertError(reply, 400, "validation");
            assertEquals("Request body is not valid UTF-8", error.get("message").asText());
        }
        Reply latin1 = api.send("POST", API + "/integrations", "application/json; charset=ISO-8859-1",
                "{\"name\":\"Caf\u00e9\",\"notificationEmail\":\"a@example.com\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertError(latin1, 415, "validation");
        Reply bogus = api.send("POST", API + "/integrations", "application/json; charset=x-bogus",
                "{\"name\":\"Bogus\",\"notificationEmail\":\"a@example.com\"}".getBytes(StandardCharsets.UTF_8));
        assertError(bogus, 415, "validation");
        assertEquals(before, StoreState.snapshot(store));
    }

    @Test
    void textThatOnlyLooksLikeCodeRoundTripsVerbatim() {
        String sql = "Robert'); DROP TABLE integration;-- " + NAMES.incrementAndGet();
        String script = "<script>alert(1)</script>\"><img src=x onerror=alert(1)> javascript:alert(1) ' OR '1'='1";
        String unicode = "Ünïcödé 日本語 🚀 " + NAMES.incrementAndGet();
        Reply created = api.json("POST", API + "/integrations", json(Map.of("name", sql, "description", script,
                "notificationEmail", "o'neil+x=`y`{z}@example.com")));
        assertEquals(201, created.status(), created.toString());
        long id = created.json().get("id").asLong();
        JsonNode read = api.get(API + "/integrations/" + id).json();
        assertEquals(sql, read.get("name").asText());
        assertEquals(script, read.get("description").asText());
        assertEquals("o'neil+x=`y`{z}@example.com", read.get("notificationEmail").asText());
        assertEquals(sql, store.integrations().get(id).name());

        Reply tokenReply = api.json("POST", API + "/integrations/" + id + "/tokens",
                json(Map.of("name", "'; DELETE FROM access_token; -- <script>alert(1)</script>", "expiration", "7d")));
        assertEquals(201, tokenReply.status(), tokenReply.toString());
        assertEquals("'; DELETE FROM access_token; -- <script>alert(1)</script>",
                api.get(API + "/tokens/" + tokenReply.json().get("id").asLong()).json().get("name").asText());
        Reply renamed = api.json("PATCH", API + "/integrations/" + id, json(Map.of("name", unicode)));
        assertEquals(unicode, renamed.json().get("name").asText());

        JsonNode search = api.get(API + "/integrations?q=" + AdminClient.enc("' OR 1=1 --")).json();
        assertEquals(0, search.get("total").asLong(), "a search is a search, not SQL");
        JsonNode wildcard = api.get(API + "/integrations?q=" + AdminClient.enc("%")).json();
        assertEquals(0, wildcard.get("total").asLong(), "% is a literal character");
        JsonNode found = api.get(API + "/integrations?q=" + AdminClient.enc("日本語")).json();
        assertEquals(1, found.get("total").asLong());
        assertTrue(StoreState.count(store, "SELECT COUNT(*) FROM integration") >= 2, "the tables are all still there");
        assertEquals(200, GlobalApi.status(server.uri(), token.value()));
    }

    @Test
    void controlAndDirectionCharactersInNamesAreRefusedNamingThePosition() {
        Map<String, Long> before = StoreState.snapshot(store);
        assertEquals("must not contain control characters (found U+0000 at position 2)", assertValidation(
                api.json("POST", API + "/integrations", "{\"name\":\"a\\u0000b\",\"notificationEmail\":\"a@example.com\"}"), "name"));
        assertEquals("must not contain control characters (found U+202E at position 5)", assertValidation(
                api.json("POST", API + "/integrations", "{\"name\":\"evil\\u202Etxt.exe\",\"notificationEmail\":\"a@example.com\"}"),
                "name"));
        assertEquals("contains an invalid character (unpaired surrogate)", assertValidation(
                api.json("POST", API + "/integrations", "{\"name\":\"x\\ud800\",\"notificationEmail\":\"a@example.com\"}"), "name"));
        assertTrue(assertValidation(api.json("POST", API + "/integrations",
                "{\"name\":\"x\",\"notificationEmail\":\"a@example.com\\r\\nBcc: all@example.com\"}"), "notificationEmail")
                .startsWith("must be an e-mail address"));
        assertEquals(before, StoreState.snapshot(store));
    }

    @Test
    void aSortOutsideTheAllowlistOrAnOverlongSearchIs400NamingTheParameterAndNothingElseHappens() {
        Map<String, Long> before = StoreState.snapshot(store);
        String tokens = API + "/integrations/" + integration.id() + "/tokens";
        for (String sort : List.of("name; DROP TABLE access_token", "' OR 1=1 --", "token_hash", "id", "NAME", "--name", "-",
                "name,created", "x".repeat(5000), "lastused", "active")) {
            Reply reply = api.get(tokens + "?sort=" + AdminClient.enc(sort));
            assertError(reply, 400, "validation");
            assertEquals("sort", reply.json().at("/errors/0/details/0/key").asText(), reply.toString());
            assertEquals("must be one of name, -name, created, -created, expires, -expires, lastUsed, -lastUsed, status, -status",
                    reply.json().at("/errors/0/details/0/message").asText());
        }
        for (String sort : List.of("expires", "status", "lastUsed", "; SELECT 1")) {
            Reply reply = api.get(API + "/integrations?sort=" + AdminClient.enc(sort));
            assertError(reply, 400, "validation");
            assertEquals("must be one of name, -name, created, -created, active, -active", reply.json().at("/errors/0/details/0/message").asText());
        }
        for (String q : List.of("q".repeat(101), "a\u0000b", "\u202Eevil")) {
            Reply reply = api.get(tokens + "?q=" + AdminClient.enc(q));
            assertError(reply, 400, "validation");
            assertEquals("q", reply.json().at("/errors/0/details/0/key").asText());
        }
        for (String q : List.of("' OR '1'='1", "%", "_", "日本語 😀", "\\")) {
            Reply reply = api.get(tokens + "?q=" + AdminClient.enc(q) + "&sort=-lastUsed");
            assertEquals(200, reply.status(), q + ": " + reply);
            assertEquals(0, reply.json().get("total").asLong(), q);
        }
        for (String page : List.of("99999999999999999999", "-1", "abc", "1e3", "0")) {
            assertError(api.get(tokens + "?sort=name&page=" + page), 400, "validation");
        }
        assertEquals(0, api.get(tokens + "?sort=name&page=1000000").json().get("tokens").size(), "past the end: empty, as the API always was");
        assertEquals(before, StoreState.snapshot(store));
    }

    /** docs/API.md's error table: the type each status carries (an authenticated script, no cross-site headers). */
    private static final Map<Integer, String> ERROR_TYPES = Map.of(400, "validation", 404, "not_found", 405, "validation",
            413, "validation");

    /**
     * Every method on every path with every hostile body: never a server error, and each answer
     * exactly what the API's routing and validation give it (docs/API.md): an unknown path is a
     * 404 whatever the method; a method the path does not offer a 405; a body over 64 KB a 413
     * before it is read; a body with a field the endpoint does not take, or a value it refuses, a
     * 400 before any lookup; a valid body for an integration that does not exist a 404. Two bodies
     * are valid where they land and say so: a 600-character description on an existing
     * integration (200), a mass revocation of a token id no token has (200, none revoked).
     */
    @Test
    void everyHostileRequestGetsTheStatusAndTypeOfItsDefectNeverAServerError() {
        Map<String, Long> before = StoreState.snapshot(store);
        String real = API + "/integrations/" + integration.id();
        String[] paths = {API + "/integrations", real, real + "/tokens", real + "/tokens/revoke",
                API + "/tokens/" + token.token().id() + "/regenerate", API + "/audit", API + "/integrations/0", API + "/tokens/-1",
                API + "/integrations/999999999999999999"};
        // the methods each path offers (an empty list: no such API path; /tokens/-1 is not an id)
        List<List<String>> offered = List.of(List.of("GET", "POST"), List.of("GET", "PATCH"), List.of("GET", "POST"), List.of("POST"),
                List.of("POST"), List.of("GET"), List.of("GET", "PATCH"), List.of(), List.of("GET", "PATCH"));
        boolean[] exists = {true, true, true, true, true, true, false, false, false};
        String nul = "{\"name\":\"\\u0000\"}";
        String maxLong = "{\"ids\":[9223372036854775807]}";
        String huge = "{\"name\":\"" + "x".repeat(70_000) + "\"}";
        String description = "{\"description\":\"" + "\\ud83d\\ude80".repeat(600) + "\"}";
        String[] bodies = {nul, "{\"expiresAt\":\"+999999999-12-31T23:59:59Z\",\"name\":\"x\"}",
                "{\"expiresAt\":\"10000-01-01T00:00:00Z\",\"name\":\"x\"}", "{\"expiresAt\":\"" + "9".repeat(70) + "\",\"name\":\"x\"}",
                "{\"ids\":[0]}", maxLong, "{\"graceSeconds\":-9223372036854775808}", huge, description};
        for (int p = 0; p < paths.length; p++) {
            for (String method : List.of("GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS")) {
                for (String body : method.equals("GET") ? new String[] {null} : bodies) {
                    int expected;
                    if (offered.get(p).isEmpty()) {
                        expected = 404;
                    } else if (!offered.get(p).contains(method)) {
                        expected = 405;
                    } else if (method.equals("GET")) {
                        expected = exists[p] ? 200 : 404;
                    } else if (body.equals(huge)) {
                        expected = 413;
                    } else if (method.equals("PATCH") && body.equals(description)) {
                        expected = exists[p] ? 200 : 404; // a description of 600 characters (the limit is 1,000) is valid
                    } else if (p == 3 && body.equals(maxLong)) {
                        expected = 200; // a positive id that no token of the integration has: nothing to revoke
                    } else {
                        expected = 400;
                    }
                    String request = method + " " + paths[p] + " " + (body == null ? "" : body.substring(0, Math.min(60, body.length())));
                    Reply reply = api.json(method, paths[p], body);
                    if (expected < 400) {
                        assertEquals(expected, reply.status(), () -> request + " -> " + reply);
                    } else {
                        assertError(reply, expected, ERROR_TYPES.get(expected));
                    }
                    if (expected == 405) {
                        assertEquals(String.join(", ", offered.get(p)), reply.header("Allow"), request);
                    }
                }
            }
        }
        assertEquals(null, store.tokens().get(token.token().id()).revokedAt(), "the token aimed at was neither revoked nor regenerated");
        Map<String, Long> after = StoreState.snapshot(store);
        assertEquals(before.get("integration"), after.get("integration"), "no integration was stored");
        assertEquals(before.get("access_token"), after.get("access_token"), "no token was stored");
    }

    // ---- helpers

    private static String json(Map<String, String> fields) {
        try {
            return new ObjectMapper().writeValueAsString(fields);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readSome(InputStream in) {
        byte[] buffer = new byte[4096];
        int total = 0;
        try {
            int n;
            while (total < 12 && (n = in.read(buffer, total, buffer.length - total)) > 0) {
                total += n;
            }
        } catch (java.io.IOException e) {
            // a reset after the answer: what was read is what we have
        }
        return new String(buffer, 0, total, StandardCharsets.ISO_8859_1);
    }
}
