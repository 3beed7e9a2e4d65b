package io.globalgate.gateway;

import org.eclipse.jetty.security.AbstractLoginService;
import org.eclipse.jetty.security.RolePrincipal;
import org.eclipse.jetty.security.UserIdentity;
import org.eclipse.jetty.security.UserPrincipal;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Session;
import org.eclipse.jetty.util.security.Credential;

import java.util.List;
import java.util.function.Function;

/** One admin user, checked against {@link AdminCredentials}; it holds the admin servlet's role. */
final class AdminLoginService extends AbstractLoginService {

    private final String user;
    private final String role;
    private final AdminCredentials credentials;

    AdminLoginService(String realm, String user, String role, AdminCredentials credentials) {
        this.user = user;
        this.role = role;
        this.credentials = credentials;
        setName(realm);
    }

    /** A user name that does not exist costs the same PBKDF2 work as a wrong password, and fails the same way. */
    @Override
    public UserIdentity login(String username, Object password, Request request, Function<Boolean, Session> getOrCreateSession) {
        if (!user.equals(username)) {
            credentials.checkForUnknownUser(password instanceof String text ? text
                    : password instanceof char[] chars ? new String(chars) : null);
            return null;
        }
        return super.login(username, password, request, getOrCreateSession);
    }

    @Override
    protected List<RolePrincipal> loadRoleInfo(UserPrincipal principal) {
        return List.of(new RolePrincipal(role));
    }

    @Override
    protected UserPrincipal loadUserInfo(String username) {
        if (!user.equals(username)) {
            return null;
        }
        return new UserPrincipal(username, new Credential() {
            private static final long serialVersionUID = 1L;

            @Override
            public boolean check(Object given) {
                return given instanceof String password ? credentials.check(password)
                        : given instanceof char[] chars && credentials.check(new String(chars));
            }
        });
    }
}
