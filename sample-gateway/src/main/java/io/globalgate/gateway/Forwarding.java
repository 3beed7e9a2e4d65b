package io.globalgate.gateway;

import io.globalgate.net.ClientAddress;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The forwarding headers the upstream gets. From a peer that is not a trusted proxy, whatever the
 * client wrote in them is replaced by what the gateway saw (a client could otherwise choose the
 * address the upstream logs, throttles or allows); from a trusted proxy the chain it sent is kept
 * and the gateway appends its own hop, as every proxy in a chain does.
 */
final class Forwarding {

    /** Lower case; every spelling that normalises to one of them (see {@link IdentityHeaders#normalise}) is treated the same. */
    static final Set<String> NAMES = Set.of("forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
            "x-forwarded-port", "x-forwarded-prefix", "x-forwarded-server", "x-forwarded-ssl", "x-real-ip", "via");

    /**
     * Lower case (normalised as above): client addresses by other names, which CDNs and load
     * balancers set and common libraries read as the client's address before or instead of
     * {@code X-Forwarded-For} (Rails' {@code Client-IP}, Node's request-ip, many PHP snippets). Only
     * the gateway or a trusted proxy says who the client is, so from any other peer they are dropped.
     */
    static final Set<String> CLIENT_ADDRESS_NAMES = Set.of("client-ip", "x-client-ip", "true-client-ip", "cf-connecting-ip",
            "cf-connecting-ipv6", "cf-pseudo-ipv4", "fastly-client-ip", "x-cluster-client-ip", "x-originating-ip", "x-remote-ip",
            "x-remote-addr", "x-proxyuser-ip", "x-appengine-user-ip", "x-envoy-external-address", "forwarded-for", "x-forwarded",
            "x-original-forwarded-for", "akamai-client-ip", "x-azure-clientip", "x-azure-socketip");

    private Forwarding() {
    }

    /**
     * Whether a client header of this name claims what only a proxy may say: a client address
     * under another name, or any {@code X-Forwarded-*} (the user, the URI, the scheme a proxy
     * saw, ...). From a peer that is no trusted proxy such a header is dropped.
     */
    static boolean claimsProxying(String name) {
        String normalised = IdentityHeaders.normalise(name);
        return normalised.startsWith("x-forwarded") || CLIENT_ADDRESS_NAMES.contains(normalised);
    }

    /** Whether a client header of this name could be read as a forwarding header. */
    static boolean spoofs(String name) {
        return NAMES.contains(IdentityHeaders.normalise(name));
    }

    static void add(HttpFields.Mutable headers, HttpServletRequest request, HttpFields client, boolean trustedPeer, ClientAddress rule) {
        String peer = ClientAddress.canonical(request.getRemoteAddr());
        // The scheme of this hop, the connection itself: a trusted proxy's X-Forwarded-Proto makes the
        // request HTTPS for the gateway (TrustedProxyScheme), not the plain-HTTP hop from that proxy.
        String scheme = ServletContextRequest.getServletContextRequest(request).getConnectionMetaData().isSecure() ? "https" : "http";
        String host = client.get("Host");
        String forPeer = peer.indexOf(':') >= 0 ? "\"[" + peer + "]\"" : peer;
        String element = "for=" + forPeer + (host == null ? "" : ";host=" + quotedIfNeeded(host)) + ";proto=" + scheme;

        String xff = trustedPeer ? joined(client, "X-Forwarded-For") : null;
        headers.add(new HttpField("X-Forwarded-For", xff == null ? peer : xff + ", " + peer));
        String proto = trustedPeer ? joined(client, "X-Forwarded-Proto") : null;
        headers.add(new HttpField("X-Forwarded-Proto", proto == null ? scheme : proto));
        String forwardedHost = trustedPeer ? joined(client, "X-Forwarded-Host") : null;
        if (forwardedHost != null) {
            headers.add(new HttpField("X-Forwarded-Host", forwardedHost));
        } else if (host != null) {
            headers.add(new HttpField("X-Forwarded-Host", host));
        }
        if (trustedPeer) {
            for (String other : List.of("X-Forwarded-Port", "X-Forwarded-Prefix")) {
                String value = joined(client, other);
                if (value != null) {
                    headers.add(new HttpField(other, value));
                }
            }
        }
        String forwarded = trustedPeer ? joined(client, "Forwarded") : null;
        headers.add(new HttpField("Forwarded", forwarded == null ? element : forwarded + ", " + element));
        headers.add(new HttpField("X-Real-IP", rule.of(request)));
        String via = joined(client, "Via");
        headers.add(new HttpField("Via", (via == null ? "" : via + ", ") + request.getProtocol().replace("HTTP/", "") + " globalgate"));
    }

    /** The client's lines of {@code name} (exact spelling, any case) joined by ", "; null if none. */
    private static String joined(HttpFields client, String name) {
        List<String> values = new ArrayList<>();
        for (HttpField field : client) {
            if (field.getName().equalsIgnoreCase(name)) {
                values.add(field.getValue());
            }
        }
        return values.isEmpty() ? null : String.join(", ", values);
    }

    private static String quotedIfNeeded(String host) {
        return host.matches("[A-Za-z0-9.\\-]+") ? host : "\"" + host.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
