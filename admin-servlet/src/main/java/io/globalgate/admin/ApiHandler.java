package io.globalgate.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.AuditEvent;
import io.globalgate.admin.store.ConflictException;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.store.NotFoundException;
import io.globalgate.admin.store.Page;
import io.globalgate.admin.store.PageRequest;
import io.globalgate.admin.store.Sort;
import io.globalgate.admin.store.TokenStore;
import io.globalgate.admin.store.TokenStatus;
import io.globalgate.admin.store.TokenStore;
import io.globalgate.store.StoreUnavailableException;
import io.globalgate.validation.FieldError;
import io.globalgate.validation.ValidationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON management API, described path by path in its OpenAPI document ({@code openapi.json}
 * beside this class, served at {@code <mount>/api/v1/openapi.json}; docs/API.md for people). Bodies must be {@code application/json} (with the
 * Origin check, the API's CSRF defence), at most 64 KB, a JSON object without unknown fields and
 * with each field of its declared type; anything else is a {@code 4xx} in the error shape.
 */
final class ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** Unread body dropped to let the client finish sending before it reads a refusal. */
    static final long SWALLOW_BYTES = 16L * 1024 * 1024;
    /** How much of a refused body is read and dropped rather than left on the connection. */
    static final int MAX_DISCARD_BYTES = 1024 * 1024;

    private final ManagementStore store;
    private final ObjectMapper mapper;
    private final ApiViews views;
    private final Routes routes = new Routes();
    /** Beside this class; every answer of this handler is described there. */
    static final String OPENAPI_RESOURCE = "openapi.json";
    private final ObjectNode openApi;

    ApiHandler(ManagementStore store) {
        this.store = store;
        this.mapper = strictMapper(MAX_BODY_BYTES);
        this.views = new ApiViews(mapper);
        routes.path("/integrations").on("GET", this::listIntegrations).on("POST", this::createIntegration);
        routes.path("/integrations/{id}").on("GET", this::getIntegration).on("PATCH", this::updateIntegration);
        routes.path("/integrations/{id}/tokens").on("GET", this::listTokens).on("POST", this::createToken);
        routes.path("/integrations/{id}/tokens/revoke").on("POST", this::revokeTokens);
        routes.path("/tokens/{id}").on("GET", this::getToken).on("PATCH", this::updateToken);
        routes.path("/tokens/{id}/revoke").on("POST", this::revokeToken);
        routes.path("/tokens/{id}/regenerate").on("POST", this::regenerateToken);
        routes.path("/tokens/{id}/usage").on("GET", call -> usage(call, false));
        routes.path("/integrations/{id}/usage").on("GET", call -> usage(call, true));
        routes.path("/audit").on("GET", this::listAudit);
        routes.path("/openapi.json").on("GET", this::openApiDocument);
        this.openApi = readOpenApiDocument();
    }

    /**
     * The JSON mapper of every request body from outside: duplicate keys, NaN and trailing tokens
     * refused, nesting and number lengths bounded, no string longer than {@code maxString}.
     */
    static ObjectMapper strictMapper(int maxString) {
        // Jackson's default buffer pool keeps a ThreadLocal in every container thread that wrote
        // JSON: after an undeploy Tomcat reports it, and it holds the application's class loader.
        ObjectMapper mapper = JsonMapper.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxNumberLength(40).maxStringLength(maxString).build());
        return mapper;
    }

    /** The OpenAPI document of this API, as kept in the repository (admin-servlet resources). */
    private ObjectNode readOpenApiDocument() {
        try (InputStream in = ApiHandler.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + OPENAPI_RESOURCE + " is missing from the admin servlet's jar");
            }
            return (ObjectNode) mapper.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("the OpenAPI document " + OPENAPI_RESOURCE + " cannot be read: " + e.getMessage(), e);
        }
    }

    void handle(String path, HttpServletRequest req, HttpServletResponse res, String actor) throws IOException {
        try {
            route(path, req.getMethod(), req, res, actor);
        } catch (ValidationException e) {
            error(res, 400, "validation", e.getMessage(), e.errors());
        } catch (NotFoundException e) {
            error(res, 404, "not_found", e.getMessage(), List.of());
        } catch (ConflictException e) {
            error(res, 409, "conflict", e.getMessage(), List.of());
        } catch (ApiException e) {
            error(res, e.status, e.type, e.getMessage(), e.details);
        } catch (StoreUnavailableException e) {
            LOG.warn("Admin API: store unavailable: {}", e.getMessage());
            res.setHeader("Retry-After", "5");
            error(res, 503, "unavailable", "The token store is unavailable; try again shortly", List.of());
        } finally {
            discardUnread(req, res);
        }
    }

    /**
     * A request refused before its body was read (wrong path, method, type or size) leaves that
     * body on the connection. A connection closed while the client is still sending is reset,
     * and the reset can destroy the answer on its way (the JDK's HttpClient loses it). So the rest
     * is read and dropped, up to {@link #SWALLOW_BYTES}, so the client finishes sending and reads
     * the answer; a body over {@link #MAX_DISCARD_BYTES} still closes the connection afterwards,
     * and one over the swallow limit closes it at once.
     */
    static void discardUnread(HttpServletRequest req, HttpServletResponse res) {
        if (req.getContentLengthLong() > SWALLOW_BYTES) {
            res.setHeader("Connection", "close");
            return;
        }
        byte[] buffer = new byte[8192];
        long discarded = 0;
        try {
            InputStream in = req.getInputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                discarded += n;
                if (discarded > SWALLOW_BYTES) {
                    res.setHeader("Connection", "close");
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            res.setHeader("Connection", "close");
            return;
        }
        if (discarded > MAX_DISCARD_BYTES) {
            res.setHeader("Connection", "close");
        }
    }

    private void route(String path, String method, HttpServletRequest req, HttpServletResponse res, String actor) throws IOException {
        Routes.Match match = routes.match(method, path);
        if (match instanceof Routes.Found found) {
            found.endpoint().handle(new Routes.Call(req, res, actor, found.id()));
        } else if (match instanceof Routes.WrongMethod wrong) {
            res.setHeader("Allow", String.join(", ", wrong.allowed()));
            throw new ApiException(405, "validation", "Method " + clip(method) + " is not allowed here; use "
                    + String.join(" or ", wrong.allowed()));
        } else {
            throw new ApiException(404, "not_found", "No such API path: " + (path.length() > 200 ? path.substring(0, 200) + "…" : path));
        }
    }

    // ---- endpoints, one per method and path

    private void listIntegrations(Routes.Call call) throws IOException {
        Sort sort = Sort.parse(call.request().getParameter("sort"), Sort.INTEGRATION_KEYS, Sort.INTEGRATION_DEFAULT);
        // q as the integrations page searches: the name or the notification e-mail.
        Page<Integration> page = store.integrations().search(call.request().getParameter("q"), null, sort, page(call.request()));
        ObjectNode answer = views.object();
        ArrayNode items = answer.putArray("integrations");
        page.items().forEach(i -> items.add(views.integration(i)));
        answer.put("total", page.total());
        send(call.response(), 200, answer);
    }

    private void createIntegration(Routes.Call call) throws IOException {
        JsonNode body = body(call.request(), Set.of("name", "description", "notificationEmail"));
        Integration created = store.integrations().create(call.actor(), IntegrationStore.Input.of(
                text(body, "name"), text(body, "description"), text(body, "notificationEmail")));
        call.response().setHeader("Location", apiBase(call.request()) + "/integrations/" + created.id());
        send(call.response(), 201, views.integration(created));
    }

    private void getIntegration(Routes.Call call) throws IOException {
        send(call.response(), 200, views.integration(store.integrations().get(call.id())));
    }

    private void updateIntegration(Routes.Call call) throws IOException {
        JsonNode body = body(call.request(), Set.of("name", "description", "notificationEmail", "active", "allowedNetworks", "rateLimit"));
        if (body.isEmpty()) {
            throw new ApiException(400, "validation",
                    "Give at least one of name, description, notificationEmail, active, allowedNetworks, rateLimit");
        }
        Integration updated = store.integrations().update(call.actor(), call.id(), new IntegrationStore.Input(
                text(body, "name"), text(body, "description"), text(body, "notificationEmail"), bool(body, "active"),
                strings(body, "allowedNetworks"), rateLimit(body)));
        send(call.response(), 200, views.integration(updated));
    }

    private void listTokens(Routes.Call call) throws IOException {
        String statusParam = call.request().getParameter("status");
        TokenStatus status = null;
        if (statusParam != null && !statusParam.isEmpty()) {
            status = TokenStatus.fromCode(statusParam.toLowerCase(Locale.ROOT));
            if (status == null) {
                throw new ValidationException("status", "must be one of active, expired, revoked");
            }
        }
        Sort sort = Sort.parse(call.request().getParameter("sort"), Sort.TOKEN_KEYS, Sort.TOKEN_DEFAULT);
        Page<AccessToken> page = store.tokens().list(call.id(), status, call.request().getParameter("q"), sort, page(call.request()));
        ObjectNode answer = views.object();
        ArrayNode items = answer.putArray("tokens");
        page.items().forEach(t -> items.add(views.token(t, store.clock().instant())));
        answer.put("total", page.total());
        send(call.response(), 200, answer);
    }

    private void createToken(Routes.Call call) throws IOException {
        JsonNode body = body(call.request(), Set.of("name", "expiration", "expiresAt", "allowedNetworks", "scope", "pathPrefixes"));
        IssuedToken issued = store.tokens().create(call.actor(), call.id(), text(body, "name"), text(body, "expiration"),
                text(body, "expiresAt"), restrictions(body));
        sendIssued(call.request(), call.response(), issued);
    }

    private void revokeTokens(Routes.Call call) throws IOException {
        JsonNode body = body(call.request(), Set.of("ids"));
        int revoked = store.tokens().revokeMany(call.actor(), call.id(), ids(body));
        ObjectNode answer = views.object();
        answer.put("revoked", revoked);
        send(call.response(), 200, answer);
    }

    private void getToken(Routes.Call call) throws IOException {
        send(call.response(), 200, views.token(store.tokens().get(call.id()), store.clock().instant()));
    }

    private void updateToken(Routes.Call call) throws IOException {
        JsonNode body = body(call.request(), Set.of("allowedNetworks", "scope", "pathPrefixes"));
        if (body.isEmpty()) {
            throw new ApiException(400, "validation", "Give at least one of allowedNetworks, scope, pathPrefixes");
        }
        AccessToken updated = store.tokens().restrict(call.actor(), call.id(), restrictions(body));
        send(call.response(), 200, views.token(updated, store.clock().instant()));
    }

    private void revokeToken(Routes.Call call) throws IOException {
        optionalBody(call.request(), Set.of());
        AccessToken revoked = store.tokens().revoke(call.actor(), call.id());
        send(call.response(), 200, views.token(revoked, store.clock().instant()));
    }

    private void regenerateToken(Routes.Call call) throws IOException {
        JsonNode body = optionalBody(call.request(), Set.of("graceSeconds", "expiration", "expiresAt"));
        Long grace = longValue(body, "graceSeconds");
        IssuedToken issued = store.tokens().regenerate(call.actor(), call.id(), grace == null ? null : Duration.ofSeconds(grace),
                text(body, "expiration"), text(body, "expiresAt"));
        sendIssued(call.request(), call.response(), issued);
    }

    /** Requests per hour over the last 7 days (the current hour included), every hour, oldest first. */
    private void usage(Routes.Call call, boolean integration) throws IOException {
        java.time.Instant to = store.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(Duration.ofHours(1));
        ObjectNode answer = views.object();
        ArrayNode hours = answer.putArray("hours");
        for (TokenStore.HourlyCount h : store.tokens().usage(call.id(), integration, to.minus(PageHandler.USAGE_WINDOW), to)) {
            ObjectNode hour = hours.addObject();
            hour.put("hour", h.hour().toString());
            hour.put("requests", h.requests());
        }
        send(call.response(), 200, answer);
    }

    private void listAudit(Routes.Call call) throws IOException {
        Long integrationId = queryLong(call.request(), "integrationId");
        Page<AuditEvent> page = store.audit().list(integrationId, page(call.request()));
        ObjectNode answer = views.object();
        ArrayNode events = answer.putArray("events");
        page.items().forEach(e -> events.add(views.audit(e)));
        answer.put("total", page.total());
        send(call.response(), 200, answer);
    }

    /** The document with {@code servers} naming where this servlet serves the API, so its paths resolve against it. */
    private void openApiDocument(Routes.Call call) throws IOException {
        ObjectNode document = openApi.deepCopy();
        document.putArray("servers").addObject().put("url", apiBase(call.request()))
                .put("description", "This admin servlet");
        send(call.response(), 200, document);
    }

    private static String apiBase(HttpServletRequest req) {
        return req.getContextPath() + req.getServletPath() + "/api/v1";
    }

    private void sendIssued(HttpServletRequest req, HttpServletResponse res, IssuedToken issued) throws IOException {
        res.setHeader("Location", apiBase(req) + "/tokens/" + issued.token().id());
        send(res, 201, views.issued(issued, store.clock().instant()));
    }

    // ---- request parsing

    private PageRequest page(HttpServletRequest req) {
        return store.validator().page(queryInt(req, "page"), queryInt(req, "size"));
    }

    private static Integer queryInt(HttpServletRequest req, String name) {
        Long value = queryLong(req, name);
        if (value != null && (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE)) {
            throw new ValidationException(name, "must be a whole number");
        }
        return value == null ? null : value.intValue();
    }

    private static Long queryLong(HttpServletRequest req, String name) {
        String raw = req.getParameter(name);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        if (!raw.matches("-?\\d{1,18}")) {
            throw new ValidationException(name, "must be a whole number");
        }
        return Long.parseLong(raw);
    }

    private JsonNode optionalBody(HttpServletRequest req, Set<String> fields) throws IOException {
        if (req.getContentLengthLong() == 0 || (req.getContentLengthLong() < 0 && req.getHeader("Content-Type") == null)) {
            return views.object();
        }
        return body(req, fields);
    }

    /**
     * A charset parameter of a Content-Type that is not UTF-8, unquoted, or null when every one
     * is UTF-8 (or there is none): {@code charset=utf-8;charset=utf-16} names UTF-16 too.
     */
    static String otherCharsetOf(String contentType) {
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String v = p.substring(eq + 1).strip();
                v = v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
                if (!v.equalsIgnoreCase("utf-8")) {
                    return v;
                }
            }
        }
        return null;
    }

    /**
     * The raw bytes of a JSON request body: {@code application/json}, UTF-8 (no other charset
     * named, valid, and no NUL byte), at most {@code maxBytes}; anything else an {@link ApiException}.
     */
    static byte[] jsonBytes(HttpServletRequest req, int maxBytes) throws IOException {
        // The raw header, not getContentType(): Jetty's throws for a charset it does not know
        // (charset=x-bogus), which would be a 500 in any container without the gateway's guard.
        String type = req.getHeader("Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new ApiException(415, "validation", "Requests with a body must have Content-Type: application/json"
                    + (type == null ? "" : " (was " + clip(type) + ")"));
        }
        String charset = otherCharsetOf(type);
        if (charset != null) {
            throw new ApiException(415, "validation", "Request bodies must be UTF-8 (the charset was " + clip(charset) + ")");
        }
        if (req.getContentLengthLong() > maxBytes) {
            throw new ApiException(413, "validation", "Request body is larger than " + maxBytes + " bytes");
        }
        // Not closed: the container owns the stream, and Tomcat answers a request whose input was
        // closed with Connection: close (discarding the unread rest then fails).
        byte[] bytes = req.getInputStream().readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new ApiException(413, "validation", "Request body is larger than " + maxBytes + " bytes");
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "validation", "Request body is not valid UTF-8");
        }
        // UTF-8 JSON never holds a NUL byte (a control character inside a string must be escaped),
        // while UTF-16 and UTF-32 JSON always do; Jackson would take such a body for what it guesses
        // it is, so a UTF-16 body labelled UTF-8 was accepted.
        for (byte b : bytes) {
            if (b == 0) {
                throw new ApiException(400, "validation", "Request body is not UTF-8 JSON (it holds a NUL byte, as UTF-16 or UTF-32 would)");
            }
        }
        return bytes;
    }

    /** The JSON of a body read by {@link #jsonBytes}; null when it is empty. */
    static JsonNode parse(ObjectMapper mapper, byte[] bytes) {
        try {
            return bytes.length == 0 ? null : mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "validation", "Request body is not valid JSON: " + clip(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ApiException(400, "validation", "Request body cannot be read");
        }
    }

    private JsonNode body(HttpServletRequest req, Set<String> fields) throws IOException {
        JsonNode node = parse(mapper, jsonBytes(req, MAX_BODY_BYTES));
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "validation", "Request body must be a JSON object");
        }
        List<FieldError> unknown = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.contains(name)) {
                unknown.add(new FieldError(clip(name), "is not a field of this request"
                        + (fields.isEmpty() ? "" : " (fields: " + String.join(", ", fields.stream().sorted().toList()) + ")")));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ValidationException(unknown);
        }
        return node;
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new ValidationException(field, "must be a string");
        }
        return n.textValue();
    }

    private static Boolean bool(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw new ValidationException(field, "must be true or false");
        }
        return n.booleanValue();
    }

    private static Long longValue(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new ValidationException(field, "must be a whole number");
        }
        return n.longValue();
    }

    private static TokenStore.RestrictionsInput restrictions(JsonNode body) {
        return new TokenStore.RestrictionsInput(strings(body, "allowedNetworks"), text(body, "scope"), strings(body, "pathPrefixes"));
    }

    /** An array of strings; null when absent. Its length is the validator's to judge. */
    private static List<String> strings(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw new ValidationException(field, "must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : n) {
            if (!element.isTextual()) {
                throw new ValidationException(field, "must contain only strings");
            }
            values.add(element.textValue());
        }
        return values;
    }

    /** {@code rateLimit}: absent = unchanged, null = the deployment's default, else an object. */
    private static IntegrationStore.RateLimitInput rateLimit(JsonNode body) {
        JsonNode n = body.get("rateLimit");
        if (n == null) {
            return null;
        }
        if (n.isNull()) {
            return IntegrationStore.RateLimitInput.DEPLOYMENT_DEFAULT;
        }
        if (!n.isObject()) {
            throw new ValidationException("rateLimit", "must be an object {\"requestsPerMinute\":n,\"burst\":n} or null (the deployment's default)");
        }
        List<FieldError> unknown = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("requestsPerMinute") && !name.equals("burst")) {
                unknown.add(new FieldError("rateLimit." + clip(name), "is not a field of a rate limit (fields: burst, requestsPerMinute)"));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ValidationException(unknown);
        }
        Long perMinute = longValue(n, "requestsPerMinute");
        Long burst = longValue(n, "burst");
        if (perMinute == null) {
            throw new ValidationException("rateLimit.requestsPerMinute", "is required");
        }
        return new IntegrationStore.RateLimitInput(perMinute, burst);
    }

    private static List<Long> ids(JsonNode body) {
        JsonNode n = body.get("ids");
        if (n == null || !n.isArray()) {
            throw new ValidationException("ids", "must be an array of token ids");
        }
        List<Long> ids = new ArrayList<>();
        for (JsonNode element : n) {
            if (!element.isIntegralNumber() || !element.canConvertToLong()) {
                throw new ValidationException("ids", "must contain only whole numbers");
            }
            ids.add(element.longValue());
        }
        return ids;
    }

    // ---- answers

    private void send(HttpServletResponse res, int status, JsonNode body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        res.setStatus(status);
        res.setContentType("application/json");
        // No setContentLength: it would commit the answer with this write, and then a refusal
        // could no longer say "Connection: close" when the body it left unread must be dropped
        // (discardUnread, and the container at the end of the request, add it when needed).
        res.getOutputStream().write(bytes);
    }

    void error(HttpServletResponse res, int status, String type, String message, List<FieldError> details) throws IOException {
        writeError(mapper, res, status, type, message, details);
    }

    /** Every error of the API and of the public endpoints, in the one error shape. */
    static void writeError(ObjectMapper mapper, HttpServletResponse res, int status, String type, String message, List<FieldError> details)
            throws IOException {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode error = root.putArray("errors").addObject();
        error.put("type", type);
        error.put("message", message);
        if (!details.isEmpty()) {
            ArrayNode array = error.putArray("details");
            for (FieldError d : details) {
                array.addObject().put("key", d.key()).put("message", d.message());
            }
        }
        res.setStatus(status);
        res.setContentType("application/json");
        res.getOutputStream().write(mapper.writeValueAsBytes(root));
    }

    static String clip(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 100 ? text.substring(0, 100) + "…" : text;
    }
}
