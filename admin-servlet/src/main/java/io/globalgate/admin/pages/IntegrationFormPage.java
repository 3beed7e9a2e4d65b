package io.globalgate.admin.pages;

import java.util.Map;

/** New or edit integration; {@code id} is null for a new one. Values are what the user typed. */
public record IntegrationFormPage(Layout layout, Long id, String name, String description, String notificationEmail,
                                  boolean active, Map<String, String> errors) {

    public boolean isNew() {
        return id == null;
    }

    public String error(String field) {
        return errors.get(field);
    }
}
