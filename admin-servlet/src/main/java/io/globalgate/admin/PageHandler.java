package io.globalgate.admin;

import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import io.globalgate.admin.pages.AuditPage;
import io.globalgate.admin.pages.ErrorPage;
import io.globalgate.admin.pages.Fmt;
import io.globalgate.admin.pages.IntegrationFormPage;
import io.globalgate.admin.pages.RestrictionsPage;
import io.globalgate.admin.pages.IntegrationPage;
import io.globalgate.admin.pages.IntegrationsPage;
import io.globalgate.admin.pages.Layout;
import io.globalgate.admin.pages.Paging;
import io.globalgate.admin.pages.Sorting;
import io.globalgate.admin.pages.TokenCreatedPage;
import io.globalgate.admin.pages.TokenFormPage;
import io.globalgate.admin.pages.TokenPage;
import io.globalgate.admin.pages.UsageChart;
import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.AuditEvent;
import io.globalgate.admin.store.AuditFilter;
import io.globalgate.admin.store.ConflictException;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.admin.store.NotFoundException;
import io.globalgate.admin.store.NotificationOutbox;
import io.globalgate.admin.store.Page;
import io.globalgate.admin.store.PageRequest;
import io.globalgate.admin.store.Sort;
import io.globalgate.admin.store.TokenStatus;
import io.globalgate.admin.store.TokenStore;
import io.globalgate.notify.NotificationSettings;
import io.globalgate.store.StoreUnavailableException;
import io.globalgate.token.ExpirationPolicy;
import io.globalgate.validation.FieldError;
import io.globalgate.validation.InputValidator;
import io.globalgate.validation.ValidationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin pages. GETs render; POSTs act and then redirect (Post/Redirect/Get) to a fixed path
 * of ours, except when validation fails, where the form is shown again with the user's input and
 * the error next to its field. A new token's value travels to the one page that shows it through
 * the session, and is removed from it there: reload or Back shows it no more.
 */
