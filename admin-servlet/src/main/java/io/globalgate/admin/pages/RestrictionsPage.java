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

    /** The fields in the order of the form. */
    private static final List<String> ORDER = List.of("allowedNetworks", "scope", "pathPrefixes", "rateLimit.requestsPerMinute",
            "rateLimit.burst");

    /**
     * The error summary, in the order of the form; each link goes to the field's element (a rate
     * limit's error is keyed {@code rateLimit.burst}, its input is {@code burst}).
     */
    public List<FieldErrors.Problem> problems() {
        return FieldErrors.summary(errors, LABELS).stream()
                .sorted(java.util.Comparator.comparingInt(p -> ORDER.indexOf(p.field()) < 0 ? ORDER.size() : ORDER.indexOf(p.field())))
                .map(p -> new FieldErrors.Problem(p.field().replace("rateLimit.", ""), p.text())).toList();
    }

    public String error(String field) {
        return errors.get(field);
    }
}
