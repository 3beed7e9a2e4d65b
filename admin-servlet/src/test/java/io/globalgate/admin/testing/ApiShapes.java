package io.globalgate.admin.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The JSON shapes of the JSON management API (docs/API.md, the OpenAPI document openapi.json), field by field. */
public final class ApiShapes {

    public static final Set<String> INTEGRATION = Set.of("id", "name", "description", "notificationEmail", "active",
            "createdAt", "updatedAt", "activeTokens", "allowedNetworks", "rateLimit");
    /** The fields of a Token (docs/API.md, "Tokens"). */
    public static final Set<String> TOKEN = Set.of("id", "integrationId", "name", "hint", "expiration", "expiresAt",
            "createdAt", "createdBy", "revokedAt", "revokedBy", "revokedReason", "lastUsedAt", "lastUsedIp", "lastRefusedAt", "lastRefusedIp",
            "status", "replacedBy", "allowedNetworks", "scope", "pathPrefixes");

    private ApiShapes() {
    }

    public static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    public static void assertFields(Set<String> expected, JsonNode node) {
        assertTrue(node.isObject(), "not an object: " + node);
        assertEquals(new TreeSet<>(expected), fields(node), "fields of " + node);
    }

    public static void assertIntegration(JsonNode n) {
        assertFields(INTEGRATION, n);
        assertTrue(n.get("id").isIntegralNumber(), "id is a number: " + n);
        assertTrue(n.get("name").isTextual());
        assertTrue(n.get("description").isTextual());
        assertTrue(n.get("notificationEmail").isTextual());
        assertTrue(n.get("active").isBoolean());
        assertTime(n, "createdAt", false);
        assertTime(n, "updatedAt", false);
        assertTrue(n.get("activeTokens").isIntegralNumber());
        assertTrue(n.get("allowedNetworks").isArray(), n.toString());
        assertTrue(n.get("rateLimit").isNull() || n.get("rateLimit").isObject(), n.toString());
    }

    /** A Token object; {@code extra} are the fields only an issuing answer has ({@code token}, {@code replaces}). */
    public static void assertToken(JsonNode n, String... extra) {
        Set<String> expected = new LinkedHashSet<>(TOKEN);
        expected.addAll(List.of(extra));
        assertFields(expected, n);
        assertTrue(n.get("id").isIntegralNumber(), "id is a number: " + n);
        assertTrue(n.get("integrationId").isIntegralNumber());
        assertTrue(n.get("name").isTextual());
        assertTrue(n.get("hint").asText().matches("gat_\u2026[0-9A-Za-z]{4}"), n.get("hint").asText());
        assertTrue(n.get("expiration").asText().matches("never|7d|30d|60d|90d|365d|custom"), n.toString());
        assertTime(n, "expiresAt", true);
        assertTime(n, "createdAt", false);
        assertTrue(n.get("createdBy").isTextual());
        assertTime(n, "revokedAt", true);
        assertTrue(n.get("revokedBy").isTextual() || n.get("revokedBy").isNull());
        assertTime(n, "lastUsedAt", true);
        assertTrue(n.get("lastUsedIp").isTextual() || n.get("lastUsedIp").isNull());
        assertTrue(List.of("active", "expired", "revoked").contains(n.get("status").asText()), n.toString());
        assertTrue(n.get("replacedBy").isNull() || n.get("replacedBy").isIntegralNumber(), n.toString());
        assertTrue(n.get("allowedNetworks").isArray() && n.get("pathPrefixes").isArray(), n.toString());
        assertTrue(List.of("read-write", "read-only").contains(n.get("scope").asText()), n.toString());
        assertEquals(n.get("revokedAt").isNull(), n.get("revokedBy").isNull());
        assertEquals(n.get("revokedAt").isNull(), n.get("revokedReason").isNull(), "a revoked token says how it ended: " + n);
        assertTime(n, "lastRefusedAt", true);
        assertTrue(n.get("lastRefusedIp").isTextual() || n.get("lastRefusedIp").isNull());
        if (n.has("token")) {
            assertTrue(n.get("token").asText().matches("^gat_[0-9A-Za-z]{38}$"), n.toString());
        }
        if (n.has("replaces")) {
            assertTrue(n.get("replaces").isIntegralNumber(), n.toString());
        }
    }

    /** ISO-8601 UTC ({@code ...Z}), or null where allowed. */
    public static void assertTime(JsonNode n, String field, boolean nullable) {
        JsonNode value = n.get(field);
        assertNotNull(value, field + " missing in " + n);
        if (value.isNull()) {
            assertTrue(nullable, field + " is null in " + n);
            return;
        }
        assertTrue(value.isTextual() && value.asText().endsWith("Z"), field + " is not ISO-8601 UTC: " + value);
        try {
            Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            fail(field + " is not ISO-8601: " + value);
        }
    }

    /**
     * A refusal in the contract's error shape: {@code {"errors":[{"type","message"[,"details":[{"key","message"}]]}]}},
     * JSON, with the status given. Returns the one error.
     */
    public static JsonNode assertError(Reply reply, int status, String type) {
        assertEquals(status, reply.status(), reply.toString());
        return assertErrorShape(reply, type);
    }

    /**
     * The contract's error shape with this type, whatever the status (for a caller that derives
     * the type from the status it got). Returns the one error.
     */
    public static JsonNode assertErrorShape(Reply reply, String type) {
        assertEquals("application/json", reply.header("Content-Type"), reply.toString());
        JsonNode root = reply.json();
        assertFields(Set.of("errors"), root);
        assertEquals(1, root.get("errors").size(), reply.toString());
        JsonNode error = root.get("errors").get(0);
        assertEquals(type, error.get("type").asText(), reply.toString());
        assertTrue(error.get("message").isTextual() && !error.get("message").asText().isBlank(), reply.toString());
        Set<String> keys = fields(error);
        assertTrue(keys.equals(Set.of("type", "message")) || keys.equals(Set.of("type", "message", "details")), reply.toString());
        if (error.has("details")) {
            assertTrue(error.get("details").isArray() && error.get("details").size() > 0, reply.toString());
            for (JsonNode d : error.get("details")) {
                assertFields(Set.of("key", "message"), d);
                assertFalse(d.get("key").asText().isEmpty());
                assertFalse(d.get("message").asText().isEmpty());
            }
        }
        return error;
    }

    /** A 400 validation error whose details name {@code key}; returns that detail's message. */
    public static String assertValidation(Reply reply, String key) {
        JsonNode error = assertError(reply, 400, "validation");
        assertTrue(error.has("details"), "no details: " + reply);
        for (JsonNode d : error.get("details")) {
            if (d.get("key").asText().equals(key)) {
                return d.get("message").asText();
            }
        }
        throw new AssertionError("no detail for " + key + ": " + reply);
    }
}
