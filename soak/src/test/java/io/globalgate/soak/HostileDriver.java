package io.globalgate.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.globalgate.token.TokenFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * What a careless or hostile client sends: malformed, oversized and random {@code Authorization}
 * headers to the Global API (some over a raw socket, with bytes no HTTP client library would send),
 * and hostile JSON to every POST and PATCH of the admin API, aimed at real integrations and tokens.
 * Every one of them must be refused; none may change anything; every admin API answer must be one
 * the API's OpenAPI document allows.
 */
final class HostileDriver implements Runnable {

    /** A kind of hostile {@code Authorization}, and the answers the contract allows for it (besides a 503 while the database is down). */
    enum HeaderAttack {
        UNKNOWN_TOKEN("well-formed token never issued", Set.of(401)),
        BAD_CHECKSUM("issued token with one character changed", Set.of(401)),
        WRONG_LENGTH("issued token cut or extended", Set.of(401)),
        GARBAGE("random printable text", Set.of(400, 401)),
        OTHER_SCHEME("issued token without Bearer, or another scheme", Set.of(401)),
        EMPTY("empty or scheme only", Set.of(401)),
        TWO_TOKENS("two issued tokens in one header", Set.of(400)),
        TWO_HEADERS("two Authorization headers with issued tokens", Set.of(400)),
        QUERY_TOKEN("issued token in the query string", Set.of(400)),
        TOO_LONG("1-4 KB value", Set.of(401)),
        OVERSIZED("9-40 KB header", Set.of(431)),
        RAW_BYTES("issued token with control or non-ASCII bytes (raw socket)", Set.of(400, 401));

        final String label;
        final Set<Integer> allowed;

        HeaderAttack(String label, Set<Integer> allowed) {
            this.label = label;
            this.allowed = allowed;
        }
    }

    /** One hostile admin API request and its answer. */
    record AdminAttack(String endpoint, String attack, int node, long sent, long received, int status, boolean errorShape,
                       String answer) {
    }

    private static final String API = "/admin/api/v1";
    private static final long MAX_ATTACKS = 10_000_000L;

    private final TokenPool pool;
    private final OpenApiAnswers openApi;
    private final IntFunction<URI> nodes;
    private final int nodeCount;
    private final String adminPassword;
    private final Timeline timeline;
    private final Random random;
    private final long endAt;
    private final RequestLog headerLog = new RequestLog();
    private final List<AdminAttack> adminLog = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private long attacks;

    HostileDriver(TokenPool pool, IntFunction<URI> nodes, int nodeCount, String adminPassword, Timeline timeline, long seed, long endAt,
                  OpenApiAnswers openApi) {
        this.pool = pool;
        this.openApi = openApi;
        this.nodes = nodes;
        this.nodeCount = nodeCount;
        this.adminPassword = adminPassword;
        this.timeline = timeline;
        this.random = new Random(seed);
        this.endAt = endAt;
    }

    RequestLog headerLog() {
        return headerLog;
    }

    List<AdminAttack> adminLog() {
        return adminLog;
    }

    @Override
    public void run() {
        for (; attacks < MAX_ATTACKS && timeline.now() < endAt && !Thread.currentThread().isInterrupted(); attacks++) {
            List<TokenPool.Issued> issued = pool.issued();
            if (issued.isEmpty()) {
                pause(50);
                continue;
            }
            if (random.nextInt(3) == 0) {
                adminAttack(issued);
            } else {
                headerAttack(issued);
            }
            pause(15 + random.nextInt(30));
        }
    }

    // ---- the Global API: hostile Authorization headers

