package io.globalgate.gateway;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.Set;

/**
 * Answers {@code 405} to a method the gateway's own paths do not serve, on both listeners, before
 * any servlet sees it. {@code TRACE} (and {@code TRACK}) is refused everywhere: a servlet's default
 * {@code doTrace} echoes the request, its cookies and credentials included. Any other method that
 * is not one of the few the admin, the sign-in, the public endpoints and the management listener
 * use is refused too (servlets answered such a method {@code 501}, a 5xx an attacker could make at
 * will); {@code PATCH} only under {@code /admin/api/}. The proxied API ({@code /api/global/}) passes
 * every other method to its filter and upstream as before.
 */
final class MethodGuard extends Handler.Wrapper {

    private static final Set<String> NEVER = Set.of("TRACE", "TRACK");
    private static final Set<String> OWN = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS");

    private final String proxiedPrefix;
    private final String patchPrefix;

    MethodGuard(String proxiedPrefix, String patchPrefix, Handler handler) {
        super(handler);
        this.proxiedPrefix = proxiedPrefix;
        this.patchPrefix = patchPrefix;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        if (!allowed(method, path)) {
            response.getHeaders().put(HttpHeader.ALLOW, path.startsWith(patchPrefix) ? "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS"
                    : "GET, HEAD, POST, PUT, DELETE, OPTIONS");
            Response.writeError(request, response, callback, 405);
            return true;
        }
        return super.handle(request, response, callback);
    }

    boolean allowed(String method, String path) {
        if (NEVER.contains(method)) {
            return false;
        }
        return OWN.contains(method) || path.startsWith(proxiedPrefix) || (method.equals("PATCH") && path.startsWith(patchPrefix));
    }
}
