package io.globalgate.gateway;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.security.AuthenticationState;
import org.eclipse.jetty.security.Authenticator;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.security.ServerAuthException;
import org.eclipse.jetty.security.UserIdentity;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.security.authentication.FormAuthenticator;
import org.eclipse.jetty.security.authentication.LoginAuthenticator;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Session;
import org.eclipse.jetty.util.Callback;

import java.util.function.Function;

/**
 * Form login for people, HTTP Basic for scripts: a request that carries {@code Authorization:
 * Basic} or goes to the JSON API is handled by Basic (a {@code 401} challenge, never a redirect to
 * a login page); every other one by the form.
 */
final class BasicOrFormAuthenticator extends LoginAuthenticator {

    private final BasicAuthenticator basic = new BasicAuthenticator();
    private final FormAuthenticator form;
    private final String apiPrefix;

    BasicOrFormAuthenticator(String loginPage, String errorPage, String apiPrefix) {
        this.form = new FormAuthenticator(loginPage, errorPage, false);
        this.apiPrefix = apiPrefix;
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

    @Override
    public AuthenticationState validateRequest(Request request, Response response, Callback callback) throws ServerAuthException {
        LoginAuthenticator chosen = choose(request);
        if (chosen != basic) {
            return chosen.validateRequest(request, response, callback);
        }
        try {
            return basic.validateRequest(request, response, callback);
        } catch (IllegalArgumentException e) {
            // Jetty's Basic decodes the credentials without a guard, so bad Base64 would be a 500:
            // it is a failed login instead, answered with the same challenge as no credentials.
            return basic.validateRequest(withoutAuthorization(request), response, callback);
        }
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
}
