package io.globalgate.admin.pages;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FmtTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private static String in(Duration d) {
        return Fmt.relative(NOW.plus(d), NOW);
    }

    @Test
    void timesAreSaidRelativeToNowRoundedToTheNearestUnit() {
        assertEquals("just now", in(Duration.ofSeconds(-59)));
        assertEquals("in less than a minute", in(Duration.ofSeconds(30)));
        assertEquals("in 1 minute", in(Duration.ofSeconds(60)));
        assertEquals("3 minutes ago", in(Duration.ofSeconds(-170)));
        assertEquals("in 1 hour", in(Duration.ofMinutes(59).plusSeconds(40)));
        assertEquals("3 hours ago", in(Duration.ofHours(-3).plusMinutes(-10)));
        assertEquals("in 47 hours", in(Duration.ofHours(47)));
        assertEquals("in 2 days", in(Duration.ofHours(47).plusMinutes(40)));
        assertEquals("in 7 days", in(Duration.ofDays(7).minusSeconds(1)), "a 7-day token issued a second ago");
        assertEquals("in 6 days", in(Duration.ofDays(6).plusHours(3)));
        assertEquals("24 hours ago", in(Duration.ofDays(-1)));
        assertEquals("3 days ago", in(Duration.ofDays(-3)));
        assertEquals("in 3 months", in(Duration.ofDays(90)));
        assertEquals("in 12 months", in(Duration.ofDays(365)));
        assertEquals("in 3 years", in(Duration.ofDays(3 * 365)));
    }

    @Test
    void aNotificationSaysWhatHappenedInWordsInTheNumberOfItsTokens() {
        var one = java.util.List.of(new io.globalgate.admin.store.NotificationOutbox.TokenFact(1, "a", "gat_…aaaa", null));
        var two = java.util.List.of(one.get(0), new io.globalgate.admin.store.NotificationOutbox.TokenFact(2, "b", "gat_…bbbb", null));
        java.util.function.BiFunction<io.globalgate.admin.store.NotificationOutbox.Kind, java.util.List<io.globalgate.admin.store.NotificationOutbox.TokenFact>, String> what =
                (kind, tokens) -> Fmt.notificationWhat(new io.globalgate.admin.store.NotificationOutbox.Message(1, kind, 1, "o@example.com",
                        "admin", NOW, tokens, null, io.globalgate.admin.store.NotificationOutbox.Status.SENT, 1, NOW, null, NOW));
        assertEquals("Token revoked", what.apply(io.globalgate.admin.store.NotificationOutbox.Kind.TOKENS_REVOKED, one));
        assertEquals("Tokens revoked", what.apply(io.globalgate.admin.store.NotificationOutbox.Kind.TOKENS_REVOKED, two));
        assertEquals("Token revoked by value", what.apply(io.globalgate.admin.store.NotificationOutbox.Kind.TOKENS_REVOKED_BY_VALUE, one));
        assertEquals("Unused tokens revoked", what.apply(io.globalgate.admin.store.NotificationOutbox.Kind.TOKENS_REVOKED_UNUSED, two));
        assertEquals("Restrictions changed", what.apply(io.globalgate.admin.store.NotificationOutbox.Kind.RESTRICTIONS_CHANGED, one));
        assertEquals("Token reported as leaked", what.apply(io.globalgate.admin.store.NotificationOutbox.Kind.TOKEN_LEAKED, one));
        // Every kind has words of its own, none its stored code.
        for (var kind : io.globalgate.admin.store.NotificationOutbox.Kind.values()) {
            String words = what.apply(kind, one);
            assertEquals(Character.toUpperCase(words.charAt(0)), words.charAt(0), kind + ": " + words);
        }
    }

    @Test
    void everyAuditActionTheApiDocumentsHasWordsAndAFilter() throws Exception {
        com.fasterxml.jackson.databind.JsonNode document;
        try (var in = Fmt.class.getResourceAsStream("/io/globalgate/admin/openapi.json")) {
            document = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
        java.util.Set<String> documented = new java.util.TreeSet<>();
        document.findValues("action").forEach(node -> node.path("enum").forEach(code -> documented.add(code.asText())));
        org.junit.jupiter.api.Assertions.assertFalse(documented.isEmpty(), "no audit action enum found in openapi.json");
        assertEquals(documented, new java.util.TreeSet<>(Fmt.ACTIONS.keySet()));
        Fmt.ACTIONS.forEach((code, words) -> org.junit.jupiter.api.Assertions.assertNotEquals(code, Fmt.action(code)));
    }

    @Test
    void auditDetailsAreShownInWordsWithoutTheHintTheTokenColumnShows() {
        assertEquals("named “ERP sync, prod”; expires after 30 days; replaces gat_…eSoy",
                Fmt.auditDetail("token.created", "name=ERP sync, prod, expiration=30d, hint=gat_…mwGP, replaces gat_…eSoy"));
        assertEquals("named “Bot”; never expires", Fmt.auditDetail("token.created", "name=Bot, expiration=never, hint=gat_…AAAA"));
        assertEquals("named “Bot”; expires after 1 year", Fmt.auditDetail("token.created", "name=Bot, expiration=365d, hint=gat_…AAAA"));
        assertEquals("mass revoke of 11", Fmt.auditDetail("token.revoked", "hint=gat_…xT81, mass revoke of 11"));
        assertEquals("", Fmt.auditDetail("token.revoked", "hint=gat_…iPZ4"));
        assertEquals("from 10.0.0.0/8, 198.51.100.4/32; read-only; paths /api/global/v1/orders/",
                Fmt.auditDetail("token.restrictions_changed",
                        "hint=gat_…V7hA, allowedNetworks=10.0.0.0/8, 198.51.100.4/32, scope=read-only, pathPrefixes=/api/global/v1/orders/"));
        assertEquals("from any network; read-write; every path", Fmt.auditDetail("token.restrictions_changed",
                "hint=gat_…V7hA, allowedNetworks=any, scope=read-write, pathPrefixes=any"));
        assertEquals("from any network; the default rate limit", Fmt.auditDetail("integration.restrictions_changed",
                "allowedNetworks=any, rateLimit=deployment default"));
        assertEquals("renamed to “Billing”; description; notificationEmail",
                Fmt.auditDetail("integration.updated", "name=Billing, description, notificationEmail"));
        assertEquals("replaced by gat_…mwGP; old token works 24 hours more",
                Fmt.auditDetail("token.regenerated", "replaced by gat_…mwGP, old token works 24 hours more"));
        assertEquals("", Fmt.auditDetail("integration.deactivated", null));
    }
}
