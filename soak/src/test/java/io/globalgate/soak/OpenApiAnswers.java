package io.globalgate.soak;

import io.globalgate.admin.openapi.OpenApiContract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every answer of the admin JSON API the soak receives (the admin drivers' and the hostile
 * driver's), checked against the API's OpenAPI document as it is received; each answer the
 * document does not allow is a violation ({@link SoakReport.Violation#OPENAPI_MISMATCH}).
 */
final class OpenApiAnswers {

    private static final int KEPT = 50;

    private final OpenApiContract contract;
    private final List<String> mismatches = new ArrayList<>();
    private long count;

    OpenApiAnswers() {
        this(OpenApiContract.repositoryDocument());
    }

    OpenApiAnswers(OpenApiContract contract) {
        this.contract = contract;
    }

    /** Checks one answer; {@code path} is the request's whole path ({@code /admin/api/v1/...}). */
    void check(String method, String path, int status, Map<String, List<String>> headers, byte[] body) {
        List<String> problems = contract.problems(method, path, status, headers, body);
        if (!problems.isEmpty()) {
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            String example = method + " " + path + " -> " + status + ": " + String.join("; ", problems) + " (body: "
                    + (text.length() > 300 ? text.substring(0, 300) + "…" : text) + ")";
            synchronized (this) {
                count++;
                if (mismatches.size() < KEPT) {
                    mismatches.add(example);
                }
            }
        }
    }

    /** Reports each mismatch met as a violation (the first {@value #KEPT} with what was wrong). */
    synchronized void judge(SoakReport report) {
        for (long i = 0; i < count; i++) {
            report.violation(SoakReport.Violation.OPENAPI_MISMATCH, i < mismatches.size() ? mismatches.get((int) i) : "(not kept)");
        }
    }
}
