package io.globalgate.filter;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Finding the one bearer token of a request, strictly. */
class BearerTokenResolverTest {

    private static final String TOKEN = "gat_0123456789abcdefghijABCDEFGHIJ012345";
    private final BearerTokenResolver resolver = new BearerTokenResolver("Authorization");

    /**
     * A request with only headers and a raw query string: any other call fails the test, which
     * also proves the resolver never reads parameters (that would consume a form body).
     */
    @SafeVarargs
    private static HttpServletRequest request(String query, Map.Entry<String, String>... headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(BearerTokenResolverTest.class.getClassLoader(),
                new Class<?>[]{HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeaders" -> {
                        List<String> values = new ArrayList<>();
                        for (Map.Entry<String, String> h : headers) {
                            if (h.getKey().equalsIgnoreCase((String) args[0])) {
                                values.add(h.getValue());
                            }
                        }
                        yield Collections.enumeration(values);
                    }
                    case "getQueryString" -> query;
                    case "toString" -> "test request";
                    default -> throw new UnsupportedOperationException("resolver must not call " + method.getName());
                });
    }

    @SafeVarargs
    private BearerTokenResolver.Resolution resolve(Map.Entry<String, String>... headers) {
        return resolver.resolve(request(null, headers));
    }

    private static Map.Entry<String, String> authorization(String value) {
        return Map.entry("Authorization", value);
    }

    private static String message(BearerTokenResolver.Resolution resolution) {
        if (resolution instanceof BearerTokenResolver.Missing m) {
            return m.message();
        }
        if (resolution instanceof BearerTokenResolver.Malformed m) {
            return m.message();
        }
        return ((BearerTokenResolver.InvalidRequest) resolution).message();
    }

    @Test
    void requestWithoutAuthorizationHeaderHasMissingCredentials() {
        BearerTokenResolver.Resolution resolution = resolve();

        assertInstanceOf(BearerTokenResolver.Missing.class, resolution);
        assertEquals("This API needs a Global API access token: send Authorization: Bearer <token>", message(resolution));
    }

    @Test
    void bearerHeaderYieldsItsTokenAsCandidate() {
        assertEquals(new BearerTokenResolver.Candidate(TOKEN), resolve(authorization("Bearer " + TOKEN)));
    }

    @Test
    void schemeIsMatchedCaseInsensitively() {
        assertEquals(new BearerTokenResolver.Candidate(TOKEN), resolve(authorization("bEaReR " + TOKEN)));
    }

    @Test
    void spacesAroundTheTokenAreIgnored() {
        assertEquals(new BearerTokenResolver.Candidate(TOKEN), resolve(authorization("Bearer   " + TOKEN + " ")));
    }

    @Test
    void otherSchemeIsTreatedAsMissingBearerCredentials() {
        BearerTokenResolver.Resolution resolution = resolve(authorization("Basic YWxpY2U6c2VjcmV0"));

        assertInstanceOf(BearerTokenResolver.Missing.class, resolution);
        assertEquals("The Authorization header must use the Bearer scheme", message(resolution));
    }

    @Test
    void emptyHeaderIsTreatedAsMissingCredentials() {
        BearerTokenResolver.Resolution resolution = resolve(authorization(""));

        assertInstanceOf(BearerTokenResolver.Missing.class, resolution);
        assertEquals("The Authorization header is empty; send Authorization: Bearer <token>", message(resolution));
    }

    @Test
    void bearerSchemeWithAnEmptyTokenIsMalformed() {
        BearerTokenResolver.Resolution resolution = resolve(authorization("Bearer "));

        assertInstanceOf(BearerTokenResolver.Malformed.class, resolution);
        assertEquals("Bearer token is empty", message(resolution));
    }

    // Containers may trim "Bearer " to "Bearer": that is no token, not the token "Bearer".
    @Test
    void bearerSchemeAloneWithoutAnyTokenIsMalformed() {
        BearerTokenResolver.Resolution resolution = resolve(authorization("Bearer"));

        assertInstanceOf(BearerTokenResolver.Malformed.class, resolution);
        assertEquals("Bearer token is empty", message(resolution));
    }

    @Test
    void twoAuthorizationHeadersAreAnInvalidRequest() {
        BearerTokenResolver.Resolution resolution = resolve(authorization("Bearer " + TOKEN), authorization("Bearer " + TOKEN));

        assertInstanceOf(BearerTokenResolver.InvalidRequest.class, resolution);
        assertEquals("Found multiple Authorization headers in the request; send exactly one", message(resolution));
    }

    @Test
    void twoTokensInOneHeaderAreAnInvalidRequest() {
        for (String value : List.of("Bearer " + TOKEN + "," + TOKEN, "Bearer " + TOKEN + " " + TOKEN)) {
            BearerTokenResolver.Resolution resolution = resolve(authorization(value));

            assertInstanceOf(BearerTokenResolver.InvalidRequest.class, resolution, value);
            assertEquals("Found multiple bearer tokens in the Authorization header", message(resolution));
        }
    }

    @Test
    void tokenInTheQueryStringIsRefusedAsAnInvalidRequest() {
        BearerTokenResolver.Resolution resolution = resolver.resolve(request("page=2&access_token=" + TOKEN));

        assertInstanceOf(BearerTokenResolver.InvalidRequest.class, resolution);
        assertEquals("Tokens in the URL are not accepted; send the header Authorization: Bearer <token>", message(resolution));
    }

    @Test
    void tokenInBothHeaderAndQueryStringIsAnInvalidRequest() {
        BearerTokenResolver.Resolution resolution = resolver.resolve(request("access_token", authorization("Bearer " + TOKEN)));

        assertInstanceOf(BearerTokenResolver.InvalidRequest.class, resolution);
        assertEquals("Found multiple bearer tokens in the request (header and access_token query parameter)", message(resolution));
    }

    @Test
    void queryParameterThatOnlyEndsInAccessTokenIsLeftAlone() {
        assertEquals(new BearerTokenResolver.Candidate(TOKEN),
                resolver.resolve(request("my_access_token=1&access_tokens=2", authorization("Bearer " + TOKEN))));
    }

    @Test
    void overlongHeaderIsMalformedWithoutBeingParsed() {
        BearerTokenResolver.Resolution resolution = resolve(authorization("Bearer " + "a".repeat(BearerTokenResolver.MAX_VALUE_LENGTH)));

        assertInstanceOf(BearerTokenResolver.Malformed.class, resolution);
        assertEquals("The Authorization header is too long to hold a Global API access token", message(resolution));
    }

    @Test
    void aHeaderOfExactlyTheMaximumLengthIsReadAndOneCharacterMoreIsNot() {
        String longest = "Bearer " + "a".repeat(BearerTokenResolver.MAX_VALUE_LENGTH - "Bearer ".length());

        assertEquals(new BearerTokenResolver.Candidate(longest.substring(7)), resolve(authorization(longest)));
        assertEquals("The Authorization header is too long to hold a Global API access token",
                message(resolve(authorization(longest + "a"))));
    }

    @Test
    void aCommaAtTheStartOfTheTokenIsASecondCredentialToo() {
        BearerTokenResolver.Resolution resolution = resolve(authorization("Bearer ," + TOKEN));

        assertInstanceOf(BearerTokenResolver.InvalidRequest.class, resolution);
        assertEquals("Found multiple bearer tokens in the Authorization header", message(resolution));
    }

    @Test
    void anAccessTokenParameterIsFoundWhereverItStandsInTheQuery() {
        // after an empty first parameter, and without a value after another parameter
        for (String query : List.of("&access_token=" + TOKEN, "page=2&access_token", "a=1&&access_token=")) {
            BearerTokenResolver.Resolution resolution = resolver.resolve(request(query));

            assertEquals("Tokens in the URL are not accepted; send the header Authorization: Bearer <token>", message(resolution), query);
        }
    }

    @Test
    void configuredHeaderNameIsTheOnlyOneRead() {
        BearerTokenResolver custom = new BearerTokenResolver("X-Global-Token");

        assertEquals(new BearerTokenResolver.Candidate(TOKEN), custom.resolve(request(null, Map.entry("X-Global-Token", "Bearer " + TOKEN))));
        assertEquals("This API needs a Global API access token: send X-Global-Token: Bearer <token>",
                message(custom.resolve(request(null, authorization("Bearer " + TOKEN)))));
    }

    @Test
    void candidateNeverPrintsItsToken() {
        assertEquals("Candidate[<masked>]", new BearerTokenResolver.Candidate(TOKEN).toString());
    }
}
