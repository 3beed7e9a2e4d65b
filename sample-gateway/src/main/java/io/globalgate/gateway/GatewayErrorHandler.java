package io.globalgate.gateway;

import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Every error Jetty writes itself (a refused login, a 404, a malformed request, an exception), in
 * the gateway's own shape: under the JSON API, the API's error shape
 * {@code {"errors":[{"type":"authentication","message":"..."}]}}; under the Global API its
 * shape, {@code {"errors":[{"type":"request","message":"..."}]}}, with a text that says what
 * Jetty refused (an encoded slash in the path, a head too large, ...); everywhere else a minimal
 * plain page. Fixed texts only: never a stack trace, a servlet name, a version or anything of the
 * request; and the security headers the pages carry.
 */
final class GatewayErrorHandler extends ErrorHandler {

    /** Jetty's refusals under the Global API, each a fixed text (README, What the gateway changes on the way). */
    static final String ENCODED_SEPARATOR = "The path holds an encoded slash or backslash (%2F, %5C); the gateway forwards no such path";
    static final String AMBIGUOUS_ENCODING = "The path holds an encoded percent sign (%25), dot segment or path parameter;"
            + " the gateway forwards no such path";
    static final String NON_ASCII_PATH = "The path holds a byte outside printable ASCII; percent-encode it as UTF-8 (RFC 3986)";
    static final String UPGRADE_WITHOUT_CONNECTION = "An Upgrade header must be named in Connection (RFC 9110 section 7.8);"
            + " the gateway switches no protocol, so send the request without Upgrade";
    static final String HEADERS_TOO_LARGE = "The request's header block is too large (over "
            + GatewayServer.REQUEST_HEADER_SIZE / 1024 + " KB); send fewer or shorter headers";

    private static final String GLOBAL_API_PREFIX = "/api/global/";

    private final java.util.List<String> apiPrefixes;

    /** {@code apiPrefixes}: the paths whose errors are JSON in the API's error shape (the admin API, the public endpoints). */
    GatewayErrorHandler(String... apiPrefixes) {
        this.apiPrefixes = java.util.List.of(apiPrefixes);
    }

    /**
     * Jetty's own handler writes no body for methods other than GET, POST and HEAD (a refused
     * {@code PATCH} got an empty {@code 401}), and shows stacks and its version: every error is
     * answered here whatever the method.
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int code = response.getStatus();
        if (code < 400) {
            // an exception before any status was set
            code = HttpStatus.INTERNAL_SERVER_ERROR_500;
            response.setStatus(code);
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
        if (HttpStatus.hasNoBody(code) || HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        byte[] body;
        if (isGlobalApi(request)) {
            body = ("{\"errors\":[{\"type\":\"" + globalApiType(code) + "\",\"message\":\"" + globalApiMessage(request, code) + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        } else if (isApi(request)) {
            body = ("{\"errors\":[{\"type\":\"" + type(code) + "\",\"message\":\"" + message(code) + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        } else {
            body = (code + " " + reason(code) + "\n").getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        }
        if (code == HttpStatus.SERVICE_UNAVAILABLE_503 && !response.getHeaders().contains(HttpHeader.RETRY_AFTER)) {
            // Jetty's own 503 (a node stopping): every 503 tells the client when to come back
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private boolean isApi(Request request) {
        return apiPrefixes.stream().anyMatch(prefix -> pathStartsWith(request, prefix));
    }

    private static boolean isGlobalApi(Request request) {
        return pathStartsWith(request, GLOBAL_API_PREFIX);
    }

    private static boolean pathStartsWith(Request request, String prefix) {
        try {
            return Request.getPathInContext(request).startsWith(prefix);
        } catch (RuntimeException e) {
            // a request too malformed to have a path (answered by the server, outside any context)
            return false;
        }
    }

    /** The Global API's own error types (README, What the gateway changes on the way). */
    private static String globalApiType(int code) {
        return switch (code) {
            case HttpStatus.UNAUTHORIZED_401 -> "authentication";
            case HttpStatus.SERVICE_UNAVAILABLE_503 -> "unavailable";
            default -> code < 500 ? "request" : "internal";
        };
    }

    /** Fixed texts only; Jetty's own message is read to tell which refusal it was, never echoed. */
    private static String globalApiMessage(Request request, int code) {
        if (code == HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431) {
            return HEADERS_TOO_LARGE;
        }
        Object message = request.getAttribute(org.eclipse.jetty.server.handler.ErrorHandler.ERROR_MESSAGE);
        String text = message == null ? "" : message.toString();
        if (code == HttpStatus.BAD_REQUEST_400) {
            if (text.contains("path separator") || text.contains("Suspicious Path Character")) {
                return ENCODED_SEPARATOR;
            }
            if (text.contains("Ambiguous")) {
                return AMBIGUOUS_ENCODING;
            }
            if (text.contains("Illegal Path Character")) {
                return NON_ASCII_PATH;
            }
            if (text.contains("upgrade headers")) {
                return UPGRADE_WITHOUT_CONNECTION;
            }
        }
        return "HTTP " + code + " " + reason(code);
    }

    /** The API's own error types (README, JSON management API). */
    private static String type(int code) {
        return switch (code) {
            case HttpStatus.UNAUTHORIZED_401 -> "authentication";
            case HttpStatus.FORBIDDEN_403 -> "forbidden";
            case HttpStatus.NOT_FOUND_404 -> "not_found";
            case HttpStatus.SERVICE_UNAVAILABLE_503 -> "unavailable";
            default -> code < 500 ? "validation" : "internal";
        };
    }

    /** Fixed texts only: nothing of the request (user name, path) is echoed back. */
    private static String message(int code) {
        return switch (code) {
            case HttpStatus.UNAUTHORIZED_401 -> "Sign in with HTTP Basic as an admin user; the credentials sent were missing or wrong";
            case HttpStatus.FORBIDDEN_403 -> "This user may not use the management API";
            case HttpStatus.SERVICE_UNAVAILABLE_503 -> "The admin is unavailable; try again shortly";
            default -> "HTTP " + code + " " + reason(code);
        };
    }

    private static String reason(int code) {
        String reason = HttpStatus.getMessage(code);
        return reason == null ? "Error" : reason;
    }
}
