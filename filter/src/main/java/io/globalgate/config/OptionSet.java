package io.globalgate.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The options of one component and the rules between them. {@link #read} takes the given values
 * by option name, refuses unknown names, parses each value with its option's parser, checks the
 * rules, and reports every problem at once.
 */
public final class OptionSet {

    private final List<Option<?>> options;
    private final List<Rule> rules;

    private OptionSet(List<Option<?>> options, List<Rule> rules) {
        Map<String, Option<?>> byName = new LinkedHashMap<>();
        for (Option<?> option : options) {
            if (byName.put(option.name(), option) != null) {
                throw new IllegalArgumentException("option " + option.name() + " is declared twice");
            }
        }
        this.options = List.copyOf(options);
        this.rules = List.copyOf(rules);
    }

    public static OptionSet of(List<Option<?>> options, List<Rule> rules) {
        return new OptionSet(options, rules);
    }

    /** The options, in the order they are documented. */
    public List<Option<?>> options() {
        return options;
    }

    /** The option named {@code name}, or null. */
    public Option<?> option(String name) {
        for (Option<?> option : options) {
            if (option.name().equals(name)) {
                return option;
            }
        }
        return null;
    }

    /**
     * Reads {@code given} (option name to text; a null text is unset).
     *
     * @throws InvalidConfiguration naming every unknown name, refused value and broken rule
     */
    public Settings read(Map<String, String> given, Labels labels) {
        Problems problems = new Problems(labels);
        for (String name : given.keySet()) {
            if (option(name) == null) {
                problems.add(name + ": unknown parameter (known: "
                        + options.stream().map(Option::name).collect(Collectors.joining(", ")) + ")");
            }
        }
        Map<Option<?>, String> texts = new LinkedHashMap<>();
        Map<Option<?>, Object> values = new LinkedHashMap<>();
        for (Option<?> option : options) {
            String text = given.get(option.name());
            if (option.isUnset(text)) {
                texts.put(option, option.defaultValue());
                if (option.defaultValue().isEmpty()) {
                    continue;
                }
                text = option.defaultValue();
            } else {
                text = option.normalise(text);
                texts.put(option, text);
            }
            try {
                values.put(option, option.parse(text));
            } catch (InvalidValue e) {
                problems.add(labels.of(option) + labels.separator() + (option.isSecret() ? secretReason(e, text) : e.getMessage()));
            }
        }
        Settings settings = Settings.of(texts, values);
        for (Rule rule : rules) {
            rule.check(settings, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfiguration(new ArrayList<>(problems.list()));
        }
        return settings;
    }

    /** A secret's refusal names its length, never its text. */
    private static String secretReason(InvalidValue e, String text) {
        String reason = e.getMessage();
        int quoted = reason.indexOf(" (was '"); // the first: what follows may be the secret's own text
        return (quoted < 0 ? reason : reason.substring(0, quoted)) + " (was " + text.length() + ")";
    }
}
