package io.globalgate.admin.pages;

import io.globalgate.admin.store.Integration;

import java.util.List;
import java.util.Map;

/** The new-token form; values are what the user typed. */
public record TokenFormPage(Layout layout, Integration integration, String name, String expiration, String expiresAt,
                            List<String> policies, String maxLifetime, Map<String, String> errors) {

    public String error(String field) {
        return errors.get(field);
    }
}
