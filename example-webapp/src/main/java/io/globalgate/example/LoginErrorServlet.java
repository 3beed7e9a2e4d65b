package io.globalgate.example;

import io.globalgate.admin.HtmlText;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The FORM login's error page: the login form again, with the user name the operator typed (never
 * the password). The container forwards the failed sign-in here (Tomcat always; Jetty with its
 * security handler parameter {@code org.eclipse.jetty.security.dispatch}, set in {@code WEB-INF/jetty-ee10-web.xml}), so the name comes from the
 * request itself and nothing is kept anywhere.
 */
public class LoginErrorServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** As long as the form's field takes. */
    static final int MAX_USER = 64;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String user = req.getParameter("j_username");
        if (!keepable(user)) {
            user = "";
        }
        byte[] page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Error: Sign in</title></head>\n<body>\n"
                + "<p id=\"login-error\">Wrong user or password.</p>\n"
                + "<form method=\"post\" action=\"j_security_check\">\n"
                + "  <label>User <input name=\"j_username\" autocomplete=\"username\" maxlength=\"" + MAX_USER + "\" required"
                + (user.isEmpty() ? " autofocus" : " value=\"" + HtmlText.escape(user) + "\"") + "></label>\n"
                + "  <label>Password <input name=\"j_password\" type=\"password\" autocomplete=\"current-password\" required"
                + (user.isEmpty() ? "" : " autofocus") + "></label>\n"
                + "  <button type=\"submit\">Sign in</button>\n</form>\n</body>\n</html>\n").getBytes(StandardCharsets.UTF_8);
        res.setStatus(HttpServletResponse.SC_OK);
        res.setContentType("text/html;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
        res.setContentLength(page.length);
        res.getOutputStream().write(page);
    }

    /** The container forwards the sign-in's POST. */
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        doGet(req, res);
    }

    /** A user name the form could have sent: 1 to 64 characters, no control or format characters. */
    static boolean keepable(String user) {
        return user != null && !user.isEmpty() && user.codePointCount(0, user.length()) <= MAX_USER
                && user.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.SURROGATE);
    }
}
