package io.globalgate.filter;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that writes the filter's refusals: RFC 6750 challenges for {@code 401},
 * {@code 400} and the {@code 403} of a request outside the token's scope, the plain {@code 403} of
 * a client address outside the allowed networks, {@code 429} with {@code Retry-After} and the rate
 * limit's headers, {@code 503} with {@code Retry-After} when the store cannot answer, each with the
 * Global API's JSON error body and {@code Cache-Control: no-store}.
 */
public final class AuthErrorWriter {

    private final String realm;
    private final String retryAfterSeconds;

    public AuthErrorWriter(String realm, Duration retryAfter) {
        this.realm = realm;
        this.retryAfterSeconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
    }

    /** No credentials: the challenge without an error code (RFC 6750 §3.1). */
    public void missing(HttpServletResponse response, String message) throws IOException {
        write(response, HttpServletResponse.SC_UNAUTHORIZED, refusal(Kind.MISSING, message));
    }

    public void invalidToken(HttpServletResponse response, String message) throws IOException {
        write(response, HttpServletResponse.SC_UNAUTHORIZED, refusal(Kind.INVALID_TOKEN, message));
    }

    public void invalidRequest(HttpServletResponse response, String message) throws IOException {
        write(response, HttpServletResponse.SC_BAD_REQUEST, refusal(Kind.INVALID_REQUEST, message));
    }

    public void unavailable(HttpServletResponse response, String message) throws IOException {
        response.setHeader("Retry-After", retryAfterSeconds);
        write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, refusal(Kind.UNAVAILABLE, message));
    }

    /** A client address outside the allowed networks: {@code 403}, body type {@code forbidden}, no challenge. */
    public void forbidden(HttpServletResponse response, String message) throws IOException {
        write(response, HttpServletResponse.SC_FORBIDDEN, refusal(Kind.FORBIDDEN, message));
    }

    /** A request outside the token's scope: {@code 403} with RFC 6750's {@code insufficient_scope} challenge (§3.1). */
    public void insufficientScope(HttpServletResponse response, String message) throws IOException {
        write(response, HttpServletResponse.SC_FORBIDDEN, refusal(Kind.INSUFFICIENT_SCOPE, message));
    }

    /** The integration's rate limit is used up: {@code 429}, {@code Retry-After}, {@code RateLimit-Policy}, {@code RateLimit}. */
    public void rateLimited(HttpServletResponse response, String message, long retryAfterSeconds, String policy, String state)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        response.setHeader("RateLimit-Policy", policy);
        response.setHeader("RateLimit", state);
        write(response, 429, refusal(Kind.RATE_LIMITED, message));
    }

    /** Each kind of refusal and the {@code type} of its JSON error. */
    private enum Kind {
        MISSING("authentication"), INVALID_TOKEN("authentication"), INVALID_REQUEST("authentication"), UNAVAILABLE("authentication"),
        FORBIDDEN("forbidden"), INSUFFICIENT_SCOPE("forbidden"), RATE_LIMITED("rate_limit");

        final String type;

        Kind(String type) {
            this.type = type;
        }
    }

    /** A refusal's challenge header and body, rendered once per distinct message. */
    private record Refusal(String challenge, byte[] body) {
    }

    private record Key(Kind kind, String message) {
    }

    /**
     * Messages come from a small fixed set (plus one per expiry instant), so the rendered
     * refusals are kept: a flood of bad tokens costs a map lookup, not string building. Bounded,
     * in case a message ever carries something unbounded.
     */
    private final ConcurrentHashMap<Key, Refusal> rendered = new ConcurrentHashMap<>();
    private static final int MAX_RENDERED = 1024;

    private Refusal refusal(Kind kind, String message) {
        Key key = new Key(kind, message);
        Refusal refusal = rendered.get(key);
        if (refusal == null) {
            refusal = render(kind, message);
            if (rendered.size() < MAX_RENDERED) {
                rendered.putIfAbsent(key, refusal);
            }
        }
        return refusal;
    }

    private Refusal render(Kind kind, String message) {
        String challenge = switch (kind) {
            case MISSING -> "Bearer realm=\"" + realm + "\"";
            case INVALID_TOKEN -> challenge("invalid_token", message);
            case INVALID_REQUEST -> challenge("invalid_request", message);
            case INSUFFICIENT_SCOPE -> challenge("insufficient_scope", message);
            case UNAVAILABLE, FORBIDDEN, RATE_LIMITED -> null;
        };
        byte[] body = ("{\"errors\":[{\"type\":\"" + kind.type + "\",\"message\":\"" + jsonEscape(message) + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        return new Refusal(challenge, body);
    }

    private String challenge(String error, String description) {
        return "Bearer realm=\"" + realm + "\", error=\"" + error + "\", error_description=\"" + headerSafe(description) + "\"";
    }

    private static void write(HttpServletResponse response, int status, Refusal refusal) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        if (refusal.challenge() != null) {
            response.setHeader("WWW-Authenticate", refusal.challenge());
        }
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType("application/json");
        byte[] body = refusal.body();
        OutputStream out;
        try {
            out = response.getOutputStream();
        } catch (IllegalStateException writerTaken) {
            // A filter of the application ahead of ours already took the response's Writer (a response
            // gives one or the other): the same JSON through it, ASCII only, so that whatever charset
            // the Writer has carries it alike; the container works out the length.
            try (PrintWriter writer = response.getWriter()) {
                writer.write(asciiOnly(new String(body, StandardCharsets.UTF_8)));
            }
            return;
        }
        response.setContentLength(body.length);
        try (out) {
            out.write(body);
        }
    }

    /** JSON text with every character above U+007E written as its escape, which means the same. */
    static String asciiOnly(String json) {
        StringBuilder sb = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c > 0x7E) {
                appendEscape(sb, c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E only. */
    static String headerSafe(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : '?');
        }
        return sb.toString();
    }

    static String jsonEscape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        appendEscape(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** {@code c} as JSON's escape: a backslash, {@code u} and four lower-case hex digits. */
    private static void appendEscape(StringBuilder sb, char c) {
        sb.append("\\u");
        for (int shift = 12; shift >= 0; shift -= 4) {
            sb.append(Character.forDigit(c >> shift & 0xF, 16));
        }
    }
}
