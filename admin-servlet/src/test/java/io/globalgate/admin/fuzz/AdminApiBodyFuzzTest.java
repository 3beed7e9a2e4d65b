package io.globalgate.admin.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
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
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated bodies for every POST and PATCH of the JSON management API, sent to a real Jetty:
 * wrong types, huge numbers, deep nesting, 10 MB bodies, invalid UTF-8, random bytes, unknown and
 * duplicate fields, broken syntax, other content types. Every body carries at least one defect
 * that the contract refuses, so each answer must be exactly the status and error type docs/API.md's
 * table gives for it ({@code 415} for another content type, else {@code 413} for a body over 64 KB,
 * else {@code 400}; type {@code validation}) in the shape
 * {@code {"errors":[{"type":...,"message":...}]}}, and the store must be unchanged afterwards. A
 * control shows that each endpoint accepts its valid body, the base every defect is added to, so a
 * refusal for another reason (authentication, routing) cannot pass for the expected one. Inputs come from a seeded {@link Random}: the seed is printed, {@code -Dfuzz.seed=N}
 * repeats a run.
 */
@Timeout(180)
class AdminApiBodyFuzzTest {

    private static final String API = "/admin/api/v1";
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int BODIES_PER_ENDPOINT = 300;

    private static HikariDataSource dataSource;
    private static AdminTestServer server;
    private static ManagementStore store;
    private static AdminClient api;
    private static IssuedToken token;
    private static List<Endpoint> endpoints;

    /** A POST or PATCH, the fields its body may have, and one body it would accept (the base that defects are added to). */
    private record Endpoint(String method, String path, List<String> fields, String validBody) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @BeforeAll
    static void startServer() throws Exception {
        System.out.println("[globalgate-fuzz] AdminApiBodyFuzzTest seed " + SEED + " (repeat with -Dfuzz.seed=" + SEED + ")");
        dataSource = TestDatabases.h2();
        server = AdminTestServer.start(dataSource, Clock.systemUTC(), Map.of());
        store = server.store();
        api = AdminClient.admin(server);
        long integration = store.integrations().create("setup", IntegrationStore.Input.of("Fuzz target", "fuzzed", "t@example.com")).id();
        token = store.tokens().create("setup", integration, "fuzz target", "30d", null);
        endpoints = endpoints(integration, token.token().id());
    }

    /** The six calls that take a body, aimed at {@code integration} and its token {@code tokenId}. */
    private static List<Endpoint> endpoints(long integration, long tokenId) {
        return List.of(
                new Endpoint("POST", API + "/integrations", List.of("name", "description", "notificationEmail"),
                        "{\"name\":\"Fuzz created\",\"description\":\"d\",\"notificationEmail\":\"f@example.com\"}"),
                new Endpoint("PATCH", API + "/integrations/" + integration, List.of("name", "description", "notificationEmail", "active"),
                        "{\"description\":\"changed\",\"active\":false}"),
                new Endpoint("POST", API + "/integrations/" + integration + "/tokens", List.of("name", "expiration", "expiresAt"),
                        "{\"name\":\"fuzz token\",\"expiration\":\"7d\"}"),
                new Endpoint("POST", API + "/integrations/" + integration + "/tokens/revoke", List.of("ids"), "{\"ids\":[" + tokenId + "]}"),
                new Endpoint("POST", API + "/tokens/" + tokenId + "/revoke", List.of(), "{}"),
                new Endpoint("POST", API + "/tokens/" + tokenId + "/regenerate", List.of("graceSeconds"), "{\"graceSeconds\":60}"));
    }