    private void headerAttack(List<TokenPool.Issued> issued) {
        HeaderAttack attack = HeaderAttack.values()[random.nextInt(HeaderAttack.values().length)];
        String a = issued.get(random.nextInt(issued.size())).value();
        String b = issued.get(random.nextInt(issued.size())).value();
        int node = random.nextInt(nodeCount);
        if (attack == HeaderAttack.RAW_BYTES) {
            rawAttack(node, a);
            return;
        }
        String path = LoadClient.PATH;
        List<String> values = new ArrayList<>();
        switch (attack) {
            case UNKNOWN_TOKEN -> values.add((random.nextBoolean() ? "Bearer " : "bearer ") + TokenFormat.generate());
            case BAD_CHECKSUM -> {
                char[] chars = a.toCharArray();
                int at = 4 + random.nextInt(chars.length - 4);
                chars[at] = chars[at] == 'x' ? 'y' : 'x';
                values.add("Bearer " + new String(chars));
            }
            case WRONG_LENGTH -> values.add("Bearer " + (random.nextBoolean() ? a.substring(0, a.length() - 1 - random.nextInt(5))
                    : a + (char) ('a' + random.nextInt(26))));
            case GARBAGE -> values.add("Bearer " + printable(1 + random.nextInt(200)));
            case OTHER_SCHEME -> values.add(switch (random.nextInt(4)) {
                case 0 -> a;
                case 1 -> "Token " + a;
                case 2 -> "Basic " + Base64.getEncoder().encodeToString(("admin:" + a).getBytes(StandardCharsets.UTF_8));
                default -> "Bearer-" + a;
            });
            case EMPTY -> values.add(switch (random.nextInt(3)) {
                case 0 -> "";
                case 1 -> "Bearer";
                default -> "Bearer ";
            });
            case TWO_TOKENS -> values.add("Bearer " + a + (random.nextBoolean() ? ", " : " ") + b);
            case TWO_HEADERS -> {
                values.add("Bearer " + a);
                values.add("Bearer " + b);
            }
            case QUERY_TOKEN -> {
                path += "?access_token=" + a;
                if (random.nextBoolean()) {
                    values.add("Bearer " + a);
                }
            }
            case TOO_LONG -> values.add("Bearer " + a + printableToken(1_000 + random.nextInt(3_000)));
            case OVERSIZED -> values.add("Bearer " + a + printableToken(9_000 + random.nextInt(31_000)));
            default -> throw new IllegalStateException(attack.name());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(nodes.apply(node).resolve(path)).timeout(Duration.ofSeconds(10)).GET();
        values.forEach(v -> request.header("Authorization", v));
        long sent = timeline.now();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() >= 500 && response.statusCode() != 503) {
                headerLog.noteNext(response.headers().map() + " " + response.body());
            }
            headerLog.add(sent, timeline.now(), -1, node, response.statusCode(),
                    RequestLog.reasonOf(response.headers().firstValue("WWW-Authenticate").orElse(null)), (byte) 0, (byte) attack.ordinal());
        } catch (ConnectException e) {
            headerLog.add(sent, timeline.now(), -1, node, RequestLog.CONNECT_REFUSED, RequestLog.REASON_NONE, (byte) 0, (byte) attack.ordinal());
        } catch (IOException e) {
            headerLog.add(sent, timeline.now(), -1, node, RequestLog.NO_ANSWER, RequestLog.REASON_NONE, (byte) 0, (byte) attack.ordinal());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An issued token followed by a byte no client library sends: a control character, DEL, or a non-ASCII byte. */
    private void rawAttack(int node, String token) {
        byte[][] tails = {{0x01}, {0x00}, {0x7F}, {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xFF}, {0x0B}, {(byte) 0xE2, (byte) 0x80, (byte) 0xAE}};
        byte[] tail = tails[random.nextInt(tails.length)];
        URI base = nodes.apply(node);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("GET " + LoadClient.PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + base.getPort() + "\r\nAuthorization: Bearer ")
                .getBytes(StandardCharsets.US_ASCII));
        if (random.nextBoolean()) {
            request.writeBytes(token.getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(tail);
        } else {
            request.writeBytes(token.substring(0, 20).getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(tail);
            request.writeBytes(token.substring(20).getBytes(StandardCharsets.US_ASCII));
        }
        request.writeBytes("\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        long sent = timeline.now();
        int status;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            status = statusLine(socket.getInputStream());
        } catch (ConnectException e) {
            status = RequestLog.CONNECT_REFUSED;
        } catch (IOException e) {
            status = RequestLog.NO_ANSWER;
        }
        headerLog.add(sent, timeline.now(), -1, node, status, RequestLog.REASON_NONE, RequestLog.FLAG_RAW,
                (byte) HeaderAttack.RAW_BYTES.ordinal());
    }

    private static int statusLine(InputStream in) throws IOException {
        byte[] head = in.readNBytes(12);
        String line = new String(head, StandardCharsets.ISO_8859_1);
        if (line.length() < 12 || !line.startsWith("HTTP/1.1 ")) {
            return RequestLog.NO_ANSWER;
        }
        return Integer.parseInt(line.substring(9, 12));
    }

    // ---- the admin API: hostile JSON for every POST and PATCH

    private void adminAttack(List<TokenPool.Issued> issued) {
        TokenPool.Issued target = issued.get(random.nextInt(issued.size()));
        long integration = target.integrationId();
        long token = target.id();
        String[][] endpoints = {
                {"POST", "/integrations"},
                {"PATCH", "/integrations/" + integration},
                {"POST", "/integrations/" + integration + "/tokens"},
                {"POST", "/integrations/" + integration + "/tokens/revoke"},
                {"POST", "/tokens/" + token + "/revoke"},
                {"POST", "/tokens/" + token + "/regenerate"},
        };
        int e = random.nextInt(endpoints.length);
        String method = endpoints[e][0];
        String path = endpoints[e][1];
        Body body = hostileBody(e, token);
        int node = random.nextInt(nodeCount);
        HttpRequest.Builder request = HttpRequest.newBuilder(nodes.apply(node).resolve(API + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body.bytes));
        String password = body.attack.equals("wrong password") ? adminPassword + "x" : adminPassword;
        request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)));
        if (body.contentType != null) {
            request.header("Content-Type", body.contentType);
        }
        if (body.attack.equals("cross-origin")) {
            request.header("Origin", "http://evil.example");
        }
        String endpoint = method + " " + path.replaceAll("/\\d+", "/{id}");
        long sent = timeline.now();
        if (body.bytes.length > 1024 * 1024) {
            bigAttack(node, method, path, endpoint, body, password, sent);
            return;
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String text = response.body();
            openApi.check(method, API + path, response.statusCode(), response.headers().map(), text.getBytes(StandardCharsets.UTF_8));
            adminLog.add(new AdminAttack(endpoint, body.attack, node, sent, timeline.now(), response.statusCode(), errorShape(text),
                    text.length() > 300 ? text.substring(0, 300) + "…" : text));
        } catch (ConnectException ex) {
            adminLog.add(new AdminAttack(endpoint, body.attack, node, sent, timeline.now(), RequestLog.CONNECT_REFUSED, false, "connection refused"));
        } catch (IOException ex) {
            adminLog.add(new AdminAttack(endpoint, body.attack, node, sent, timeline.now(), RequestLog.NO_ANSWER, false, ex.toString()));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void bigAttack(int node, String method, String path, String endpoint, Body body, String password, long sent) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)));
        headers.put("Content-Type", body.contentType);
        try {
            RawHttp.Answer answer = RawHttp.send(nodes.apply(node), method, API + path, headers, body.bytes);
            String text = answer.body();
            if (answer.status() > 0) {
                openApi.check(method, API + path, answer.status(), answer.headers(), text.getBytes(StandardCharsets.UTF_8));
            }
            adminLog.add(new AdminAttack(endpoint, body.attack, node, sent, timeline.now(), answer.status() < 0 ? RequestLog.NO_ANSWER
                    : answer.status(), errorShape(text), text.length() > 300 ? text.substring(0, 300) + "…" : text));
        } catch (ConnectException ex) {
            adminLog.add(new AdminAttack(endpoint, body.attack, node, sent, timeline.now(), RequestLog.CONNECT_REFUSED, false, "connection refused"));
        } catch (IOException ex) {
            adminLog.add(new AdminAttack(endpoint, body.attack, node, sent, timeline.now(), RequestLog.NO_ANSWER, false, ex.toString()));
        }
    }

    private record Body(String attack, String contentType, byte[] bytes) {
        static Body json(String attack, String text) {
            return new Body(attack, "application/json", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A body the endpoint must refuse. Each has a definite defect; none is empty, since an empty
     * body is a valid request to revoke or regenerate.
     */
    private Body hostileBody(int endpoint, long tokenId) {
        String valid = switch (endpoint) {
            case 0 -> "{\"name\":\"Hostile " + random.nextInt(1_000_000) + "\",\"notificationEmail\":\"x@example.com\"}";
            case 1 -> "{\"active\":false}";
            case 2 -> "{\"name\":\"hostile\",\"expiration\":\"7d\"}";
            case 3 -> "{\"ids\":[" + tokenId + "]}";
            case 4 -> "{}";
            default -> "{\"graceSeconds\":0}";
        };
        String field = switch (endpoint) {
            case 0, 2 -> "name";
            case 1 -> "active";
            case 3 -> "ids";
            case 4 -> "reason";
            default -> "graceSeconds";
        };
        int kind = random.nextInt(16);
        return switch (kind) {
            case 0 -> Body.json("wrong type", "{\"" + field + "\":" + pick(endpoint == 1 ? new String[] {"\"false\"", "0", "\"no\"", "[]", "{}"}
                    : endpoint == 3 ? new String[] {"\"" + tokenId + "\"", String.valueOf(tokenId), "{\"0\":" + tokenId + "}", "[\"" + tokenId + "\"]",
                    "[" + tokenId + ".5]", "[null]", "[true]"}
                    : endpoint == 5 ? new String[] {"\"60\"", "1.5", "true", "[]", "{}", "-1", "604801"}
                    : new String[] {"123", "true", "[]", "{\"a\":1}", "1.5"}) + (endpoint == 0 ? ",\"notificationEmail\":\"x@example.com\"}" : "}"));
            case 1 -> Body.json("huge number", "{\"" + (endpoint == 3 ? "ids\":[" : field + "\":") + pick(new String[] {"1e400", "99999999999999999999",
                    "9".repeat(50), "-9223372036854775809", "1" + "0".repeat(39)}) + (endpoint == 3 ? "]}" : "}"));
            case 2 -> {
                int depth = random.nextInt(4) == 0 ? 40_000 + random.nextInt(100_000) : 33 + random.nextInt(3_000);
                yield Body.json("deep nesting (" + depth + ")", random.nextBoolean()
                        ? "{\"" + field + "\":" + "[".repeat(depth) + "]".repeat(depth) + "}"
                        : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
            }
            case 3 -> {
                byte[][] broken = {{(byte) 0xC3, (byte) 0x28}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        {(byte) 0xFF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}};
                // A string value (or a name) with a broken sequence: decoded leniently, it would be a valid request.
                String base = endpoint == 1 ? "{\"name\":\"Renamed X\"}" : endpoint == 4 ? "{\"reason\":\"X\"}" : endpoint == 3 ? "{\"ids\":[" + tokenId + "],\"X\":1}"
                        : endpoint == 5 ? "{\"X\":0}" : valid.replace("hostile", "hostile X").replace("Hostile ", "Hostile X");
                int at = base.indexOf('X');
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(base.substring(0, at).getBytes(StandardCharsets.UTF_8));
                out.writeBytes(broken[random.nextInt(broken.length)]);
                out.writeBytes(base.substring(at + 1).getBytes(StandardCharsets.UTF_8));
                yield new Body("invalid UTF-8", "application/json", out.toByteArray());
            }
            case 4 -> {
                byte[] bytes = new byte[1 + random.nextInt(2_000)];
                random.nextBytes(bytes);
                if (bytes[0] == '{' || bytes[0] == ' ' || bytes[0] == '\t' || bytes[0] == '\n' || bytes[0] == '\r') {
                    bytes[0] = '#';
                }
                yield new Body("random bytes", "application/json", bytes);
            }
            case 5 -> {
                int size = random.nextInt(25) == 0 ? 10 * 1024 * 1024 : 65 * 1024 + random.nextInt(1024 * 1024);
                byte[] bytes = new byte[size];
                Arrays.fill(bytes, (byte) 'a');
                byte[] head = valid.replace("}", ",\"description\":\"").getBytes(StandardCharsets.UTF_8);
                System.arraycopy(head, 0, bytes, 0, head.length);
                bytes[size - 2] = '"';
                bytes[size - 1] = '}';
                yield new Body("oversized (" + size / 1024 + " KB)", "application/json", bytes);
            }
            case 6 -> Body.json("unknown field", valid.replace("}", (valid.length() > 2 ? "," : "") + pick(new String[] {"\"id\":1}",
                    "\"active\":false}", "\"token\":\"" + TokenFormat.generate() + "\"}", "\"admin\":true}", "\"__proto__\":{}}"})));
            case 7 -> Body.json("not an object", pick(new String[] {"[]", "[" + valid + "]", "\"x\"", "null", "42", "true", " "}));
            case 8 -> Body.json("duplicate key", valid.length() > 2 ? valid.replace("}", "," + valid.substring(1)) : "{\"reason\":1,\"reason\":1}");
            case 9 -> Body.json("trailing data", valid + pick(new String[] {" x", "{}", ",", "]", " " + valid}));
            case 10 -> new Body("wrong content type", pick(new String[] {"text/plain", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", "application/jsonx", null}), valid.getBytes(StandardCharsets.UTF_8));
            case 11 -> Body.json("cross-origin", valid);
            case 12 -> Body.json("wrong password", valid);
            case 13 -> {
                // "{}" (a valid revoke) would survive these rewrites unchanged: start from a body with a field
                String base = endpoint == 4 ? "{\"reason\":\"x\"}" : valid;
                yield Body.json("non-standard JSON", pick(new String[] {base.replace('"', '\''), "/* c */ " + base,
                        "{\"" + field + "\":NaN}", "{\"" + field + "\":Infinity}", base.replace("{\"", "{").replace("\":", ":")}));
            }
            case 14 -> Body.json("control character in a key", "{\"" + field + "\u0000\":1}");
            default -> Body.json("missing or null required field", switch (endpoint) {
                case 0 -> "{\"name\":null,\"notificationEmail\":\"x@example.com\"}";
                case 1 -> "{\"activeTokens\":5}";
                case 2 -> "{\"name\":\"x\"}";
                case 3 -> "{\"ids\":null}";
                case 4 -> "{\"ids\":[" + tokenId + "]}";
                default -> "{\"graceSeconds\":\"\"}";
            });
        };
    }

    private static boolean errorShape(String text) {
        try {
            JsonNode json = AdminApi.JSON.readTree(text);
            JsonNode error = json.path("errors").path(0);
            return json.isObject() && json.get("errors").isArray() && error.path("type").isTextual() && error.path("message").isTextual();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private String printable(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) (0x21 + random.nextInt(0x7E - 0x21 + 1)));
        }
        return sb.toString();
    }

    /** Characters a header value may carry without changing how it splits into scheme and token. */
    private String printableToken(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
