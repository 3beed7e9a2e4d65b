package io.globalgate.notify;

import io.globalgate.admin.store.NotificationOutbox;
import io.globalgate.admin.store.NotificationOutbox.Kind;
import io.globalgate.admin.store.NotificationOutbox.Message;
import io.globalgate.admin.store.NotificationOutbox.TokenFact;
import io.globalgate.validation.InputValidator;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Words for a notification: a subject, a plain-text and an HTML body. Tokens appear by name and
 * hint only; a token value never reaches this class.
 */
final class MessageRenderer {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    record Rendered(String subject, String text, String html) {
    }

    private final String adminBaseUrl;

    MessageRenderer(String adminBaseUrl) {
        this.adminBaseUrl = adminBaseUrl == null ? null
                : adminBaseUrl.endsWith("/") ? adminBaseUrl.substring(0, adminBaseUrl.length() - 1) : adminBaseUrl;
    }

    Rendered render(Message m, String integrationName) {
        List<TokenFact> tokens = m.tokens();
        String first = tokens.isEmpty() ? "" : tokens.get(0).name();
        String subject;
        String what;
        String advice;
        switch (m.kind()) {
            case TOKEN_CREATED -> {
                subject = "New Global API access token for " + integrationName;
                what = "A new Global API access token was created for the integration " + integrationName + ".";
                advice = "If you did not expect this, revoke the token in the Globalgate admin at once: a Global API token reads the data of every merchant.";
            }
            case TOKENS_REVOKED -> {
                subject = (tokens.size() == 1 ? "Global API access token revoked" : tokens.size() + " Global API access tokens revoked")
                        + " for " + integrationName;
                what = (tokens.size() == 1 ? "A Global API access token of " : tokens.size() + " Global API access tokens of ")
                        + integrationName + (tokens.size() == 1 ? " was revoked. It no longer works." : " were revoked. They no longer work.");
                advice = "Applications still using " + (tokens.size() == 1 ? "it" : "them") + " now get 401 Unauthorized; give them a new token.";
            }
            case TOKEN_REGENERATED -> {
                subject = "Global API access token regenerated for " + integrationName;
                long grace = m.detail() == null ? 0 : Long.parseLong(m.detail());
                what = "The Global API access token " + first + " of " + integrationName + " was regenerated. "
                        + (grace == 0 ? "The old token was revoked at once."
                        : "The old token keeps working for " + InputValidator.describe(Duration.ofSeconds(grace)) + ", then expires.");
                advice = "Put the new token into every application that used the old one.";
            }
            case INTEGRATION_DEACTIVATED -> {
                subject = "Integration " + integrationName + " deactivated: its tokens no longer work";
                what = "The integration " + integrationName + " was set to inactive. None of its Global API access tokens works until it is activated again.";
                advice = "If this is unexpected, ask your Globalgate administrators.";
            }
            case INTEGRATION_ACTIVATED -> {
                subject = "Integration " + integrationName + " activated again";
                what = "The integration " + integrationName + " is active again. Its tokens that are neither revoked nor expired work again.";
                advice = "No action is needed.";
            }
            case TOKEN_EXPIRING -> {
                Instant at = tokens.isEmpty() ? null : tokens.get(0).expiresAt();
                subject = "Global API access token " + first + " of " + integrationName + " expires " + (at == null ? "soon" : "on " + TIME.format(at));
                what = "The Global API access token " + first + " of " + integrationName + " expires on " + (at == null ? "?" : TIME.format(at)) + ".";
                advice = "Create or regenerate a token and put it into the applications that use this one before then.";
            }
            case TOKEN_EXPIRED -> {
                subject = "Global API access token " + first + " of " + integrationName + " has expired";
                what = "The Global API access token " + first + " of " + integrationName + " has expired and no longer works.";
                advice = "Applications still using it get 401 Unauthorized; give them a new token.";
            }
            case RESTRICTIONS_CHANGED -> {
                subject = (tokens.isEmpty() ? "Restrictions of " + integrationName : "Restrictions of token " + first + " of " + integrationName)
                        + " changed";
                what = (tokens.isEmpty() ? "The restrictions of the integration " + integrationName + ", which bind all its tokens,"
                        : "The restrictions of the Global API access token " + first + " of " + integrationName)
                        + " were changed. They are now: " + (m.detail() == null ? "?" : m.detail()) + ".";
                advice = "Requests outside them are refused: 403 from an address outside the allowed networks or outside the scope,"
                        + " 429 over the rate limit. If this is unexpected, ask your Globalgate administrators.";
            }
            case TOKEN_LEAKED -> {
                subject = "Global API access token " + first + " of " + integrationName + " leaked and revoked";
                what = "The Global API access token " + first + " of " + integrationName + " was found in public by a secret scanner, at "
                        + m.detail() + ". Anyone who read it there could have used it, so it was revoked at once. It no longer works.";
                advice = "Remove the token from where it was found (and from the history of that repository or file), create a new token, "
                        + "put it into the applications that used this one, and check the integration's recent usage and the audit log "
                        + "for requests you do not recognise.";
            }
            case TOKENS_REVOKED_BY_VALUE -> {
                subject = (tokens.size() == 1 ? "Global API access token revoked" : tokens.size() + " Global API access tokens revoked")
                        + " on request of someone who held " + (tokens.size() == 1 ? "it" : "them") + ", for " + integrationName;
                what = (tokens.size() == 1 ? "A Global API access token of " : tokens.size() + " Global API access tokens of ")
                        + integrationName + (tokens.size() == 1 ? " was" : " were") + " sent to the revocation endpoint from the address "
                        + m.detail() + " and revoked. Whoever sent " + (tokens.size() == 1 ? "it" : "them") + " held the value: "
                        + (tokens.size() == 1 ? "it" : "they") + " may have leaked.";
                advice = "Create a new token, put it into the applications that used the revoked one, and find out how the value left "
                        + "your hands.";
            }
            case TOKEN_UNUSED -> {
                String[] detail = m.detail() == null ? new String[0] : m.detail().split(" ");
                String revokeAt = detail.length > 0 ? when(detail[0]) : "soon";
                String since = detail.length > 1 ? when(detail[1]) : "a long time";
                subject = "Global API access token " + first + " of " + integrationName + " is unused and will be revoked on " + revokeAt;
                what = "The Global API access token " + first + " of " + integrationName + " has not been used since " + since
                        + ". This deployment revokes tokens that are not used for a long time, so it will be revoked on " + revokeAt + ".";
                advice = "If an application still needs this token, make one request with it before then: any accepted request keeps it."
                        + " If nothing needs it, revoke it now.";
            }
            case TOKENS_REVOKED_UNUSED -> {
                subject = (tokens.size() == 1 ? "Unused Global API access token revoked" : tokens.size() + " unused Global API access tokens revoked")
                        + " for " + integrationName;
                what = (tokens.size() == 1 ? "A Global API access token of " : tokens.size() + " Global API access tokens of ")
                        + integrationName + (tokens.size() == 1 ? " was" : " were") + " revoked because " + (tokens.size() == 1 ? "it was" : "they were")
                        + " not used for " + (m.detail() == null ? "a long time" : m.detail()) + ", as this deployment's policy says."
                        + " The reminder went out before.";
                advice = "If an application still needs access, create a new token and put it into that application.";
            }
            case TOKEN_USED_AFTER_END -> {
                NotificationOutbox.RefusedUseNotice notice = NotificationOutbox.RefusedUseNotice.parse(m.detail());
                String ended = notice == null ? "ended" : "revoked".equals(notice.ended()) ? "was revoked" : "expired";
                subject = "Global API access token " + first + " of " + integrationName + " is still in use after it " + ended;
                what = "The Global API access token " + first + " of " + integrationName + " was sent to the gateway after it "
                        + ended + (notice == null ? "" : ", last at " + TIME.format(notice.at())
                        + " from the address " + (notice.ip() == null ? "unknown" : notice.ip())) + ". The gateway refused the request"
                        + " (401 Unauthorized), and refuses every further one: the token no longer works.";
                advice = "If the address is one of your applications, it was not updated: give it a current token (create or regenerate"
                        + " one in the Globalgate admin). If you do not recognise the address, someone else holds a copy of the token: find"
                        + " out how it left your hands, and check the integration's recent usage and the audit log for requests you do not"
                        + " recognise. You are told once per token; its page in the admin shows its latest refused use.";
            }
            default -> {
                subject = "Test e-mail for " + integrationName;
                what = "This is a test of the notification e-mails of the integration " + integrationName + ". They reach this address.";
                advice = "No action is needed.";
            }
        }
        NotificationOutbox.RefusedUseNotice refused = m.kind() == Kind.TOKEN_USED_AFTER_END
                ? NotificationOutbox.RefusedUseNotice.parse(m.detail()) : null;
        String when = TIME.format(refused != null ? refused.at() : m.occurredAt()) + (m.actor() == null || m.kind() == Kind.TOKENS_REVOKED_BY_VALUE ? "" : " by " + m.actor());
        String link = adminBaseUrl == null ? null
                : adminBaseUrl + (tokens.size() == 1 && m.kind() != Kind.TOKEN_REGENERATED ? "/tokens/" + tokens.get(0).id()
                : "/integrations/" + m.integrationId());

        StringBuilder text = new StringBuilder();
        text.append(what).append("\n\n").append("When: ").append(when).append('\n');
        if (!tokens.isEmpty()) {
            text.append(tokens.size() == 1 ? "Token:\n" : "Tokens:\n");
            for (TokenFact t : tokens) {
                text.append("  - ").append(t.name()).append(" (").append(t.hint()).append(")")
                        .append(t.expiresAt() == null ? "" : ", expires " + TIME.format(t.expiresAt())).append('\n');
            }
        }
        text.append('\n').append(advice).append('\n');
        if (link != null) {
            text.append("\nGlobalgate admin: ").append(link).append('\n');
        }
        text.append("\n-- \nYou receive this because this address is the Notification Email of the integration ")
                .append(integrationName).append(" in Globalgate.\n");

        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif;color:#1d2430\">");
        html.append("<p>").append(esc(what)).append("</p><p><b>When:</b> ").append(esc(when)).append("</p>");
        if (!tokens.isEmpty()) {
            html.append("<ul>");
            for (TokenFact t : tokens) {
                html.append("<li>").append(esc(t.name())).append(" (<code>").append(esc(t.hint())).append("</code>)")
                        .append(t.expiresAt() == null ? "" : ", expires " + esc(TIME.format(t.expiresAt()))).append("</li>");
            }
            html.append("</ul>");
        }
        html.append("<p>").append(esc(advice)).append("</p>");
        if (link != null) {
            html.append("<p><a href=\"").append(esc(link)).append("\">Open the Globalgate admin</a></p>");
        }
        html.append("<hr><p style=\"color:#5b6675;font-size:smaller\">You receive this because this address is the Notification Email of the integration ")
                .append(esc(integrationName)).append(" in Globalgate.</p></body></html>");
        return new Rendered("[Globalgate] " + subject, text.toString(), html.toString());
    }

    /** An instant of a message's detail as the message shows times; text that is not one, as it is. */
    private static String when(String instant) {
        try {
            return TIME.format(Instant.parse(instant));
        } catch (java.time.format.DateTimeParseException e) {
            return instant;
        }
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
