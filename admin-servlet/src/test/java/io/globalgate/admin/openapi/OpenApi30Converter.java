package io.globalgate.admin.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the OpenAPI 3.1 document into the OpenAPI 3.0 that swagger-request-validator 2.44.1
 * validates correctly. Its 3.1 support mishandles JSON Schema 2020-12 constructs (a type array
 * such as {@code ["string", "null"]} is read as no type at all, so any value passes), so the
 * document keeps to a subset of 3.1 that has an exact 3.0 equivalent:
 *
 * <ul>
 *   <li>{@code type: [T, "null"]} becomes {@code type: T, nullable: true} (an {@code enum} keeps its {@code null});</li>
 *   <li>{@code const: v} becomes {@code enum: [v]};</li>
 *   <li>{@code examples: [v, ...]} in a schema becomes {@code example: v};</li>
 *   <li>{@code openapi: 3.1.x} becomes {@code 3.0.3}.</li>
 * </ul>
 *
 * Anything else that 3.0 reads differently is refused with its JSON pointer, so the document
 * cannot slip out of the subset unnoticed: a type array of another shape, numeric
 * {@code exclusiveMinimum}/{@code exclusiveMaximum}, {@code $ref} with siblings, and the keywords of
 * {@link #ONLY_IN_31}.
 */
public final class OpenApi30Converter {

    /** Keywords 3.1 (or JSON Schema 2020-12) has and 3.0 does not, or reads otherwise. */
    static final Set<String> ONLY_IN_31 = Set.of("$schema", "$defs", "$id", "$anchor", "$dynamicRef", "$dynamicAnchor",
            "prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired", "dependentSchemas",
            "contentMediaType", "contentEncoding", "contentSchema", "if", "then", "else", "propertyNames", "contains",
            "minContains", "maxContains", "patternProperties", "webhooks", "jsonSchemaDialect", "pathItems", "identifier");

    private OpenApi30Converter() {
    }

    /** A converted copy of {@code doc}; {@code doc} is left as it is. */
    public static ObjectNode convert(JsonNode doc) {
        if (!doc.isObject() || !doc.path("openapi").asText().startsWith("3.1.")) {
            throw new IllegalArgumentException("not an OpenAPI 3.1 document: openapi is " + doc.path("openapi"));
        }
        List<String> refused = new ArrayList<>();
        ObjectNode copy = (ObjectNode) convertNode(doc, "", refused);
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("the OpenAPI document leaves the subset that converts to 3.0: " + String.join("; ", refused));
        }
        copy.put("openapi", "3.0.3");
        return copy;
    }

    private static JsonNode convertNode(JsonNode node, String pointer, List<String> refused) {
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                array.add(convertNode(node.get(i), pointer + "/" + i, refused));
            }
            return array;
        }
        if (!node.isObject()) {
            return node.deepCopy();
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (node.has("$ref") && node.size() > 1) {
            refused.add(pointer + ": $ref with sibling keywords (3.0 ignores them)");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            String at = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
            if (isKeywordPosition(pointer) && ONLY_IN_31.contains(key)) {
                refused.add(at + ": " + key + " has no 3.0 equivalent");
                continue;
            }
            if (isKeywordPosition(pointer)) {
                switch (key) {
                    case "type" -> {
                        if (value.isArray()) {
                            if (value.size() == 2 && value.get(1).asText().equals("null") && value.get(0).isTextual()
                                    && !value.get(0).asText().equals("null")) {
                                out.put("type", value.get(0).asText());
                                out.put("nullable", true);
                            } else {
                                refused.add(at + ": only [T, \"null\"] converts (was " + value + ")");
                            }
                            continue;
                        }
                    }
                    case "const" -> {
                        out.putArray("enum").add(value.deepCopy());
                        continue;
                    }
                    case "examples" -> {
                        if (value.isArray() && isSchemaPosition(pointer)) {
                            if (!value.isEmpty()) {
                                out.set("example", value.get(0).deepCopy());
                            }
                            continue;
                        }
                    }
                    case "exclusiveMinimum", "exclusiveMaximum" -> {
                        if (value.isNumber()) {
                            refused.add(at + ": numeric " + key + " reads as a boolean in 3.0; use minimum/maximum");
                            continue;
                        }
                    }
                    default -> {
                    }
                }
            }
            out.set(key, convertNode(value, at, refused));
        }
        return out;
    }

    /**
     * Whether the keys of the object at {@code pointer} are keywords rather than names the author
     * chose: the names of {@code properties}, {@code paths}, {@code components/*} entries,
     * {@code headers} and {@code content} are data (a property may well be called {@code type}).
     */
    private static boolean isKeywordPosition(String pointer) {
        return !(pointer.endsWith("/properties") || pointer.equals("/paths") || pointer.matches("/components/[^/]+")
                || pointer.endsWith("/headers") || pointer.endsWith("/content") || pointer.endsWith("/responses")
                || pointer.endsWith("/securitySchemes") || pointer.endsWith("/variables") || pointer.endsWith("/mapping")
                || pointer.equals("/security") || pointer.matches("/security/\\d+") || pointer.matches(".*/security/\\d+"));
    }

    /** Whether the object at {@code pointer} is a schema (where {@code examples} is the 2020-12 keyword, not the media type's map). */
    private static boolean isSchemaPosition(String pointer) {
        return pointer.contains("/schema") || pointer.startsWith("/components/schemas/");
    }
}
