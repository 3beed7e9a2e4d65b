package io.globalgate.admin.pages;

import io.globalgate.admin.store.AccessToken;

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

    public static String yesNo(boolean value) {
        return value ? "Yes" : "No";
    }
}
