package io.globalgate.config;

/**
 * Reads the text of one option. Refuses a value by throwing {@link InvalidValue} with the rule
 * it breaks, worded to follow the option's name: {@code must be true or false (was 'maybe')}.
 */
@FunctionalInterface
public interface Parser<T> {

    /** @param text the option's text, stripped (a secret's as given); never null, never unset */
    T parse(String text);
}
