package io.globalgate.gateway;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
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

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        boolean failed = req.getParameter("error") != null;
        byte[] bytes = page(req.getContextPath(), failed ? "<p class=\"error\" id=\"login-error\">Wrong user name or password.</p>" : "")
                .getBytes(StandardCharsets.UTF_8);
        res.setStatus(failed ? 401 : 200);
        res.setContentType("text/html;charset=utf-8");
        HEADERS.forEach(res::setHeader);
        res.setContentLength(bytes.length);
        res.getOutputStream().write(bytes);
    }

    /** The page with {@code notice} (markup of ours, never text of the request) above the form. */
    static String page(String contextPath, String notice) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in · Globalgate</title>"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<link rel=\"stylesheet\" href=\"" + contextPath + "/admin/static/admin.css\"></head><body>"
                + "<header class=\"top\"><span class=\"brand\">Globalgate</span></header><main>"
                + "<h1>Sign in to the Globalgate admin</h1>"
                + notice
                + "<form class=\"form\" method=\"post\" action=\"" + contextPath + "/j_security_check\">"
                + "<div class=\"field\"><label for=\"j_username\">User</label>"
                + "<input id=\"j_username\" name=\"j_username\" autocomplete=\"username\" maxlength=\"64\" required></div>"
                + "<div class=\"field\"><label for=\"j_password\">Password</label>"
                + "<input id=\"j_password\" name=\"j_password\" type=\"password\" autocomplete=\"current-password\" maxlength=\"200\" required></div>"
                + "<div class=\"actions\"><button class=\"primary\" type=\"submit\">Sign in</button></div>"
                + "</form></main></body></html>";
    }
}
