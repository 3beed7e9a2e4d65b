package io.globalgate.admin.pages;

import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.Integration;

import java.util.List;
import java.util.Map;

/**
 * The restrictions of a token ({@code token} set) or of an integration ({@code token} null), as
 * the form shows them: the values as typed (or as stored), the errors of the last submission, and
 * for a token the client addresses it was used from lately, as a starting list of allowed networks.
 */
public record RestrictionsPage(Layout layout, Integration integration, AccessToken token, String allowedNetworks, String scope,
                               String pathPrefixes, String requestsPerMinute, String burst, List<String> recentAddresses,
                               Map<String, String> errors) {

    private static final Map<String, String> LABELS = Map.of("allowedNetworks", "Allowed networks", "scope", "Scope",
            "pathPrefixes", "Path prefixes", "rateLimit.requestsPerMinute", "Requests per minute", "rateLimit.burst", "Burst");

    public boolean forToken() {
        return token != null;
    }

    public String action() {
        return forToken() ? "/tokens/" + token.id() + "/restrictions" : "/integrations/" + integration.id() + "/restrictions";
    }

    public String back() {
        return forToken() ? "/tokens/" + token.id() : "/integrations/" + integration.id();
    }

    public List<FieldErrors.Problem> problems() {
        return FieldErrors.summary(errors, LABELS);
    }

    public String error(String field) {
        return errors.get(field);
    }
}
