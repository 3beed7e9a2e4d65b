package io.globalgate.soak;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** In the soak, an admin API answer the OpenAPI document does not allow fails the run. */
class OpenApiAnswersTest {

    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));
    private static final String INTEGRATION = "{\"id\":3,\"name\":\"ERP sync\",\"description\":\"\",\"notificationEmail\":\"ops@example.com\","
            + "\"active\":true,\"createdAt\":\"2026-12-02T00:51:00Z\",\"updatedAt\":\"2026-12-02T00:51:00Z\",\"activeTokens\":2,"
            + "\"allowedNetworks\":[],\"rateLimit\":null}";

    @Test
    void anAnswerTheDocumentDoesNotAllowIsAViolation() {
        OpenApiAnswers answers = new OpenApiAnswers();
        SoakReport report = new SoakReport();

        answers.check("GET", "/admin/api/v1/integrations/3", 200, JSON,
                INTEGRATION.replace("\"activeTokens\":2", "\"activeTokens\":\"2\"").getBytes(StandardCharsets.UTF_8));
        answers.judge(report);

        assertFalse(report.passed());
        assertEquals(1, report.totalViolations());
        assertTrue(report.summary("").contains("/activeTokens"), report.summary(""));
    }

    @Test
    void anAnswerAsTheDocumentGivesItIsNoViolation() {
        OpenApiAnswers answers = new OpenApiAnswers();
        SoakReport report = new SoakReport();

        answers.check("GET", "/admin/api/v1/integrations/3", 200, JSON, INTEGRATION.getBytes(StandardCharsets.UTF_8));
        answers.check("DELETE", "/admin/api/v1/integrations/3", 405, Map.of("Content-Type", List.of("application/json"), "Allow",
                List.of("GET, PATCH")), "{\"errors\":[{\"type\":\"validation\",\"message\":\"Method DELETE is not allowed here\"}]}"
                .getBytes(StandardCharsets.UTF_8));
        answers.judge(report);

        assertTrue(report.passed(), report.summary(""));
    }
}
