package io.globalgate.admin.pages;

import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.Integration;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Formatting shared by the templates. */
public final class Fmt {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Fmt() {
    }

    public static String time(Instant instant) {
        return instant == null ? "—" : TIME.format(instant);
    }

    public static String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    public static String expires(AccessToken token) {
        return token.expiresAt() == null ? "Never" : time(token.expiresAt());
    }

    public static String expirationLabel(String code) {
        return switch (code) {
            case "never" -> "Never";
            case "7d" -> "7 days";
            case "30d" -> "30 days";
            case "60d" -> "60 days";
            case "90d" -> "90 days";
            case "365d" -> "1 year";
            case "custom" -> "Custom date";
            default -> code;
        };
    }

    /**
     * What the gateway does with a token, in one word: its own status ({@code active}, {@code expired},
     * {@code revoked}), except that an active token of an inactive integration is {@code refused}.
     */
    public static String state(String status, Integration integration) {
        return "active".equals(status) && !integration.active() ? "refused" : status;
    }

    /** How many of the integration's tokens the gateway accepts now: none while the integration is inactive. */
    public static String workingTokens(Integration integration) {
        if (integration.active() || integration.activeTokens() == 0) {
            return Long.toString(integration.activeTokens());
        }
        return "0 (" + integration.activeTokens() + " refused: integration inactive)";
    }

    public static String yesNo(boolean value) {
        return value ? "Yes" : "No";
    }
}
