package io.globalgate.admin.pages;

import io.globalgate.admin.store.Integration;

import java.util.List;
import java.util.Map;

/** The new-token form; values are what the user typed. */
public record TokenFormPage(Layout layout, Integration integration, String name, String expiration, String expiresAt,
                            List<String> policies, String maxLifetime, Map<String, String> errors, String remindersNote) {

    private static final Map<String, String> LABELS = Map.of("name", "Name", "expiration", "Expiration", "expiresAt", "Custom expiry");

    public List<FieldErrors.Problem> problems() {
        return FieldErrors.summary(errors, LABELS);
    }

    /** The ids of what describes the Expiration field: its error and its hint, or null. */
    public String describedBy(String field) {
        String ids = (error(field) != null ? field + "-error " : "") + (maxLifetime != null ? field + "-hint" : "");
        return ids.isBlank() ? null : ids.strip();
    }

    /** The same form under another title (an error's). */
    public TokenFormPage withTitle(String title) {
        return new TokenFormPage(layout.withTitle(title), integration, name, expiration, expiresAt, policies, maxLifetime, errors, remindersNote);
    }

    public String error(String field) {
        return errors.get(field);
    }
}