final class PageHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PageHandler.class);
    private static final String FLASH = "io.globalgate.admin.flash";
    private static final String ISSUED = "io.globalgate.admin.issued";
    private static final int MAX_FORM_FIELD = 10_000;
    private static final int NOTIFICATIONS_PER_PAGE = 10;
    static final Duration USAGE_WINDOW = Duration.ofDays(7);

    private final ManagementStore store;
    private final TemplateEngine templates;
    private final Routes routes = new Routes();
    /** How long before expiry reminders go out, as the token form says. */
    private final List<Duration> reminders;
    /** Whether this deployment writes its e-mails to .eml files (no SMTP server): the pages say "Written to file", not "Sent". */
    private final boolean writesFiles;

    PageHandler(ManagementStore store, TemplateEngine templates, NotificationSettings notifications) {
        this.store = store;
        this.templates = templates;
        this.reminders = List.copyOf(notifications.reminders());
        this.writesFiles = notifications.smtp() == null && notifications.mailDir() != null;
        // GET also serves HEAD. A POST is answered with a redirect (or the form again, with its errors).
        routes.path("").on("GET", this::integrationsPage);
        routes.path("/").on("GET", this::integrationsPage);
        routes.path("/integrations").on("POST", this::createIntegration);
        routes.path("/integrations/new").on("GET", this::newIntegrationForm);
        routes.path("/integrations/{id}").on("GET", this::integrationPage).on("POST", this::updateIntegration);
        routes.path("/integrations/{id}/edit").on("GET", this::editIntegrationForm);
        routes.path("/integrations/{id}/tokens").on("POST", this::createToken);
        routes.path("/integrations/{id}/tokens/new").on("GET", this::newTokenForm);
        routes.path("/integrations/{id}/tokens/revoke").on("POST", this::revokeTokens);
        routes.path("/integrations/{id}/test-email").on("POST", this::sendTestEmail);
        routes.path("/tokens/{id}").on("GET", this::tokenPage);
        routes.path("/tokens/{id}/created").on("GET", this::tokenCreatedPage);
        routes.path("/tokens/{id}/revoke").on("POST", this::revokeToken);
        routes.path("/tokens/{id}/regenerate").on("POST", this::regenerateToken);
        routes.path("/tokens/{id}/restrictions").on("GET", this::tokenRestrictionsForm).on("POST", this::restrictToken);
        routes.path("/integrations/{id}/restrictions").on("GET", this::integrationRestrictionsForm).on("POST", this::restrictIntegration);
        routes.path("/audit").on("GET", this::auditPage);
        routes.path("/logout").on("POST", this::signOut);
    }

    void handle(String path, HttpServletRequest req, HttpServletResponse res, String actor) throws IOException {
        boolean post = req.getMethod().equals("POST");
        try {
            if (post) {
                // The token first: reading it reads the form body, so the refusal is not lost to a
                // connection reset with a body still unread.
                if (!CsrfGuard.validFormToken(req) || !CsrfGuard.sameOrigin(req)) {
                    error(req, res, 403, "This form was not submitted from the Globalgate admin of this session (CSRF check failed). "
                            + "Reload the page and try again.");
                    return;
                }
                route("POST", path, req, res, actor);
            } else if (req.getMethod().equals("GET") || req.getMethod().equals("HEAD")) {
                route("GET", path, req, res, actor);
            } else {
                res.setHeader("Allow", "GET, HEAD, POST");
                error(req, res, 405, "Method not allowed");
            }
        } catch (NotFoundException e) {
            error(req, res, 404, e.getMessage());
        } catch (ConflictException e) {
            error(req, res, 409, e.getMessage());
        } catch (ValidationException e) {
            error(req, res, 400, e.getMessage());
        } catch (StoreUnavailableException e) {
            LOG.warn("Admin page: store unavailable: {}", e.getMessage());
            res.setHeader("Retry-After", "5");
            error(req, res, 503, "The token store is unavailable; try again shortly.");
        }
    }

    /** A path this servlet does not serve with this method is no page of ours, whatever other method it has. */
    private void route(String method, String path, HttpServletRequest req, HttpServletResponse res, String actor) throws IOException {
        if (routes.match(method, path) instanceof Routes.Found found) {
            found.endpoint().handle(new Routes.Call(req, res, actor, found.id()));
        } else {
            error(req, res, 404, "No such page");
        }
    }

    // ---- pages (GET)

    private void integrationsPage(Routes.Call call) throws IOException {
        HttpServletRequest req = call.request();
        String q = param(req, "q");
        String activeParam = param(req, "active");
        Boolean active = activeParam == null ? null : switch (activeParam) {
            case "yes" -> Boolean.TRUE;
            case "no" -> Boolean.FALSE;
            default -> throw new ValidationException("active", "must be Yes or No");
        };
        Sort sort = Sort.parse(param(req, "sort"), Sort.INTEGRATION_KEYS, Sort.INTEGRATION_DEFAULT);
        PageRequest asked = page(req);
        Shown<Integration> shown = shown(asked, pr -> store.integrations().search(q, active, sort, pr));
        String filters = query("q", q, "active", activeParam);
        render(call.response(), "integrations", new IntegrationsPage(layout(req, "Global Integrations"), shown.page().items(),
                paging(req, shown.request(), shown.page().total(), "/" + filters + sortParam(sort, Sort.INTEGRATION_DEFAULT)),
                q == null ? "" : q, activeParam == null ? "" : activeParam,
                new Sorting(sort, base(req) + "/" + filters, Set.of("created"), Sort.INTEGRATION_KEYS)));
    }

    private void newIntegrationForm(Routes.Call call) throws IOException {
        render(call.response(), "integration-form", new IntegrationFormPage(layout(call.request(), "New Integration"), null, "", "", "",
                true, Map.of(), null));
    }

    private void editIntegrationForm(Routes.Call call) throws IOException {
        Integration i = store.integrations().get(call.id());
        render(call.response(), "integration-form", new IntegrationFormPage(layout(call.request(), "Edit " + i.name()), i.id(), i.name(),
                i.description(), i.notificationEmail(), i.active(), Map.of(), i));
    }

    /** How many tokens a mass revocation of every page of a listing takes at most: as many as one revocation may list. */
    static final int REVOKE_EVERY_MAX = InputValidator.REVOKE_IDS_MAX;

    private void integrationPage(Routes.Call call) throws IOException {
        HttpServletRequest req = call.request();
        Integration i = store.integrations().get(call.id());
        TokenView view = tokenView(req, false);
        Shown<AccessToken> shown = shown(page(req), pr -> store.tokens().list(i.id(), view.status(), view.query(), view.sort(), pr));
        Page<AccessToken> tokens = shown.page();
        String path = "/integrations/" + i.id();
        // Every page of the listing selected at once: exactly the tokens it lists now, by id, so the
        // revocation takes no token this page did not count (one issued since, one of another filter).
        List<Long> every = null;
        if (tokens.total() > tokens.items().size()) {
            every = store.tokens().revocableIds(i.id(), view.status(), view.query(), REVOKE_EVERY_MAX + 1);
        }
        // Two grids on one page, each keeping the other's place in every link it makes: paging,
        // sorting or searching the tokens keeps the page of notifications, and paging the
        // notifications keeps the tokens' page, size, search and order.
        Integer notificationPage = intParam(req, "npage");
        Shown<NotificationOutbox.Message> notifications = shown(new PageRequest(notificationPage == null || notificationPage < 1 ? 1
                : notificationPage, NOTIFICATIONS_PER_PAGE), pr -> store.notifications().list(i.id(), pr));
        String notificationState = notifications.request().page() == 1 ? "" : "npage=" + notifications.request().page() + "&";
        String sortParam = sortParam(view.sort(), Sort.TOKEN_DEFAULT);
        PageRequest tokenPage = shown.request();
        String tokenState = tokenPage.page() == 1 && tokenPage.size() == PageRequest.DEFAULT_SIZE ? ""
                : "page=" + tokenPage.page() + "&size=" + tokenPage.size() + "&";
        render(call.response(), "integration", new IntegrationPage(layout(req, i.name()), i, tokens.items(),
                paging(req, tokenPage, tokens.total(), path + view.filters() + sortParam + notificationState),
                view.status() == null ? null : view.status().code(), store.clock().instant(),
                notifications.page().items(), new Paging(notifications.request().page(), notifications.request().size(),
                        notifications.page().total(), base(req) + path + view.filters() + sortParam + tokenState, "npage"),
                writesFiles, usage(i.id(), true), view.query() == null ? "" : view.query(),
                new Sorting(view.sort(), base(req) + path + view.filters() + notificationState, Set.of("created", "lastUsed"),
                        Sort.TOKEN_KEYS),
                base(req) + path + query("q", view.query()) + sortParam + notificationState, base(req) + path + query("status",
                        view.status() == null ? null : view.status().code()) + sortParam + notificationState,
                store.tokens().lineage(tokens.items()),
                every == null || every.size() > REVOKE_EVERY_MAX ? null : every, every != null && every.size() > REVOKE_EVERY_MAX,
                tokenPage.page(), tokenPage.size(), notifications.request().page()));
    }

    /**
     * What an Access Tokens grid shows: its status, search and order, from the query string of a
     * page, or from the form fields a revocation carries to come back to the same grid. A page
     * refuses a bad search or order (400); a revocation, already done, just comes back unfiltered.
     */
    private record TokenView(TokenStatus status, String query, Sort sort) {

        /** {@code ?status=...&q=...&} of the view (without its order), or {@code ?}. */
        String filters() {
            return PageHandler.query("status", status == null ? null : status.code(), "q", query);
        }
    }

    private TokenView tokenView(HttpServletRequest req, boolean lenient) {
        String statusParam = param(req, "status");
        TokenStatus status = statusParam == null ? null : TokenStatus.fromCode(statusParam);
        String q = param(req, "q");
        try {
            q = store.validator().search(q);
            return new TokenView(status, q, Sort.parse(param(req, "sort"), Sort.TOKEN_KEYS, Sort.TOKEN_DEFAULT));
        } catch (ValidationException e) {
            if (!lenient) {
                throw e;
            }
            return new TokenView(status, null, Sort.TOKEN_DEFAULT);
        }
    }

    /** A page of a grid and the request that gave it. */
    private record Shown<T>(PageRequest request, Page<T> page) {
    }

    /**
     * The page asked for; past the last page (a stale link, a number typed in), the last page, so
     * the grid never says it is empty when it is not.
     */
    private static <T> Shown<T> shown(PageRequest asked, java.util.function.Function<PageRequest, Page<T>> read) {
        Page<T> page = read.apply(asked);
        if (page.items().isEmpty() && page.total() > 0 && asked.page() > 1) {
            int last = (int) Math.min(Integer.MAX_VALUE, (page.total() + asked.size() - 1) / asked.size());
            PageRequest lastPage = new PageRequest(last, asked.size());
            return new Shown<>(lastPage, read.apply(lastPage));
        }
        return new Shown<>(asked, page);
    }

    /** {@code sort=...&} for a grid's links, or nothing for its default order. */
    private static String sortParam(Sort sort, Sort otherwise) {
        return sort.equals(otherwise) ? "" : "sort=" + enc(sort.code()) + "&";
    }

    /** {@code ?name=value&...&} of the pairs whose value is not null, encoded; {@code ?} when none is. */
    static String query(String... pairs) {
        StringBuilder q = new StringBuilder("?");
        for (int n = 0; n < pairs.length; n += 2) {
            if (pairs[n + 1] != null) {
                q.append(pairs[n]).append('=').append(enc(pairs[n + 1])).append('&');
            }
        }
        return q.toString();
    }

    private void newTokenForm(Routes.Call call) throws IOException {
        Integration i = store.integrations().get(call.id());
        render(call.response(), "token-form", tokenForm(call.request(), i, "", defaultPolicy(), "", Map.of()));
    }

    private void tokenCreatedPage(Routes.Call call) throws IOException {
        AccessToken token = store.tokens().get(call.id());
        Integration i = store.integrations().get(token.integrationId());
        IssuedToken issued = takeIssued(call.request(), token.id());
        AccessToken replaced = issued == null || issued.replaces() == null ? null : store.tokens().get(issued.replaces());
        render(call.response(), "token-created", new TokenCreatedPage(layout(call.request(), "Token " + token.name()), i, token,
                issued == null ? null : issued.value(), replaced, store.clock().instant()));
    }

    private void tokenPage(Routes.Call call) throws IOException {
        AccessToken token = store.tokens().get(call.id());
        Integration i = store.integrations().get(token.integrationId());
        AccessToken successor = token.replacedBy() == null ? null : store.tokens().get(token.replacedBy());
        render(call.response(), "token", new TokenPage(layout(call.request(), token.name()), i, token,
                store.tokens().predecessors(token.id()), successor, store.clock().instant(), policies(), usage(token.id(), false)));
    }

    private void auditPage(Routes.Call call) throws IOException {
        HttpServletRequest req = call.request();
        String integrationParam = param(req, "integrationId");
        Integration i = null;
        if (integrationParam != null) {
            if (!integrationParam.matches("\\d{1,18}")) {
                throw new NotFoundException("integration " + clip(integrationParam) + " does not exist");
            }
            i = store.integrations().get(Long.parseLong(integrationParam));
        }
        String action = param(req, "action");
        if (action != null && !Fmt.ACTIONS.containsKey(action)) {
            throw new ValidationException("action", "must be one of the actions offered");
        }
        String actor = param(req, "actor");
        if (actor != null && actor.length() > 200) {
            throw new ValidationException("actor", "must be at most 200 characters");
        }
        LocalDate from = date(req, "from");
        LocalDate to = date(req, "to");
        PageRequest pr = page(req);
        Page<AuditEvent> events = store.audit().search(new AuditFilter(i == null ? null : i.id(), action, actor,
                from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()), pr);
        StringBuilder link = new StringBuilder("/audit?");
        if (i != null) {
            link.append("integrationId=").append(i.id()).append('&');
        }
        for (String[] p : new String[][] {{"action", action}, {"actor", actor}, {"from", from == null ? null : from.toString()},
                {"to", to == null ? null : to.toString()}}) {
            if (p[1] != null) {
                link.append(p[0]).append('=').append(enc(p[1])).append('&');
            }
        }
        render(call.response(), "audit", new AuditPage(layout(req, "Audit log"), events.items(), paging(req, pr, events.total(),
                link.toString()), i, orEmpty(action), orEmpty(actor), from == null ? "" : from.toString(), to == null ? "" : to.toString(),
                store.audit().actors(100), store.clock().instant()));
    }

    /** A date of a filter form ({@code 2026-12-01}), or null when the field is empty. */
    private static LocalDate date(HttpServletRequest req, String name) {
        String value = param(req, name);
        if (value == null) {
            return null;
        }
        try {
            if (value.matches("\\d{4}-\\d\\d-\\d\\d")) {
                return LocalDate.parse(value);
            }
        } catch (DateTimeParseException e) {
            // said below
        }
        throw new ValidationException(name, "must be a date such as 2026-12-01");
    }

    // ---- actions (POST)

    private void createIntegration(Routes.Call call) throws IOException {
        HttpServletRequest req = call.request();
        String name = form(req, "name");
        String description = form(req, "description");
        String email = form(req, "notificationEmail");
        try {
            Integration created = store.integrations().create(call.actor(), IntegrationStore.Input.of(name, description, email));
            flash(req, "Integration “" + created.name() + "” saved. Now create its first Global API access token.");
            redirect(req, call.response(), "/integrations/" + created.id() + "/tokens/new");
        } catch (ValidationException e) {
            call.response().setStatus(400);
            render(call.response(), "integration-form", new IntegrationFormPage(layout(req, "Error: New Integration"), null,
                    orEmpty(name), orEmpty(description), orEmpty(email), true, errors(e), null));
        }
    }

    private void updateIntegration(Routes.Call call) throws IOException {
        HttpServletRequest req = call.request();
        long id = call.id();
        String name = form(req, "name");
        String description = form(req, "description");
        String email = form(req, "notificationEmail");
        String activeParam = form(req, "active");
        Boolean active = activeParam == null ? null : switch (activeParam) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new ValidationException("active", "must be Yes or No");
        };
        try {
            Integration updated = store.integrations().update(call.actor(), id,
                    new IntegrationStore.Input(name == null ? "" : name, description == null ? "" : description,
                            email == null ? "" : email, active));
            flash(req, "Integration “" + updated.name() + "” saved.");
            redirect(req, call.response(), "/integrations/" + id);
        } catch (ValidationException e) {
            Integration current = store.integrations().get(id);
            call.response().setStatus(400);
            render(call.response(), "integration-form", new IntegrationFormPage(layout(req, "Error: Edit " + current.name()), id,
                    orEmpty(name), orEmpty(description), orEmpty(email), active == null ? current.active() : active, errors(e), current));
        }
    }

    private void createToken(Routes.Call call) throws IOException {
        HttpServletRequest req = call.request();
        Integration i = store.integrations().get(call.id());
        String name = form(req, "name");
        String expiration = form(req, "expiration");
        String expiresAtField = form(req, "expiresAt");
        try {
            String expiresAt = null;
            if (ExpirationPolicy.CUSTOM.equals(expiration)) {
                try {
                    expiresAt = customInstant(expiresAtField);
                } catch (ValidationException badDate) {
                    // Every field in error is marked, not only the date: the name is checked too.
                    InputValidator.Errors errors = new InputValidator.Errors();
                    store.validator().name("name", name, errors);
                    badDate.errors().forEach(error -> errors.add(error.key(), error.message()));
                    errors.throwIfAny();
                }
                expiration = null;
            }
            IssuedToken issued = store.tokens().create(call.actor(), i.id(), name, expiration, expiresAt);
            keepIssued(req, issued);
            redirect(req, call.response(), "/tokens/" + issued.token().id() + "/created");
        } catch (ValidationException e) {
            call.response().setStatus(400);
            render(call.response(), "token-form", tokenForm(req, i, orEmpty(name), form(req, "expiration"), orEmpty(expiresAtField),
                    errors(e)).withTitle("Error: New token for " + i.name()));
        }
    }

    /**
     * The Access Tokens grid's actions: one row's Revoke ({@code revoke}, the token's id), or the
     * mass action on the tokens selected ({@code ids}) or on every page of the listing
     * ({@code allIds}, the ids the page listed). Either way back to the same grid.
     */
    private void revokeTokens(Routes.Call call) {
        HttpServletRequest req = call.request();
        long integrationId = call.id();
        String one = req.getParameter("revoke");
        if (one != null) {
            AccessToken token = store.tokens().get(id("revoke", one));
            if (token.integrationId() != integrationId) {
                throw new NotFoundException("token " + token.id() + " is not a token of integration " + integrationId);
            }
            AccessToken revoked = store.tokens().revoke(call.actor(), token.id());
            flash(req, "Token “" + revoked.name() + "” (" + revoked.hint() + ") revoked.");
            redirect(req, call.response(), backToGrid(req, integrationId));
            return;
        }
        String every = req.getParameter("allIds");
        List<Long> ids = new ArrayList<>();
        if (every != null && !every.isEmpty()) {
            if (every.length() > 19 * REVOKE_EVERY_MAX) { // more than that many ids of 18 digits and their commas
                throw new ValidationException("allIds", "must list at most " + REVOKE_EVERY_MAX + " token ids");
            }
            for (String v : every.split(",", -1)) {
                ids.add(id("allIds", v));
            }
        } else {
            String[] values = req.getParameterValues("ids");
            if (values != null) {
                for (String v : values) {
                    ids.add(id("ids", v));
                }
            }
        }
        if (ids.isEmpty()) {
            flash(req, "Select the tokens to revoke first.");
        } else {
            int asked = store.validator().revokeIds(ids).size();
            int revoked = store.tokens().revokeMany(call.actor(), integrationId, ids);
            String done = revoked == 1 ? "1 token revoked." : revoked + " tokens revoked.";
            flash(req, revoked == asked ? done : done + " " + (asked - revoked) + " of the " + asked
                    + " selected had been revoked already, or are not tokens of this integration.");
        }
        redirect(req, call.response(), backToGrid(req, integrationId));
    }

    /** A token id of a form, or a 400 naming the field. */
    private static long id(String field, String value) {
        if (value == null || !value.matches("\\d{1,18}")) {
            throw new ValidationException(field, "must contain only token ids");
        }
        return Long.parseLong(value);
    }

    /** The grid a revocation came from: its status, search, order and page, carried by its form (a bad one is dropped). */
    private String backToGrid(HttpServletRequest req, long integrationId) {
        TokenView view = tokenView(req, true);
        Integer page = intParam(req, "page");
        Integer size = intParam(req, "size");
        Integer notificationPage = intParam(req, "npage");
        String target = "/integrations/" + integrationId + view.filters() + sortParam(view.sort(), Sort.TOKEN_DEFAULT)
                + (page == null || page <= 1 ? "" : "page=" + page + "&")
                + (size == null || size < 1 || size > InputValidator.PAGE_SIZE_MAX || size == PageRequest.DEFAULT_SIZE ? "" : "size=" + size + "&")
                + (notificationPage == null || notificationPage <= 1 ? "" : "npage=" + notificationPage + "&");
        return target.substring(0, target.length() - 1); // the query's last & (or a lone ?)
    }

    /**
     * Sign-out (a POST with the form token, like every action): the container forgets the sign-in
     * and the session ends, taking its form token and messages with it; the next page asks for a
     * sign-in again. Credentials a browser keeps for HTTP Basic are the browser's to forget.
     */
    private void signOut(Routes.Call call) {
        HttpServletRequest req = call.request();
        try {
            req.logout();
        } catch (jakarta.servlet.ServletException e) {
            LOG.warn("Sign-out: the container refused logout(): {}", e.getMessage());
        }
        jakarta.servlet.http.HttpSession session = req.getSession(false);
        if (session != null) {
            try {
                session.invalidate();
            } catch (IllegalStateException alreadyEnded) {
                // logout() may already have ended it
            }
        }
        redirect(req, call.response(), "/");
    }

    private void sendTestEmail(Routes.Call call) {
        Integration i = store.integrations().get(call.id());
        store.notifications().enqueueTest(call.actor(), i.id());
        flash(call.request(), "A test e-mail to " + i.notificationEmail() + " is queued; its status shows under Notifications.");
        redirect(call.request(), call.response(), "/integrations/" + i.id());
    }

    private void revokeToken(Routes.Call call) {
        AccessToken revoked = store.tokens().revoke(call.actor(), call.id());
        flash(call.request(), "Token “" + revoked.name() + "” revoked.");
        redirect(call.request(), call.response(), "/tokens/" + revoked.id());
    }

    private void regenerateToken(Routes.Call call) {
        String grace = form(call.request(), "grace");
        if (grace != null && !grace.matches("\\d{1,7}")) {
            throw new ValidationException("grace", "must be one of the offered periods");
        }
        String expiration = form(call.request(), "expiration");
        if (expiration != null && !expiration.isEmpty() && !policies().contains(expiration)) {
            throw new ValidationException("expiration", "must be one of the offered expirations");
        }
        IssuedToken issued = store.tokens().regenerate(call.actor(), call.id(), grace == null ? null : Duration.ofSeconds(Long.parseLong(grace)),
                expiration, null);
        keepIssued(call.request(), issued);
        redirect(call.request(), call.response(), "/tokens/" + issued.token().id() + "/created");
    }

    // ---- restrictions

    /** How many recent client addresses a token's restrictions form offers. */
    private static final int RECENT_ADDRESSES = 20;

    private void tokenRestrictionsForm(Routes.Call call) throws IOException {
        AccessToken t = store.tokens().get(call.id());
        render(call.response(), "restrictions", tokenRestrictions(call.request(), t, lines(t.allowedNetworks().networks().stream()
                .map(Object::toString).toList()), t.scope().code(), lines(t.pathPrefixes()), Map.of()));
    }

    private void restrictToken(Routes.Call call) throws IOException {
        HttpServletRequest req = call.request();
        String networks = orEmpty(form(req, "allowedNetworks"));
        String scope = form(req, "scope");
        String prefixes = orEmpty(form(req, "pathPrefixes"));
        try {
            AccessToken t = store.tokens().restrict(call.actor(), call.id(), new TokenStore.RestrictionsInput(
                    List.of(networks.split("[\\s,]+")).stream().filter(x -> !x.isEmpty()).toList(), scope,
                    prefixes.lines().map(String::strip).filter(x -> !x.isEmpty()).toList()));
            flash(req, "Restrictions of token “" + t.name() + "” saved.");
            redirect(req, call.response(), "/tokens/" + t.id());
        } catch (ValidationException e) {
            call.response().setStatus(400);
            render(call.response(), "restrictions", tokenRestrictions(req, store.tokens().get(call.id()), networks, orEmpty(scope), prefixes,
                    errors(e)));
        }
    }

    private RestrictionsPage tokenRestrictions(HttpServletRequest req, AccessToken t, String networks, String scope, String prefixes,
                                               Map<String, String> errors) {
        return new RestrictionsPage(layout(req, (errors.isEmpty() ? "" : "Error: ") + "Restrictions of " + t.name()),
                store.integrations().get(t.integrationId()), t, networks, scope, prefixes, "", "",
                store.tokens().recentClientAddresses(t.id(), RECENT_ADDRESSES), errors);
    }

    private void integrationRestrictionsForm(Routes.Call call) throws IOException {
        Integration i = store.integrations().get(call.id());
        render(call.response(), "restrictions", integrationRestrictions(call.request(), i,
                lines(i.allowedNetworks().networks().stream().map(Object::toString).toList()),
                i.rateLimit() == null ? "" : Integer.toString(i.rateLimit().requestsPerMinute()),
                i.rateLimit() == null ? "" : Integer.toString(i.rateLimit().burst()), Map.of()));
    }

    private void restrictIntegration(Routes.Call call) throws IOException {
        HttpServletRequest req = call.request();
        String networks = orEmpty(form(req, "allowedNetworks"));
        String perMinute = orEmpty(form(req, "requestsPerMinute")).strip();
        String burst = orEmpty(form(req, "burst")).strip();
        try {
            List<String> networkList = List.of(networks.split("[\\s,]+")).stream().filter(x -> !x.isEmpty()).toList();
            InputValidator.Errors unread = new InputValidator.Errors();
            Long perMinuteNumber = number(perMinute, "rateLimit.requestsPerMinute", unread);
            Long burstNumber = number(burst, "rateLimit.burst", unread);
            if (!unread.isEmpty()) {
                // A number that cannot be read stops the save; the other fields are checked too, so every error shows at once.
                store.validator().allowedNetworks("allowedNetworks", networkList, unread);
                store.validator().rateLimit("rateLimit", perMinuteNumber, burstNumber, unread);
                unread.throwIfAny();
            }
            IntegrationStore.RateLimitInput limit = perMinute.isEmpty() && burst.isEmpty() ? IntegrationStore.RateLimitInput.DEPLOYMENT_DEFAULT
                    : new IntegrationStore.RateLimitInput(perMinuteNumber, burstNumber);
            Integration i = store.integrations().update(call.actor(), call.id(), new IntegrationStore.Input(null, null, null, null,
                    networkList, limit));
            flash(req, "Restrictions of “" + i.name() + "” saved.");
            redirect(req, call.response(), "/integrations/" + i.id());
        } catch (ValidationException e) {
            call.response().setStatus(400);
            render(call.response(), "restrictions", integrationRestrictions(req, store.integrations().get(call.id()), networks, perMinute,
                    burst, errors(e)));
        }
    }

    private RestrictionsPage integrationRestrictions(HttpServletRequest req, Integration i, String networks, String perMinute, String burst,
                                                     Map<String, String> errors) {
        return new RestrictionsPage(layout(req, (errors.isEmpty() ? "" : "Error: ") + "Restrictions of " + i.name()), i, null,
                networks, "", "", perMinute, burst, List.of(), errors);
    }

    /** A whole number typed into a form; null when empty, or when it is none (recorded in {@code errors}). */
    private static Long number(String text, String key, InputValidator.Errors errors) {
        if (text.isEmpty()) {
            return null;
        }
        if (!text.matches("\\d{1,12}")) {
            errors.add(key, "must be a whole number");
            return null;
        }
        return Long.parseLong(text);
    }

    private static String lines(List<String> values) {
        return String.join("\n", values);
    }

    // ---- forms

    private TokenFormPage tokenForm(HttpServletRequest req, Integration i, String name, String expiration, String expiresAt,
                                    Map<String, String> errors) {
        List<String> policies = new ArrayList<>(policies());
        policies.add(ExpirationPolicy.CUSTOM);
        Duration max = store.validator().maxLifetime();
        return new TokenFormPage(layout(req, "New token for " + i.name()), i, name, expiration == null ? defaultPolicy() : expiration,
                expiresAt, policies, max == null ? null : InputValidator.describe(max), errors, remindersNote(i));
    }

    /** The last 7 days of requests per hour, the current hour included. */
    private UsageChart usage(long id, boolean integration) {
        Instant to = store.clock().instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        return new UsageChart(store.tokens().usage(id, integration, to.minus(USAGE_WINDOW), to));
    }

    /** The fixed expiration policies a form offers. */
    private static List<String> policies() {
        List<String> policies = new ArrayList<>();
        for (ExpirationPolicy p : ExpirationPolicy.FIXED) {
            policies.add(p.code());
        }
        return policies;
    }

    private String remindersNote(Integration i) {
        if (reminders.isEmpty()) {
            return "No reminder is sent before a token expires; an e-mail to " + i.notificationEmail() + " says when it has expired.";
        }
        List<String> when = reminders.stream().map(InputValidator::describe).toList();
        String list = when.size() == 1 ? when.get(0)
                : String.join(", ", when.subList(0, when.size() - 1)) + " and " + when.get(when.size() - 1);
        return "Reminders go to " + i.notificationEmail() + " " + list + " before the token expires.";
    }

    private String defaultPolicy() {
        Duration max = store.validator().maxLifetime();
        return max == null || max.compareTo(Duration.ofDays(90)) >= 0 ? "90d" : "7d";
    }

    /** The form's datetime-local value, read as UTC. */
    private static String customInstant(String field) {
        if (field == null || field.isBlank()) {
            throw new ValidationException("expiresAt", "is required when Expiration is Custom date");
        }
        try {
            return LocalDateTime.parse(field.strip()).toInstant(ZoneOffset.UTC).toString();
        } catch (DateTimeParseException e) {
            throw new ValidationException("expiresAt", "must be a date and time such as 2027-01-31T00:00");
        }
    }

    private static Map<String, String> errors(ValidationException e) {
        Map<String, String> map = new LinkedHashMap<>();
        for (FieldError error : e.errors()) {
            map.putIfAbsent(error.key(), error.message());
        }
        return map;
    }

    private static String form(HttpServletRequest req, String name) {
        String value = req.getParameter(name);
        if (value != null && value.length() > MAX_FORM_FIELD) {
            // Longer than any field allows; validation says so without echoing megabytes back.
            return value.substring(0, MAX_FORM_FIELD);
        }
        return value;
    }

    private static String param(HttpServletRequest req, String name) {
        String value = req.getParameter(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private PageRequest page(HttpServletRequest req) {
        Integer page = intParam(req, "page");
        Integer size = intParam(req, "size");
        try {
            return store.validator().page(page, size);
        } catch (ValidationException e) {
            return store.validator().page(1, null);
        }
    }

    private static Integer intParam(HttpServletRequest req, String name) {
        String value = req.getParameter(name);
        return value != null && value.matches("\\d{1,7}") ? Integer.valueOf(value) : null;
    }

    private static Paging paging(HttpServletRequest req, PageRequest pr, long total, String relativeLinkBase) {
        return new Paging(pr.page(), pr.size(), total, base(req) + relativeLinkBase);
    }

    // ---- session: flash messages and the one-time token value

    private static void flash(HttpServletRequest req, String message) {
        req.getSession(true).setAttribute(FLASH, message);
    }

    private static String takeFlash(HttpServletRequest req) {
        HttpSession session = req.getSession(false);
        if (session == null) {
            return null;
        }
        String message = (String) session.getAttribute(FLASH);
        if (message != null) {
            session.removeAttribute(FLASH);
        }
        return message;
    }

    @SuppressWarnings("unchecked")
    private static void keepIssued(HttpServletRequest req, IssuedToken issued) {
        HttpSession session = req.getSession(true);
        synchronized (session) {
            Map<Long, IssuedToken> pending = (Map<Long, IssuedToken>) session.getAttribute(ISSUED);
            Map<Long, IssuedToken> copy = pending == null ? new HashMap<>() : new HashMap<>(pending);
            copy.put(issued.token().id(), issued);
            session.setAttribute(ISSUED, copy);
        }
    }

    @SuppressWarnings("unchecked")
    private static IssuedToken takeIssued(HttpServletRequest req, long tokenId) {
        HttpSession session = req.getSession(false);
        if (session == null) {
            return null;
        }
        synchronized (session) {
            Map<Long, IssuedToken> pending = (Map<Long, IssuedToken>) session.getAttribute(ISSUED);
            if (pending == null || !pending.containsKey(tokenId)) {
                return null;
            }
            Map<Long, IssuedToken> copy = new HashMap<>(pending);
            IssuedToken issued = copy.remove(tokenId);
            if (copy.isEmpty()) {
                session.removeAttribute(ISSUED);
            } else {
                session.setAttribute(ISSUED, copy);
            }
            return issued;
        }
    }

    // ---- output

    private Layout layout(HttpServletRequest req, String title) {
        return new Layout(base(req), CsrfGuard.token(req), req.getRemoteUser(), title, takeFlash(req));
    }

    private void render(HttpServletResponse res, String template, Object model) throws IOException {
        Utf8ByteOutput output = new Utf8ByteOutput();
        templates.render("io/globalgate/admin/" + template + ".jte", model, output);
        res.setContentType("text/html;charset=utf-8");
        res.setContentLength(output.getContentLength());
        output.writeTo(res.getOutputStream());
    }

    void error(HttpServletRequest req, HttpServletResponse res, int status, String message) throws IOException {
        res.setStatus(status);
        // No flash: a message about a save belongs to the page after the save, not to a refusal.
        Layout layout = new Layout(base(req), CsrfGuard.token(req), req.getRemoteUser(), "Error", null);
        render(res, "error", new ErrorPage(layout, status, message));
    }

    /** Redirects only ever go to a path of ours, built here from fixed strings and numeric ids. */
    private static void redirect(HttpServletRequest req, HttpServletResponse res, String relative) {
        res.setStatus(303);
        res.setHeader("Location", base(req) + relative);
    }

    static String base(HttpServletRequest req) {
        return req.getContextPath() + req.getServletPath();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
