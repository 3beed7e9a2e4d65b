package io.globalgate.config;

import java.util.List;

/** Every refused option of one configuration, each problem naming its option. */
public final class InvalidConfiguration extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    InvalidConfiguration(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
