package io.globalgate.validation;

import io.globalgate.admin.store.PageRequest;
import io.globalgate.filter.FilterOptions;
import io.globalgate.net.Cidr;
import io.globalgate.net.NetworkList;
import io.globalgate.store.TokenRestrictions;
import io.globalgate.token.ExpirationPolicy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every rule on what an operator or a script may submit, in one place. Methods return the
 * normalised value (trimmed) or throw {@link ValidationException} naming each refused field.
 * Nothing here escapes or rewrites content: a script tag or an SQL fragment in a name is just
 * text, stored and returned verbatim; pages escape on output and SQL is always parameterised.
 */
public final class InputValidator {

    public static final int NAME_MAX = 100;
    public static final int DESCRIPTION_MAX = 1000;
    public static final int EMAIL_MAX = 254;
    // created_by, revoked_by and actor are VARCHAR(255); H2 counts that in UTF-16 units, so 127
    // characters (each at most two units) is what fits on both databases.
    public static final int ACTOR_MAX = 127;
    public static final int SEARCH_MAX = 100;
    public static final int PAGE_SIZE_MAX = 200;
    public static final int REVOKE_IDS_MAX = 1000;
    public static final Duration GRACE_MAX = Duration.ofDays(7);
    /** Networks in one allowed list: far more than any real list, few enough for a page and a fast check. */
    public static final int NETWORKS_MAX = 100;
    public static final int PATH_PREFIXES_MAX = 20;
    public static final int PATH_PREFIX_MAX = 200;
    /** A path segment's characters as RFC 3986 allows them unencoded, without ';' (a path parameter the filter drops). */
    private static final Pattern PATH_PREFIX = Pattern.compile("(/[A-Za-z0-9\\-._~!$&'()*+,=:@]+)+/?|/");
    /** DATETIME ends with the year 9999; Instant.parse reads far beyond it. */
    static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59.999Z");

    // Deliberately simple (RFC 5322 has quoted local parts nobody uses for a team inbox):
    // dot-atom local part, dotted host of letters/digits/hyphens, no whitespace or CR/LF anywhere.
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    private final Clock clock;
    private final Duration maxLifetime;

    /** @param maxLifetime the deployment's longest allowed token lifetime, or null for none */
    public InputValidator(Clock clock, Duration maxLifetime) {
        if (maxLifetime != null && (maxLifetime.isNegative() || maxLifetime.isZero())) {
            throw new IllegalArgumentException("maxTokenLifetime must be positive, was " + maxLifetime);
        }
        this.clock = clock;
        this.maxLifetime = maxLifetime;
    }

    public Duration maxLifetime() {
        return maxLifetime;
    }

    /** Collects errors across fields so a form can show all of them at once. */
    public static final class Errors {
        private final List<FieldError> list = new ArrayList<>();

        public void add(String key, String message) {
            list.add(new FieldError(key, message));
        }

        public boolean isEmpty() {
            return list.isEmpty();
        }

        public void throwIfAny() {
            if (!list.isEmpty()) {
                throw new ValidationException(list);
            }
        }
    }

    // ---- single fields; each returns the normalised value or records an error and returns null

    public String name(String key, String raw, Errors errors) {
        return requiredText(key, raw, NAME_MAX, false, errors);
    }

    public String description(String key, String raw, Errors errors) {
        if (raw == null) {
            return "";
        }
        String value = raw.strip();
        if (!checkText(key, value, DESCRIPTION_MAX, true, errors)) {
            return null;
        }
        return value;
    }

    public String email(String key, String raw, Errors errors) {
        if (raw == null || raw.isBlank()) {
            errors.add(key, "is required");
            return null;
        }
        String value = raw.strip();
        if (value.length() > EMAIL_MAX) {
            errors.add(key, "must be at most " + EMAIL_MAX + " characters (was " + value.length() + ")");
            return null;
        }
        if (!EMAIL.matcher(value).matches()) {
            errors.add(key, "must be an e-mail address such as team@example.com");
            return null;
        }
        return value;
    }

    public String actor(String raw) {
        Errors errors = new Errors();
        String value = requiredText("actor", raw, ACTOR_MAX, false, errors);
        errors.throwIfAny();
        return value;
    }

    public String search(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        Errors errors = new Errors();
        String value = raw.strip();
        checkText("q", value, SEARCH_MAX, false, errors);
        errors.throwIfAny();
        return value;
    }

