package io.globalgate.admin;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.filter.BasicSignIn;
import io.globalgate.filter.ContextAttributes;
import io.globalgate.filter.StoreProvider;
import io.globalgate.notify.NotificationService;
import io.globalgate.policy.UnusedTokenPolicy;
import io.globalgate.validation.InputValidator;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Globalgate admin: integration and token pages and the JSON management API
 * ({@code <mount>/api/v1/...}), in one servlet mountable at any path ({@code /admin/*}). The
 * container authenticates; this servlet requires the configured role, and records the user's
 * name in the audit log.
 */
public class GlobalgateAdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GlobalgateAdminServlet.class);

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** The configuration given in code, or null to read the init-params. */
    private final AdminConfig presetConfig;
    private transient AdminConfig config;
    private transient ApiHandler api;
    private transient PageHandler pages;
    private transient StoreProvider.Obtained obtained;
    private transient jakarta.servlet.ServletContext storeContext;
    private transient NotificationService notifications;
    private transient UnusedTokenPolicy unusedTokens;

    /** For {@code web.xml}: configured by init-params ({@link AdminConfig} names them). */
    public GlobalgateAdminServlet() {
        this(null);
    }

    /**
     * For embedded servers: configured in code instead of by init-params.
     *
     * @param config the configuration; init-params are then ignored
     */
    public GlobalgateAdminServlet(AdminConfig config) {
        this.presetConfig = config;
    }

    @Override
    public void init(ServletConfig servletConfig) throws ServletException {
        super.init(servletConfig);
        try {
            config = presetConfig != null ? presetConfig : AdminConfig.fromMap(initParameters(servletConfig));
            var context = servletConfig.getServletContext();
            Clock clock = context.getAttribute(ContextAttributes.CLOCK) instanceof Clock c ? c : Clock.systemUTC();
            obtained = StoreProvider.obtain(context, config.dataSource(), config.jdbcUrl(), config.jdbcUser(),
                    config.jdbcPassword(), config.connectionTimeout(), clock);
            storeContext = context;
            if (obtained.ownedPool() != null) {
                obtained.store().migrate(); // we opened the database, so we bring its schema up to date
            }
            ManagementStore store = new ManagementStore(obtained.store(), new InputValidator(clock, config.maxTokenLifetime()));
            TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
            api = new ApiHandler(store);
            pages = new PageHandler(store, templates, config.notificationSettings());
            if (config.notifications()) {
                notifications = new NotificationService(store, config.notificationSettings());
                notifications.start();
            }
            if (config.revokeUnusedAfter() != null) {
                unusedTokens = new UnusedTokenPolicy(store, config.revokeUnusedAfter(), config.unusedReminder());
                unusedTokens.start();
            }
            LOG.info("Globalgate admin ready at {}/* for role '{}' (store: {}{})", servletConfig.getServletName(), config.role(),
                    obtained.description(), config.maxTokenLifetime() == null ? "" : ", max token lifetime " + config.maxTokenLifetime());
        } catch (IllegalArgumentException e) {
            destroy();
            throw new ServletException(e.getMessage(), e);
        } catch (RuntimeException e) {
            destroy();
            throw new ServletException("Globalgate admin could not start: " + e.getMessage(), e);
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        securityHeaders(res);
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.startsWith("/static/") && req.getMethod().equals("GET") && StaticResources.serve(path.substring(8), res)) {
            return; // the stylesheet and the script hold no data; the login page may need them
        }
        if (req.getDispatcherType() == DispatcherType.ERROR) {
            containerError(req, res);
            return;
        }
        boolean isApi = path.startsWith("/api/v1/") || path.equals("/api/v1");
        String user = remoteUser(req);
        boolean hadSession = req.getSession(false) != null;
        if (user == null && isApi && BasicSignIn.signIn(req)) {
            try {
                serve(req, res, path, true, req.getRemoteUser());
            } finally {
                BasicSignIn.endSessionMadeForSignIn(req, hadSession);
            }
            return;
        }
        serve(req, res, path, isApi, user);
    }

    private void serve(HttpServletRequest req, HttpServletResponse res, String path, boolean isApi, String user) throws IOException {
        if (user == null) {
            // The container should have asked for a login before we were reached.
            if (isApi) {
                res.setHeader("WWW-Authenticate", "Basic realm=\"Globalgate admin\"");
            }
            deny(req, res, isApi, 401, "Sign in first: the Globalgate admin needs an authenticated user in the role " + config.role());
            return;
        }
        if (!req.isUserInRole(config.role())) {
            deny(req, res, isApi, 403, "User " + user + " is not in the role " + config.role() + " that the Globalgate admin requires");
            return;
        }
        if (isApi) {
            if (!CsrfGuard.sameOrigin(req)) {
                api.error(res, 403, "forbidden", "Cross-origin requests are not accepted by the Globalgate API", java.util.List.of());
                return;
            }
            String crossSite = ApiCrossSiteGuard.refusal(req);
            if (crossSite != null) {
                api.error(res, 403, "forbidden", crossSite, java.util.List.of());
                return;
            }
            api.handle(path.substring("/api/v1".length()), req, res, user);
        } else {
            pages.handle(path, req, res, user);
        }
    }

    /**
     * Jetty authenticates an unconstrained path lazily, when it is first asked for the user, and
     * its Basic authenticator then throws on credentials that are not Base64: no user, so a 401.
     */
    private static String remoteUser(HttpServletRequest req) {
        try {
            return req.getRemoteUser();
        } catch (IllegalArgumentException badCredentials) {
            return null;
        }
    }

    /**
     * The container's own refusals ({@code 401}, {@code 403}, ...), when {@code web.xml} maps them
     * here with {@code <error-page>}: under the JSON API in the API's error shape, elsewhere as
     * plain text. The container's headers ({@code WWW-Authenticate}) stay.
     */
    private void containerError(HttpServletRequest req, HttpServletResponse res) throws IOException {
        int status = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 500;
        String uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String u ? u : "";
        String apiRoot = req.getContextPath() + req.getServletPath() + "/api/v1";
        boolean isApi = uri.equals(apiRoot) || uri.startsWith(apiRoot + "/");
        String message = switch (status) {
            case 401 -> "Sign in first: the Globalgate admin needs an authenticated user in the role " + config.role();
            case 403 -> "Forbidden: the Globalgate admin needs a user in the role " + config.role();
            case 404 -> "Not found";
            default -> "The request could not be served (HTTP " + status + ")";
        };
        if (isApi) {
            String type = switch (status) {
                case 401 -> "authentication";
                case 403 -> "forbidden";
                case 404 -> "not_found";
                case 503 -> "unavailable";
                default -> status >= 500 ? "internal" : "validation";
            };
            api.error(res, status, type, message, java.util.List.of());
        } else {
            res.setStatus(status);
            res.setContentType("text/plain;charset=utf-8");
            res.getWriter().write(message);
        }
    }

    private void deny(HttpServletRequest req, HttpServletResponse res, boolean isApi, int status, String message) throws IOException {
        if (isApi) {
            api.error(res, status, status == 401 ? "authentication" : "forbidden", message, java.util.List.of());
        } else {
            res.setStatus(status);
            res.setContentType("text/plain;charset=utf-8");
            res.getWriter().write(message);
        }
    }

    private static void securityHeaders(HttpServletResponse res) {
        res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        res.setHeader("X-Frame-Options", "DENY");
        res.setHeader("Referrer-Policy", "no-referrer");
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Cache-Control", "no-store");
    }

    @Override
    public void destroy() {
        if (notifications != null) {
            notifications.close();
        }
        if (unusedTokens != null) {
            unusedTokens.close();
        }
        if (storeContext != null) {
            StoreProvider.release(storeContext);
            storeContext = null;
        }
    }

    private static Map<String, String> initParameters(ServletConfig config) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : Collections.list(config.getInitParameterNames())) {
            params.put(name, config.getInitParameter(name));
        }
        return params;
    }
}
