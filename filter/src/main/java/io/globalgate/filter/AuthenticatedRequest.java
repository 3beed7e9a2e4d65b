package io.globalgate.filter;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * An accepted request as the rest of the chain sees it: the integration as principal, its ids as
 * the request attributes {@link GlobalTokenFilter#INTEGRATION_ID_ATTRIBUTE} and
 * {@link GlobalTokenFilter#TOKEN_ID_ATTRIBUTE}, the credential hidden. The two attributes are
 * answered here rather than set on the container's request: setting them cost more than the rest
 * of an accepted request's handling in the filter (Jetty creates the request's attribute map on
 * the first set). Like the principal, they belong to this request object, which the filter hands
 * down the chain; an application that sets or removes one of them takes it over (the two then
 * live on the wrapped request).
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

    private final IntegrationPrincipal principal;
    private final String hiddenHeader;
    /** Whether the application set or removed one of our attributes: then the wrapped request holds both. */
    private boolean attributesHandedOver;

    AuthenticatedRequest(HttpServletRequest request, IntegrationPrincipal principal, String hiddenHeader) {
        super(request);
        this.principal = principal;
        this.hiddenHeader = hiddenHeader;
    }

    @Override
    public Object getAttribute(String name) {
        if (!attributesHandedOver) {
            if (GlobalTokenFilter.INTEGRATION_ID_ATTRIBUTE.equals(name)) {
                return principal.integrationId();
            }
            if (GlobalTokenFilter.TOKEN_ID_ATTRIBUTE.equals(name)) {
                return principal.tokenId();
            }
        }
        return super.getAttribute(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        if (attributesHandedOver) {
            return super.getAttributeNames();
        }
        List<String> names = Collections.list(super.getAttributeNames());
        names.add(GlobalTokenFilter.INTEGRATION_ID_ATTRIBUTE);
        names.add(GlobalTokenFilter.TOKEN_ID_ATTRIBUTE);
        return Collections.enumeration(names);
    }

    @Override
    public void setAttribute(String name, Object value) {
        handOverIfOurs(name);
        super.setAttribute(name, value);
    }

    @Override
    public void removeAttribute(String name) {
        handOverIfOurs(name);
        super.removeAttribute(name);
    }

    private void handOverIfOurs(String name) {
        if (!attributesHandedOver && (GlobalTokenFilter.INTEGRATION_ID_ATTRIBUTE.equals(name)
                || GlobalTokenFilter.TOKEN_ID_ATTRIBUTE.equals(name))) {
            super.setAttribute(GlobalTokenFilter.INTEGRATION_ID_ATTRIBUTE, principal.integrationId());
            super.setAttribute(GlobalTokenFilter.TOKEN_ID_ATTRIBUTE, principal.tokenId());
            attributesHandedOver = true;
        }
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
