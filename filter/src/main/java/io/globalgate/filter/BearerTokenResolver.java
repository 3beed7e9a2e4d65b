package io.globalgate.filter;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Enumeration;

/**
 * Finds the bearer token of a request: one {@code Authorization: Bearer <token>} header (the
 * header name is configurable; the scheme is case-insensitive, RFC 7235 §2.1). Strict: two
 * credentials, or a token in the query string, are a malformed request; tokens in URLs end up in
 * access logs and browser histories, so they are refused rather than silently ignored.
 */
public final class BearerTokenResolver {

    /** Longer than any Globalgate token with its scheme; anything longer is refused unread. */
    static final int MAX_VALUE_LENGTH = 1024;

    private static final String SCHEME = "bearer";

    private final String headerName;

    public BearerTokenResolver(String headerName) {
        this.headerName = headerName;
    }

    /** What the request carries. */
    public sealed interface Resolution {
    }

    /** No credentials at all (RFC 6750 §3.1: challenge without an error code). */
    public record Missing(String message) implements Resolution {
    }

    /** A request that cannot be understood: {@code 400 invalid_request}. */
    public record InvalidRequest(String message) implements Resolution {
    }

    /** Credentials that are not a usable bearer token: {@code 401 invalid_token}. */
    public record Malformed(String message) implements Resolution {
    }

    /** A candidate token, still to be checked by the verifier. */
    public record Candidate(String token) implements Resolution {
        @Override
        public String toString() {
            return "Candidate[<masked>]";
        }
    }

    public Resolution resolve(HttpServletRequest request) {
        boolean inQuery = hasAccessTokenParameter(request.getQueryString());
        Enumeration<String> headers = request.getHeaders(headerName);
        String value = null;
        if (headers != null && headers.hasMoreElements()) {
            value = headers.nextElement();
            if (headers.hasMoreElements()) {
                return new InvalidRequest("Found multiple " + headerName + " headers in the request; send exactly one");
            }
        }
        if (inQuery) {
            return new InvalidRequest(value != null
                    ? "Found multiple bearer tokens in the request (header and access_token query parameter)"
                    : "Tokens in the URL are not accepted; send the header " + headerName + ": Bearer <token>");
        }
        if (value == null) {
            return new Missing("This API needs a Global API access token: send " + headerName + ": Bearer <token>");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            return new Malformed("The " + headerName + " header is too long to hold a Global API access token");
        }
        int space = value.indexOf(' ');
        int schemeLength = space < 0 ? value.length() : space;
        if (schemeLength != SCHEME.length() || !value.regionMatches(true, 0, SCHEME, 0, schemeLength)) {
            if (value.isBlank()) {
                return new Missing("The " + headerName + " header is empty; send " + headerName + ": Bearer <token>");
            }
            return new Missing("The " + headerName + " header must use the Bearer scheme");
        }
        // "Bearer" alone (containers trim "Bearer " to it) has no token, not the token "Bearer".
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty()) {
            return new Malformed("Bearer token is empty");
        }
        if (token.indexOf(',') >= 0 || token.indexOf(' ') >= 0) {
            return new InvalidRequest("Found multiple bearer tokens in the " + headerName + " header");
        }
        return new Candidate(token);
    }

    private static boolean hasAccessTokenParameter(String query) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        // Looks at the raw query string only: reading parameters would consume a form body.
        int from = 0;
        while (from <= query.length()) {
            int amp = query.indexOf('&', from);
            int end = amp < 0 ? query.length() : amp;
            if (query.startsWith("access_token=", from) || (end - from == "access_token".length() && query.startsWith("access_token", from))) {
                return true;
            }
            if (amp < 0) {
                return false;
            }
            from = amp + 1;
        }
        return false;
    }
}
