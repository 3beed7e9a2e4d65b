package io.globalgate.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One configuration option, declared once: its name (the {@code web.xml} init-param, and the
 * stem of the sample gateway's flag and environment variable), its default, the parser that
 * holds its rule, and what it does. The filter, the admin servlet and the gateway read an option
 * through the same declaration, so they accept and refuse the same values with the same words.
 *
 * @param <T> what the option's text is parsed into
 */
public final class Option<T> {

    private final String name;
    private final String defaultValue;
    private final Parser<T> parser;
    private final String description;
    private final boolean secret;
    private final UnaryOperator<String> display;

    private Option(String name, String defaultValue, Parser<T> parser, String description, boolean secret,
                   UnaryOperator<String> display) {
        if (!name.matches("[a-z][A-Za-z0-9]*")) {
            throw new IllegalArgumentException("an option name is camelCase ASCII, was " + name);
        }
        this.name = name;
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.description = Objects.requireNonNull(description, "description");
        this.secret = secret;
        this.display = display;
    }

    /** An option with a default; {@code ""} means none: left out, it is unset. */
    public static <T> Option<T> of(String name, String defaultValue, Parser<T> parser, String description) {
        return new Option<>(name, defaultValue, parser, description, false, UnaryOperator.identity());
    }

    /**
     * A password or the like: taken as given (spaces may be part of it), printed as
     * {@code <masked>}, and a refusal names its length, never its text.
     */
    public static <T> Option<T> secret(String name, Parser<T> parser, String description) {
        return new Option<>(name, "", parser, description, true, UnaryOperator.identity());
    }

    /** The same option under another default (a host that knows better, e.g. a data dir). */
    public Option<T> withDefault(String otherDefault) {
        return new Option<>(name, otherDefault, parser, description, secret, display);
    }

    /** The same option, described as a host that sets it in its own way explains it. */
    public Option<T> describedAs(String otherDescription) {
        return new Option<>(name, defaultValue, parser, otherDescription, secret, display);
    }

    /** The same option under a stricter rule (a host that ships fewer JDBC drivers, say). */
    public Option<T> parsedBy(Parser<T> stricter) {
        return new Option<>(name, defaultValue, stricter, description, secret, display);
    }

    /** How a value is shown in logs, e.g. a JDBC URL with its password masked. */
    public Option<T> displayedAs(UnaryOperator<String> shown) {
        return new Option<>(name, defaultValue, parser, description, secret, shown);
    }

    public String name() {
        return name;
    }

    /** The default as text, {@code ""} when the option has none. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean isSecret() {
        return secret;
    }

    /** The sample gateway's flag: {@code smtpHost} is {@code --smtp-host}. */
    public String flag() {
        return "--" + words('-').toLowerCase(Locale.ROOT);
    }

    /** The sample gateway's environment variable: {@code smtpHost} is {@code GLOBALGATE_SMTP_HOST}. */
    public String env() {
        return "GLOBALGATE_" + words('_').toUpperCase(Locale.ROOT);
    }

    /**
     * Whether {@code text} leaves the option unset. Null does. A blank value does for an option
     * without a default (for a secret only the empty string: spaces may be a password's own);
     * for an option with a default it is a value, and its rule refuses it rather than the default
     * silently taking its place.
     */
    boolean isUnset(String text) {
        return text == null || (defaultValue.isEmpty() && (secret ? text.isEmpty() : text.isBlank()));
    }

    /** The text the parser sees: stripped, but a secret as given. */
    String normalise(String text) {
        return secret ? text : text.strip();
    }

    T parse(String normalised) {
        return parser.parse(normalised);
    }

    String display(String text) {
        return secret ? "<masked>" : display.apply(text);
    }

    private String words(char separator) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append(separator);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** An option is its name: a variant under another default, rule or description reads the same value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Option<?> other && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
