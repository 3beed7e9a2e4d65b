package io.globalgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leak response through a real gateway: GitHub's secret scanning reports, signed with keys this
 * test generates (the gateway knows the public half from its --secret-scanning-keys file), and
 * revocation by value from many client addresses (127.0.0.2 and on reach the gateway on
 * 127.0.0.1). Every answer of the public endpoints is checked against the OpenAPI document.
 */
class LeakResponseTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_ID = "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a";
    private static final String REPORT = "/public/v1/secret-scanning/github";
    private static final String REVOKE = "/public/v1/tokens/revoke";

    private static Path dataDir;
    private static RunningGateway gateway;
    private static RunningGateway plain;
    private static Path plainDir;
    private static GatewayClient admin;
    private static KeyPair github;
    private static KeyPair rogue;

    @BeforeAll
    static void start() throws Exception {
        github = ecKeyPair();
        rogue = ecKeyPair();
        dataDir = RunningGateway.newDataDir();
        Path keys = dataDir.resolve("github-keys.json");
        Files.writeString(keys, keysFile(Map.of("an-old-key", ecKeyPair(), KEY_ID, github)));
        gateway = RunningGateway.start(RunningGateway.config("--data-dir", dataDir.toString(), "--secret-scanning-keys", keys.toString()));
        admin = new GatewayClient(gateway.uri(), "admin", gateway.info().generatedPassword());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        RunningGateway.delete(dataDir);
        if (plain != null) {
            plain.close();
            RunningGateway.delete(plainDir);
        }
    }

    // ---- GitHub's secret scanning reports

    @Test
    void aSignedReportRevokesTheLiveTokenAndLabelsEachTokenOfAMixedBatch() throws Exception {
        long integration = admin.createIntegration("Leaky ERP").get("id").asLong();
        JsonNode live = admin.createToken(integration, "production");
        JsonNode revokedBefore = admin.createToken(integration, "old");
        assertEquals(200, admin.admin("POST", "/tokens/" + revokedBefore.get("id").asLong() + "/revoke", null).status());
        String unknown = TokenFormat.generate();
        String malformed = "gat_notAToken";
        String body = report(List.of(live.get("token").asText(), revokedBefore.get("token").asText(), unknown, malformed),
                "https://github.com/octocat/Hello-World/blob/12345600b9cbe38a219f39a9941c9319b600c002/foo/bar.txt");

        Reply reply = post(REPORT, signed(body, github.getPrivate(), KEY_ID), body);

        assertEquals(200, reply.status(), reply::toString);
        List<String> labels = StreamSupport.stream(reply.json().spliterator(), false).map(f -> f.get("label").asText()).toList();
        assertEquals(List.of("true_positive", "true_positive", "false_positive", "false_positive"), labels);
        assertEquals(TokenHash.of(live.get("token").asText()).toHex(), reply.json().get(0).get("token_hash").asText());
        assertEquals("globalgate_token", reply.json().get(0).get("token_type").asText());
        assertFalse(reply.body().contains(live.get("token").asText()), "the feedback names tokens by hash only");

        JsonNode now = token(live);
        assertEquals("revoked", now.get("status").asText());
        assertEquals("leak_reported", now.get("revokedReason").asText());
        assertEquals("github-secret-scanning", now.get("revokedBy").asText());
        assertEquals("manual", token(revokedBefore).get("revokedReason").asText(), "a token revoked before keeps how it ended");
        assertEquals(401, admin.globalApi("/api/global/v1/system/status", live.get("token").asText()).status(),
                "the filter refuses the leaked token at once");
        JsonNode event = audit(integration).get(0);
        assertEquals("token.leak_reported", event.get("action").asText());
        assertEquals("github-secret-scanning", event.get("actor").asText());
        assertTrue(event.get("detail").asText().contains("found at https://github.com/octocat/Hello-World/blob/12345600b9cbe38a219f39a9941c9319b600c002"
                + "/foo/bar.txt (source: commit)"), event.toString());
    }

    @Test
    void theSameReportTwiceChangesNothingTheSecondTime() throws Exception {
        long integration = admin.createIntegration("Replayed").get("id").asLong();
        JsonNode live = admin.createToken(integration, "production");
        String body = report(List.of(live.get("token").asText()), "https://github.com/octocat/x/blob/1/a.env");
        List<String> headers = signed(body, github.getPrivate(), KEY_ID);

        Reply first = post(REPORT, headers, body);
        JsonNode afterFirst = token(live);
        int auditAfterFirst = audit(integration).size();
        Reply second = post(REPORT, headers, body);

        assertEquals(200, second.status(), second::toString);
        assertEquals(first.json(), second.json(), "the same feedback");
        assertEquals(afterFirst, token(live), "the token's row is as the first report left it");
        assertEquals(auditAfterFirst, audit(integration).size(), "no second audit entry (and so no second e-mail)");
    }

    @Test
    void aSignedBatchOfAThousandTokensIsAnsweredWholeInOrderAndItsReplayChangesNothing() throws Exception {
        long integration = admin.createIntegration("Leaked in bulk").get("id").asLong();
        List<JsonNode> live = List.of(admin.createToken(integration, "first"), admin.createToken(integration, "middle"),
                admin.createToken(integration, "last"));
        JsonNode revokedBefore = admin.createToken(integration, "old");
        assertEquals(200, admin.admin("POST", "/tokens/" + revokedBefore.get("id").asLong() + "/revoke", null).status());
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            tokens.add(i % 7 == 3 ? "gat_" + "x".repeat(i % 50) : TokenFormat.generate()); // malformed among unknown ones
        }
        tokens.set(0, live.get(0).get("token").asText());
        tokens.set(499, live.get(1).get("token").asText());
        tokens.set(999, live.get(2).get("token").asText());
        tokens.set(500, revokedBefore.get("token").asText());
        tokens.set(501, live.get(1).get("token").asText()); // found twice in one batch
        java.util.Set<Integer> ours = java.util.Set.of(0, 499, 500, 501, 999);
        String body = report(tokens, "https://github.com/octocat/bulk/blob/1/dump.txt");
        List<String> headers = signed(body, github.getPrivate(), KEY_ID);

        Reply first = post(REPORT, headers, body);

        assertEquals(200, first.status(), first::toString);
        JsonNode answer = first.json();
        assertEquals(1000, answer.size(), "one feedback entry per reported token");
        for (int i = 0; i < 1000; i++) {
            JsonNode feedback = answer.get(i);
            assertEquals(TokenHash.of(tokens.get(i)).toHex(), feedback.get("token_hash").asText(), "entry " + i + " in the report's order");
            assertEquals(ours.contains(i) ? "true_positive" : "false_positive", feedback.get("label").asText(), "entry " + i);
        }
        for (JsonNode issued : live) {
            assertEquals("leak_reported", token(issued).get("revokedReason").asText(), issued.get("name").asText());
        }
        assertEquals("manual", token(revokedBefore).get("revokedReason").asText());
        List<JsonNode> afterFirst = audit(integration);
        assertEquals(3, afterFirst.stream().filter(e -> e.get("action").asText().equals("token.leak_reported")).count(),
                "one entry per live token, the one found twice included once");

        Reply replay = post(REPORT, headers, body);

        assertEquals(200, replay.status(), replay::toString);
        assertEquals(answer, replay.json(), "the same feedback");
        assertEquals(afterFirst.size(), audit(integration).size(), "the replay changes nothing (no audit entry, no e-mail)");
        for (JsonNode issued : live) {
            assertEquals(401, admin.globalApi("/api/global/v1/system/status", issued.get("token").asText()).status());
        }
    }

    @Test
    void aReportThatIsNotSignedByAConfiguredKeyIsRefusedAndChangesNothing() throws Exception {
        long integration = admin.createIntegration("Not really reported").get("id").asLong();
        JsonNode live = admin.createToken(integration, "production");
        String body = report(List.of(live.get("token").asText()), "https://github.com/octocat/x/blob/1/a.env");
        String goodSignature = signed(body, github.getPrivate(), KEY_ID).get(3);
        String other = report(List.of(live.get("token").asText()), "https://github.com/octocat/x/blob/1/b.env");
        int auditBefore = audit(integration).size();

        Map<String, List<String>> refused = new java.util.LinkedHashMap<>();
        refused.put("signed by a key GitHub does not have", signed(body, rogue.getPrivate(), KEY_ID));
        refused.put("signed by the old key's name with the current key", signed(body, github.getPrivate(), "an-old-key"));
        refused.put("an unknown key identifier", signed(body, github.getPrivate(), "no-such-key"));
        refused.put("the signature of another body", List.of("Github-Public-Key-Identifier", KEY_ID, "Github-Public-Key-Signature",
                signed(other, github.getPrivate(), KEY_ID).get(3)));
        refused.put("no signature", List.of("Github-Public-Key-Identifier", KEY_ID));
        refused.put("no identifier", List.of("Github-Public-Key-Signature", goodSignature));
        refused.put("a signature that is not base64", List.of("Github-Public-Key-Identifier", KEY_ID, "Github-Public-Key-Signature", "%%%not base64%%%"));
        refused.put("base64 that is no DER signature", List.of("Github-Public-Key-Identifier", KEY_ID, "Github-Public-Key-Signature",
                Base64.getEncoder().encodeToString("not a signature".getBytes(StandardCharsets.UTF_8))));
        refused.put("an empty signature", List.of("Github-Public-Key-Identifier", KEY_ID, "Github-Public-Key-Signature", " "));
        refused.put("two signatures", List.of("Github-Public-Key-Identifier", KEY_ID, "Github-Public-Key-Signature", goodSignature,
                "Github-Public-Key-Signature", goodSignature));
        refused.put("an overlong identifier", List.of("Github-Public-Key-Identifier", "k".repeat(5000), "Github-Public-Key-Signature", goodSignature));
        for (Map.Entry<String, List<String>> attempt : refused.entrySet()) {
            List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
            headers.addAll(attempt.getValue());
            Reply reply = FromAddress.of("127.0.0.1", gateway.uri()).send("POST", REPORT, headers, body);
            assertEquals(401, reply.status(), () -> attempt.getKey() + ": " + reply);
            assertEquals("authentication", reply.json().get("errors").get(0).get("type").asText(), attempt.getKey());
        }
        assertEquals("active", token(live).get("status").asText());
        assertEquals(auditBefore, audit(integration).size());
    }

    @Test
    void hostileReportsAreRefusedWithA4xxInTheErrorShape() throws Exception {
        Map<String, Object[]> cases = new java.util.LinkedHashMap<>();
        cases.put("not JSON", new Object[] {"application/json", "[{\"token\":", 400});
        cases.put("an object, not an array", new Object[] {"application/json", "{\"token\":\"gat_x\"}", 400});
        cases.put("a match without a token", new Object[] {"application/json", "[{\"type\":\"globalgate_token\"}]", 400});
        cases.put("a token that is a number", new Object[] {"application/json", "[{\"token\":42}]", 400});
        cases.put("duplicate keys", new Object[] {"application/json", "[{\"token\":\"a\",\"token\":\"b\"}]", 400});
        cases.put("nesting 100 deep", new Object[] {"application/json", "[".repeat(100) + "]".repeat(100), 400});
        cases.put("text/plain", new Object[] {"text/plain", "[]", 415});
        cases.put("latin-1", new Object[] {"application/json; charset=ISO-8859-1", "[]", 415});
        cases.put("an unknown charset", new Object[] {"application/json; charset=x-bogus", "[]", 415});
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append("{\"token\":\"gat_x\"}");
        }
        cases.put("1,001 tokens", new Object[] {"application/json", many.append("]").toString(), 413});
        cases.put("more than 1 MiB", new Object[] {"application/json", "[{\"token\":\"" + "x".repeat(1024 * 1024) + "\"}]", 413});
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            String body = (String) c.getValue()[1];
            List<String> headers = new ArrayList<>(signed(body, github.getPrivate(), KEY_ID));
            headers.set(1, (String) c.getValue()[0]);
            Reply reply = FromAddress.of("127.0.0.1", gateway.uri()).send("POST", REPORT, headers, body);
            assertEquals((int) c.getValue()[2], reply.status(), () -> c.getKey() + ": " + reply);
            assertEquals("validation", reply.json().at("/errors/0/type").asText(), () -> c.getKey() + ": " + reply);
            assertTrue(reply.json().at("/errors/0/message").isTextual(), () -> c.getKey() + ": " + reply);
        }
        byte[] notUtf8 = "[{\"token\":\"gat_\u00ff\"}]".getBytes(StandardCharsets.ISO_8859_1);
        Reply reply = FromAddress.of("127.0.0.1", gateway.uri()).sendBytes("POST", REPORT, signed(notUtf8, github.getPrivate(), KEY_ID), notUtf8);
        assertEquals(400, reply.status(), reply::toString);
        assertTrue(reply.body().contains("not valid UTF-8"), reply.body());

        assertEquals(405, FromAddress.of("127.0.0.1", gateway.uri()).send("GET", REPORT, List.of(), (String) null).status());
        assertEquals(404, FromAddress.of("127.0.0.1", gateway.uri()).send("POST", "/public/v1/no-such-thing",
                List.of("Content-Type", "application/json"), "[]").status());
    }

    /**
     * Black box, beyond issue 13's list: a report is read whole (up to 1 MiB) before its signature
     * can be checked, and any number were read at once; 195 unsigned ones, each holding its last
     * bytes back, held 220 MB of a 256 MB gateway and it stopped answering. At most
     * {@code MAX_REPORTS_IN_FLIGHT} are read at once; the others are answered {@code 503} with
     * {@code Retry-After} before their body is read, and a signed report goes through once those
     * in flight have ended.
     */
    @Test
    void onlyABoundedNumberOfReportsAreReadAtOnceTheOthersAre503BeforeTheirBody() throws Exception {
        int held = io.globalgate.admin.PublicLeakServlet.MAX_REPORTS_IN_FLIGHT;
        List<java.net.Socket> sockets = new java.util.ArrayList<>();
        String head = "POST " + REPORT + " HTTP/1.1\r\nHost: " + gateway.uri().getRawAuthority() + "\r\nContent-Type: application/json\r\n"
                + "Github-Public-Key-Identifier: " + KEY_ID + "\r\nGithub-Public-Key-Signature: MEUCIQ==\r\nContent-Length: 1048576\r\n\r\n[";
        try {
            for (int i = 0; i < held + 6; i++) {
                java.net.Socket socket = new java.net.Socket(gateway.uri().getHost(), gateway.uri().getPort());
                sockets.add(socket);
                socket.getOutputStream().write((head + " ".repeat(999)).getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                socket.setSoTimeout(200);
            }
            // The rest of the bodies never comes: whichever reports are read first are held; the others are answered.
            Map<java.net.Socket, java.io.ByteArrayOutputStream> answers = new java.util.HashMap<>();
            java.util.Set<java.net.Socket> ended = new java.util.HashSet<>();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (ended.size() < 6 && System.nanoTime() < deadline) {
                for (java.net.Socket socket : sockets) {
                    if (ended.contains(socket)) {
                        continue;
                    }
                    try {
                        byte[] buffer = new byte[4096];
                        int n = socket.getInputStream().read(buffer);
                        if (n < 0) {
                            ended.add(socket);
                        } else {
                            answers.computeIfAbsent(socket, k -> new java.io.ByteArrayOutputStream()).write(buffer, 0, n);
                        }
                    } catch (java.net.SocketTimeoutException nothingYet) {
                        // held, or not answered yet
                    }
                }
            }
            assertEquals(6, ended.size(), "reports answered: " + answers.values());
            for (java.net.Socket socket : ended) {
                String answer = answers.get(socket).toString(StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
                assertTrue(answer.contains("\r\nRetry-After: 5\r\n") && answer.contains("\r\nConnection: close\r\n"), answer);
                assertTrue(answer.endsWith("{\"errors\":[{\"type\":\"unavailable\",\"message\":\"Too many secret scanning reports are being"
                        + " received at once; try again shortly\"}]}"), answer);
            }
            for (java.net.Socket socket : sockets) {
                if (!ended.contains(socket)) {
                    assertFalse(answers.containsKey(socket), "a report being read was answered: " + answers.get(socket));
                }
            }
        } finally {
            for (java.net.Socket socket : sockets) {
                socket.close();
            }
        }
        long integration = admin.createIntegration("Reported after a flood").get("id").asLong();
        String body = report(List.of(admin.createToken(integration, "production").get("token").asText()), "https://github.com/o/r/blob/1/x");
        Reply reply = post(REPORT, signed(body, github.getPrivate(), KEY_ID), body);
        for (int attempt = 0; reply.status() == 503 && attempt < 50; attempt++) {
            Thread.sleep(100); // the reads of the closed connections end as the server notices
            reply = post(REPORT, signed(body, github.getPrivate(), KEY_ID), body);
        }
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("true_positive", reply.json().get(0).get("label").asText());
    }

    @Test
    void withoutKeysTheReportEndpointAnswers404() throws Exception {
        String body = report(List.of(TokenFormat.generate()), "https://github.com/a/b");
        Reply reply = FromAddress.of("127.0.0.1", plain().uri()).send("POST", REPORT, signed(body, github.getPrivate(), KEY_ID), body);
        assertEquals(404, reply.status(), reply::toString);
        assertTrue(reply.body().contains("no GitHub public keys are configured"), reply.body());
    }

    /** A second gateway, started once when first needed: no keys, and revocation by value limited to 3 at once, then 2 a minute. */
    private static synchronized RunningGateway plain() throws Exception {
        if (plain == null) {
            plainDir = RunningGateway.newDataDir();
            plain = RunningGateway.start(RunningGateway.config("--data-dir", plainDir.toString(), "--revoke-by-value-burst", "3",
                    "--revoke-by-value-per-minute", "2"));
        }
        return plain;
    }

    // ---- revocation by value

    @Test
    void revocationByValueRevokesALiveTokenAndAnswersAlikeWhateverTheTokensWere() throws Exception {
        long integration = admin.createIntegration("Revoked by its holder").get("id").asLong();
        JsonNode live = admin.createToken(integration, "production");
        FromAddress holder = FromAddress.of("127.0.0.2", gateway.uri());

        Reply forLive = revoke(holder, live.get("token").asText());
        Reply forUnknown = revoke(holder, TokenFormat.generate());
        Reply forMalformed = revoke(holder, "gat_nope");
        Reply forRevoked = revoke(holder, live.get("token").asText());

        for (Reply r : List.of(forLive, forUnknown, forMalformed, forRevoked)) {
            assertEquals(202, r.status(), r::toString);
            assertEquals("{\"received\":1}", r.body());
        }
        JsonNode now = token(live);
        assertEquals("revoked_by_value", now.get("revokedReason").asText());
        assertEquals("revocation-by-value", now.get("revokedBy").asText());
        List<JsonNode> events = audit(integration);
        assertEquals(1, events.stream().filter(e -> e.get("action").asText().equals("token.revoked_by_value")).count(), events::toString);
        assertTrue(events.get(0).get("detail").asText().contains("sent by 127.0.0.2"), events.get(0).toString());
        assertEquals(401, admin.globalApi("/api/global/v1/system/status", live.get("token").asText()).status());
    }

    @Test
    void revocationByValueIsRateLimitedPerClientAddress() throws Exception {
        for (int n = 1; n <= 30; n++) {
            Reply reply = revoke(FromAddress.of(FromAddress.nth(1000 + n), gateway.uri()), TokenFormat.generate());
            assertEquals(202, reply.status(), reply::toString);
        }
        FromAddress busy = FromAddress.of("127.0.0.3", gateway.uri());
        for (int i = 0; i < 10; i++) {
            assertEquals(202, revoke(busy, TokenFormat.generate()).status(), "request " + (i + 1) + " of the burst");
        }
        Reply limited = revoke(busy, TokenFormat.generate());
        assertEquals(429, limited.status(), limited::toString);
        assertEquals("rate_limit", limited.json().get("errors").get(0).get("type").asText());
        assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1, limited.headers().toString());
        assertEquals(202, revoke(FromAddress.of("127.0.0.4", gateway.uri()), TokenFormat.generate()).status(),
                "another address is not limited by the first");
    }

    @Test
    void revocationByValueIsLimitedAsTheOptionsSay() throws Exception {
        FromAddress busy = FromAddress.of("127.0.0.7", plain().uri());
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            assertEquals(202, revoke(busy, TokenFormat.generate()).status(), "request " + (i + 1) + " of a burst of 3");
        }
        Reply limited = revoke(busy, TokenFormat.generate());
        long elapsed = (System.nanoTime() - start + 999_999_999L) / 1_000_000_000L;
        assertEquals(429, limited.status(), limited::toString);
        long wait = Long.parseLong(limited.header("Retry-After"));
        // 2 a minute: one every 30 s, refilled while the burst was sent (this machine may be slow); the default would be 6 s at most.
        assertTrue(wait <= 30 && wait >= 30 - elapsed - 1 && wait > 6, "waited " + elapsed + " s, then told to wait " + wait + " s");
    }

    @Test
    void hostileRevocationRequestsAreRefusedWithA4xxInTheErrorShape() {
        FromAddress sender = FromAddress.of("127.0.0.5", gateway.uri());
        Map<String, Object[]> cases = new java.util.LinkedHashMap<>();
        cases.put("an unknown field", new Object[] {"application/json", "{\"tokens\":[\"gat_x\"],\"all\":true}", 400});
        cases.put("tokens not an array", new Object[] {"application/json", "{\"tokens\":\"gat_x\"}", 400});
        cases.put("no tokens", new Object[] {"application/json", "{\"tokens\":[]}", 400});
        cases.put("a token that is not a string", new Object[] {"application/json", "{\"tokens\":[null]}", 400});
        cases.put("an array body", new Object[] {"application/json", "[\"gat_x\"]", 400});
        cases.put("1,001 tokens", new Object[] {"application/json", "{\"tokens\":[" + "\"gat_x\",".repeat(1000) + "\"gat_x\"]}", 400});
        cases.put("more than 128 KiB", new Object[] {"application/json", "{\"tokens\":[\"" + "x".repeat(200_000) + "\"]}", 413});
        cases.put("a form", new Object[] {"application/x-www-form-urlencoded", "tokens=gat_x", 415});
        cases.put("UTF-16", new Object[] {"application/json; charset=UTF-16", "{\"tokens\":[\"gat_x\"]}", 415});
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            Reply reply = sender.send("POST", REVOKE, List.of("Content-Type", (String) c.getValue()[0]), (String) c.getValue()[1]);
            assertEquals((int) c.getValue()[2], reply.status(), () -> c.getKey() + ": " + reply);
            assertEquals("validation", reply.json().at("/errors/0/type").asText(), () -> c.getKey() + ": " + reply);
            assertTrue(reply.json().at("/errors/0/message").isTextual(), () -> c.getKey() + ": " + reply);
        }
        Reply notUtf8 = FromAddress.of("127.0.0.6", gateway.uri()).sendBytes("POST", REVOKE, List.of("Content-Type", "application/json"),
                new byte[] {'{', '"', 't', 'o', 'k', 'e', 'n', 's', '"', ':', '[', '"', (byte) 0xC3, '"', ']', '}'});
        assertEquals(400, notUtf8.status(), notUtf8::toString);
    }

    // ---- helpers

    private static Reply revoke(FromAddress from, String token) {
        return from.send("POST", REVOKE, List.of("Content-Type", "application/json"), "{\"tokens\":[" + GatewayClient.quote(token) + "]}");
    }

    private static Reply post(String path, List<String> headers, String body) {
        return FromAddress.of("127.0.0.1", gateway.uri()).send("POST", path, headers, body);
    }

    private static JsonNode token(JsonNode issued) {
        Reply reply = admin.admin("GET", "/tokens/" + issued.get("id").asLong(), null);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    private static List<JsonNode> audit(long integration) {
        Reply reply = admin.admin("GET", "/audit?integrationId=" + integration + "&size=100", null);
        assertEquals(200, reply.status(), reply::toString);
        return StreamSupport.stream(reply.json().get("events").spliterator(), false).collect(Collectors.toList());
    }

    static String report(List<String> tokens, String url) throws Exception {
        ArrayNode array = JSON.createArrayNode();
        for (String token : tokens) {
            array.addObject().put("token", token).put("type", "globalgate_token").put("url", url).put("source", "commit");
        }
        return JSON.writeValueAsString(array);
    }

    static List<String> signed(String body, PrivateKey key, String keyId) throws Exception {
        return signed(body.getBytes(StandardCharsets.UTF_8), key, keyId);
    }

    /** The headers GitHub sends: the content type, the key's identifier, the base64 DER signature of the body. */
    static List<String> signed(byte[] body, PrivateKey key, String keyId) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(body);
        return List.of("Content-Type", "application/json", "Github-Public-Key-Signature", Base64.getEncoder().encodeToString(signer.sign()),
                "Github-Public-Key-Identifier", keyId);
    }

    static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A keys file as GitHub's https://api.github.com/meta/public_keys/secret_scanning answers. */
    static String keysFile(Map<String, KeyPair> keys) throws Exception {
        JsonNode root = JSON.createObjectNode();
        ArrayNode list = ((com.fasterxml.jackson.databind.node.ObjectNode) root).putArray("public_keys");
        for (Map.Entry<String, KeyPair> key : new java.util.TreeMap<>(keys).entrySet()) {
            String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.getValue().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
            list.addObject().put("key_identifier", key.getKey()).put("key", pem).put("is_current", key.getKey().equals(KEY_ID));
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
