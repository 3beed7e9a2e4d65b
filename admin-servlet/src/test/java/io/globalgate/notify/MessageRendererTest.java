package io.globalgate.notify;

import io.globalgate.admin.store.NotificationOutbox.Kind;
import io.globalgate.admin.store.NotificationOutbox.Message;
import io.globalgate.admin.store.NotificationOutbox.Status;
import io.globalgate.admin.store.NotificationOutbox.TokenFact;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageRendererTest {

    private static final Instant AT = Instant.parse("2026-12-02T04:00:00Z");

    private static Message restrictions(List<TokenFact> tokens, String detail) {
        return new Message(1, Kind.RESTRICTIONS_CHANGED, 3, "ops@example.com", "admin", AT, tokens, detail, Status.PENDING, 0, AT, null, null);
    }

    @Test
    void changedTokenRestrictionsNameTheTokenAndWhatTheRestrictionsAreNow() {
        MessageRenderer.Rendered r = new MessageRenderer("https://gg.example.com/admin").render(restrictions(
                List.of(new TokenFact(7, "production", "gat_…x9Qa", null)),
                "allowedNetworks=203.0.113.0/24, scope=read-only, pathPrefixes=any"), "ERP <sync>");
        assertAll(
                () -> assertEquals("[Globalgate] Restrictions of token production of ERP <sync> changed", r.subject()),
                () -> assertTrue(r.text().startsWith("The restrictions of the Global API access token production of ERP <sync> were changed."
                        + " They are now: allowedNetworks=203.0.113.0/24, scope=read-only, pathPrefixes=any."), r.text()),
                () -> assertTrue(r.text().contains("403 from an address outside the allowed networks"), r.text()),
                () -> assertTrue(r.text().contains("https://gg.example.com/admin/tokens/7"), r.text()),
                () -> assertTrue(r.html().contains("ERP &lt;sync&gt;") && !r.html().contains("<sync>"), r.html()));
    }

    @Test
    void changedIntegrationRestrictionsSayTheyBindEveryToken() {
        MessageRenderer.Rendered r = new MessageRenderer(null).render(restrictions(List.of(),
                "allowedNetworks=any, rateLimit=600/min, burst 50"), "ERP sync");
        assertEquals("[Globalgate] Restrictions of ERP sync changed", r.subject());
        assertTrue(r.text().startsWith("The restrictions of the integration ERP sync, which bind all its tokens, were changed."
                + " They are now: allowedNetworks=any, rateLimit=600/min, burst 50."), r.text());
    }

    private static Message usedAfterEnd(String detail) {
        return new Message(2, Kind.TOKEN_USED_AFTER_END, 3, "ops@example.com", null, AT.plusSeconds(600),
                List.of(new TokenFact(7, "production", "gat_…x9Qa", null)), detail, Status.PENDING, 0, AT, null, null);
    }

    @Test
    void useAfterTheEndSaysWhenAndFromWhereTheLastRefusedUseCameAndWhatToDo() {
        MessageRenderer.Rendered r = new MessageRenderer("https://gg.example.com/admin").render(
                usedAfterEnd("expired 2026-12-02T03:58:41.250Z 2001:db8:0:0:0:0:0:7"), "ERP sync");
        assertAll(
                () -> assertEquals("[Globalgate] Global API access token production of ERP sync is still in use after it expired", r.subject()),
                () -> assertTrue(r.text().startsWith("The Global API access token production of ERP sync was sent to the gateway after it"
                        + " expired, last at 2026-12-02 03:58 UTC from the address 2001:db8:0:0:0:0:0:7."), r.text()),
                () -> assertTrue(r.text().contains("When: 2026-12-02 03:58 UTC\n"), "when it was used, not when the notice was queued: " + r.text()),
                () -> assertTrue(r.text().contains("If you do not recognise the address, someone else holds a copy"), r.text()),
                () -> assertTrue(r.text().contains("https://gg.example.com/admin/tokens/7"), r.text()));
    }

    @Test
    void useAfterTheEndWithADetailThisVersionDidNotWriteStillSaysWhatHappened() {
        for (String detail : new String[]{null, "", "revoked", "revoked not-a-time 192.0.2.1", "<b>revoked</b> x y"}) {
            MessageRenderer.Rendered r = new MessageRenderer(null).render(usedAfterEnd(detail), "ERP sync");
            assertEquals("[Globalgate] Global API access token production of ERP sync is still in use after it ended", r.subject(),
                    String.valueOf(detail));
            assertTrue(r.text().contains("When: 2026-12-02 04:10 UTC\n"), r.text());
            assertTrue(!r.html().contains("<b>revoked"), r.html());
        }
    }
}
