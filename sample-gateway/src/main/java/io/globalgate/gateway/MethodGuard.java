package io.globalgate.gateway;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.Set;

/**
 * Answers {@code 405} to a method the gateway's own paths do not serve, on both listeners, before
 * any servlet sees it. {@code TRACE} (and {@code TRACK}) is refused everywhere but the JSON API: a
 * servlet's default {@code doTrace} echoes the request, its cookies and credentials included. Any
 * other method that is not one of the few the sign-in, the admin pages, the public endpoints and
 * the management listener use is refused too (servlets answered such a method {@code 501}, a 5xx
 * an attacker could make at will). The JSON API ({@code /admin/api/}) answers every method itself,
 * in its error shape with the {@code Allow} of the path; the proxied API ({@code /api/global/})
 * passes every other method to its filter and upstream as before.
 */
final class MethodGuard extends Handler.Wrapper {

    private static final Set<String> NEVER = Set.of("TRACE", "TRACK");
    private static final Set<String> OWN = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS");

    private final String proxiedPrefix;
    private final String apiPrefix;

    MethodGuard(String proxiedPrefix, String apiPrefix, Handler handler) {
        super(handler);
        this.proxiedPrefix = proxiedPrefix;
        this.apiPrefix = apiPrefix;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!allowed(request.getMethod(), Request.getPathInContext(request))) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST, PUT, DELETE, OPTIONS");
            Response.writeError(request, response, callback, 405);
            return true;
        }
        return super.handle(request, response, callback);
    }

    boolean allowed(String method, String path) {
        if (path.startsWith(apiPrefix)) {
            return true;
        }
        if (path.startsWith(proxiedPrefix)) {
            return !NEVER.contains(method);
        }
        return OWN.contains(method);
    }
}
