package io.globalgate.gateway;

import io.globalgate.net.ClientAddress;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

import java.util.Locale;

/**
 * A request that a trusted proxy ({@code --trusted-proxies}) says came to it over HTTPS
 * ({@code X-Forwarded-Proto: https}, the proxy's own hop, the last value) is treated as HTTPS: the
 * session cookie gets {@code Secure} under {@code --secure-cookies auto}, and the gateway's own
 * origin (the sign-in's and the admin's cross-site checks) is the {@code https://} one the browser
 * sends. From any other peer the header changes nothing: a client cannot make its plain-HTTP
 * request look secure. Jetty's {@code ForwardedRequestCustomizer} believes every peer, so it is not
 * used.
 */
final class TrustedProxyScheme implements HttpConfiguration.Customizer {

    private final ClientAddress clientAddress;

    TrustedProxyScheme(ClientAddress clientAddress) {
        this.clientAddress = clientAddress;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        if (request.isSecure() || !clientAddress.trusts(Request.getRemoteAddr(request)) || !https(request.getHeaders())) {
            return request;
        }
        HttpURI uri = HttpURI.build(request.getHttpURI()).scheme(HttpScheme.HTTPS);
        return new Request.Wrapper(request) {
            @Override
            public HttpURI getHttpURI() {
                return uri;
            }

            @Override
            public boolean isSecure() {
                return true;
            }
        };
    }

    /** The last {@code X-Forwarded-Proto} value, the one the trusted proxy next to us wrote, is {@code https}. */
    private static boolean https(HttpFields headers) {
        String last = null;
        for (HttpField field : headers) {
            if (field.getName().equalsIgnoreCase("X-Forwarded-Proto")) {
                for (String value : field.getValue().split(",")) {
                    last = value;
                }
            }
        }
        return last != null && last.strip().toLowerCase(Locale.ROOT).equals("https");
    }
}
