package io.globalgate.admin.openapi;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.testing.AdminClient;
import io.globalgate.admin.testing.AdminTestServer;
import io.globalgate.admin.testing.Reply;
import io.globalgate.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document and the check every test client runs against it: the servlet serves the
 * repository's document, and the check catches an answer the document does not allow (so a
 * passing suite means every answer it met matched).
 */
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<String>> JSON_TYPE = Map.of("Content-Type", List.of("application/json"));
    private static final String TOKEN = "{\"id\":7,\"integrationId\":3,\"name\":\"production\",\"hint\":\"gat_\u2026Ab12\","
            + "\"expiration\":\"30d\",\"expiresAt\":\"2027-01-01T00:00:00.123456Z\",\"createdAt\":\"2026-12-02T00:51:00Z\","
            + "\"createdBy\":\"admin\",\"revokedAt\":null,\"revokedBy\":null,\"revokedReason\":null,\"replacedBy\":null,\"lastUsedAt\":null,"
            + "\"lastUsedIp\":null,\"lastRefusedAt\":null,\"lastRefusedIp\":null,\"status\":\"active\",\"allowedNetworks\":[],\"scope\":\"read-write\",\"pathPrefixes\":[]}";

    private static HikariDataSource dataSource;
    private static AdminTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        dataSource = TestDatabases.h2();
        server = AdminTestServer.start(dataSource, Clock.systemUTC(), Map.of());
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        dataSource.close();
    }

    private static List<String> problemsOfToken(String body) {
        return OpenApiContract.repositoryDocument().problems("GET", "/admin/api/v1/tokens/7", 200, JSON_TYPE,
                body.getBytes(StandardCharsets.UTF_8));
    }

    // ---- the served document

    @Test
    void theServletServesTheRepositoryDocumentWithItsOwnMountAsServer() throws Exception {
        Reply reply = AdminClient.admin(server).get("/admin/api/v1/openapi.json");

        assertEquals(200, reply.status(), reply.toString());
        assertEquals("application/json", reply.header("Content-Type"));
        assertEquals("no-store", reply.header("Cache-Control"));
        ObjectNode expected = (ObjectNode) JSON.readTree(OpenApiContract.read(OpenApiContract.RESOURCE));
        expected.putArray("servers").addObject().put("url", "/admin/api/v1").put("description", "This admin servlet");
        assertEquals(expected, reply.json());
        assertEquals("3.1.0", reply.json().get("openapi").asText());
    }

    @Test
    void theDocumentIsServedOnlyToUsersInTheAdminRole() {
        Reply viewer = AdminClient.as(server, AdminTestServer.VIEWER, AdminTestServer.VIEWER_PASSWORD).get("/admin/api/v1/openapi.json");
        Reply nobody = AdminClient.anonymous(server).get("/admin/api/v1/openapi.json");

        assertEquals(403, viewer.status(), viewer.toString());
        assertEquals("forbidden", viewer.json().at("/errors/0/type").asText());
        assertEquals(401, nobody.status(), nobody.toString());
    }

    @Test
    void everyOperationOfTheRoutesIsInTheDocument() throws Exception {
        JsonNode paths = JSON.readTree(OpenApiContract.read(OpenApiContract.RESOURCE)).get("paths");
        Map<String, List<String>> routed = Map.ofEntries(
                Map.entry("/integrations", List.of("get", "post")),
                Map.entry("/integrations/{id}", List.of("get", "patch")),
                Map.entry("/integrations/{id}/tokens", List.of("get", "post")),
                Map.entry("/integrations/{id}/tokens/revoke", List.of("post")),
                Map.entry("/integrations/{id}/usage", List.of("get")),
                Map.entry("/tokens/{id}", List.of("get", "patch")),
                Map.entry("/tokens/{id}/revoke", List.of("post")),
                Map.entry("/tokens/{id}/regenerate", List.of("post")),
                Map.entry("/tokens/{id}/usage", List.of("get")),
                Map.entry("/audit", List.of("get")),
                Map.entry("/openapi.json", List.of("get")),
                // PublicLeakServlet's, by their whole path
                Map.entry("/public/v1/secret-scanning/github", List.of("post")),
                Map.entry("/public/v1/tokens/revoke", List.of("post")));
        assertEquals(new java.util.TreeSet<>(routed.keySet()), fieldNames(paths));
        routed.forEach((path, methods) -> {
            java.util.Set<String> documented = fieldNames(paths.get(path));
            documented.remove("parameters");
            documented.remove("servers");
            assertEquals(new java.util.TreeSet<>(methods), documented, path);
        });
    }

    private static java.util.Set<String> fieldNames(JsonNode node) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ---- the check catches what the document does not allow

    @Test
    void anAnswerAsTheDocumentGivesItPasses() {
        assertEquals(List.of(), problemsOfToken(TOKEN));
        assertEquals(List.of(), problemsOfToken(TOKEN.replace("\"revokedBy\":null", "\"revokedBy\":\"admin\"")
                .replace("\"replacedBy\":null", "\"replacedBy\":8")));
    }

    @Test
    void aFieldTheDocumentDoesNotGiveIsCaught() {
        List<String> problems = problemsOfToken(TOKEN.replace("{", "{\"secret\":\"x\","));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("additionalProperties") && problems.get(0).contains("secret"), problems.toString());
    }

    @Test
    void aMissingFieldIsCaught() {
        List<String> problems = problemsOfToken(TOKEN.replace("\"status\":\"active\"", "\"x\":null").replace(",\"x\":null", ""));

        assertTrue(problems.toString().contains("status"), problems.toString());
    }

    @Test
    void aNullWhereTheDocumentAllowsNoneIsCaught() {
        List<String> problems = problemsOfToken(TOKEN.replace("\"createdAt\":\"2026-12-02T00:51:00Z\"", "\"createdAt\":null"));

        assertTrue(problems.toString().contains("/createdAt"), problems.toString());
    }

    /** The case the 3.0 conversion exists for: a nullable field of the wrong type. */
    @Test
    void aWrongTypeInANullableFieldIsCaught() {
        List<String> problems = problemsOfToken(TOKEN.replace("\"revokedBy\":null", "\"revokedBy\":5"));

        assertTrue(problems.toString().contains("/revokedBy"), problems.toString());
    }

    /** Why the document is converted: swagger-request-validator 2.44.1 reading 3.1 lets a wrong type through. */
    @Test
    void theValidatorReadingThe31DocumentItselfMissesAWrongTypeInANullableField() {
        OpenApiInteractionValidator raw = OpenApiInteractionValidator
                .createForInlineApiSpecification(OpenApiContract.read(OpenApiContract.RESOURCE)).withBasePathOverride("/").build();

        var report = raw.validateResponse("/tokens/7", Request.Method.GET, SimpleResponse.Builder.ok()
                .withContentType("application/json").withBody(TOKEN.replace("\"revokedBy\":null", "\"revokedBy\":5")).build());

        assertEquals(List.of(), report.getMessages());
    }

    @Test
    void aTimeThatIsNotAnInstantIsCaught() {
        List<String> problems = problemsOfToken(TOKEN.replace("\"createdAt\":\"2026-12-02T00:51:00Z\"", "\"createdAt\":\"yesterday\""));

        assertTrue(problems.toString().contains("date-time"), problems.toString());
    }

    @Test
    void aStatusTheDocumentDoesNotGiveIsCaught() {
        List<String> problems = OpenApiContract.repositoryDocument().problems("GET", "/admin/api/v1/tokens/7", 500, JSON_TYPE,
                "{\"errors\":[{\"type\":\"internal\",\"message\":\"x\"}]}".getBytes(StandardCharsets.UTF_8));

        assertTrue(problems.toString().contains("validation.response.status.unknown"), problems.toString());
    }

    @Test
    void anErrorOfAnotherTypeThanItsStatusGivesIsCaught() {
        List<String> problems = OpenApiContract.repositoryDocument().problems("GET", "/admin/api/v1/tokens/7", 404, JSON_TYPE,
                "{\"errors\":[{\"type\":\"validation\",\"message\":\"x\"}]}".getBytes(StandardCharsets.UTF_8));

        assertTrue(problems.toString().contains("/errors/0/type"), problems.toString());
    }

    @Test
    void aMissingRequiredHeaderIsCaught() {
        String issued = TOKEN.replace("}", ",\"token\":\"gat_" + "a".repeat(38) + "\"}");

        List<String> problems = OpenApiContract.repositoryDocument().problems("POST", "/admin/api/v1/integrations/3/tokens", 201,
                JSON_TYPE, issued.getBytes(StandardCharsets.UTF_8));

        assertTrue(problems.toString().contains("Location"), problems.toString());
    }

    @Test
    void anAnswerThatIsNotJsonIsCaught() {
        List<String> problems = OpenApiContract.repositoryDocument().problems("GET", "/admin/api/v1/tokens/7", 404,
                Map.of("Content-Type", List.of("text/html")), "<h1>Not found</h1>".getBytes(StandardCharsets.UTF_8));

        assertTrue(problems.toString().contains("contentType"), problems.toString());
    }

    @Test
    void aPathTheDocumentDoesNotListMustAnswer404InTheErrorShape() {
        OpenApiContract contract = OpenApiContract.repositoryDocument();
        byte[] notFound = "{\"errors\":[{\"type\":\"not_found\",\"message\":\"No such API path: /nope\"}]}".getBytes(StandardCharsets.UTF_8);

        assertEquals(List.of(), contract.problems("GET", "/admin/api/v1/nope", 404, JSON_TYPE, notFound));
        assertTrue(!contract.problems("GET", "/admin/api/v1/nope", 200, JSON_TYPE, "{}".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(!contract.problems("GET", "/admin/api/v1/nope", 404, JSON_TYPE, "{}".getBytes(StandardCharsets.UTF_8)).isEmpty());
    }

    @Test
    void aMethodTheDocumentDoesNotGiveMustAnswer405WithAllow() {
        OpenApiContract contract = OpenApiContract.repositoryDocument();
        byte[] refused = "{\"errors\":[{\"type\":\"validation\",\"message\":\"Method DELETE is not allowed here; use GET\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> withAllow = Map.of("Content-Type", List.of("application/json"), "Allow", List.of("GET"));

        assertEquals(List.of(), contract.problems("DELETE", "/admin/api/v1/tokens/7", 405, withAllow, refused));
        assertTrue(contract.problems("DELETE", "/admin/api/v1/tokens/7", 405, JSON_TYPE, refused).toString().contains("Allow"));
        assertTrue(!contract.problems("DELETE", "/admin/api/v1/tokens/7", 200, withAllow, TOKEN.getBytes(StandardCharsets.UTF_8)).isEmpty());
    }

    /** End to end: a real answer of the servlet against a document that lacks one of its fields. */
    @Test
    void aRealAnswerIsCaughtByADocumentThatDoesNotMatchIt() throws Exception {
        AdminClient admin = AdminClient.admin(server);
        Reply created = admin.json("POST", "/admin/api/v1/integrations",
                "{\"name\":\"Checked against a wrong document\",\"notificationEmail\":\"ops@example.com\"}");
        assertEquals(201, created.status(), created.toString());
        String path = "/admin/api/v1/integrations/" + created.json().get("id").asLong();
        Reply reply = admin.get(path);
        ObjectNode wrong = (ObjectNode) JSON.readTree(OpenApiContract.read(OpenApiContract.RESOURCE));
        ((ObjectNode) wrong.at("/components/schemas/Integration/properties")).remove("activeTokens");
        ((com.fasterxml.jackson.databind.node.ArrayNode) wrong.at("/components/schemas/Integration/required")).removeAll();

        OpenApiContract contract = OpenApiContract.of(JSON.writeValueAsString(wrong));
        List<String> problems = contract.problems("GET", path, reply.status(), Map.of("Content-Type", List.of(reply.header("Content-Type"))),
                reply.text().getBytes(StandardCharsets.UTF_8));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("activeTokens"), problems.toString());
        AssertionError failure = assertThrows(AssertionError.class, () -> contract.check("GET", path, reply.status(),
                Map.of("Content-Type", List.of(reply.header("Content-Type"))), reply.text().getBytes(StandardCharsets.UTF_8)));
        assertTrue(failure.getMessage().contains("does not match the OpenAPI document"), failure.getMessage());
    }

    // ---- the 3.1 subset

    @Test
    void theConverterTurnsNullableTypesIntoNullable() throws Exception {
        JsonNode converted = OpenApi30Converter.convert(JSON.readTree(OpenApiContract.read(OpenApiContract.RESOURCE)));

        assertEquals("3.0.3", converted.get("openapi").asText());
        JsonNode revokedBy = converted.at("/components/schemas/Token/properties/revokedBy");
        assertEquals("string", revokedBy.get("type").asText());
        assertTrue(revokedBy.get("nullable").asBoolean());
        assertEquals("[\"not_found\"]", converted.at("/components/schemas/NotFoundError/properties/errors/items/properties/type/enum").toString());
    }

    @Test
    void theConverterRefusesAConstructOutsideTheSubset() throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree(OpenApiContract.read(OpenApiContract.RESOURCE));
        ((ObjectNode) doc.at("/components/schemas/Token/properties/revokedBy")).putArray("type").add("string").add("integer").add("null");
        ((ObjectNode) doc.at("/components/schemas/Token")).put("unevaluatedProperties", false);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> OpenApi30Converter.convert(doc));

        assertTrue(refused.getMessage().contains("/components/schemas/Token/properties/revokedBy/type: only [T, \"null\"] converts"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("/components/schemas/Token/unevaluatedProperties: unevaluatedProperties has no 3.0 equivalent"),
                refused.getMessage());
    }
}
