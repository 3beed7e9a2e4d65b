package io.globalgate.admin.pages;

import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.Integration;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Formatting shared by the templates. */
public final class Fmt {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private static final Duration SOON = Duration.ofDays(7);

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

    /**
     * The word of a token's badge: its {@link #state}, except that a replaced token still in its
     * grace period is {@code replaced}, so the old and the new token of a regeneration, which share
     * a name, do not both say "active".
     */
    public static String badge(AccessToken token, Integration integration, Instant now) {
        String state = state(token.status(now).code(), integration);
        return "active".equals(state) && token.replacedBy() != null ? "replaced" : state;
    }

    /** How many of the integration's tokens the gateway accepts now: none while the integration is inactive. */
    public static String workingTokens(Integration integration) {
        if (integration.active() || integration.activeTokens() == 0) {
            return Long.toString(integration.activeTokens());
        }
        return "0 (" + integration.activeTokens() + " refused: integration inactive)";
    }

    /** {@code at} relative to {@code now} in words: "in 6 days", "3 hours ago", "just now". */
    public static String relative(Instant at, Instant now) {
        Duration d = Duration.between(now, at);
        boolean future = !d.isNegative();
        long s = d.abs().getSeconds();
        if (s < 60) {
            return future ? "in less than a minute" : "just now";
        }
        // Rounded to the nearest unit: a 7-day token issued a second ago expires "in 7 days".
        String amount;
        if (s < 3_570) {
            amount = plural(rounded(s, 60), "minute");
        } else if (s < 2 * 86_400 - 1_800) {
            amount = plural(rounded(s, 3_600), "hour");
        } else if (s < 60 * 86_400) {
            amount = plural(rounded(s, 86_400), "day");
        } else if (s < 730 * 86_400L) {
            amount = plural(rounded(s, 30 * 86_400), "month");
        } else {
            amount = plural(rounded(s, 365 * 86_400), "year");
        }
        return future ? "in " + amount : amount + " ago";
    }

    /** A token that works now and stops within 7 days. */
    public static boolean expiringSoon(AccessToken token, Instant now) {
        return token.revokedAt() == null && token.expiresAt() != null && token.expiresAt().isAfter(now)
                && !token.expiresAt().isAfter(now.plus(SOON));
    }

    private static long rounded(long seconds, long unit) {
        return (seconds + unit / 2) / unit;
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    /** The audit log's actions, in the order its filter offers them, with their words. */
    public static final java.util.Map<String, String> ACTIONS = orderedMap(
            "integration.created", "Integration created",
            "integration.updated", "Integration changed",
            "integration.deactivated", "Integration deactivated",
            "integration.activated", "Integration activated",
            "integration.restrictions_changed", "Integration restrictions changed",
            "token.created", "Token created",
            "token.regenerated", "Token regenerated",
            "token.restrictions_changed", "Token restrictions changed",
            "token.revoked", "Token revoked",
            "token.revoked_unused", "Unused token revoked",
            "token.leak_reported", "Token reported as leaked",
            "token.revoked_by_value", "Token revoked by value");

    /** An audit action in words; an action this version does not know is shown as it is stored. */
    public static String action(String code) {
        return ACTIONS.getOrDefault(code, code);
    }

    private static final java.util.Set<String> DETAIL_KEYS =
            java.util.Set.of("hint", "name", "expiration", "allowedNetworks", "scope", "pathPrefixes", "rateLimit");

    /**
     * An audit row's detail as the log shows it: the stored {@code key=value} parts in words, the token's
     * hint left to the Token column; parts it does not know are shown as stored. A list of networks, or a
     * name, holding ", " stays one part.
     */
    public static String auditDetail(String action, String detail) {
        if (detail == null || detail.isEmpty()) {
            return "";
        }
        List<String[]> parts = new java.util.ArrayList<>(); // {key, value}; key "" for a part without one
        for (String piece : detail.split(", ")) {
            int eq = piece.indexOf('=');
            String key = eq > 0 ? piece.substring(0, eq) : "";
            if (DETAIL_KEYS.contains(key)) {
                parts.add(new String[] {key, piece.substring(eq + 1)});
            } else if (!parts.isEmpty() && (parts.get(parts.size() - 1)[0].equals("allowedNetworks")
                    || parts.get(parts.size() - 1)[0].equals("name") && !action.equals("integration.updated"))) {
                parts.get(parts.size() - 1)[1] += ", " + piece;
            } else {
                parts.add(new String[] {"", piece});
            }
        }
        List<String> words = new java.util.ArrayList<>();
        for (String[] part : parts) {
            String value = part[1];
            switch (part[0]) {
                case "hint" -> { }
                case "name" -> words.add((action.equals("integration.updated") ? "renamed to “" : "named “") + value + "”");
                case "expiration" -> words.add(expirationWords(value));
                case "allowedNetworks" -> words.add("any".equals(value) ? "from any network" : "from " + value);
                case "scope" -> words.add(value);
                case "pathPrefixes" -> words.add("any".equals(value) ? "every path" : "paths " + value);
                case "rateLimit" -> words.add("deployment default".equals(value) ? "the default rate limit" : "rate limit " + value);
                default -> words.add(value);
            }
        }
        return String.join("; ", words);
    }

    private static String expirationWords(String code) {
        if ("never".equals(code)) {
            return "never expires";
        }
        if (code.matches("\\d{1,5}d")) {
            long days = Long.parseLong(code.substring(0, code.length() - 1));
            return days == 365 ? "expires after 1 year" : "expires after " + plural(days, "day");
        }
        return "expires " + code;
    }

    /**
     * What a message says happened, in words, in the number of its tokens: "Token revoked" for one,
     * "Tokens revoked" for more.
     */
    public static String notificationWhat(io.globalgate.admin.store.NotificationOutbox.Message m) {
        boolean one = m.tokens().size() == 1;
        return switch (m.kind()) {
            case TOKENS_REVOKED -> one ? "Token revoked" : "Tokens revoked";
            case TOKENS_REVOKED_BY_VALUE -> one ? "Token revoked by value" : "Tokens revoked by value";
            case TOKENS_REVOKED_UNUSED -> one ? "Unused token revoked" : "Unused tokens revoked";
            default -> notificationKind(m.kind());
        };
    }

    /** What a notification is about, in words. */
    public static String notificationKind(io.globalgate.admin.store.NotificationOutbox.Kind kind) {
        return switch (kind) {
            case TOKEN_CREATED -> "Token created";
            case TOKENS_REVOKED -> "Tokens revoked";
            case TOKEN_REGENERATED -> "Token regenerated";
            case INTEGRATION_DEACTIVATED -> "Integration deactivated";
            case INTEGRATION_ACTIVATED -> "Integration activated";
            case TOKEN_EXPIRING -> "Expiry reminder";
            case TOKEN_EXPIRED -> "Token expired";
            case TEST -> "Test e-mail";
            case TOKEN_UNUSED -> "Unused token reminder";
            case TOKENS_REVOKED_UNUSED -> "Unused tokens revoked";
            case TOKEN_USED_AFTER_END -> "Used after it ended";
            case RESTRICTIONS_CHANGED -> "Restrictions changed";
            case TOKEN_LEAKED -> "Token reported as leaked";
            case TOKENS_REVOKED_BY_VALUE -> "Tokens revoked by value";
            default -> kind.code().replace('_', ' ');
        };
    }

    private static java.util.Map<String, String> orderedMap(String... pairs) {
        java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    public static String yesNo(boolean value) {
        return value ? "Yes" : "No";
    }
}
