package io.globalgate.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.AuditEvent;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.net.NetworkList;

import java.time.Instant;

/** The JSON shapes of the API's OpenAPI document ({@code openapi.json}), built in one place. Times are ISO-8601 UTC, ids numbers. */
final class ApiViews {

    private final ObjectMapper mapper;

    ApiViews(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode integration(Integration i) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", i.id());
        n.put("name", i.name());
        n.put("description", i.description());
        n.put("notificationEmail", i.notificationEmail());
        n.put("active", i.active());
        n.put("createdAt", time(i.createdAt()));
        n.put("updatedAt", time(i.updatedAt()));
        n.put("activeTokens", i.activeTokens());
        networks(n, i.allowedNetworks());
        if (i.rateLimit() == null) {
            n.putNull("rateLimit");
        } else {
            ObjectNode limit = n.putObject("rateLimit");
            limit.put("requestsPerMinute", i.rateLimit().requestsPerMinute());
            limit.put("burst", i.rateLimit().burst());
        }
        return n;
    }

    ObjectNode token(AccessToken t, Instant now) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", t.id());
        n.put("integrationId", t.integrationId());
        n.put("name", t.name());
        n.put("hint", t.hint());
        n.put("expiration", t.expiration());
        n.put("expiresAt", time(t.expiresAt()));
        n.put("createdAt", time(t.createdAt()));
        n.put("createdBy", t.createdBy());
        n.put("revokedAt", time(t.revokedAt()));
        n.put("revokedBy", t.revokedBy());
        n.put("revokedReason", t.revokedAt() == null ? null : t.revokedReason());
        if (t.replacedBy() == null) {
            n.putNull("replacedBy");
        } else {
            n.put("replacedBy", t.replacedBy());
        }
        n.put("lastUsedAt", time(t.lastUsedAt()));
        n.put("lastUsedIp", t.lastUsedIp());
        n.put("lastRefusedAt", time(t.lastRefusedAt()));
        n.put("lastRefusedIp", t.lastRefusedIp());
        n.put("status", t.status(now).code());
        networks(n, t.allowedNetworks());
        n.put("scope", t.scope().code());
        ArrayNode prefixes = n.putArray("pathPrefixes");
        t.pathPrefixes().forEach(prefixes::add);
        return n;
    }

    /** The only JSON that ever carries a token value: the answer to its creation. */
    ObjectNode issued(IssuedToken issued, Instant now) {
        ObjectNode n = token(issued.token(), now);
        n.put("token", issued.value());
        if (issued.replaces() != null) {
            n.put("replaces", issued.replaces());
        }
        return n;
    }

    ObjectNode audit(AuditEvent e) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", e.id());
        n.put("occurredAt", time(e.occurredAt()));
        n.put("actor", e.actor());
        n.put("action", e.action());
        if (e.integrationId() == null) {
            n.putNull("integrationId");
        } else {
            n.put("integrationId", e.integrationId());
        }
        if (e.tokenId() == null) {
            n.putNull("tokenId");
        } else {
            n.put("tokenId", e.tokenId());
        }
        n.put("detail", e.detail());
        return n;
    }

    private static void networks(ObjectNode n, NetworkList networks) {
        ArrayNode list = n.putArray("allowedNetworks");
        networks.networks().forEach(c -> list.add(c.toString()));
    }

    ArrayNode array() {
        return mapper.createArrayNode();
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
