package io.globalgate.admin.pages;

import io.globalgate.admin.store.Integration;

import java.util.Map;

/**
 * New or edit integration; {@code id} is null for a new one. Values are what the user typed;
 * {@code current} is the integration as stored (null for a new one).
 */
public record IntegrationFormPage(Layout layout, Long id, String name, String description, String notificationEmail,
                                  boolean active, Map<String, String> errors, Integration current) {

    /** What the page's script asks before an active integration is saved as inactive; null when there is nothing to ask. */
    public String deactivationQuestion() {
        if (current == null || !current.active()) {
            return null;
        }
        long n = current.activeTokens();
        return "Deactivate “" + current.name() + "”? The gateway will refuse " + (n == 1 ? "its 1 working token" : "all " + n
                + " of its working tokens") + " at once, on every node, until the integration is activated again.";
    }

    public boolean isNew() {
        return id == null;
    }

    private static final Map<String, String> LABELS = Map.of("name", "Name", "description", "Description",
            "notificationEmail", "Notification Email", "active", "Active");

    public java.util.List<FieldErrors.Problem> problems() {
        return FieldErrors.summary(errors, LABELS);
    }

    public String error(String field) {
        return errors.get(field);
    }
}
