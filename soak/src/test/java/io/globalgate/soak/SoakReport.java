package io.globalgate.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the checker found: counts per class, the violations (each class must stay at zero), and the
 * lines of the summary table the run prints. {@link #passed()} is the verdict.
 */
final class SoakReport {

    /** The classes that fail the run; each must be zero. */
    enum Violation {
        WRONG_ACCEPT("wrong accept (accepted after revocation/expiry/deactivation/a refusing restriction + bound)"),
        WRONG_REFUSE("wrong refuse (valid token refused with 401, or with 403 no restriction explains)"),
        ISSUED_TOKEN_UNKNOWN("issued token answered 'not recognised'"),
        WRONG_PRINCIPAL("accepted as another integration, or credentials forwarded"),
        UNEXPECTED_503("503 outside a database outage or a node stop (+ margin)"),
        SERVER_ERROR("5xx other than 503"),
        TRANSPORT_ERROR("no answer outside a node restart"),
        UNEXPECTED_STATUS("status the contract does not allow"),
        HOSTILE_ACCEPTED("hostile request accepted (2xx)"),
        ERROR_SHAPE("admin 4xx without {\"errors\":[{\"type\",\"message\"}]}"),
        OPENAPI_MISMATCH("admin API answer that the OpenAPI document does not allow"),
        ADMIN_REFUSED("valid admin action refused (4xx)"),
        MASS_REVOKE_COUNT("mass revoke revoked another number of tokens than it had to"),
        LOST("admin action answered success but not in the database / audit log"),
        UNEXPLAINED_ROW("row in the database that no admin action explains"),
        USAGE("usage counts or last-used time differ from the accepted requests"),
        THREAD_FAILED("a client, driver or fault thread failed");

        final String label;

        Violation(String label) {
            this.label = label;
        }
    }

    private static final int EXAMPLES_PER_CLASS = 8;

    private final Map<Violation, Long> violations = new LinkedHashMap<>();
    private final Map<Violation, List<String>> examples = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final List<String> sections = new ArrayList<>();
    private final Map<String, List<String>> findings = new LinkedHashMap<>();

    SoakReport() {
        for (Violation v : Violation.values()) {
            violations.put(v, 0L);
            examples.put(v, new ArrayList<>());
        }
    }

    synchronized void violation(Violation kind, String example) {
        violations.merge(kind, 1L, Long::sum);
        List<String> list = examples.get(kind);
        if (list.size() < EXAMPLES_PER_CLASS) {
            list.add(example);
        }
    }

    /**
     * Something the contract says otherwise, outside what this soak judges (the issue's classes):
     * printed under "findings" with an example, not a failure of the run.
     */
    synchronized void finding(String what, String example) {
        List<String> list = findings.computeIfAbsent(what, k -> new ArrayList<>());
        if (list.size() < 2) {
            list.add(example);
        }
        counts.merge("finding: " + what, 1L, Long::sum);
    }

    synchronized void count(String what) {
        counts.merge(what, 1L, Long::sum);
    }

    synchronized void count(String what, long n) {
        counts.merge(what, n, Long::sum);
    }

    synchronized long get(String what) {
        return counts.getOrDefault(what, 0L);
    }

    /** How many violations of one class were found. */
    synchronized long violations(Violation kind) {
        return violations.get(kind);
    }

    synchronized long totalViolations() {
        return violations.values().stream().mapToLong(Long::longValue).sum();
    }

    boolean passed() {
        return totalViolations() == 0;
    }

    /** A titled block of lines for the summary (faults, 503 windows, propagation, ...). */
    synchronized void section(String title, List<String> lines) {
        StringBuilder sb = new StringBuilder(title).append('\n');
        lines.forEach(l -> sb.append("  ").append(l).append('\n'));
        sections.add(sb.toString());
    }

    synchronized String summary(String heading) {
        StringBuilder sb = new StringBuilder();
        sb.append(heading).append('\n');
        sb.append(row("requests to the Global API", get("requests"))).append('\n');
        for (Map.Entry<String, Long> e : new TreeMap<>(counts).entrySet()) {
            if (e.getKey().startsWith("class: ")) {
                sb.append(row("  " + e.getKey().substring(7), e.getValue())).append('\n');
            }
        }
        for (Map.Entry<String, Long> e : new TreeMap<>(counts).entrySet()) {
            if (e.getKey().startsWith("info: ")) {
                sb.append(row(e.getKey().substring(6), e.getValue())).append('\n');
            }
        }
        sb.append('\n');
        sections.forEach(s -> sb.append(s).append('\n'));
        sb.append("violations (each must be 0)\n");
        for (Map.Entry<Violation, Long> e : violations.entrySet()) {
            sb.append(row("  " + e.getKey().label, e.getValue())).append('\n');
        }
        if (!findings.isEmpty()) {
            sb.append("findings (contract deviations outside the soak's criteria; not failures of this run)\n");
            findings.forEach((what, list) -> {
                sb.append("  ").append(counts.get("finding: " + what)).append(" x ").append(what).append('\n');
                list.forEach(x -> sb.append("      e.g. ").append(x.replaceAll("\\s+", " ")).append('\n'));
            });
        }
        sb.append(passed() ? "RESULT: PASS\n" : "RESULT: FAIL (" + totalViolations() + " violation(s))\n");
        if (!passed()) {
            sb.append('\n');
            for (Map.Entry<Violation, List<String>> e : examples.entrySet()) {
                if (!e.getValue().isEmpty()) {
                    sb.append(e.getKey().name()).append(" (first ").append(e.getValue().size()).append(" of ")
                            .append(violations.get(e.getKey())).append("):\n");
                    e.getValue().forEach(x -> sb.append("  - ").append(x).append('\n'));
                }
            }
        }
        return sb.toString();
    }

    static String row(String label, long value) {
        return String.format(Locale.ROOT, "%-72s %10d", label, value);
    }
}
