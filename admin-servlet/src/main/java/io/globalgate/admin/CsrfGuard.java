package io.globalgate.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * CSRF defence: a per-session token in every form, compared in constant time, plus a check that
 * an {@code Origin} (or, failing that, {@code Referer}) header names this very server.
 */
final class CsrfGuard {

    static final String PARAMETER = "_csrf";
    private static final String SESSION_KEY = "io.globalgate.admin.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The session's token, created on first use. */
    static String token(HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        synchronized (session) {
            String token = (String) session.getAttribute(SESSION_KEY);
            if (token == null) {
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                session.setAttribute(SESSION_KEY, token);
            }
            return token;
        }
    }

    static boolean validFormToken(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        String expected = session == null ? null : (String) session.getAttribute(SESSION_KEY);
        String given = request.getParameter(PARAMETER);
        return expected != null && given != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * False when the request says it comes from another origin. A request with neither header
     * (scripts, old clients, Referrer-Policy) passes this check and relies on the form token or,
     * for the API, on the JSON content type that a cross-site form cannot send.
     * {@code Origin: null} counts as no header: it is what browsers send with our own forms,
     * because our pages say {@code Referrer-Policy: no-referrer}, so it tells nothing about where
     * a request comes from.
     */
    static boolean sameOrigin(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        String own = ownOrigin(request);
        if (origin != null && !origin.equals("null")) {
            return origin.toLowerCase(Locale.ROOT).equals(own);
        }
        String referer = request.getHeader("Referer");
        if (referer != null) {
            try {
                URI uri = URI.create(referer);
                String refOrigin = (uri.getScheme() + "://" + uri.getRawAuthority()).toLowerCase(Locale.ROOT);
                return refOrigin.equals(own) || refOrigin.equals(ownOriginWithDefaultPort(request));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    /** This server's origin as browsers write it, lower case, e.g. {@code http://127.0.0.1:8080}. */
    static String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        int port = request.getServerPort();
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return (scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port)).toLowerCase(Locale.ROOT);
    }

    private static String ownOriginWithDefaultPort(HttpServletRequest request) {
        return (request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort()).toLowerCase(Locale.ROOT);
    }

    private CsrfGuard() {
    }
}
