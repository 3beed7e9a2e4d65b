package io.globalgate.filter;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;

/**
 * Signs a script in with its HTTP Basic credentials, checked by the container's own realm
 * ({@link HttpServletRequest#login}). With FORM login for the pages, {@code web.xml} leaves the
 * JSON API and the metrics scrape without a constraint so the container never answers a script
 * with its login page; the admin servlet and the scrape servlet sign the script in here, or answer
 * {@code 401}.
 */
public final class BasicSignIn {

    /** Longer than any name and password pair a realm accepts; longer headers are refused unread. */
    public static final int MAX_HEADER_LENGTH = 1024;

    private BasicSignIn() {
    }

    /** True when the request carried one Basic credential and the container's realm accepted it. */
    public static boolean signIn(HttpServletRequest req) {
        var headers = Collections.list(req.getHeaders("Authorization"));
        if (headers.size() != 1) {
            return false;
        }
        String header = headers.get(0);
        if (header.length() > MAX_HEADER_LENGTH || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = pair.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            req.login(pair.substring(0, colon), pair.substring(colon + 1));
            return req.getRemoteUser() != null;
        } catch (ServletException refused) {
            return false;
        }
    }

    /**
     * Ends the session that the container made for this request's sign-in alone: a container whose
     * FORM login keeps a sign-in in a session (Jetty) makes one on {@link HttpServletRequest#login},
     * and a script calling every few seconds must not leave one behind each time (nor hold a
     * signed-in session it never asked for). Call it when the request is done, with whether a
     * session existed before {@link #signIn}.
     */
    public static void endSessionMadeForSignIn(HttpServletRequest req, boolean hadSession) {
        if (hadSession) {
            return;
        }
        HttpSession session = req.getSession(false);
        if (session != null) {
            try {
                session.invalidate();
            } catch (IllegalStateException alreadyInvalid) {
                // nothing left behind
            }
        }
    }
}
