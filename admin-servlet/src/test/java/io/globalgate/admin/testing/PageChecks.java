package io.globalgate.admin.testing;

import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What every admin page must be: sent with the security headers, and made only of our own markup. */
public final class PageChecks {

    private static final List<String> URL_ATTRIBUTES = List.of("href", "src", "action", "formaction", "data", "srcdoc", "xlink:href");
    private static final List<String> FOREIGN_ELEMENTS = List.of("img", "iframe", "object", "embed", "svg:not(.usage-chart)", "math", "style",
            "base", "meta[http-equiv]", "frame", "frameset", "video", "audio", "link:not([rel=stylesheet])");

    private PageChecks() {
    }

    public static void assertSecurityHeaders(Reply reply) {
        String csp = reply.header("Content-Security-Policy");
        assertNotNull(csp, "no Content-Security-Policy: " + reply);
        assertFalse(csp.contains("unsafe-inline"), "CSP allows inline code: " + csp);
        assertFalse(csp.contains("unsafe-eval"), "CSP allows eval: " + csp);
        assertTrue(csp.contains("script-src 'self'"), "CSP does not restrict scripts to our own: " + csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertEquals("DENY", reply.header("X-Frame-Options"), reply.toString());
        assertEquals("no-referrer", reply.header("Referrer-Policy"), reply.toString());
        assertEquals("nosniff", reply.header("X-Content-Type-Options"), reply.toString());
    }

    /**
     * The page holds no markup but ours: the one script is our static file, no element carries an
     * event handler or an inline style, no link points at a {@code javascript:} URL, and none of
     * the elements an injection would bring (img, svg, iframe, ...) is there, but for the usage
     * chart's SVG, which holds only what it draws.
     */
    public static void assertOnlyOurMarkup(Document page) {
        for (Element script : page.select("script")) {
            assertTrue(script.attr("src").endsWith("/static/admin.js") && script.data().isBlank(),
                    "a script that is not ours: " + script.outerHtml());
        }
        for (String selector : FOREIGN_ELEMENTS) {
            if (!page.select(selector).isEmpty()) {
                fail("unexpected <" + selector + "> in the page: " + page.select(selector).first().outerHtml());
            }
        }
        // The one SVG of ours, the usage chart, is made of lines, texts, bars and their titles only.
        for (Element chart : page.select("svg.usage-chart")) {
            for (Element part : chart.select("*")) {
                assertTrue(List.of("svg", "line", "text", "rect", "title").contains(part.normalName()),
                        "an element the usage chart does not draw: " + part.outerHtml());
            }
        }
        for (Element element : page.getAllElements()) {
            for (Attribute attribute : element.attributes()) {
                String name = attribute.getKey().toLowerCase(Locale.ROOT);
                String value = attribute.getValue().strip().toLowerCase(Locale.ROOT);
                assertFalse(name.startsWith("on"), "an event handler attribute: " + element.outerHtml());
                assertFalse(name.equals("style"), "an inline style: " + element.outerHtml());
                if (URL_ATTRIBUTES.contains(name)) {
                    assertFalse(value.replaceAll("[\\s\\u0000-\\u001f]", "").startsWith("javascript:"),
                            "a javascript: URL: " + element.outerHtml());
                }
            }
        }
    }

    /** Both checks on a 2xx HTML answer. */
    public static Document assertPage(Reply reply) {
        assertTrue(reply.status() >= 200 && reply.status() < 300, reply.toString());
        return assertHtml(reply);
    }

    /** Both checks on an HTML answer of any status (a form shown again with errors, an error page). */
    public static Document assertHtml(Reply reply) {
        assertNotNull(reply.header("Content-Type"), reply.toString());
        assertTrue(reply.header("Content-Type").startsWith("text/html"), reply.toString());
        assertSecurityHeaders(reply);
        assertOnlyOurMarkup(reply.html());
        return reply.html();
    }
}
