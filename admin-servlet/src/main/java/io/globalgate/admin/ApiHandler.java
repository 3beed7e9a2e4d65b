package io.globalgate.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.AuditEvent;
import io.globalgate.admin.store.ConflictException;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.NotFoundException;
import io.globalgate.admin.store.Page;
import io.globalgate.store.StoreUnavailableException;
import io.globalgate.admin.store.TokenStatus;
import io.globalgate.validation.FieldError;
import io.globalgate.admin.store.PageRequest;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON management API of CONTRACT.md. Bodies must be {@code application/json} (with the
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

    private static final Pattern INTEGRATIONS = Pattern.compile("/integrations");
    private static final Pattern INTEGRATION = Pattern.compile("/integrations/(\\d{1,18})");
    private static final Pattern INTEGRATION_TOKENS = Pattern.compile("/integrations/(\\d{1,18})/tokens");
    private static final Pattern INTEGRATION_REVOKE = Pattern.compile("/integrations/(\\d{1,18})/tokens/revoke");
    private static final Pattern TOKEN = Pattern.compile("/tokens/(\\d{1,18})");
    private static final Pattern TOKEN_REVOKE = Pattern.compile("/tokens/(\\d{1,18})/revoke");
    private static final Pattern TOKEN_REGENERATE = Pattern.compile("/tokens/(\\d{1,18})/regenerate");
    private static final Pattern AUDIT = Pattern.compile("/audit");

    private final ManagementStore store;
    private final ObjectMapper mapper;
    private final ApiViews views;

    ApiHandler(ManagementStore store) {
        this.store = store;
        this.mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxNumberLength(40).maxStringLength(MAX_BODY_BYTES).build());
        this.views = new ApiViews(mapper);
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
    private static void discardUnread(HttpServletRequest req, HttpServletResponse res) {
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
        Matcher m;
        if (INTEGRATIONS.matcher(path).matches()) {
            if (allow(method, res, "GET", "POST")) {
                if (method.equals("GET")) {
                    listIntegrations(req, res);
                } else {
                    JsonNode body = body(req, Set.of("name", "description", "notificationEmail"));
                    Integration created = store.integrations().create(actor, IntegrationStore.Input.of(
                            text(body, "name"), text(body, "description"), text(body, "notificationEmail")));
                    res.setHeader("Location", req.getContextPath() + req.getServletPath() + "/api/v1/integrations/" + created.id());
                    send(res, 201, views.integration(created));
                }
            }
        } else if ((m = INTEGRATION.matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            if (allow(method, res, "GET", "PATCH")) {
                if (method.equals("GET")) {
                    send(res, 200, views.integration(store.integrations().get(id)));
                } else {
                    JsonNode body = body(req, Set.of("name", "description", "notificationEmail", "active"));
                    if (body.isEmpty()) {
                        throw new ApiException(400, "validation", "Give at least one of name, description, notificationEmail, active");
                    }
                    Integration updated = store.integrations().update(actor, id, new IntegrationStore.Input(
                            text(body, "name"), text(body, "description"), text(body, "notificationEmail"), bool(body, "active")));
                    send(res, 200, views.integration(updated));
                }
            }
        } else if ((m = INTEGRATION_TOKENS.matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            if (allow(method, res, "GET", "POST")) {
                if (method.equals("GET")) {
                    listTokens(id, req, res);
                } else {
                    JsonNode body = body(req, Set.of("name", "expiration", "expiresAt"));
                    IssuedToken issued = store.tokens().create(actor, id, text(body, "name"), text(body, "expiration"), text(body, "expiresAt"));
                    sendIssued(req, res, issued);
                }
            }
        } else if ((m = INTEGRATION_REVOKE.matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            if (allow(method, res, "POST")) {
                JsonNode body = body(req, Set.of("ids"));
                int revoked = store.tokens().revokeMany(actor, id, ids(body));
                ObjectNode answer = views.object();
                answer.put("revoked", revoked);
                send(res, 200, answer);
            }
        } else if ((m = TOKEN.matcher(path)).matches()) {
            if (allow(method, res, "GET")) {
                send(res, 200, views.token(store.tokens().get(Long.parseLong(m.group(1))), store.clock().instant()));
            }
        } else if ((m = TOKEN_REVOKE.matcher(path)).matches()) {
            if (allow(method, res, "POST")) {
                optionalBody(req, Set.of());
                AccessToken revoked = store.tokens().revoke(actor, Long.parseLong(m.group(1)));
                send(res, 200, views.token(revoked, store.clock().instant()));
            }
        } else if ((m = TOKEN_REGENERATE.matcher(path)).matches()) {
            if (allow(method, res, "POST")) {
                JsonNode body = optionalBody(req, Set.of("graceSeconds"));
                Long grace = longValue(body, "graceSeconds");
                IssuedToken issued = store.tokens().regenerate(actor, Long.parseLong(m.group(1)), store.validator().grace(grace));
                sendIssued(req, res, issued);
            }
        } else if (AUDIT.matcher(path).matches()) {
            if (allow(method, res, "GET")) {
                Long integrationId = queryLong(req, "integrationId");
                Page<AuditEvent> page = store.audit().list(integrationId, page(req));
                ObjectNode answer = views.object();
                ArrayNode events = answer.putArray("events");
                page.items().forEach(e -> events.add(views.audit(e)));
                answer.put("total", page.total());
                send(res, 200, answer);
            }
        } else {
            throw new ApiException(404, "not_found", "No such API path: " + (path.length() > 200 ? path.substring(0, 200) + "…" : path));
        }
    }

    private void listIntegrations(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Page<Integration> page = store.integrations().list(req.getParameter("q"), page(req));
        ObjectNode answer = views.object();
        ArrayNode items = answer.putArray("integrations");
        page.items().forEach(i -> items.add(views.integration(i)));
        answer.put("total", page.total());
        send(res, 200, answer);
    }

    private void listTokens(long integrationId, HttpServletRequest req, HttpServletResponse res) throws IOException {
        String statusParam = req.getParameter("status");
        TokenStatus status = null;
        if (statusParam != null && !statusParam.isEmpty()) {
            status = TokenStatus.fromCode(statusParam.toLowerCase(Locale.ROOT));
            if (status == null) {
                throw new ValidationException("status", "must be one of active, expired, revoked");
            }
        }
        Page<AccessToken> page = store.tokens().list(integrationId, status, page(req));
        ObjectNode answer = views.object();
        ArrayNode items = answer.putArray("tokens");
        page.items().forEach(t -> items.add(views.token(t, store.clock().instant())));
        answer.put("total", page.total());
        send(res, 200, answer);
    }

    private void sendIssued(HttpServletRequest req, HttpServletResponse res, IssuedToken issued) throws IOException {
        res.setHeader("Location", req.getContextPath() + req.getServletPath() + "/api/v1/tokens/" + issued.token().id());
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
        if (req.getContentLengthLong() == 0 || (req.getContentLengthLong() < 0 && req.getContentType() == null)) {
            return views.object();
        }
        return body(req, fields);
    }

    private JsonNode body(HttpServletRequest req, Set<String> fields) throws IOException {
        String type = req.getContentType();
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new ApiException(415, "validation", "Requests with a body must have Content-Type: application/json"
                    + (type == null ? "" : " (was " + clip(type) + ")"));
        }
        if (req.getContentLengthLong() > MAX_BODY_BYTES) {
            throw new ApiException(413, "validation", "Request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "validation", "Request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "validation", "Request body is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = bytes.length == 0 ? null : mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "validation", "Request body is not valid JSON: " + clip(e.getOriginalMessage()));
        }
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

    private static List<Long> ids(JsonNode body) {
        JsonNode n = body.get("ids");
        if (n == null || !n.isArray()) {
            throw new ValidationException("ids", "must be an array of token ids");
        }
        if (n.size() > io.globalgate.validation.InputValidator.REVOKE_IDS_MAX) {
            throw new ValidationException("ids", "must list at most " + io.globalgate.validation.InputValidator.REVOKE_IDS_MAX
                    + " token ids (was " + n.size() + ")");
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

    private static boolean allow(String method, HttpServletResponse res, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return true;
            }
        }
        res.setHeader("Allow", String.join(", ", allowed));
        throw new ApiException(405, "validation", "Method " + clip(method) + " is not allowed here; use " + String.join(" or ", allowed));
    }

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
        ObjectNode root = views.object();
        ObjectNode error = root.putArray("errors").addObject();
        error.put("type", type);
        error.put("message", message);
        if (!details.isEmpty()) {
            ArrayNode array = error.putArray("details");
            for (FieldError d : details) {
                array.addObject().put("key", d.key()).put("message", d.message());
            }
        }
        send(res, status, root);
    }

    private static String clip(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 100 ? text.substring(0, 100) + "…" : text;
    }
}
