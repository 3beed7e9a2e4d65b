package io.globalgate.admin.pages;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A form's validation errors as the error summary above the form lists them, each linked to its field. */
public final class FieldErrors {

    /** One error: the id of the field it is about, and the sentence shown (the same as next to the field). */
    public record Problem(String field, String text) {
    }

    private FieldErrors() {
    }

    /** The errors in the form's order; {@code labels} names each field as its label does. */
    public static List<Problem> summary(Map<String, String> errors, Map<String, String> labels) {
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : errors.entrySet()) {
            problems.add(new Problem(e.getKey(), labels.getOrDefault(e.getKey(), e.getKey()) + " " + e.getValue()));
        }
        return problems;
    }
}
