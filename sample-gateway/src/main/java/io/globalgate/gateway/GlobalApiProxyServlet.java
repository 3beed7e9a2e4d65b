package io.globalgate.gateway;

import io.globalgate.filter.GlobalTokenFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.http.HttpHeader;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Forwards an accepted request to the upstream Global API with its path and query, the
 * integration named in {@code X-Globalgate-Integration-*} headers (any such header from the client
 * is dropped first) and without the credential. Upstream timeout is a {@code 504}, any other
 * upstream failure a {@code 502}, both in the Global API's JSON error shape.
 */
final class GlobalApiProxyServlet extends ProxyServlet {

    private static final long serialVersionUID = 1L;
    static final String INTEGRATION_ID_HEADER = "X-Globalgate-Integration-Id";
    static final String INTEGRATION_NAME_HEADER = "X-Globalgate-Integration-Name";

    /** The upstream is known only once the demo API has its port, hence a supplier. */
    private final transient Supplier<URI> upstream;

    GlobalApiProxyServlet(Supplier<URI> upstream) {
        this.upstream = upstream;
    }

    @Override
    protected String rewriteTarget(HttpServletRequest request) {
        URI target = upstream.get();
        if (target == null) {
            return null; // no upstream (the demo is not running): onProxyRewriteFailed answers 502
        }
        String base = target.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String query = request.getQueryString();
        return base + request.getRequestURI() + (query == null ? "" : "?" + query);
    }

    @Override
    protected void addProxyHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
        super.addProxyHeaders(clientRequest, proxyRequest); // Via and the RFC 7239 Forwarded header
        addXForwardedHeaders(clientRequest, proxyRequest);
        addIntegrationHeaders(clientRequest, proxyRequest);
    }

    /**
     * The de-facto {@code X-Forwarded-*} headers most upstreams read; Jetty 12 itself sends only
     * {@code Forwarded}. The client's address is appended to any {@code X-Forwarded-For} it sent,
     * as every proxy in a chain does.
     */
    protected void addXForwardedHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
        List<String> chain = new ArrayList<>(Collections.list(clientRequest.getHeaders(HttpHeader.X_FORWARDED_FOR.asString())));
        chain.add(clientRequest.getRemoteAddr());
        String host = clientRequest.getHeader(HttpHeader.HOST.asString());
        proxyRequest.headers(headers -> {
            headers.put(HttpHeader.X_FORWARDED_FOR, String.join(", ", chain));
            headers.put(HttpHeader.X_FORWARDED_PROTO, clientRequest.getScheme());
            if (host != null) {
                headers.put(HttpHeader.X_FORWARDED_HOST, host);
            } else {
                headers.remove(HttpHeader.X_FORWARDED_HOST);
            }
        });
    }

    /** Who is calling, as the filter decided it; what the client claimed in such headers is dropped first. */
    protected void addIntegrationHeaders(HttpServletRequest clientRequest, Request proxyRequest) {
        proxyRequest.headers(headers -> {
            headers.remove(INTEGRATION_ID_HEADER);
            headers.remove(INTEGRATION_NAME_HEADER);
            headers.remove(HttpHeader.AUTHORIZATION); // the filter hides it already; never forward a token
            Object id = clientRequest.getAttribute(GlobalTokenFilter.INTEGRATION_ID_ATTRIBUTE);
            Principal principal = clientRequest.getUserPrincipal();
            if (id != null && principal != null) {
                headers.put(INTEGRATION_ID_HEADER, id.toString());
                headers.put(INTEGRATION_NAME_HEADER, headerValue(principal.getName()));
            }
        });
    }

    /** Names may hold any Unicode; a header carries printable ASCII, the rest percent-encoded as UTF-8. */
    static String headerValue(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '%') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    @Override
    protected void onProxyRewriteFailed(HttpServletRequest clientRequest, HttpServletResponse proxyResponse) {
        sendProxyResponseError(clientRequest, proxyResponse, HttpServletResponse.SC_BAD_GATEWAY);
    }

    @Override
    protected void sendProxyResponseError(HttpServletRequest clientRequest, HttpServletResponse proxyResponse, int status) {
        try {
            if (proxyResponse.isCommitted()) {
                super.sendProxyResponseError(clientRequest, proxyResponse, status);
                return;
            }
            proxyResponse.resetBuffer();
            proxyResponse.setStatus(status);
            proxyResponse.setHeader("Cache-Control", "no-store");
            proxyResponse.setContentType("application/json");
            String message = status == 504 ? "The Global API did not answer in time"
                    : status == 502 ? "The Global API is unreachable" : "The Global API request failed";
            byte[] body = ("{\"errors\":[{\"type\":\"upstream\",\"message\":\"" + message + "\"}]}").getBytes(StandardCharsets.UTF_8);
            proxyResponse.setContentLength(body.length);
            proxyResponse.getOutputStream().write(body);
            if (clientRequest.isAsyncStarted()) {
                clientRequest.getAsyncContext().complete();
            }
        } catch (IOException | RuntimeException e) {
            super.sendProxyResponseError(clientRequest, proxyResponse, status);
        }
    }
}
