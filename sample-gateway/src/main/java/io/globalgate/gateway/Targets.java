package io.globalgate.gateway;

import jakarta.servlet.http.HttpServletRequest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where a request goes upstream, and the upstream's own address in its answers turned back into
 * the gateway's.
 *
 * <p>The path and query are forwarded as the client sent them (percent-escapes, {@code %2F},
 * {@code %25} included, and bytes such as {@code |}, {@code ^}, {@code `} or {@code {}} in a
 * query), with one change: characters outside ASCII, which Jetty has read as UTF-8, leave
 * percent-encoded as UTF-8 ({@code é} as {@code %C3%A9}), since a request line carries bytes
 * below 128 only and any other choice would send other bytes than the client meant. A {@code %}
 * not followed by two hex digits ({@code %}, {@code %2}, {@code %zz}) means nothing an upstream
 * could read alike, and control characters cannot travel in a request line: such a target is
 * refused with a {@code 400}.
 */
final class Targets {

    private Targets() {
    }

    /** The path and query to ask the upstream for, or null if they cannot be forwarded. */
    static String target(URI base, HttpServletRequest request) {
        String prefix = base.getRawPath() == null ? "" : base.getRawPath();
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        String path = encodeNonAscii(request.getRequestURI());
        String query = request.getQueryString();
        String encodedQuery = query == null ? null : encodeNonAscii(query);
        if (path == null || (query != null && encodedQuery == null)) {
            return null;
        }
        return prefix + path + (encodedQuery == null ? "" : "?" + encodedQuery);
    }

    private static String encodeNonAscii(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c == 0x7F || c == '#') {
                return null;
            }
            if (c == '%' && (i + 2 >= text.length() || !HexFormat.isHexDigit(text.charAt(i + 1)) || !HexFormat.isHexDigit(text.charAt(i + 2)))) {
                return null;
            }
            if (c < 0x80) {
                sb.append(c);
                continue;
            }
            int cp = text.codePointAt(i);
            if (Character.charCount(cp) == 2) {
                i++;
            }
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    /** The gateway's origin as the client addressed it: {@code http://gateway.example:8080}. */
    static String gatewayOrigin(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.\\-:\\[\\]]{1,300}")) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        return request.getScheme() + "://" + host;
    }

    /**
     * {@code value} with every URL that points at the upstream ({@code base}, its path prefix
     * included) pointing at the gateway instead; the rest of the value stays as it was.
     */
    static String pointAtGateway(String value, URI base, String gatewayOrigin) {
        String result = value;
        for (String upstream : upstreamPrefixes(base)) {
            result = replaceIgnoringCase(result, upstream, gatewayOrigin);
        }
        return result;
    }

    private static String[] upstreamPrefixes(URI base) {
        String scheme = base.getScheme().toLowerCase(Locale.ROOT);
        String host = base.getHost();
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        int port = base.getPort();
        int defaultPort = scheme.equals("https") ? 443 : 80;
        if (port < 0 || port == defaultPort) {
            return new String[] {scheme + "://" + host + ":" + defaultPort + path, scheme + "://" + host + path};
        }
        return new String[] {scheme + "://" + host + ":" + port + path};
    }

    /** Replaces {@code from} where it is followed by the end, '/', '?', '#', '>', ';', ',', '"' or a space. */
    private static String replaceIgnoringCase(String text, String from, String to) {
        String lowerText = text.toLowerCase(Locale.ROOT);
        String lowerFrom = from.toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        int at = 0;
        while (true) {
            int found = lowerText.indexOf(lowerFrom, at);
            if (found < 0) {
                break;
            }
            int end = found + from.length();
            boolean boundary = end == text.length() || "/?#>;,\" ".indexOf(text.charAt(end)) >= 0;
            sb.append(text, at, found).append(boundary ? to : text.substring(found, end));
            at = end;
        }
        return sb.append(text.substring(at)).toString();
    }
}
