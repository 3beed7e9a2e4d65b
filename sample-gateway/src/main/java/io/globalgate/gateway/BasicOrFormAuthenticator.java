package io.globalgate.gateway;

import io.globalgate.net.ClientAddress;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.security.AuthenticationState;
import org.eclipse.jetty.security.Authenticator;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.security.ServerAuthException;
import org.eclipse.jetty.security.UserIdentity;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.security.authentication.FormAuthenticator;
import org.eclipse.jetty.security.authentication.LoginAuthenticator;
import org.eclipse.jetty.security.authentication.SessionAuthentication;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Session;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.util.function.Function;

/**
 * Form login for people, HTTP Basic for scripts: a request that carries {@code Authorization:
 * Basic} or goes to the JSON API is handled by Basic (a {@code 401} challenge, never a redirect to
 * a login page); every other one by the form.
 */
final class BasicOrFormAuthenticator extends LoginAuthenticator {

    private final BasicAuthenticator basic = new BasicAuthenticator();
    private final ReadableFormAuthenticator form;
    private final String apiPrefix;
    private final LoginThrottle throttle;
    private final ClientAddress clientAddress;
    private final String loginPage;

    /** Where a sign-in lands when no page was asked for first. */
    static final String LANDING = "/admin/";
    /** The page asked for before signing in: a short-lived cookie, so no server state is kept for it. */
    static final String RETURN_COOKIE = "globalgate_return";
    private static final String PROTECTED = "/admin";
    private static final String STATIC = "/admin/static/";

    BasicOrFormAuthenticator(String loginPage, String errorPage, String apiPrefix, LoginThrottle throttle, ClientAddress clientAddress) {
        this.form = new ReadableFormAuthenticator(loginPage, errorPage);
        this.loginPage = loginPage;
        this.apiPrefix = apiPrefix;
        this.throttle = throttle;
        this.clientAddress = clientAddress;
    }

    @Override
    public void setConfiguration(Authenticator.Configuration configuration) {
        super.setConfiguration(configuration);
        basic.setConfiguration(configuration);
        form.setConfiguration(configuration);
    }

    @Override
    public String getAuthenticationType() {
        return "BASIC_OR_FORM";
    }

