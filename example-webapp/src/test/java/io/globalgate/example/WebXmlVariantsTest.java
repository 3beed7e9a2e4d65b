package io.globalgate.example;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The FORM variant of the example's {@code web.xml} differs from the default one in how people
 * sign in, never in what the application serves: every servlet, filter, listener, mapping,
 * context-param and resource-ref of the default descriptor is in the variant as it is (the variant
 * may add init-params and servlets of its own, e.g. the login error page), and the variant puts no
 * path behind a sign-in that the default leaves open (the public leak endpoints stay public).
 * The standalone container tests run the variant too; this test names the missing piece at once.
 */
class WebXmlVariantsTest {

    private static final Path DEFAULT = Path.of("src/main/webapp/WEB-INF/web.xml");
    private static final Path FORM = Path.of("src/main/variants/form/web.xml");

    @Test
    void theFormVariantHasEveryServletFilterListenerAndMappingOfTheDefault() throws Exception {
        Document base = parse(DEFAULT);
        Document form = parse(FORM);
        List<String> missing = new ArrayList<>();
        for (String kind : List.of("servlet", "filter")) {
            Map<String, Element> theirs = byName(form, kind);
            for (Map.Entry<String, Element> mine : byName(base, kind).entrySet()) {
                Element other = theirs.get(mine.getKey());
                if (other == null) {
                    missing.add(kind + " " + mine.getKey());
                    continue;
                }
                String cls = kind + "-class";
                if (!text(mine.getValue(), cls).equals(text(other, cls))) {
                    missing.add(kind + " " + mine.getKey() + " with " + cls + " " + text(mine.getValue(), cls));
                }
                Map<String, String> otherParams = initParams(other);
                initParams(mine.getValue()).forEach((name, value) -> {
                    if (!value.equals(otherParams.get(name))) {
                        missing.add(kind + " " + mine.getKey() + " init-param " + name + "=" + value);
                    }
                });
            }
            Set<String> theirMappings = mappings(form, kind);
            for (String mapping : mappings(base, kind)) {
                if (!theirMappings.contains(mapping)) {
                    missing.add(kind + "-mapping " + mapping);
                }
            }
        }
        Set<String> theirOthers = others(form);
        for (String other : others(base)) {
            if (!theirOthers.contains(other)) {
                missing.add(other);
            }
        }
        assertEquals(List.of(), missing, "what " + FORM + " lacks of " + DEFAULT);
    }

    @Test
    void theFormVariantPutsNoPathBehindASignInThatTheDefaultLeavesOpen() throws Exception {
        Set<String> extra = new TreeSet<>(protectedPatterns(parse(FORM)));
        extra.removeAll(protectedPatterns(parse(DEFAULT)));
        assertEquals(Set.of(), extra, "patterns only the FORM variant puts behind a sign-in");
        assertTrue(mappings(parse(FORM), "servlet").contains("globalgate-public -> /public/v1/*"), "the public leak endpoints");
    }

    // ---- the descriptors

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setNamespaceAware(false);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static List<Element> top(Document doc, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList all = parent.getElementsByTagName(name);
        for (int i = 0; i < all.getLength(); i++) {
            out.add((Element) all.item(i));
        }
        return out;
    }

    private static String text(Element parent, String child) {
        List<Element> found = children(parent, child);
        return found.isEmpty() ? "" : found.get(0).getTextContent().strip();
    }

    private static Map<String, Element> byName(Document doc, String kind) {
        Map<String, Element> out = new LinkedHashMap<>();
        for (Element e : top(doc, kind)) {
            out.put(text(e, kind + "-name"), e);
        }
        return out;
    }

    private static Map<String, String> initParams(Element e) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element p : children(e, "init-param")) {
            out.put(text(p, "param-name"), text(p, "param-value"));
        }
        return out;
    }

    private static Set<String> mappings(Document doc, String kind) {
        Set<String> out = new LinkedHashSet<>();
        for (Element m : top(doc, kind + "-mapping")) {
            for (Element pattern : children(m, "url-pattern")) {
                out.add(text(m, kind + "-name") + " -> " + pattern.getTextContent().strip());
            }
        }
        return out;
    }

    /** Listeners, context-params and resource-refs, each as one line. */
    private static Set<String> others(Document doc) {
        Set<String> out = new LinkedHashSet<>();
        for (Element l : top(doc, "listener")) {
            out.add("listener " + text(l, "listener-class"));
        }
        for (Element p : top(doc, "context-param")) {
            out.add("context-param " + text(p, "param-name") + "=" + text(p, "param-value"));
        }
        for (Element r : top(doc, "resource-ref")) {
            out.add("resource-ref " + text(r, "res-ref-name") + " " + text(r, "res-type"));
        }
        return out;
    }

    private static Set<String> protectedPatterns(Document doc) {
        Set<String> out = new TreeSet<>();
        for (Element c : top(doc, "security-constraint")) {
            if (!children(c, "auth-constraint").isEmpty()) {
                for (Element pattern : children(c, "url-pattern")) {
                    out.add(pattern.getTextContent().strip());
                }
            }
        }
        return out;
    }
}
