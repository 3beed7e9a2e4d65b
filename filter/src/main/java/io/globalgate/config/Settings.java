package io.globalgate.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** The values of one configuration, read and checked by an {@link OptionSet}. */
public final class Settings {

    private final Map<Option<?>, String> texts;
    private final Map<Option<?>, Object> values;

    Settings(Map<Option<?>, String> texts, Map<Option<?>, Object> values) {
        this.texts = texts;
        this.values = values;
    }

    /** The parsed value; null when the option is unset (or, inside a {@link Rule}, refused). */
    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
        return (T) values.get(option);
    }

    /** The parsed value, or {@code otherwise} when the option is unset. */
    public <T> T get(Option<T> option, T otherwise) {
        T value = get(option);
        return value == null ? otherwise : value;
    }

    /** The effective text (the default when not given), {@code ""} when unset. */
    public String text(Option<?> option) {
        return texts.getOrDefault(option, "");
    }

    public boolean isSet(Option<?> option) {
        return !text(option).isEmpty();
    }

    /** Every set option as {@code name=value}, secrets masked: fit for a log line. */
    @Override
    public String toString() {
        StringJoiner joined = new StringJoiner(", ");
        texts.forEach((option, text) -> {
            if (!text.isEmpty()) {
                joined.add(option.name() + "=" + option.display(text));
            }
        });
        return joined.toString();
    }

    static Settings of(Map<Option<?>, String> texts, Map<Option<?>, Object> values) {
        return new Settings(new LinkedHashMap<>(texts), new LinkedHashMap<>(values));
    }
}
