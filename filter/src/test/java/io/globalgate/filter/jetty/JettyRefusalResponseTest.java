package io.globalgate.filter.jetty;

import io.globalgate.filter.ContextAttributes;
import io.globalgate.filter.contract.Deployment;
import io.globalgate.filter.contract.HttpResult;
import io.globalgate.filter.contract.RawHttpClient;
import io.globalgate.testing.TestDatabases;
import io.globalgate.testing.jetty.JettyHarness;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bytes of a refusal as the client receives them when the application around the filter is
 * not the plain one of the contract suite: a filter of the application ahead of Globalgate's that
 * already wrote to the response, and a container whose response buffer is smaller than the body.
 */
@Tag("jetty")
class JettyRefusalResponseTest {

    private static final String MISSING = "{\"errors\":[{\"type\":\"authentication\",\"message\":"
            + "\"This API needs a Global API access token: send Authorization: Bearer \\u003ctoken\\u003e\"}]}";

    /**
     * A filter ahead of ours wrote the start of a page into the response buffer (not sent yet)
     * and passed the request on: the refusal replaces it, and the client gets our JSON alone.
     */
    @Test
    void aRefusalBehindAFilterThatAlreadyWroteIsOnlyTheRefusal() throws Exception {
        Filter writesFirst = (ServletRequest request, ServletResponse response, FilterChain chain) -> {
            response.getOutputStream().write("<html><body>partial page".getBytes(StandardCharsets.UTF_8));
            chain.doFilter(request, response);
        };
        HttpResult refused = refusal(new JettyHarness(writesFirst, 0));
        assertAll(refused.toString(),
                () -> assertEquals(401, refused.status()),
                () -> assertEquals(MISSING, refused.body()),
                () -> assertEquals(List.of(Integer.toString(MISSING.getBytes(StandardCharsets.UTF_8).length)),
                        refused.headers("Content-Length")),
                () -> assertEquals(List.of("Bearer realm=\"Global API\""), refused.headers("WWW-Authenticate")),
                () -> assertEquals(List.of("no-store"), refused.headers("Cache-Control")),
                () -> assertEquals(List.of("nosniff"), refused.headers("X-Content-Type-Options")));
    }

    /**
     * A filter ahead of ours took the response's Writer (so the output stream can no longer be had)
     * and wrote through it: the refusal still replaces what it wrote, through that Writer, and is
     * no 500.
     */
    @Test
    void aRefusalBehindAFilterThatTookTheWriterIsOnlyTheRefusal() throws Exception {
        Filter writesFirst = (ServletRequest request, ServletResponse response, FilterChain chain) -> {
            response.getWriter().write("<html><body>partial page");
            chain.doFilter(request, response);
        };
        HttpResult refused = refusal(new JettyHarness(writesFirst, 0));
        assertAll(refused.toString(),
                () -> assertEquals(401, refused.status()),
                () -> assertEquals(MISSING, refused.body()),
                () -> assertEquals(List.of("Bearer realm=\"Global API\""), refused.headers("WWW-Authenticate")),
                () -> assertEquals(List.of("no-store"), refused.headers("Cache-Control")),
                () -> assertEquals(1, refused.headers("Content-Type").size()),
                () -> assertTrue(refused.headers("Content-Type").get(0).startsWith("application/json"), refused.headers("Content-Type").toString()));
    }

    /**
     * With a response buffer smaller than the body, the container sends the head before the body
     * is all written: the refusal still says its length up front, not chunked.
     */
    @Test
    void aRefusalLargerThanTheResponseBufferStillCarriesItsContentLength() throws Exception {
        HttpResult refused = refusal(new JettyHarness(null, 32));
        assertAll(refused.toString(),
                () -> assertEquals(401, refused.status()),
                () -> assertEquals(MISSING, refused.body()),
                () -> assertEquals(List.of(Integer.toString(MISSING.getBytes(StandardCharsets.UTF_8).length)),
                        refused.headers("Content-Length")),
                () -> assertEquals(List.of(), refused.headers("Transfer-Encoding")));
    }

    private static HttpResult refusal(JettyHarness harness) throws Exception {
        try (HikariDataSource database = TestDatabases.h2();
             Deployment d = harness.deploy(Map.of(), Map.of(ContextAttributes.DATA_SOURCE, database,
                     ContextAttributes.METER_REGISTRY, new SimpleMeterRegistry()))) {
            assertNull(d.startFailure(), () -> String.valueOf(d.startFailure()));
            return RawHttpClient.get(d.uri("v1/x"), List.of());
        }
    }
}
