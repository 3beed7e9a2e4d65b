package io.globalgate.gateway;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The security headers on every answer the gateway writes itself, on both listeners: before this,
 * the pages, the login form and the error pages had them but {@code /health}, {@code /metrics},
 * the sign-in's redirects and the public endpoints' answers did not. They are set before the
 * request is handled, so a servlet that sets its own (the admin pages' and the login page's
 * {@code Content-Security-Policy}, the login page's {@code Referrer-Policy}) replaces them. The
 * proxied API is left alone: the upstream's answers pass as they are.
 */
final class SecurityHeaders extends Handler.Wrapper {

    private final String proxiedPrefix;

    SecurityHeaders(String proxiedPrefix, Handler handler) {
        super(handler);
        this.proxiedPrefix = proxiedPrefix;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!Request.getPathInContext(request).startsWith(proxiedPrefix)) {
            HttpFields.Mutable headers = response.getHeaders();
            headers.put("X-Content-Type-Options", "nosniff");
            headers.put("X-Frame-Options", "DENY");
            headers.put("Referrer-Policy", "no-referrer");
            headers.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
        }
        return super.handle(request, response, callback);
    }
}
