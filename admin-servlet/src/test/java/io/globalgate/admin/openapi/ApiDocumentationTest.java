package io.globalgate.admin.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/API.md says what the OpenAPI document says: each example answer there (a JSON block after
 * {@code <!-- answer: METHOD PATH STATUS [HEADER...] -->}) is one the document allows, and every
 * operation of the document has its section with a curl example.
 */
class ApiDocumentationTest {

    private static final Path API_MD = Path.of("..", "docs", "API.md");
    private static final Pattern ANSWER = Pattern.compile(
            "<!-- answer: (\\S+) (\\S+) (\\d{3})((?: [A-Za-z-]+)*) -->\\s*```json\\n(.*?)\\n```", Pattern.DOTALL);
    /** Values for the headers an example names; the document decides which an answer must carry. */
    private static final Map<String, String> HEADER_VALUES = Map.of("Location", "/admin/api/v1/x", "Retry-After", "5",
            "Allow", "GET", "WWW-Authenticate", "Basic realm=\"Globalgate admin\"");
    /**
     * docs/API.md shows no token value (a value of the token format in a document is what secret
     * scanners flag); its examples say this instead, read here as a value of the right format.
     */
    private static final String TOKEN_PLACEHOLDER = "gat_<the value, shown once>";
    private static final String TOKEN_OF_THE_FORMAT = "gat_" + "Ab3".repeat(12) + "Cd";

    private static String apiMd() throws IOException {
        return Files.readString(API_MD, StandardCharsets.UTF_8);
    }

    @Test
    void everyExampleAnswerIsOneTheDocumentAllows() throws IOException {
        Matcher m = ANSWER.matcher(apiMd());
        List<String> problems = new ArrayList<>();
        int examples = 0;
        while (m.find()) {
            examples++;
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("Content-Type", List.of("application/json"));
            for (String name : m.group(4).strip().split(" ")) {
                if (!name.isEmpty()) {
                    headers.put(name, List.of(HEADER_VALUES.getOrDefault(name, "x")));
                }
            }
            List<String> found = OpenApiContract.repositoryDocument().problems(m.group(1), m.group(2), Integer.parseInt(m.group(3)),
                    headers, m.group(5).replace(TOKEN_PLACEHOLDER, TOKEN_OF_THE_FORMAT).getBytes(StandardCharsets.UTF_8));
            if (!found.isEmpty()) {
                problems.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + ": " + found);
            }
        }
        assertTrue(examples >= 20, "examples found in docs/API.md: " + examples);
        assertEquals(List.of(), problems);
    }

    @Test
    void everyOperationOfTheDocumentHasASectionWithACurlExample() throws IOException {
        String doc = apiMd();
        JsonNode paths = new ObjectMapper().readTree(OpenApiContract.read(OpenApiContract.RESOURCE)).get("paths");
        List<String> missing = new ArrayList<>();
        paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames().forEachRemaining(method -> {
            if (method.equals("parameters") || method.equals("servers")) {
                return;
            }
            String call = method.toUpperCase(Locale.ROOT) + " " + path;
            int at = doc.indexOf("— `" + call);
            String section = at < 0 ? "" : doc.substring(at).split("\n\\*\\*|\n#", 2)[0];
            String base = path.startsWith(OpenApiContract.PUBLIC_BASE) ? "" : OpenApiContract.BASE; // listed by their whole path
            if (!section.contains("curl ") || !section.contains("$GG" + base + path.split("\\{id}")[0])) {
                missing.add(call);
            }
        }));
        assertEquals(List.of(), missing, "operations without a section \"— `METHOD /path`\" and a curl example in docs/API.md");
    }
}
