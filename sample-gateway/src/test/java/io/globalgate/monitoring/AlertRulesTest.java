package io.globalgate.monitoring;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The alert rules pass Prometheus's own checks: {@code promtool check rules}, and {@code promtool
 * test rules} with unit tests in which each alert fires and does not fire. {@code promtool} comes
 * with Debian's {@code prometheus} package, which the build's prerequisites install.
 */
class AlertRulesTest {

    private static final String PROMTOOL = "/usr/bin/promtool";
    private static final List<String> ALERTS = List.of("GlobalgateChangeFeedLagging", "GlobalgateAnswering503",
            "GlobalgateRefusalsSpiking", "GlobalgateRefusedUsesDropped", "GlobalgateTokensExpiringSoon", "GlobalgateStoreLookupsClimbing",
            "GlobalgatePoolExhausted", "GlobalgateNodeDown");

    private record Run(int exit, String output) {
    }

    private static Run promtool(String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PROMTOOL))) {
            fail("The alert tests need promtool at " + PROMTOOL + ": install it with `apt-get install prometheus`");
        }
        List<String> command = new ArrayList<>(List.of(PROMTOOL));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(MonitoringFiles.DIR.resolve("prometheus").toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        return new Run(process.exitValue(), output);
    }

    @Test
    void rulesPassPromtoolCheckRules() throws Exception {
        Run run = promtool("check", "rules", MonitoringFiles.ALERTS.getFileName().toString());
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("SUCCESS: " + ALERTS.size() + " rules found"), run.output());
    }

    @Test
    void rulesPassTheirUnitTests() throws Exception {
        Run run = promtool("test", "rules", MonitoringFiles.ALERT_TESTS.getFileName().toString());
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("SUCCESS"), run.output());
    }

    @Test
    void exampleConfigurationPassesPromtoolCheckConfig() throws Exception {
        Run run = promtool("check", "config", MonitoringFiles.PROMETHEUS_CONFIG.getFileName().toString());
        assertEquals(0, run.exit(), run.output());
    }

    @Test
    void eachAlertHasASeverityASummaryAndARunbook() throws IOException {
        Map<String, String> rules = rules();
        assertEquals(ALERTS, List.copyOf(rules.keySet()));
        rules.forEach((alert, rule) -> {
            assertTrue(rule.matches("(?s).*\\n\\s+severity: (critical|warning|info)\\n.*"), alert + ": severity");
            assertTrue(rule.contains("summary: "), alert + ": summary");
            assertTrue(rule.contains("description: "), alert + ": description");
            assertTrue(rule.matches("(?s).*\\n\\s+runbook: \"[^\"]{40,}\".*"), alert + ": a runbook line of what to do");
        });
    }

    @Test
    void eachAlertIsTestedFiringAndNotFiring() throws IOException {
        String tests = Files.readString(MonitoringFiles.ALERT_TESTS);
        Matcher cases = Pattern.compile("alertname: (\\w+)\\n\\s+exp_alerts:( \\[])?").matcher(tests);
        Map<String, List<String>> seen = new LinkedHashMap<>();
        while (cases.find()) {
            seen.computeIfAbsent(cases.group(1), a -> new ArrayList<>()).add(cases.group(2) == null ? "fires" : "silent");
        }
        for (String alert : ALERTS) {
            List<String> kinds = seen.getOrDefault(alert, List.of());
            assertTrue(kinds.contains("fires") && kinds.contains("silent"), alert + " is tested as " + kinds);
        }
    }

    /** Each alert's text in the rules file, by name, in order. */
    private static Map<String, String> rules() throws IOException {
        String text = Files.readString(MonitoringFiles.ALERTS);
        Map<String, String> rules = new LinkedHashMap<>();
        String[] parts = text.split("\\n\\s+- alert: ");
        for (int i = 1; i < parts.length; i++) {
            String name = parts[i].substring(0, parts[i].indexOf('\n')).strip();
            rules.put(name, parts[i]);
        }
        return rules;
    }
}