    /** The status each endpoint's valid body gets (the contract's table), in the order of {@link #endpoints}. */
    private static final int[] ACCEPTED = {201, 200, 201, 200, 200, 201};

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        dataSource.close();
    }

    @Test
    void theValidBodyOfEachEndpointIsAcceptedWithTheContractsStatus() {
        for (int i = 0; i < endpoints.size(); i++) {
            // a target of its own for each call: the mass revoke and the revoke would otherwise meet a revoked token
            long integration = store.integrations().create("setup", IntegrationStore.Input.of("Control " + i, "control", "c@example.com")).id();
            IssuedToken target = store.tokens().create("setup", integration, "control target", "30d", null);
            Endpoint endpoint = endpoints(integration, target.token().id()).get(i);
            Reply reply = api.send(endpoint.method, endpoint.path, "application/json", endpoint.validBody.getBytes(StandardCharsets.UTF_8));
            assertEquals(ACCEPTED[i], reply.status(), () -> endpoint + " with its valid body " + endpoint.validBody + " -> " + reply);
        }
    }

    @Test
    void everyGeneratedBodyThatMustBeRefusedGetsTheStatusAndTypeOfItsDefectBeforeAnythingIsStored() {
        Map<String, Long> before = StoreState.snapshot(store);
        Bodies bodies = new Bodies(new Random(SEED));
        Map<String, Map<Integer, Integer>> answers = new TreeMap<>();
        for (Endpoint endpoint : endpoints) {
            for (int n = 0; n < BODIES_PER_ENDPOINT; n++) {
                Body body = bodies.refused(endpoint);
                // Forwarding headers of every kind from a peer that is no proxy: they change nothing.
                String[] forwarding = bodies.forwardingHeaders();
                Reply reply = api.send(endpoint.method, endpoint.path, body.contentType, body.bytes, forwarding);
                assertRefusedInTheErrorShape(endpoint, body, reply, forwarding);
                answers.computeIfAbsent(body.defect, k -> new TreeMap<>()).merge(reply.status(), 1, Integer::sum);
            }
        }
        System.out.println("[globalgate-fuzz] admin API bodies by defect (status=count): " + answers);
        assertEquals(before, StoreState.snapshot(store), "a refused request stored nothing");
        assertEquals(200, GlobalApi.status(server.uri(), token.value()), "the token the bodies aimed at still works");
    }

    @Test
    void tenMegabyteBodiesToEveryEndpointAre413InTheErrorShapeWithoutStoppingTheServer() throws Exception {
        Map<String, Long> before = StoreState.snapshot(store);
        Random random = new Random(SEED ^ 0x10);
        for (Endpoint endpoint : endpoints) {
            for (int n = 0; n < 2; n++) {
                byte[] big = new byte[10 * 1024 * 1024 + random.nextInt(1024)];
                Arrays.fill(big, (byte) (n == 0 ? ' ' : 'a'));
                byte[] head = (n == 0 ? endpoint.validBody.substring(0, endpoint.validBody.length() - 1)
                        : endpoint.validBody.replaceFirst("}$", ",\"description\":\"")).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(head, 0, big, 0, head.length);
                big[big.length - 2] = n == 0 ? (byte) ' ' : (byte) '"';
                big[big.length - 1] = '}';
                Body body = new Body("10 MB", "application/json", big);
                RawAnswer answer = RawAnswer.send(endpoint.method, endpoint.path, big);
                String where = endpoint + " with " + body + " (seed " + SEED + ") -> ";
                assertEquals(413, answer.status, () -> where + answer);
                assertTrue(errorShape(answer.body), () -> where + "not in the error shape: " + answer);
                assertTrue(answer.body.contains("\"type\":\"validation\""), () -> where + "not of type validation: " + answer);
                assertEquals(200, api.get(API + "/integrations").status(), "the server still answers");
            }
        }
        assertEquals(before, StoreState.snapshot(store), "a refused request stored nothing");
    }

    /**
     * A bounded few bodies that arrive slowly, in chunks without a Content-Length: each answered as the
     * same body sent at once would be, and nothing stored.
     */
    @Test
    void slowGeneratedBodiesGetTheStatusAndTypeOfTheirDefect() {
        Map<String, Long> before = StoreState.snapshot(store);
        Bodies bodies = new Bodies(new Random(SEED ^ 0x510));
        for (Endpoint endpoint : endpoints) {
            Body body = bodies.refused(endpoint);
            while (body.bytes.length > 64 * 1024) { // a large slow body would only make the test slow
                body = bodies.refused(endpoint);
            }
            byte[] bytes = body.bytes;
            Reply reply = api.sendBody(endpoint.method, endpoint.path, body.contentType,
                    java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new SlowStream(bytes, 4, 25)));
            assertRefusedInTheErrorShape(endpoint, body, reply, "(sent in 4 chunks 25 ms apart)", "");
        }
        assertEquals(before, StoreState.snapshot(store), "a refused request stored nothing");
    }

    /** Gives its bytes in {@code chunks} parts, pausing {@code pauseMillis} before each part but the first. */
    private static final class SlowStream extends java.io.InputStream {
        private final byte[] bytes;
        private final int chunk;
        private final long pauseMillis;
        private int at;

        SlowStream(byte[] bytes, int chunks, long pauseMillis) {
            this.bytes = bytes;
            this.chunk = Math.max(1, (bytes.length + chunks - 1) / chunks);
            this.pauseMillis = pauseMillis;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at >= bytes.length) {
                return -1;
            }
            if (at > 0 && at % chunk == 0) {
                try {
                    Thread.sleep(pauseMillis); // the slowness under test
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int n = Math.min(len, Math.min(bytes.length - at, chunk - at % chunk));
            System.arraycopy(bytes, at, b, off, n);
            at += n;
            return n;
        }
    }

    @Test
    void everyValidBodyWithGeneratedCrossSiteHeadersIsRefused403BeforeAnythingIsStored() {
        Map<String, Long> before = StoreState.snapshot(store);
        Random random = new Random(SEED ^ 0x5173);
        String own = api.origin();
        String[] origins = {"null", "NULL", " null", "http://evil.example", own + ".evil.example", own + "/", own + ":80",
                own.replace("http://", "https://"), own.replace("127.0.0.1", "localhost"), "http://127.0.0.1", "file://",
                "", "*", own + "%00", own + "#", "http://[::1]:" + server.uri().getPort(), own.toUpperCase().replace("HTTP", "ftp")};
        String[] sites = {"cross-site", "same-site", "Cross-Site", "SAME-SITE", " cross-site", "cross-site, same-origin",
                "same-origin;x", "", "unknown", "same_origin"};
        Map<String, Integer> answers = new TreeMap<>();
        for (Endpoint endpoint : endpoints) {
            for (int n = 0; n < 40; n++) {
                List<String> headers = new ArrayList<>();
                int kind = random.nextInt(3);
                if (kind != 1) {
                    headers.add("Origin");
                    headers.add(origins[random.nextInt(origins.length)]);
                }
                if (kind != 0) {
                    headers.add("Sec-Fetch-Site");
                    headers.add(sites[random.nextInt(sites.length)]);
                }
                if (kind == 1 && random.nextBoolean()) {
                    headers.add("Origin");
                    headers.add(own); // our own origin does not outweigh what Sec-Fetch-Site says
                }
                Reply reply = api.send(endpoint.method, endpoint.path, "application/json",
                        endpoint.validBody.getBytes(StandardCharsets.UTF_8), headers.toArray(String[]::new));
                String where = endpoint + " with " + headers + " (seed " + SEED + ") -> " + reply;
                assertEquals(403, reply.status(), where);
                assertEquals("forbidden", reply.json().at("/errors/0/type").asText(), where);
                answers.merge(kind == 0 ? "Origin" : kind == 1 ? "Sec-Fetch-Site" : "both", 1, Integer::sum);
            }
        }
        System.out.println("[globalgate-fuzz] admin API calls refused as cross-site, by header: " + answers);
        assertEquals(before, StoreState.snapshot(store), "a refused request stored nothing");
        assertEquals(200, GlobalApi.status(server.uri(), token.value()), "the token the calls aimed at still works");
    }

    /**
     * A 10 MB upload over a raw socket that reads the answer while it writes, as curl does. The
     * server answers 413 and closes as soon as it has seen the Content-Length; Java 17's HttpClient
     * reads no answer before the whole body is written, so it reports a broken pipe instead of the
     * 413 about one time in twenty.
     */
    private record RawAnswer(int status, String head, String body) {
        static RawAnswer send(String method, String path, byte[] body) throws Exception {
            try (java.net.Socket socket = new java.net.Socket(server.uri().getHost(), server.uri().getPort())) {
                socket.setSoTimeout(20_000);
                String head = method + " " + path + " HTTP/1.1\r\nHost: " + server.uri().getRawAuthority() + "\r\nAuthorization: Basic "
                        + java.util.Base64.getEncoder().encodeToString((AdminTestServer.ADMIN + ":" + AdminTestServer.ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8))
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                Thread reader = new Thread(() -> {
                    byte[] buffer = new byte[8192];
                    try {
                        java.io.InputStream in = socket.getInputStream();
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            synchronized (received) {
                                received.write(buffer, 0, n);
                            }
                        }
                    } catch (java.io.IOException e) {
                        // a reset after the answer: what was read is what we have
                    }
                }, "fuzz-raw-reader");
                reader.start();
                try {
                    java.io.OutputStream out = socket.getOutputStream();
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                } catch (java.io.IOException e) {
                    // the server answered and closed before the whole body was written
                }
                reader.join(20_000);
                String text;
                synchronized (received) {
                    text = received.toString(StandardCharsets.UTF_8);
                }
                int split = text.indexOf("\r\n\r\n");
                if (!text.startsWith("HTTP/1.1 ") || split < 0) {
                    return new RawAnswer(-1, text, "");
                }
                return new RawAnswer(Integer.parseInt(text.substring(9, 12)), text.substring(0, split), text.substring(split + 4));
            }
        }
    }

    private static boolean errorShape(String text) {
        try {
            JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
            JsonNode error = json.path("errors").path(0);
            return json.isObject() && json.get("errors").isArray() && error.path("type").isTextual() && error.path("message").isTextual();
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * What the error table of docs/API.md says of a body: another content type, or a charset other
     * than UTF-8 (unknown ones included), is {@code 415}, checked first; then a body over 64 KB is {@code 413}; any other defect {@code 400}. All of type
     * {@code validation}.
     */
    private static int expectedStatus(Body body) {
        if (body.contentType == null || !Bodies.UTF8_JSON_TYPES.contains(body.contentType)) {
            return 415; // another media type, or a charset other than UTF-8 named
        }
        return body.bytes.length > 64 * 1024 ? 413 : 400;
    }

    private static void assertRefusedInTheErrorShape(Endpoint endpoint, Body body, Reply reply, String... headers) {
        String where = endpoint + " with " + body + (headers.length == 0 ? "" : " and " + Arrays.toString(headers))
                + " (seed " + SEED + ") -> ";
        assertEquals(expectedStatus(body), reply.status(), () -> where + reply);
        JsonNode json;
        try {
            json = reply.json();
        } catch (RuntimeException e) {
            throw new AssertionError(where + "not JSON: " + reply, e);
        }
        JsonNode error = json.path("errors").path(0);
        assertTrue(json.isObject() && json.get("errors").isArray() && error.path("type").isTextual()
                && error.path("message").isTextual(), () -> where + "not in the error shape: " + reply);
        assertEquals("validation", error.path("type").asText(), () -> where + reply);
    }

    /** A body, its content type, and the defect that makes it one the contract refuses. */
    private record Body(String defect, String contentType, byte[] bytes) {
        static Body json(String defect, String text) {
            return new Body(defect, "application/json", text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            String text = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1);
            StringBuilder sb = new StringBuilder();
            for (char c : text.toCharArray()) {
                sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02x", (int) c));
            }
            return defect + " body [" + contentType + ", " + bytes.length + " bytes] " + sb + (bytes.length > 200 ? "…" : "");
        }
    }

    /** The generator: each body is a valid one with at least one defect the contract refuses. */
    private static final class Bodies {
        private static final String[] OTHER_TYPES = {"text/plain", "application/xml", "application/x-www-form-urlencoded",
                "application/json-patch+json", "application/jsonx", "json", "text/json", "multipart/form-data; boundary=x"};
        private static final String[] HUGE = {"1e400", "-1e400", "1e-400", "9223372036854775808", "-9223372036854775809",
                "1" + "0".repeat(39), "9".repeat(41), "1".repeat(400), "0." + "0".repeat(60) + "1", "123456789012345678901234567890.5"};
        /** Content types that name UTF-8 JSON: a body under them is judged by its bytes. */
        static final List<String> UTF8_JSON_TYPES = List.of("application/json", "application/json; charset=utf-8",
                "application/json;charset=UTF-8", "application/json; charset=\"utf-8\"", "Application/JSON; Charset=Utf-8");
        private static final String[] OTHER_CHARSETS = {"x-bogus", "utf-16", "UTF-16LE", "utf-32", "UTF-32BE", "iso-8859-1",
                "us-ascii", "windows-1252", "", "\"utf-16\"", "utf8", "utf-8, utf-16", "utf-8;charset=utf-16", "utf-8x", "*"};
        private final Random random;

        Bodies(Random random) {
            this.random = random;
        }

        Body refused(Endpoint endpoint) {
            return switch (random.nextInt(14)) {
                case 12 -> otherCharset(endpoint);
                case 13 -> utf16Or32(endpoint);
                case 0, 1 -> wrongType(endpoint);
                case 2 -> hugeNumber(endpoint);
                case 3 -> deepNesting(endpoint);
                case 4 -> invalidUtf8(endpoint);
                case 5 -> randomBytes();
                case 6 -> unknownField(endpoint);
                case 7 -> notAnObject(endpoint);
                case 8 -> brokenSyntax(endpoint);
                case 9 -> duplicateKey(endpoint);
                case 10 -> new Body("content type", random.nextInt(8) == 0 ? null : pick(OTHER_TYPES),
                        endpoint.validBody.getBytes(StandardCharsets.UTF_8));
                default -> oversized(endpoint);
            };
        }

        /** The valid body, its content type naming a charset other than UTF-8: refused before it is read. */
        private Body otherCharset(Endpoint endpoint) {
            String type = pick("application/json; charset=", "application/json;charset=", "application/json; Charset=")
                    + pick(OTHER_CHARSETS);
            return new Body("charset", type, endpoint.validBody.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * The valid body in UTF-16 or UTF-32 (either byte order, with or without a byte-order mark),
         * sent as UTF-8 JSON: decoded as what it is, it would be accepted.
         */
        private Body utf16Or32(Endpoint endpoint) {
            String[] charsets = {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE", "UTF-32"};
            String charset = pick(charsets);
            String text = (random.nextBoolean() && !charset.equals("UTF-16") ? "\uFEFF" : "") + endpoint.validBody;
            return new Body("UTF-16/32 body", pick(UTF8_JSON_TYPES.toArray(String[]::new)), text.getBytes(java.nio.charset.Charset.forName(charset)));
        }

        /**
         * Forwarding headers a client (no trusted proxy) writes, or none: garbage, huge, many values,
         * addresses of every kind, a forged scheme; as pairs of name and value.
         */
        String[] forwardingHeaders() {
            if (random.nextInt(3) != 0) {
                return new String[0];
            }
            List<String> headers = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) { // at most about 5 KB: under the 8 KB header limit
                String name = pick("X-Forwarded-For", "X-Forwarded-Proto", "Forwarded", "X-Real-IP", "X-Forwarded-Host", "X-Forwarded-Port");
                String value = switch (random.nextInt(8)) {
                    case 0 -> pick("127.0.0.1", "10.0.0.1", "::1", "[2001:db8::1]:443", "unknown", "_hidden", "0.0.0.0", "255.255.255.255");
                    case 1 -> pick("https", "http", "HTTPS", "https, http", "ftp", "javascript:", "") ;
                    case 2 -> "for=\"[2001:db8::1]:4711\";proto=https;by=" + pick("1.2.3.4", "\"x\"", "_x");
                    case 3 -> String.join(", ", java.util.Collections.nCopies(1 + random.nextInt(80), "198.51.100." + random.nextInt(256)));
                    case 4 -> "x".repeat(1 + random.nextInt(1500));
                    case 5 -> ",,, ,;;=\"" + unicode(1 + random.nextInt(8)).replaceAll("[^\\x21-\\x7e]", "?");
                    case 6 -> random.nextInt(256) + "." + random.nextInt(999) + "." + random.nextInt(256) + "." + random.nextInt(256);
                    default -> "https://evil.example";
                };
                headers.add(name);
                headers.add(value);
            }
            return headers.toArray(String[]::new);
        }

        /** A known field of the wrong type (never null: null means "not given"). */
        private Body wrongType(Endpoint endpoint) {
            if (endpoint.fields.isEmpty()) {
                return unknownField(endpoint);
            }
            String field = pick(endpoint.fields.toArray(String[]::new));
            String value = switch (field) {
                case "active" -> pick("\"true\"", "\"false\"", "1", "0", "[]", "{}", "[true]", "\"yes\"");
                case "ids" -> pick("1", "\"1\"", "{\"0\":1}", "true", "[\"1\"]", "[1.5]", "[null]", "[true]", "[[1]]", "[{}]",
                        "[" + pick(HUGE) + "]");
                case "graceSeconds" -> pick("\"60\"", "60.5", "true", "[]", "{}", "-1", "604801", "[60]", "\"\"");
                default -> pick("1", "-0", "true", "false", "[]", "[\"x\"]", "{}", "{\"x\":\"y\"}", "1.5", "0");
            };
            return Body.json("wrong type", with(endpoint.validBody, field, value));
        }

        private Body hugeNumber(Endpoint endpoint) {
            String field = endpoint.fields.isEmpty() ? "graceSeconds" : pick(endpoint.fields.toArray(String[]::new));
            // Each is beyond a long, not a whole number, or longer than the 40 digits the parser reads:
            // refused in a number field, and in a text or boolean field for its type.
            String value = field.equals("ids") ? "[" + pick(HUGE) + "]" : pick(HUGE);
            return Body.json("huge number", with(endpoint.validBody, field, value));
        }

        private Body deepNesting(Endpoint endpoint) {
            int depth = 33 + random.nextInt(random.nextInt(10) == 0 ? 30_000 : 2_000);
            StringBuilder open = new StringBuilder();
            StringBuilder close = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                if (random.nextBoolean()) {
                    open.append('[');
                    close.insert(0, ']');
                } else {
                    open.append("{\"a\":");
                    close.insert(0, '}');
                }
            }
            String field = endpoint.fields.isEmpty() ? "x" : pick(endpoint.fields.toArray(String[]::new));
            String nested = open + "1" + close;
            return Body.json("deep nesting", random.nextBoolean() ? with(endpoint.validBody, field, nested) : nested);
        }

        /** The valid body with a broken UTF-8 sequence in a string: decoded leniently it would be accepted. */
        private Body invalidUtf8(Endpoint endpoint) {
            byte[][] broken = {{(byte) 0xC3, (byte) 0x28}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                    {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xED, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                    {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xFE}, {(byte) 0xFF}, {(byte) 0x80},
                    {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82}};
            String text = endpoint.validBody;
            int at = text.indexOf('"', 1) + 1; // inside the first key, or after it
            if (at <= 0) {
                at = 1;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(broken[random.nextInt(broken.length)]);
            out.writeBytes(text.substring(at).getBytes(StandardCharsets.UTF_8));
            if (text.equals("{}")) { // no string to break: a key of broken bytes
                out.reset();
                out.writeBytes("{\"".getBytes(StandardCharsets.UTF_8));
                out.writeBytes(broken[random.nextInt(broken.length)]);
                out.writeBytes("\":1}".getBytes(StandardCharsets.UTF_8));
            }
            return new Body("invalid UTF-8", "application/json", out.toByteArray());
        }

        private Body randomBytes() {
            byte[] bytes = new byte[1 + random.nextInt(4_000)];
            random.nextBytes(bytes);
            if (bytes[0] == '{' || Character.isWhitespace(bytes[0])) {
                bytes[0] = '#';
            }
            return new Body("random bytes", "application/json", bytes);
        }

        private Body unknownField(Endpoint endpoint) {
            String key;
            do {
                key = pick("id", "token", "createdAt", "status", "admin", "__proto__", "constructor", "Name", "NAME", "name ",
                        " name", "ids[]", "activeTokens", "revoked", "", "\\u0000", unicode(1 + random.nextInt(12)));
            } while (endpoint.fields.contains(key));
            String value = pick("1", "true", "null", "\"x\"", "[]", "{}");
            return Body.json("unknown field", with(endpoint.validBody, key, value));
        }

        /** Any JSON but an object; not the empty body, which is how a revoke or a regeneration without options is sent. */
        private Body notAnObject(Endpoint endpoint) {
            return Body.json("not an object", pick("[]", "[{}]", "\"x\"", "null", "0", "-1", "true", "false", "\"{}\"", "[[]]",
                    "1e5", " ", "\n", "[" + endpoint.validBody + "]"));
        }

        /** One structural character of the valid body deleted, or a stray token inserted between two tokens (never inside a string). */
        private Body brokenSyntax(Endpoint endpoint) {
            String text = endpoint.validBody;
            List<Integer> structural = new ArrayList<>();
            List<Integer> between = new ArrayList<>();
            boolean inString = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (!inString) {
                    between.add(i);
                }
                if ("{}[]:,\"".indexOf(c) >= 0) {
                    structural.add(i);
                }
                if (c == '"') {
                    inString = !inString;
                }
            }
            between.add(text.length());
            String broken;
            if (random.nextBoolean()) {
                int at = structural.get(random.nextInt(structural.size()));
                broken = text.substring(0, at) + text.substring(at + 1);
            } else {
                int at = between.get(random.nextInt(between.size()));
                broken = text.substring(0, at) + pick("{", "}", "[", "]", ":", ",", "\"", "'", "/*", "//\n", "NaN", "undefined")
                        + text.substring(at);
            }
            return Body.json("broken syntax", broken.isBlank() ? "{" : broken);
        }

        private Body duplicateKey(Endpoint endpoint) {
            String text = endpoint.validBody;
            if (text.equals("{}")) {
                return Body.json("duplicate key", "{\"x\":1,\"x\":1}");
            }
            String first = text.substring(1, text.length() - 1).split(",(?=\")")[0];
            return Body.json("duplicate key", "{" + first + "," + text.substring(1));
        }

        /** Over the 64 KB limit, with or without a defect of its own. */
        private Body oversized(Endpoint endpoint) {
            int size = 64 * 1024 + 1 + random.nextInt(512 * 1024);
            String pad = "a".repeat(size);
            return Body.json("over 64 KB", with(endpoint.validBody, endpoint.fields.isEmpty() ? "x" : "description", "\"" + pad + "\""));
        }

        /** The body with {@code field} set to {@code rawValue}, replacing it when present. */
        private static String with(String body, String field, String rawValue) {
            String inner = body.substring(1, body.length() - 1);
            List<String> parts = new ArrayList<>();
            if (!inner.isEmpty()) {
                for (String part : inner.split(",(?=\")")) {
                    if (!part.startsWith("\"" + field + "\":")) {
                        parts.add(part);
                    }
                }
            }
            parts.add(new java.util.Random(body.hashCode()).nextInt(parts.size() + 1), "\"" + field + "\":" + rawValue);
            return "{" + String.join(",", parts) + "}";
        }

        private String unicode(int n) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                char c = (char) (0x20 + random.nextInt(0x2FF0));
                sb.append(c == '"' || c == '\\' ? 'q' : c);
            }
            return sb.toString();
        }

        private String pick(String... options) {
            return options[random.nextInt(options.length)];
        }
    }
}