    /**
     * The expiration of a new token: a fixed policy code, or a custom ISO-8601 instant (exactly one
     * of the two). The result respects the deployment's maximum lifetime.
     */
    public ExpirationPolicy expiration(String code, String expiresAt, Errors errors) {
        boolean hasCode = code != null && !code.isBlank();
        boolean hasInstant = expiresAt != null && !expiresAt.isBlank();
        if (hasCode && hasInstant && !ExpirationPolicy.CUSTOM.equals(code.strip())) {
            errors.add("expiration", "give either expiration or expiresAt, not both");
            return null;
        }
        ExpirationPolicy policy;
        if (hasInstant) {
            Instant at = parseInstant("expiresAt", expiresAt.strip(), errors);
            if (at == null) {
                return null;
            }
            if (!at.isAfter(clock.instant())) {
                errors.add("expiresAt", "must be in the future");
                return null;
            }
            policy = ExpirationPolicy.custom(at);
        } else if (hasCode) {
            policy = ExpirationPolicy.fixed(code.strip());
            if (policy == null) {
                errors.add("expiration", "must be one of never, 7d, 30d, 60d, 90d, 365d"
                        + (ExpirationPolicy.CUSTOM.equals(code.strip()) ? " (custom needs expiresAt)" : ""));
                return null;
            }
        } else {
            errors.add("expiration", "is required: one of never, 7d, 30d, 60d, 90d, 365d, or expiresAt");
            return null;
        }
        return withinMaxLifetime(policy, hasInstant ? "expiresAt" : "expiration", errors) ? policy : null;
    }

    public boolean withinMaxLifetime(ExpirationPolicy policy, String key, Errors errors) {
        Instant now = clock.instant();
        Instant at = policy.expiresAt(now);
        if (at != null && at.isAfter(LATEST_EXPIRY)) {
            errors.add(key, "must be before 10000-01-01T00:00:00Z");
            return false;
        }
        if (maxLifetime == null) {
            return true;
        }
        if (at == null || at.isAfter(now.plus(maxLifetime))) {
            errors.add(key, "exceeds the maximum token lifetime of " + describe(maxLifetime)
                    + " set for this deployment");
            return false;
        }
        return true;
    }

    /** A grace period in seconds, as the API and the pages send it; null is none. */
    public Duration grace(Long seconds) {
        return gracePeriod(seconds == null ? null : Duration.ofSeconds(seconds));
    }

    /** How long a regenerated token's predecessor stays valid: none (null or zero) up to {@link #GRACE_MAX}. */
    public Duration gracePeriod(Duration grace) {
        if (grace == null) {
            return Duration.ZERO;
        }
        if (grace.isNegative() || grace.compareTo(GRACE_MAX) > 0) {
            throw new ValidationException("graceSeconds", "must be between 0 and " + GRACE_MAX.toSeconds() + " (7 days)");
        }
        return grace;
    }

    public List<Long> revokeIds(Collection<Long> ids) {
        if (ids == null || ids.isEmpty()) {
            throw new ValidationException("ids", "must list at least one token id");
        }
        if (ids.size() > REVOKE_IDS_MAX) {
            throw new ValidationException("ids", "must list at most " + REVOKE_IDS_MAX + " token ids (was " + ids.size() + ")");
        }
        List<Long> distinct = new ArrayList<>();
        for (Long id : ids) {
            if (id == null || id <= 0) {
                throw new ValidationException("ids", "must contain only positive token ids");
            }
            if (!distinct.contains(id)) {
                distinct.add(id);
            }
        }
        return distinct;
    }

    public PageRequest page(Integer page, Integer size) {
        Errors errors = new Errors();
        int p = page == null ? 1 : page;
        int s = size == null ? PageRequest.DEFAULT_SIZE : size;
        if (p < 1 || p > 1_000_000) {
            errors.add("page", "must be between 1 and 1000000");
        }
        if (s < 1 || s > PAGE_SIZE_MAX) {
            errors.add("size", "must be between 1 and " + PAGE_SIZE_MAX);
        }
        errors.throwIfAny();
        return new PageRequest(p, s);
    }

    // ---- token restrictions

