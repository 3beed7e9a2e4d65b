package io.globalgate.filter;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/** An accepted request as the rest of the chain sees it: the integration as principal, the credential hidden. */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

    private final IntegrationPrincipal principal;
    private final String hiddenHeader;

    AuthenticatedRequest(HttpServletRequest request, IntegrationPrincipal principal, String hiddenHeader) {
        super(request);
        this.principal = principal;
        this.hiddenHeader = hiddenHeader;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getRemoteUser() {
        return principal.getName();
    }

    @Override
    public String getAuthType() {
        return "Bearer";
    }

    @Override
    public boolean isUserInRole(String role) {
        return false;
    }

    @Override
    public String getHeader(String name) {
        return hidden(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        if (hiddenHeader == null) {
            return super.getHeaderNames();
        }
        List<String> names = Collections.list(super.getHeaderNames());
        names.removeIf(this::hidden);
        return Collections.enumeration(names);
    }

    @Override
    public long getDateHeader(String name) {
        return hidden(name) ? -1 : super.getDateHeader(name);
    }

    @Override
    public int getIntHeader(String name) {
        return hidden(name) ? -1 : super.getIntHeader(name);
    }

    private boolean hidden(String name) {
        return hiddenHeader != null && hiddenHeader.equalsIgnoreCase(name);
    }
}
