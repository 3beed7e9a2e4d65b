package io.globalgate.filter;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * An accepted request as the application behind the filter sees it: the integration as the
 * principal of a Bearer request in no role, and with hideCredentials the credential's header gone
 * from every way of reading a header, the others untouched. (The contract suite checks the same
 * over real HTTP for getUserPrincipal, getHeader, getHeaders and getHeaderNames.)
 */
class AuthenticatedRequestTest {

    private static final IntegrationPrincipal ERP = new IntegrationPrincipal(7, "ERP sync", 42);

    /** The container's request: headers only; any other call fails the test. */
    private static HttpServletRequest containerRequest(Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(AuthenticatedRequestTest.class.getClassLoader(),
                new Class<?>[]{HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getHeaders" -> Collections.enumeration(headers.containsKey((String) args[0])
                            ? List.of(headers.get((String) args[0])) : List.of());
                    case "getHeaderNames" -> Collections.enumeration(headers.keySet());
                    case "getDateHeader" -> headers.containsKey((String) args[0]) ? 1_700_000_000_000L : -1L;
                    case "getIntHeader" -> headers.containsKey((String) args[0]) ? Integer.parseInt(headers.get((String) args[0])) : -1;
                    default -> throw new UnsupportedOperationException("not expected: " + method.getName());
                });
    }

    @Test
    void theIntegrationIsTheRemoteUserOfABearerRequestInNoRole() {
        AuthenticatedRequest request = new AuthenticatedRequest(containerRequest(Map.of()), ERP, null);

        assertEquals(ERP, request.getUserPrincipal());
        assertEquals("ERP sync", request.getRemoteUser());
        assertEquals("Bearer", request.getAuthType());
        assertFalse(request.isUserInRole("admin"));
        assertFalse(request.isUserInRole("ERP sync"));
    }

    @Test
    void theHiddenCredentialHeaderIsAbsentForEveryReaderAndTheOthersAreTheContainers() {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Authorization", "12");
        headers.put("X-Count", "34");
        AuthenticatedRequest request = new AuthenticatedRequest(containerRequest(headers), ERP, "authorization");

        assertEquals(null, request.getHeader("AUTHORIZATION"));
        assertFalse(request.getHeaders("Authorization").hasMoreElements());
        assertEquals(List.of("X-Count"), Collections.list(request.getHeaderNames()));
        assertEquals(-1, request.getDateHeader("Authorization"));
        assertEquals(-1, request.getIntHeader("Authorization"));

        assertEquals("34", request.getHeader("X-Count"));
        assertEquals(1_700_000_000_000L, request.getDateHeader("X-Count"));
        assertEquals(34, request.getIntHeader("X-Count"));
    }

    @Test
    void withoutHideCredentialsEveryHeaderIsTheContainers() {
        Map<String, String> headers = Map.of("Authorization", "12");
        AuthenticatedRequest request = new AuthenticatedRequest(containerRequest(headers), ERP, null);

        assertEquals("12", request.getHeader("Authorization"));
        assertEquals(List.of("Authorization"), Collections.list(request.getHeaderNames()));
        assertEquals(1_700_000_000_000L, request.getDateHeader("Authorization"));
        assertEquals(12, request.getIntHeader("Authorization"));
    }
}
