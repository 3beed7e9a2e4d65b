package io.globalgate.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parsers options are declared with; each refusal states the rule and the value it refused. */
public final class Parsers {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final String DURATION_RULE = "must be a duration such as 500ms, 30s, 5m or PT30S";
    private static final int SHOWN_MAX = 80;

    private Parsers() {
    }

    /** Any text. */
    public static Parser<String> text() {
        return text -> text;
    }

    /** Text that matches {@code regex} in full. */
    public static Parser<String> matching(String regex, String rule) {
        Pattern pattern = Pattern.compile(regex);
        return text -> {
            if (!pattern.matcher(text).matches()) {
                throw refuse(rule, text);
            }
            return text;
        };
    }

    /** One of {@code values}, as written. */
    public static Parser<String> oneOf(String rule, String... values) {
        List<String> allowed = List.of(values);
        return text -> {
            if (!allowed.contains(text)) {
                throw refuse(rule, text);
            }
            return text;
        };
    }

    /** {@code true} or {@code false}, in any case. */
    public static Parser<Boolean> bool() {
        return text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw refuse("must be true or false", text);
        };
    }

    /** A whole number in {@code [min, max]}. */
    public static Parser<Integer> wholeNumber(int min, int max, String rule) {
        return text -> {
            try {
                int n = Integer.parseInt(text);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw refuse(rule, text);
        };
    }

    /**
     * A duration in {@code [min, max]}; text that is no duration and a duration out of range are
     * refused with different words, the second naming the range.
     */
    public static Parser<Duration> duration(Duration min, Duration max) {
        return text -> {
            Duration d = parseDuration(text);
            if (d == null) {
                throw refuse(DURATION_RULE, text);
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new InvalidValue("must be between " + format(min) + " and " + format(max) + " (was " + format(d) + ")");
            }
            return d;
        };
    }

    /** A duration in {@code [min, max]}, refused in one sentence, {@code rule}, whatever is wrong with it. */
    public static Parser<Duration> duration(Duration min, Duration max, String rule) {
        return text -> {
            Duration d = parseDuration(text);
            if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw refuse(rule, text);
            }
            return d;
        };
    }

    /** Comma-separated durations, each in {@code [min, max]}; empty items are skipped, so {@code ""} is none. */
    public static Parser<List<Duration>> durations(Duration min, Duration max, String rule) {
        return text -> {
            List<Duration> list = new ArrayList<>();
            for (String part : text.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                Duration d = parseDuration(part.strip());
                if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                    throw refuse(rule, text);
                }
                list.add(d);
            }
            return List.copyOf(list);
        };
    }

    /** A JDBC URL, for any driver. */
    public static Parser<String> jdbcUrl() {
        return text -> {
            if (!text.startsWith("jdbc:")) {
                throw refuse("must start with jdbc:", text);
            }
            return text;
        };
    }

    /**
     * The refusal of {@code value} by {@code rule}, quoting the value: cut at 80 characters, and
     * control characters written as {@code \\uXXXX}, so each refusal stays one line of a log or
     * of the gateway's usage message.
     */
    public static InvalidValue refuse(String rule, String value) {
        String cut = value.length() > SHOWN_MAX ? value.substring(0, SHOWN_MAX) : value;
        StringBuilder shown = new StringBuilder();
        for (char c : cut.toCharArray()) {
            shown.append(Character.isISOControl(c) ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return new InvalidValue(rule + " (was '" + shown + (cut.length() < value.length() ? "…" : "") + "')");
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT30S}); null if neither, or negative. */
    public static Duration parseDuration(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT_DURATION.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (s.length() > 40) {
            return null;
        }
        try {
            Duration d = Duration.parse(text.strip());
            return d.isNegative() ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code 500ms} below a whole second, else whole seconds ({@code 30s}). */
    public static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        return d.toSeconds() + "s";
    }
}