    /**
     * An allowed-networks list: at most {@link #NETWORKS_MAX} networks such as {@code 203.0.113.0/24}
     * or {@code 2001:db8::/32}, each checked by the filter's own parser (no host names, no zone
     * ids, no bits after the prefix). Overlapping networks are allowed: the list is their union.
     * The empty list restricts nothing. Every bad entry is named in one message.
     */
    public NetworkList allowedNetworks(String key, List<String> raw, Errors errors) {
        if (raw.size() > NETWORKS_MAX) {
            errors.add(key, "lists " + raw.size() + " networks; at most " + NETWORKS_MAX + " are allowed (write wider networks,"
                    + " such as 203.0.113.0/24, instead of single addresses)");
            return null;
        }
        List<Cidr> networks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String entry = raw.get(i);
            if (entry == null || isBlank(entry)) {
                problems.add("entry " + (i + 1) + " is empty");
                continue;
            }
            try {
                networks.add(Cidr.parse(entry));
            } catch (IllegalArgumentException e) {
                problems.add("entry " + (i + 1) + ": " + e.getMessage());
            }
            if (problems.size() == 5) {
                problems.add("…");
                break;
            }
        }
        if (!problems.isEmpty()) {
            errors.add(key, "must be networks such as 203.0.113.0/24 or 2001:db8::/32: " + String.join("; ", problems));
            return null;
        }
        return NetworkList.of(networks);
    }

    public TokenRestrictions.Scope scope(String key, String raw, Errors errors) {
        TokenRestrictions.Scope scope = raw == null ? null : TokenRestrictions.Scope.fromCode(raw.strip());
        if (scope == null) {
            errors.add(key, "must be read-write or read-only");
        }
        return scope;
    }

    /**
     * Path prefixes: at most {@link #PATH_PREFIXES_MAX}, each a path that starts with {@code /},
     * written as the filter compares it (decoded, without {@code .} or {@code ..} segments, empty
     * segments or {@code %} escapes), at most {@link #PATH_PREFIX_MAX} characters.
     */
    public List<String> pathPrefixes(String key, List<String> raw, Errors errors) {
        if (raw.size() > PATH_PREFIXES_MAX) {
            errors.add(key, "lists " + raw.size() + " prefixes; at most " + PATH_PREFIXES_MAX + " are allowed");
            return null;
        }
        List<String> prefixes = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String entry = raw.get(i) == null ? "" : raw.get(i).strip();
            String problem = pathPrefixProblem(entry);
            if (problem != null) {
                errors.add(key, "entry " + (i + 1) + " " + problem);
                return null;
            }
            prefixes.add(entry);
        }
        return prefixes;
    }

    private static String pathPrefixProblem(String prefix) {
        if (prefix.isEmpty()) {
            return "is empty; a path prefix starts with /, such as /api/global/v1/orders/";
        }
        if (prefix.length() > PATH_PREFIX_MAX) {
            return "is longer than " + PATH_PREFIX_MAX + " characters";
        }
        if (prefix.charAt(0) != '/') {
            return "must start with /, such as /api/global/v1/orders/";
        }
        for (String segment : prefix.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return "must not contain . or .. segments: requests are compared after theirs are resolved, so write the path they lead to";
            }
        }
        if (prefix.contains("//")) {
            return "must not contain an empty segment (//)";
        }
        if (prefix.indexOf('%') >= 0) {
            return "must be written decoded, without % escapes (requests are compared after decoding)";
        }
        if (!PATH_PREFIX.matcher(prefix).matches()) {
            return "may contain only letters, digits and - . _ ~ ! $ & ' ( ) * + , = : @ between its slashes (no ;, ?, #, \\, spaces or"
                    + " control characters)";
        }
        return null;
    }

    /** A rate limit: 1 to {@code FilterOptions.MAX_RATE} requests per minute, and a burst as large (default: the same). */
    public TokenRestrictions.RateLimit rateLimit(String key, Long requestsPerMinute, Long burst, Errors errors) {
        int max = FilterOptions.MAX_RATE;
        boolean ok = true;
        if (requestsPerMinute == null || requestsPerMinute < 1 || requestsPerMinute > max) {
            errors.add(key + ".requestsPerMinute", "must be a whole number from 1 to " + max);
            ok = false;
        }
        if (burst != null && (burst < 1 || burst > max)) {
            errors.add(key + ".burst", "must be a whole number from 1 to " + max + " (unset: the same as requestsPerMinute)");
            ok = false;
        }
        if (!ok) {
            return null;
        }
        return new TokenRestrictions.RateLimit(requestsPerMinute.intValue(), burst == null ? requestsPerMinute.intValue() : burst.intValue());
    }

    // ---- helpers

    private String requiredText(String key, String raw, int max, boolean multiline, Errors errors) {
        if (raw == null || isBlank(raw)) {
            errors.add(key, "is required");
            return null;
        }
        String value = raw.strip();
        return checkText(key, value, max, multiline, errors) ? value : null;
    }

    private static boolean checkText(String key, String value, int max, boolean multiline, Errors errors) {
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            errors.add(key, "must be at most " + max + " characters (was " + length + ")");
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                errors.add(key, "contains an invalid character (unpaired surrogate)");
                return false;
            }
            if (multiline && (c == '\n' || c == '\r' || c == '\t')) {
                continue;
            }
            if (Character.isISOControl(c) || isInvisibleDirectionControl(c)
                    || c == '\u2028' || c == '\u2029') {
                errors.add(key, "must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + " at position " + (value.codePointCount(0, i) + 1) + ")");
                return false;
            }
        }
        return true;
    }

    /** Blank also when made only of no-break spaces, which isBlank() and strip() do not count as whitespace. */
    private static boolean isBlank(String raw) {
        return raw.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
    }

    /** Bidi overrides and isolates can make a name read differently from what it is. */
    private static boolean isInvisibleDirectionControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F';
    }

    private static Instant parseInstant(String key, String raw, Errors errors) {
        if (raw.length() > 64) {
            errors.add(key, "must be an ISO-8601 instant such as 2027-01-31T00:00:00Z");
            return null;
        }
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(raw).toInstant();
            } catch (DateTimeParseException e2) {
                errors.add(key, "must be an ISO-8601 instant such as 2027-01-31T00:00:00Z");
                return null;
            }
        }
    }

    /** A duration as people read it: {@code 30 days}, {@code 1 hour}, {@code 90 seconds}. */
    public static String describe(Duration d) {
        if (d.toSeconds() % 86_400 == 0) {
            long days = d.toDays();
            return days + (days == 1 ? " day" : " days");
        }
        if (d.toSeconds() % 3600 == 0) {
            long hours = d.toHours();
            return hours + (hours == 1 ? " hour" : " hours");
        }
        return d.toSeconds() + " seconds";
    }
}
