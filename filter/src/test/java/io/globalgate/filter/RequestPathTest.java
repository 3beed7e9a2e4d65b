package io.globalgate.filter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestPathTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/,                                 /",
            "/api/global/v1/orders,             /api/global/v1/orders",
            "/api/global/v1/orders/,            /api/global/v1/orders/",
            "/api//global///v1/orders,          /api/global/v1/orders",
            "/api/global/./v1/orders,           /api/global/v1/orders",
            "/api/global/v1/orders/.,           /api/global/v1/orders/",
            "/api/global/v1/customers/../orders,/api/global/v1/orders",
            "/api/global/v1/orders/..,          /api/global/v1/",
            "/api/global/v1/%6Frders/1,         /api/global/v1/orders/1",
            "/api/global/v1/%2e%2E/v1/orders,   /api/global/v1/orders",
            "/api/global/v1/orders;jsessionid=1/2, /api/global/v1/orders/2",
            "/api/global/v1/customers/..;x/orders, /api/global/v1/orders",
            "/api/global/v1/caf%C3%A9,          /api/global/v1/café",
            "/api/global/v1/a%20b,              /api/global/v1/a b",
            "/api/global/v1/%30rders,           /api/global/v1/0rders",
            "/api/global/v1/;p=1/orders,        /api/global/v1/orders",
    })
    void normalFormResolvesDotSegmentsDecodesAndDropsPathParameters(String raw, String expected) {
        assertEquals(expected, RequestPath.normalise(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "api/global", "/..", "/api/../..", "/api/%2e%2e/%2E%2E/x", "/api/orders%2Fsecret", "/api/orders%2fsecret",
            "/api/orders%5Csecret", "/api/orders\\secret", "/api/%00", "/api/%0A", "/api/%ZZ", "/api/%4", "/api/%C0%AE%C0%AE", "/api/%FF",
            "/api/caf\u00e9%41"})
    void pathThatCannotBeReadOneWayOnlyHasNoNormalForm(String raw) {
        assertNull(RequestPath.normalise(raw), raw);
    }

    @ParameterizedTest(name = "{0} under {1}: {2}")
    @CsvSource({
            "/api/global/v1/orders,        /api/global/v1/orders/, true",
            "/api/global/v1/orders/,       /api/global/v1/orders/, true",
            "/api/global/v1/orders/42,     /api/global/v1/orders/, true",
            "/api/global/v1/orders/42,     /api/global/v1/orders,  true",
            "/api/global/v1/ordersX,       /api/global/v1/orders,  false",
            "/api/global/v1/ordersX,       /api/global/v1/orders/, false",
            "/api/global/v1/order,         /api/global/v1/orders/, false",
            "/api/global/v1/customers,     /,                      true",
    })
    void prefixCoversItselfAndWhatLiesBelowItSegmentBySegment(String path, String prefix, boolean under) {
        assertEquals(under, RequestPath.isUnder(path, prefix));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/global/v1/orders/%2e%2e/customers", "/api/global/v1/orders/..%2Fcustomers"})
    void encodedEscapesFromAPrefixAreNotUnderIt(String raw) {
        String path = RequestPath.normalise(raw);
        assertFalse(path != null && RequestPath.isUnder(path, "/api/global/v1/orders/"), raw + " -> " + path);
        assertTrue(path == null || path.startsWith("/api/global/v1/"), String.valueOf(path));
    }

    @Test
    void aUriThatIsItsOwnNormalFormIsReturnedAsTheWalkWouldBuildIt() {
        long seed = Long.getLong("requestpath.seed", new java.util.Random().nextLong());
        java.util.Random random = new java.util.Random(seed);
        String alphabet = "//////....aaz%2e5cF;=\\\u00e9\t\u007f";
        for (int n = 0; n < 50_000; n++) {
            StringBuilder sb = new StringBuilder("/");
            int length = random.nextInt(20);
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String uri = sb.toString();
            assertEquals(RequestPath.walk(uri), RequestPath.normalise(uri),
                    () -> "'" + uri + "' (seed " + seed + ")");
        }
        String plain = "/api/global/v1/system/status";
        org.junit.jupiter.api.Assertions.assertSame(plain, RequestPath.normalise(plain), "no new string for a normal path");
    }
}
