package io.globalgate.filter;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The path a token's path prefixes are compared with: the request URI as the client sent it,
 * percent-decoded segment by segment, path parameters ({@code ;jsessionid=...}) dropped, empty and
 * {@code .} segments removed and {@code ..} resolved, as a server resolves them before it routes.
 * A path that cannot be read one way only has no normal form ({@code null}) and is outside every
 * prefix: an encoded {@code /} or {@code \} (one server splits on it, another does not), a
 * {@code ..} above the root, bytes that are not UTF-8, control characters.
 */
final class RequestPath {

    private RequestPath() {
    }

    /** The normal form of {@code rawUri} ({@code getRequestURI()}), or null when it has none. */
    static String normalise(String rawUri) {
        if (rawUri == null || rawUri.isEmpty() || rawUri.charAt(0) != '/') {
            return null;
        }
        if (isNormal(rawUri)) {
            return rawUri; // what the walk would build, character for character
        }
        return walk(rawUri);
    }

    /** The normal form segment by segment; {@code rawUri} starts with {@code /}. */
    static String walk(String rawUri) {
        Deque<String> segments = new ArrayDeque<>();
        int start = 1;
        boolean trailingSlash = false;
        while (start <= rawUri.length()) {
            int end = rawUri.indexOf('/', start);
            if (end < 0) {
                end = rawUri.length();
            }
            String raw = rawUri.substring(start, end);
            int parameters = raw.indexOf(';');
            String segment = decode(parameters < 0 ? raw : raw.substring(0, parameters));
            if (segment == null) {
                return null;
            }
            trailingSlash = false;
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    return null;
                }
                segments.removeLast();
                trailingSlash = true;
            } else if (segment.isEmpty() || segment.equals(".")) {
                trailingSlash = true;
            } else {
                segments.addLast(segment);
            }
            start = end + 1;
        }
        StringBuilder path = new StringBuilder(rawUri.length());
        for (String segment : segments) {
            path.append('/').append(segment);
        }
        if (path.length() == 0 || trailingSlash) {
            path.append('/');
        }
        return path.toString();
    }

    /**
     * Whether {@code rawUri} (starting with {@code /}) is its own normal form: no escape, no path
     * parameter, no backslash or control character, no empty segment but a last one, no {@code .}
     * or {@code ..} segment. Most request URIs are; they need no decoding and no new string.
     */
    private static boolean isNormal(String rawUri) {
        int n = rawUri.length();
        for (int i = 0; i < n; i++) {
            char c = rawUri.charAt(i);
            if (c == '%' || c == ';' || c == '\\' || c < 0x20 || c == 0x7F) {
                return false;
            }
            if (c == '/') {
                int next = i + 1;
                if (next < n && rawUri.charAt(next) == '/') {
                    return false; // an empty segment inside the path
                }
                int dots = 0;
                while (next + dots < n && rawUri.charAt(next + dots) == '.') {
                    dots++;
                }
                if ((dots == 1 || dots == 2) && (next + dots == n || rawUri.charAt(next + dots) == '/')) {
                    return false; // a . or .. segment
                }
            }
        }
        return true;
    }

    /** Whether the normal path {@code path} is {@code prefix} or lies below it, segment by segment. */
    static boolean isUnder(String path, String prefix) {
        return isUnderBase(path, base(prefix));
    }

    /** A prefix as {@link #isUnderBase} takes it: without its trailing slash; null for the root, under which every path lies. */
    static String base(String prefix) {
        if (prefix.equals("/")) {
            return null;
        }
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** Whether the normal path {@code path} is {@code base} or lies below it; every path lies below the root ({@code null}). */
    static boolean isUnderBase(String path, String base) {
        if (base == null) {
            return true;
        }
        return path.startsWith(base) && (path.length() == base.length() || path.charAt(base.length()) == '/');
    }

    /** One segment percent-decoded as UTF-8; null for a bad escape, bad UTF-8, a separator or a control character. */
    private static String decode(String segment) {
        String decoded = segment;
        if (segment.indexOf('%') >= 0) {
            ByteBuffer bytes = ByteBuffer.allocate(segment.length());
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c == '%') {
                    if (i + 2 >= segment.length()) {
                        return null;
                    }
                    int high = Character.digit(segment.charAt(i + 1), 16);
                    int low = Character.digit(segment.charAt(i + 2), 16);
                    if (high < 0 || low < 0) {
                        return null;
                    }
                    bytes.put((byte) (high << 4 | low));
                    i += 2;
                } else if (c > 0x7F) {
                    return null;
                } else {
                    bytes.put((byte) c);
                }
            }
            bytes.flip();
            try {
                decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7F) {
                return null;
            }
        }
        return decoded;
    }
}