    private LoginAuthenticator choose(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic;
        }
        return Request.getPathInContext(request).startsWith(apiPrefix) ? basic : form;
    }

    /**
     * Every sign-in attempt (Basic credentials, or a post of the login form) passes the
     * {@link LoginThrottle} first: one that must wait is answered {@code 429} before its password
     * is checked; one that succeeds tells the throttle so.
     */
    @Override
    public AuthenticationState validateRequest(Request request, Response response, Callback callback) throws ServerAuthException {
        if (deferred(response)) {
            return validateDeferred(request, response, callback);
        }
        LoginAuthenticator chosen = choose(request);
        if (chosen != basic && form.isJSecurityCheck(Request.getPathInContext(request))) {
            // Refused before any password is checked, so not counted as a failed sign-in either.
            int refusal = loginRefusal(request);
            if (refusal != 0) {
                if (refusal == 405) {
                    response.getHeaders().put(HttpHeader.ALLOW, "POST");
                }
                Response.writeError(request, response, callback, refusal);
                return AuthenticationState.SEND_FAILURE;
            }
        }
        String user = chosen == basic ? basicUser(request) : formUser(request);
        if (user == null) {
            return authenticate(chosen, request, response, callback);
        }
        LoginThrottle.Verdict verdict = throttle.attempt(clientAddress(request), user);
        if (verdict instanceof LoginThrottle.Wait wait) {
            return tooManyFailures(request, response, callback, chosen == basic, wait.seconds(), user);
        }
        AuthenticationState state = authenticate(chosen, request, response, callback);
        if (state instanceof AuthenticationState.Succeeded) {
            ((LoginThrottle.Attempt) verdict).succeeded();
        }
        return state;
    }

    /**
     * Jetty authenticates a path without a constraint ({@code /admin/static/*}, which covers
     * {@code /admin/static} itself) only when a servlet first asks for the user, and then hands
     * the authenticator a stand-in response that has no request and no headers: nothing may be
     * written to it (a redirect, a cookie, a {@code 429} were {@code NullPointerException}s, so
     * {@code 500}s anyone could cause). Such a request is only asked whether it carries a user:
     * a signed-in session or Basic credentials, the latter through the throttle like any other;
     * without one it has none, and the servlet answers it.
     */
    private AuthenticationState validateDeferred(Request request, Response response, Callback callback) throws ServerAuthException {
        LoginAuthenticator chosen = choose(request);
        if (chosen != basic) {
            return signedIn(request) ? form.validateRequest(request, response, callback) : null;
        }
        String user = basicUser(request);
        if (user == null) {
            return null;
        }
        LoginThrottle.Verdict verdict = throttle.attempt(clientAddress(request), user);
        if (verdict instanceof LoginThrottle.Wait) {
            return null; // no password is checked while the address or user must wait
        }
        AuthenticationState state = authenticate(basic, request, response, callback);
        if (state instanceof AuthenticationState.Succeeded) {
            ((LoginThrottle.Attempt) verdict).succeeded();
            return state;
        }
        return null;
    }

    /** The stand-in response of Jetty's deferred authentication. */
    private static boolean deferred(Response response) {
        return AuthenticationState.Deferred.isDeferred(response);
    }

    private AuthenticationState authenticate(LoginAuthenticator chosen, Request request, Response response, Callback callback)
            throws ServerAuthException {
        if (chosen != basic) {
            return validateForm(request, response, callback);
        }
        try {
            return basic.validateRequest(request, response, callback);
        } catch (IllegalArgumentException e) {
            // Jetty's Basic decodes the credentials without a guard, so bad Base64 would be a 500:
            // it is a failed login instead, answered with the same challenge as no credentials.
            return basic.validateRequest(withoutAuthorization(request), response, callback);
        }
    }

    /** The user name of {@code Authorization: Basic} credentials as Jetty reads them, or null when there are none to check. */
    private static String basicUser(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.ISO_8859_1);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null; // not Base64: no password is checked, the challenge is sent as for no credentials
        }
    }

    /** The user name of a post to {@code j_security_check} ("" when it names none), or null for any other request. */
    private String formUser(Request request) {
        if (!form.isJSecurityCheck(Request.getPathInContext(request))) {
            return null;
        }
        try {
            String user = form.fields(request).getValue(FormAuthenticator.__J_USERNAME);
            return user == null ? "" : user;
        } catch (RuntimeException e) {
            return ""; // a form that cannot be read still counts as an attempt; the form authenticator answers it
        }
    }

    /** The client's address by the gateway's one rule (the peer, or what trusted proxies say it is). */
    private String clientAddress(Request request) {
        HttpFields headers = request.getHeaders();
        return clientAddress.of(Request.getRemoteAddr(request), headers.getValuesList(ClientAddress.X_FORWARDED_FOR),
                headers.getValuesList(ClientAddress.FORWARDED));
    }

    /** {@code 429} with {@code Retry-After}: for scripts in the API's error shape, for people as the login page with a message. */
    private static AuthenticationState tooManyFailures(Request request, Response response, Callback callback, boolean script,
                                                       long seconds, String user) {
        String wait = seconds == 1 ? "1 second" : seconds + " seconds";
        byte[] body;
        if (script) {
            body = ("{\"errors\":[{\"type\":\"rate_limit\",\"message\":\"Too many failed sign-ins from this address or for this user;"
                    + " try again in " + wait + "\"}]}").getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        } else {
            body = LoginPageServlet.page(contextPath(request), "<p class=\"error\" id=\"login-throttled\">"
                    + "Too many failed sign-ins from your address or for this user. Wait " + wait + ", then try again.</p>",
                    LoginPageServlet.keepable(user) ? user : "", true).getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
            LoginPageServlet.HEADERS.forEach(response.getHeaders()::put);
        }
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS_429);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return AuthenticationState.SEND_FAILURE;
    }

    /**
     * The form login, with what Jetty's {@code FormAuthenticator} lacks: a request without a
     * signed-in session is redirected to the login page without creating a session or reading its
     * body (Jetty's would keep the posted form in a new session: memory for anyone to fill);
     * {@code j_security_check} takes credentials only in a POST body from the gateway's own origin,
     * as a UTF-8 form, and a malformed one is a {@code 400}, never a {@code 500}.
     */
    private AuthenticationState validateForm(Request request, Response response, Callback callback) throws ServerAuthException {
        String path = Request.getPathInContext(request);
        if (form.isJSecurityCheck(path)) {
            // loginRefusal was checked in validateRequest
            try {
                return form.validateRequest(request, response, callback);
            } catch (RuntimeException e) {
                // a body that is not a form: %zz, bytes that are not UTF-8, more than the form limit;
                // or one that came too slowly
                Response.writeError(request, response, callback, RequestDataRateGuard.isSlowBody(e) ? 408 : 400);
                return AuthenticationState.SEND_FAILURE;
            }
        }
        if (isProtected(path) && !signedIn(request)) {
            boolean get = HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
            if (get) {
                String query = request.getHttpURI().getQuery();
                String asked = request.getHttpURI().getPath() + (query == null ? "" : "?" + query);
                if (isSafeReturnPath(asked)) {
                    Response.addCookie(response, returnCookie(asked, 600));
                }
            }
            // No session, no saved request: the body of a POST is not parsed nor kept (what has already
            // arrived is discarded so the connection can carry on; the rest closes it).
            Response.sendRedirect(request, response, callback, get ? 302 : 303,
                    contextPath(request) + loginPage, true);
            return AuthenticationState.CHALLENGE;
        }
        return form.validateRequest(request, response, callback);
    }

    private static boolean isProtected(String path) {
        return (path.equals(PROTECTED) || path.startsWith(PROTECTED + "/")) && !path.startsWith(STATIC);
    }

    private static boolean signedIn(Request request) {
        Session session = request.getSession(false);
        return session != null && session.getAttribute(SessionAuthentication.AUTHENTICATED_ATTRIBUTE) != null;
    }

    /**
     * Why a sign-in request is refused, as a status, or 0. Credentials only in a POST body (a GET
     * with them in the URL would put them in logs and history, and lets any page sign a browser
     * in); only from this gateway's origin (login CSRF: another site signing the admin's browser in
     * to a session of its choosing); only as a UTF-8 form.
     */
    static int loginRefusal(Request request) {
        if (!HttpMethod.POST.is(request.getMethod())) {
            return 405;
        }
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin")) {
            return 403;
        }
        for (String origin : request.getHeaders().getValuesList(HttpHeader.ORIGIN)) {
            if (!origin.equalsIgnoreCase(ownOrigin(request))) {
                return 403;
            }
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null) {
            return 415;
        }
        String[] parts = type.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/x-www-form-urlencoded")) {
            return 415;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].strip().equalsIgnoreCase("charset")) {
                String charset = param.length < 2 ? "" : param[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8")) {
                    return 415;
                }
            }
        }
        return 0;
    }

    /** This gateway's origin as a browser that reached it writes it, e.g. {@code http://127.0.0.1:8080}. */
    private static String ownOrigin(Request request) {
        String scheme = request.getHttpURI().getScheme();
        scheme = scheme == null ? "http" : scheme.toLowerCase(java.util.Locale.ROOT);
        int port = Request.getServerPort(request);
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String host = Request.getServerName(request);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    /**
     * A page of ours to return to: under {@code /admin}, printable ASCII, and a path that needs no
     * normalising: no {@code %} escape and no {@code .} or {@code ..} segment before the query
     * ({@code /admin/%2e%2e/x} made Jetty's redirect throw, a {@code 500} at a correct sign-in, and
     * {@code /admin/../x} led out of the admin).
     */
    static boolean isSafeReturnPath(String path) {
        if (path.length() > 300 || !isProtected(path) || !path.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '\\' && c != '"'
                && c != ';' && c != ',') || path.contains("//")) {
            return false;
        }
        int query = path.indexOf('?');
        String pathPart = query < 0 ? path : path.substring(0, query);
        if (pathPart.indexOf('%') >= 0) {
            return false;
        }
        for (String segment : pathPart.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String returnPath(Request request) {
        // Jetty's core API says "/" for the root context: "/" + "/admin/" would be "//admin/", which a
        // browser reads as a host named "admin".
        String context = contextPath(request);
        for (HttpCookie cookie : Request.getCookies(request)) {
            if (cookie.getName().equals(RETURN_COOKIE)) {
                String value = URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8);
                if (isSafeReturnPath(value)) {
                    return context + value;
                }
            }
        }
        return context + LANDING;
    }

    /**
     * The context path as the servlet API gives it: {@code ""} for the root context, where Jetty's
     * core API says {@code "/"}. Put before a path that starts with a slash, that "/" made
     * {@code //login}: a URL of the host "login", where browsers went.
     */
    private static String contextPath(Request request) {
        String contextPath = Request.getContextPath(request);
        return contextPath == null || contextPath.equals("/") ? "" : contextPath;
    }

    private static HttpCookie returnCookie(String path, int maxAge) {
        return HttpCookie.build(RETURN_COOKIE, URLEncoder.encode(path, StandardCharsets.UTF_8))
                .path("/").httpOnly(true).sameSite(HttpCookie.SameSite.STRICT).maxAge(maxAge).build();
    }

    /** The cookie that keeps a failed sign-in's user name for the login page, and only for it. */
    private static HttpCookie userCookie(Request request, String user, int maxAge) {
        return HttpCookie.build(LoginPageServlet.USER_COOKIE, URLEncoder.encode(user, StandardCharsets.UTF_8))
                .path(contextPath(request) + "/login").httpOnly(true).sameSite(HttpCookie.SameSite.STRICT)
                .maxAge(maxAge).build();
    }

    private static Request withoutAuthorization(Request request) {
        HttpFields headers = HttpFields.build(request.getHeaders()).remove(HttpHeader.AUTHORIZATION).asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return headers;
            }
        };
    }

    @Override
    public Request prepareRequest(Request request, AuthenticationState authenticationState) {
        return choose(request).prepareRequest(request, authenticationState);
    }

    @Override
    public Constraint.Authorization getConstraintAuthentication(String pathInContext, Constraint.Authorization existing,
                                                                Function<Boolean, Session> getSession) {
        return form.getConstraintAuthentication(pathInContext, existing, getSession);
    }

    @Override
    public UserIdentity login(String username, Object password, Request request, Response response) {
        return choose(request).login(username, password, request, response);
    }

    @Override
    public void logout(Request request, Response response) {
        form.logout(request, response);
    }

    /** The form authenticator, with the fields it reads (query and form body) open to the throttle. */
    private static final class ReadableFormAuthenticator extends FormAuthenticator {
        ReadableFormAuthenticator(String loginPage, String errorPage) {
            super(loginPage, errorPage, false);
        }

        Fields fields(Request request) {
            return getParameters(request);
        }

        @Override
        public UserIdentity login(String username, Object password, Request request, Response response) {
            UserIdentity user = super.login(username, password, request, response);
            if (user != null) {
                // Back to the page first asked for (kept in a cookie, not in a session nobody had yet).
                Session session = request.getSession(false);
                if (session != null) {
                    session.setAttribute(FormAuthenticator.__J_URI,
                            HttpURI.build(request.getHttpURI()).pathQuery(returnPath(request)).asImmutable());
                }
                Response.addCookie(response, returnCookie("", 0));
                Response.addCookie(response, userCookie(request, "", 0));
            } else if (LoginPageServlet.keepable(username)) {
                // The form after a failure shows the user name again (never the password).
                Response.addCookie(response, userCookie(request, username, LoginPageServlet.USER_COOKIE_SECONDS));
            }
            return user;
        }
    }
}
