package io.globalgate.admin.openapi;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks answers of the JSON management API against its OpenAPI document, the one the admin
 * servlet serves ({@value #RESOURCE}). Every test client of the API calls {@link #check} on every
 * answer it receives under the API's base path, so the document cannot drift from the code: a
 * status, header or field the document does not give fails the test that met it.
 *
 * <p>An answer to an operation the document lists is checked by swagger-request-validator
 * against that operation (status, {@code Content-Type}, required headers, body schema; the
 * document's schemas refuse unknown fields). An answer to any other path is checked against the
 * document's {@code components.responses.UnknownPath}, and to another method of a listed path
 * against {@code components.responses.MethodNotAllowed}, unless it is a refusal that comes before
 * the path is looked at ({@code Unauthenticated}, {@code Forbidden}): the document says so in its
 * description.
 */
public final class OpenApiContract {

    /** Where the document lives on the class path (admin-servlet's resources). */
    public static final String RESOURCE = "/io/globalgate/admin/openapi.json";
    /** Where every test server mounts the admin servlet's API; what follows it is a path of the document. */
    public static final String BASE = "/admin/api/v1";
    /** Where the sample gateway mounts the public endpoints (PublicLeakServlet); the document lists them by their whole path. */
    public static final String PUBLIC_BASE = "/public/v1/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static OpenApiContract repositoryDocument;

    private final OpenAPI api;
    private final OpenApiInteractionValidator validator;
    private final SchemaValidator schemas;

    private OpenApiContract(String openApi31) {
        String openApi30;
        try {
            openApi30 = JSON.writeValueAsString(OpenApi30Converter.convert(JSON.readTree(openApi31)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(openApi30, null, options);
        if (parsed.getOpenAPI() == null || (parsed.getMessages() != null && !parsed.getMessages().isEmpty())) {
            throw new IllegalArgumentException("the OpenAPI document does not parse: " + parsed.getMessages());
        }
        this.api = parsed.getOpenAPI();
        this.validator = OpenApiInteractionValidator.createFor(api)
                .withBasePathOverride("/")
                .withStrictOperationPathMatching()
                .build();
        this.schemas = new SchemaValidator(api, new MessageResolver());
    }

    /** The document of the repository, read once per JVM. */
    public static synchronized OpenApiContract repositoryDocument() {
        if (repositoryDocument == null) {
            repositoryDocument = new OpenApiContract(read(RESOURCE));
        }
        return repositoryDocument;
    }

    /** A contract of any OpenAPI 3.1 document (in the same subset): for tests of the check itself. */
    public static OpenApiContract of(String openApi31) {
        return new OpenApiContract(openApi31);
    }

    /** The document's text as it is on the class path. */
    public static String read(String resource) {
        try (InputStream in = OpenApiContract.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The path of the document that {@code requestPath} (the whole path, e.g.
     * {@code /admin/api/v1/tokens/3}, {@code /public/v1/tokens/revoke}) names, or null when it is not under the API.
     */
    public static String apiPath(String requestPath) {
        if (requestPath.startsWith(PUBLIC_BASE)) {
            return requestPath; // the public endpoints are listed under their whole path, with a server of their own
        }
        if (requestPath.startsWith(BASE + "/")) {
            return requestPath.substring(BASE.length());
        }
        return requestPath.equals(BASE) ? "" : null;
    }

    /**
     * What in this answer the document does not allow; empty when it matches.
     *
     * @param method      the request's method
     * @param requestPath the request's whole path, without the query
     * @param headers     the answer's headers (names in any case)
     */
    public synchronized List<String> problems(String method, String requestPath, int status, Map<String, List<String>> headers,
                                              byte[] body) {
        String path = apiPath(requestPath);
        if (path == null) {
            throw new IllegalArgumentException(requestPath + " is not a path of the JSON API");
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach((name, values) -> {
            if (name != null && !name.startsWith(":")) {
                response.withHeader(name, values);
            }
        });
        boolean hasBody = body != null && body.length > 0 && !method.equalsIgnoreCase("HEAD");
        if (hasBody) {
            response.withBody(body);
        }
        Request.Method known = knownMethod(method);
        ValidationReport report = known == null ? null : validator.validateResponse(path.isEmpty() ? "/" : path, known, response.build());
        List<String> problems = new ArrayList<>();
        if (known == null || has(report, "validation.request.operation.notAllowed")) {
            // A listed path with another method; or no listed path at all when a path parameter
            // is not what the document allows (an {id} that is not 1 to 18 digits).
            undocumented(status == 404 ? "UnknownPath" : "MethodNotAllowed", status, headers, hasBody ? body : null, problems);
        } else if (has(report, "validation.request.path.missing")) {
            undocumented("UnknownPath", status, headers, hasBody ? body : null, problems);
        } else {
            for (ValidationReport.Message m : report.getMessages()) {
                if (m.getLevel() == ValidationReport.Level.ERROR) {
                    problems.add(m.getKey() + ": " + m.getMessage() + (m.getAdditionalInfo().isEmpty() ? "" : " " + m.getAdditionalInfo()));
                }
            }
        }
        return problems;
    }

    /** Fails with every problem of the answer, naming the request, when the document does not allow it. */
    public void check(String method, String requestPath, int status, Map<String, List<String>> headers, byte[] body) {
        List<String> problems = problems(method, requestPath, status, headers, body);
        if (!problems.isEmpty()) {
            throw new AssertionError("The answer to " + method + " " + requestPath + " (" + status + ") does not match the OpenAPI document "
                    + RESOURCE + ":\n  " + String.join("\n  ", problems) + "\nbody: " + clip(body));
        }
    }

    /**
     * An answer to a path or method the document does not list: the one response the document
     * gives for those ({@code responseName}), or a refusal that comes before the path is looked at
     * (no user: {@code Unauthenticated}; not in the role, or from another site: {@code Forbidden};
     * the sample gateway's sign-in throttle: {@code TooManySignIns}).
     */
    private void undocumented(String responseName, int status, Map<String, List<String>> headers, byte[] body, List<String> problems) {
        int expectedStatus = responseName.equals("UnknownPath") ? 404 : 405;
        if (status == 401 || status == 403 || status == 429) {
            responseName = status == 401 ? "Unauthenticated" : status == 403 ? "Forbidden" : "TooManySignIns";
        } else if (status != expectedStatus) {
            problems.add("an operation the document does not list must answer " + expectedStatus + " (components.responses."
                    + responseName + "), 401, 403 or 429, not " + status);
            return;
        }
        ApiResponse expected = api.getComponents().getResponses().get(responseName);
        if (expected.getHeaders() != null) {
            for (Map.Entry<String, Header> header : expected.getHeaders().entrySet()) {
                if (Boolean.TRUE.equals(header.getValue().getRequired()) && header(headers, header.getKey()) == null) {
                    problems.add("header " + header.getKey() + " is missing (components.responses." + responseName + ")");
                }
            }
        }
        if (body == null) {
            return; // HEAD
        }
        String type = header(headers, "Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        MediaType content = expected.getContent().get(mediaType);
        if (content == null) {
            problems.add("Content-Type " + type + " is not one of components.responses." + responseName + " ("
                    + expected.getContent().keySet() + ")");
            return;
        }
        ValidationReport report = schemas.validate(new String(body, StandardCharsets.UTF_8), content.getSchema(), "response.body");
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                problems.add(m.getKey() + ": " + m.getMessage());
            }
        }
    }

    private static Request.Method knownMethod(String method) {
        try {
            return Request.Method.valueOf(method.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean has(ValidationReport report, String key) {
        return report.getMessages().stream().anyMatch(m -> m.getKey().equals(key));
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                return h.getValue().get(0);
            }
        }
        return null;
    }

    private static String clip(byte[] body) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        return text.length() > 1000 ? text.substring(0, 1000) + "…" : text;
    }

    /** The document as the validator reads it, for tests of the check. */
    JsonNode converted() {
        try {
            return OpenApi30Converter.convert(JSON.readTree(read(RESOURCE)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
