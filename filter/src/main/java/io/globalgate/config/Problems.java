package io.globalgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The refusals of one reading, each naming its options the way the reader labels them. */
public final class Problems {

    private final Labels labels;
    private final List<String> list = new ArrayList<>();

    Problems(Labels labels) {
        this.labels = labels;
    }

    /** {@code reason} follows the labels of {@code options}, e.g. {@code dataSource, jdbcUrl: give one of them, not both}. */
    public void refuse(String reason, Option<?>... options) {
        list.add(Stream.of(options).map(labels::of).collect(Collectors.joining(", ")) + labels.separator() + reason);
    }

    /** An option as this reader names it, for a reason that mentions another option. */
    public String label(Option<?> option) {
        return labels.of(option);
    }

    void add(String problem) {
        list.add(problem);
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<String> list() {
        return list;
    }
}
