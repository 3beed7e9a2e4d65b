package io.globalgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.globalgate.admin.store.LeakStore;
import io.globalgate.config.InvalidConfiguration;
import io.globalgate.config.Labels;
import io.globalgate.config.Settings;
import io.globalgate.config.StoreOptions;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.filter.ContextAttributes;
import io.globalgate.filter.StoreProvider;
import io.globalgate.leak.AddressRateLimit;
import io.globalgate.leak.SecretScanningKeys;
import io.globalgate.net.ClientAddress;
import io.globalgate.net.NetworkList;
import io.globalgate.store.StoreUnavailableException;
import io.globalgate.token.TokenHash;
import io.globalgate.validation.FieldError;
import io.globalgate.validation.InputValidator;
import io.globalgate.validation.ValidationException;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * The endpoints anyone may call, without an admin sign-in, mounted at {@code /public/v1/*}:
 * {@code POST /secret-scanning/github}, the partner endpoint of GitHub's secret scanning (a report
 * counts only when signed by one of GitHub's keys), and {@code POST /tokens/revoke}, revocation by
 * value (whoever holds a token may have it revoked; rate-limited per client address). Neither
 * keeps anything of a request in memory beyond the rate limit's bounded buckets, and neither
 * answer says anything of tokens other than those sent.
 */
public class PublicLeakServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PublicLeakServlet.class);

    /** GitHub sends up to 1,000 tokens a report, each with its URL. */
    static final int MAX_REPORT_BYTES = 1024 * 1024;
    /** 1,000 tokens of 42 characters and the JSON around them. */
    static final int MAX_REVOKE_BYTES = 128 * 1024;
    /**
     * Reports read at once. A report is read whole before its signature can be checked, so each
     * one in flight holds up to {@link #MAX_REPORT_BYTES} of heap that anyone may fill: without a
     * bound, 195 unsigned reports sent at once (each holding its last bytes back) held 220 MB of a
     * 256 MB heap and the gateway stopped answering. Beyond it the answer is {@code 503} with
     * {@code Retry-After}, the body unread and the connection closed; GitHub sends again.
     */
    public static final int MAX_REPORTS_IN_FLIGHT = 4;
    /** Set on a request refused before its body was read that must not be read either: the connection is closed instead. */
    private static final String CLOSE_UNREAD = PublicLeakServlet.class.getName() + ".closeUnread";
    static final String KEY_IDENTIFIER = "Github-Public-Key-Identifier";
    static final String KEY_SIGNATURE = "Github-Public-Key-Signature";
    /** Who the audit log and the revoked tokens name as having reported a leak. */
    static final String GITHUB_REPORTER = "github-secret-scanning";
    /** The options given in code, or null to read the init-params. */
    private final transient Map<String, String> presetParameters;
    private transient SecretScanningKeys keys;
    private transient Path keysFile;
    private transient ClientAddress clientAddress;
    private transient AddressRateLimit revokeLimit;
    private transient ManagementStore store;
    private transient ObjectMapper mapper;
    private transient jakarta.servlet.ServletContext storeContext;
    private final transient Semaphore reportsInFlight = new Semaphore(MAX_REPORTS_IN_FLIGHT);

    /** For {@code web.xml}: configured by init-params ({@link PublicLeakOptions} names them). */
    public PublicLeakServlet() {
        this.presetParameters = null;
    }

    /**
     * For embedded servers: configured in code instead of by init-params.
     *
     * @param parameters option names of {@link PublicLeakOptions} and their values as text; init-params are then ignored
     */
    public PublicLeakServlet(Map<String, String> parameters) {
        this.presetParameters = Map.copyOf(parameters);
    }

    @Override
    public void init(ServletConfig servletConfig) throws ServletException {
        super.init(servletConfig);
        var context = servletConfig.getServletContext();
        Clock clock = context.getAttribute(ContextAttributes.CLOCK) instanceof Clock c ? c : Clock.systemUTC();
        int perMinute;
        int burst;
        try {
            Settings settings;
            try {
                settings = PublicLeakOptions.ALL.read(presetParameters != null ? presetParameters : initParameters(servletConfig),
                        Labels.BY_NAME);
            } catch (InvalidConfiguration e) {
                throw new IllegalArgumentException("Globalgate public endpoints: configuration refused: " + e.getMessage(), e);
            }
            keysFile = settings.isSet(PublicLeakOptions.SECRET_SCANNING_KEYS)
                    ? Path.of(settings.get(PublicLeakOptions.SECRET_SCANNING_KEYS)).toAbsolutePath().normalize() : null;
            keys = keysFile == null ? null : new SecretScanningKeys(keysFile, clock);
            StoreProvider.Obtained obtained = StoreProvider.obtain(context, settings.text(StoreOptions.DATA_SOURCE),
                    settings.text(StoreOptions.JDBC_URL), settings.text(StoreOptions.JDBC_USER), settings.text(StoreOptions.JDBC_PASSWORD),
                    settings.get(StoreOptions.CONNECTION_TIMEOUT), clock);
            storeContext = context;
            store = new ManagementStore(obtained.store(), new InputValidator(clock, null));
            clientAddress = new ClientAddress(settings.isSet(ClientAddress.TRUSTED_PROXIES) ? settings.get(ClientAddress.TRUSTED_PROXIES)
                    : NetworkList.empty());
            perMinute = settings.get(PublicLeakOptions.REVOKE_BY_VALUE_PER_MINUTE);
            burst = settings.get(PublicLeakOptions.REVOKE_BY_VALUE_BURST);
            revokeLimit = new AddressRateLimit(clock, burst, Duration.ofMinutes(1).dividedBy(perMinute));
        } catch (IllegalArgumentException e) {
            destroy();
            throw new ServletException(e.getMessage(), e);
        }
        mapper = ApiHandler.strictMapper(MAX_REPORT_BYTES);
        LOG.info("Globalgate public endpoints ready: revocation by value ({} at once, then {} a minute per client address);"
                        + " secret scanning reports {}", burst, perMinute,
                keys == null ? "not configured (404)" : "with " + keys.size() + " GitHub public key(s) from " + keysFile);
    }

    private static Map<String, String> initParameters(ServletConfig config) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : Collections.list(config.getInitParameterNames())) {
            params.put(name, config.getInitParameter(name));
        }
        return params;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("X-Content-Type-Options", "nosniff");
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        try {
            switch (path) {
                case "/secret-scanning/github" -> {
                    requirePost(req, res);
                    secretScanningReport(req, res);
                }
                case "/tokens/revoke" -> {
                    requirePost(req, res);
                    revokeByValue(req, res);
                }
                default -> throw new ApiException(404, "not_found", "No such path: " + ApiHandler.clip(path));
            }
        } catch (ValidationException e) {
            ApiHandler.writeError(mapper, res, 400, "validation", e.getMessage(), e.errors());
        } catch (ApiException e) {
            ApiHandler.writeError(mapper, res, e.status, e.type, e.getMessage(), e.details);
        } catch (StoreUnavailableException e) {
            LOG.warn("Public endpoint {}: store unavailable: {}", path, e.getMessage());
            res.setHeader("Retry-After", "5");
            ApiHandler.writeError(mapper, res, 503, "unavailable", "The token store is unavailable; try again shortly", List.of());
        } finally {
            if (req.getAttribute(CLOSE_UNREAD) != null) {
                res.setHeader("Connection", "close");
            } else {
                ApiHandler.discardUnread(req, res);
            }
        }
    }

    private static void requirePost(HttpServletRequest req, HttpServletResponse res) {
        if (!req.getMethod().equals("POST")) {
            res.setHeader("Allow", "POST");
            throw new ApiException(405, "validation", "Method " + ApiHandler.clip(req.getMethod()) + " is not allowed here; use POST");
        }
    }

    /**
     * GitHub's report: the signature is checked on the raw body before anything else is done
     * with it; then each token is looked up, revoked if live, and labelled for GitHub's feedback.
     */
    private void secretScanningReport(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (keys == null) {
            throw new ApiException(404, "not_found", "Secret scanning reports are not accepted here: no GitHub public keys are configured");
        }
        String identifier = single(req, KEY_IDENTIFIER);
        String signature = single(req, KEY_SIGNATURE);
        if (identifier == null || signature == null) {
            throw new ApiException(401, "authentication", "A secret scanning report must carry one " + KEY_IDENTIFIER + " and one "
                    + KEY_SIGNATURE + " header");
        }
        if (!reportsInFlight.tryAcquire()) {
            req.setAttribute(CLOSE_UNREAD, Boolean.TRUE);
            res.setHeader("Retry-After", "5");
            throw new ApiException(503, "unavailable", "Too many secret scanning reports are being received at once; try again shortly");
        }
        try {
            handleReport(req, res, identifier, signature);
        } finally {
            reportsInFlight.release();
        }
    }

    /** A report within the bound of those in flight: read, its signature checked, then acted on. */
    private void handleReport(HttpServletRequest req, HttpServletResponse res, String identifier, String signature) throws IOException {
        byte[] body = ApiHandler.jsonBytes(req, MAX_REPORT_BYTES);
        if (!keys.verify(identifier, signature, body)) {
            throw new ApiException(401, "authentication", "The report's signature does not verify with the GitHub public key "
                    + KEY_IDENTIFIER + " names");
        }
        JsonNode root = ApiHandler.parse(mapper, body);
        if (root == null || !root.isArray()) {
            throw new ApiException(400, "validation", "A secret scanning report must be a JSON array of {token, type, url, source}");
        }
        if (root.size() > LeakStore.MAX_TOKENS) {
            throw new ApiException(413, "validation", "A report may hold at most " + LeakStore.MAX_TOKENS + " tokens (this one has "
                    + root.size() + ")");
        }
        List<LeakStore.Report> reports = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<FieldError> problems = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode match = root.get(i);
            JsonNode token = match.isObject() ? match.get("token") : null;
            if (token == null || !token.isTextual()) {
                problems.add(new FieldError("[" + i + "].token", "must be a string"));
                continue;
            }
            reports.add(new LeakStore.Report(token.textValue(), optionalText(match, "url"), optionalText(match, "source")));
            types.add(optionalText(match, "type"));
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(problems.size() > 20 ? problems.subList(0, 20) : problems);
        }
        Set<TokenHash> known = store.leaks().reportLeaked(GITHUB_REPORTER, reports);
        ArrayNode feedback = mapper.createArrayNode();
        for (int i = 0; i < reports.size(); i++) {
            TokenHash hash = TokenHash.of(reports.get(i).token());
            feedback.addObject().put("token_hash", hash.toHex()).put("token_type", types.get(i) == null ? "" : types.get(i))
                    .put("label", known.contains(hash) ? "true_positive" : "false_positive");
        }
        send(res, 200, feedback);
    }

    /** Revocation by value: {@code {"tokens":[...]}}, answered {@code 202} whatever the tokens were. */
    private void revokeByValue(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String address = clientAddress.of(req);
        // IPv6 by its /64, as every per-address limit counts: one subscriber's block is one client.
        long wait = revokeLimit.acquire(ClientAddress.perSubscriber(address));
        if (wait > 0) {
            res.setHeader("Retry-After", Long.toString(wait));
            throw new ApiException(429, "rate_limit", "Too many revocation requests from this address; try again in " + wait + " s");
        }
        JsonNode root = ApiHandler.parse(mapper, ApiHandler.jsonBytes(req, MAX_REVOKE_BYTES));
        if (root == null || !root.isObject()) {
            throw new ApiException(400, "validation", "The body must be a JSON object {\"tokens\":[\"gat_...\"]}");
        }
        List<FieldError> unknown = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!name.equals("tokens")) {
                unknown.add(new FieldError(ApiHandler.clip(name), "is not a field of this request (fields: tokens)"));
            }
        });
        if (!unknown.isEmpty()) {
            throw new ValidationException(unknown);
        }
        JsonNode tokens = root.get("tokens");
        if (tokens == null || !tokens.isArray() || tokens.isEmpty() || tokens.size() > LeakStore.MAX_TOKENS) {
            throw new ValidationException("tokens", "must be an array of 1 to " + LeakStore.MAX_TOKENS + " tokens");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode token : tokens) {
            if (!token.isTextual()) {
                throw new ValidationException("tokens", "must contain only strings");
            }
            values.add(token.textValue());
        }
        store.leaks().revokeByValue(address, values);
        var answer = mapper.createObjectNode();
        answer.put("received", values.size());
        send(res, 202, answer);
    }

    private static String single(HttpServletRequest req, String header) {
        List<String> values = Collections.list(req.getHeaders(header));
        return values.size() == 1 && !values.get(0).isBlank() ? values.get(0) : null;
    }

    private static String optionalText(JsonNode match, String field) {
        JsonNode n = match.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private void send(HttpServletResponse res, int status, JsonNode body) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json");
        res.getOutputStream().write(mapper.writeValueAsBytes(body));
    }

    @Override
    public void destroy() {
        if (storeContext != null) {
            StoreProvider.release(storeContext);
            storeContext = null;
        }
    }
}
