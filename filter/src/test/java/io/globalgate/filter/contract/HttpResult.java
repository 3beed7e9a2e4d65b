package io.globalgate.filter.contract;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One HTTP answer as the tests compare it, whichever client received it. Header names ignore case. */
public record HttpResult(int status, Map<String, List<String>> headers, String body) {

    public HttpResult {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.computeIfAbsent(name, n -> new java.util.ArrayList<>()).addAll(values));
        headers = Collections.unmodifiableMap(copy);
    }

    /** Every value of a header, in order; empty when absent. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    @Override
    public String toString() {
        return "HTTP " + status + " " + headers + "\n" + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
    }
}
