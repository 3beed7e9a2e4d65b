package io.globalgate.gateway;

import io.globalgate.admin.HtmlText;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The form login page of the admin (no script; posts to the container's j_security_check). */
final class LoginPageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The headers of the login page, whoever writes it. */
    static final Map<String, String> HEADERS = Map.of(
            "Cache-Control", "no-store",
            "Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            "X-Frame-Options", "DENY",
            // same-origin, not no-referrer: the sign-in POST must carry this gateway's Origin (not "null") to be accepted
            "Referrer-Policy", "same-origin",
            "X-Content-Type-Options", "nosniff");

    /**
     * The user name of a failed sign-in, for the form shown after it: a short-lived cookie of the
     * browser that typed it (no server state before a sign-in), sent to the login page only, never
     * the password.
     */
    static final String USER_COOKIE = "globalgate_login_user";
    /** How long a failed sign-in's user name is kept for the form: long enough to read the error and retype the password. */
    static final int USER_COOKIE_SECONDS = 600;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        boolean failed = req.getParameter("error") != null;
        String user = failed ? keptUser(req.getCookies()) : "";
        byte[] bytes = page(req.getContextPath(), failed ? "<p class=\"error\" id=\"login-error\">Wrong user name or password.</p>" : "",
                user, failed).getBytes(StandardCharsets.UTF_8);
        res.setStatus(failed ? 401 : 200);
        res.setContentType("text/html;charset=utf-8");
        HEADERS.forEach(res::setHeader);
        res.setContentLength(bytes.length);
        res.getOutputStream().write(bytes);
    }

    /** The user name the cookie of a failed sign-in holds, or "" (none, or not one the form could have sent). */
    private static String keptUser(jakarta.servlet.http.Cookie[] cookies) {
        if (cookies == null) {
            return "";
        }
        for (jakarta.servlet.http.Cookie cookie : cookies) {
            if (cookie.getName().equals(USER_COOKIE)) {
                try {
                    String user = URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8);
                    return keepable(user) ? user : "";
                } catch (IllegalArgumentException e) {
                    return "";
                }
            }
        }
        return "";
    }

    /** A user name the form may show again: what its field accepts (1 to 64 characters), without control characters. */
    static boolean keepable(String user) {
        return user != null && !user.isEmpty() && user.codePointCount(0, user.length()) <= 64
                && user.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.SURROGATE);
    }

    /** The page with {@code notice} (markup of ours, never text of the request) above an empty form. */
    static String page(String contextPath, String notice) {
        return page(contextPath, notice, "", false);
    }

    /**
     * The page with {@code notice} (markup of ours) above the form, its user name field holding
     * {@code user} (escaped here; the password field is always empty); {@code failed} says so in the
     * title, and the focus starts where the operator types next.
     */
    static String page(String contextPath, String notice, String user, boolean failed) {
        boolean kept = !user.isEmpty();
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + (failed ? "Error: " : "")
                + "Sign in · Globalgate</title>"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<link rel=\"stylesheet\" href=\"" + contextPath + "/admin/static/admin.css\"></head><body>"
                + "<header class=\"top\"><span class=\"brand\">Globalgate</span></header><main>"
                + "<h1>Sign in to the Globalgate admin</h1>"
                + notice
                + "<form class=\"form\" method=\"post\" action=\"" + contextPath + "/j_security_check\">"
                + "<div class=\"field\"><label for=\"j_username\">User</label>"
                + "<input id=\"j_username\" name=\"j_username\" autocomplete=\"username\" maxlength=\"64\" required"
                + (kept ? " value=\"" + HtmlText.escape(user) + "\"" : failed ? " autofocus" : "") + "></div>"
                + "<div class=\"field\"><label for=\"j_password\">Password</label>"
                + "<input id=\"j_password\" name=\"j_password\" type=\"password\" autocomplete=\"current-password\" maxlength=\"200\" required"
                + (kept ? " autofocus" : "") + "></div>"
                + "<div class=\"actions\"><button class=\"primary\" type=\"submit\">Sign in</button></div>"
                + "</form></main></body></html>";
    }
}
