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
 * Errors Jetty writes itself (an admin login refused by HTTP Basic, above all) in the JSON
 * management API's error shape for paths under the API, so a script gets
 * {@code {"errors":[{"type":"authentication","message":"..."}]}} and not an HTML page. Every
 * other path keeps Jetty's default error pages.
 */
final class JsonApiErrorHandler extends ErrorHandler {

    private final String apiPrefix;

    JsonApiErrorHandler(String apiPrefix) {
        this.apiPrefix = apiPrefix;
    }

    /**
     * Jetty's own handler writes no body for methods other than GET, POST and HEAD (a refused
     * {@code PATCH} got an empty {@code 401}), so API paths are answered here whatever the method.
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!Request.getPathInContext(request).startsWith(apiPrefix)) {
            return super.handle(request, response, callback);
        }
        int code = response.getStatus();
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (HttpStatus.hasNoBody(code) || HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        byte[] body = ("{\"errors\":[{\"type\":\"" + type(code) + "\",\"message\":\"" + message(code) + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
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
            default -> "HTTP " + code + " " + HttpStatus.getMessage(code);
        };
    }
}
