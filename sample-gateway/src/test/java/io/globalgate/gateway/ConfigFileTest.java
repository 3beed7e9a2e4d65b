package io.globalgate.gateway;

import io.globalgate.config.Option;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFileTest {

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path file = dir.resolve("globalgate.conf");
        Files.writeString(file, text);
        return file;
    }

    private static GatewayConfig parse(Map<String, String> env, String... args) throws GatewayConfig.UsageException {
        return GatewayConfig.parse(args, env);
    }

    private static String refusal(Path file) {
        return assertThrows(GatewayConfig.UsageException.class,
                () -> GatewayConfig.parse(new String[] {"--config", file.toString()}, Map.of())).getMessage();
    }

    @Test
    void theFileSetsOptionsByTheirFlagWithoutDashes() throws Exception {
        Path file = file("""
                # a comment
                port = 9001

                data-dir = /var/lib/globalgate
                  upstream-timeout=5s  \s
                max-token-lifetime = 90d
                """);
        GatewayConfig config = parse(Map.of(), "--config", file.toString());
        assertEquals(9001, config.port());
        assertEquals(Path.of("/var/lib/globalgate"), config.dataDir());
        assertEquals(Duration.ofSeconds(5), config.upstreamTimeout());
        assertEquals(Duration.ofDays(90), config.maxTokenLifetime());
        assertEquals("127.0.0.1", config.host(), "what the file leaves out keeps its default");
    }

    @Test
    void aVariableWinsOverTheFileAndAFlagWinsOverBoth() throws Exception {
        Path file = file("port = 9001\nadmin-user = from-file\n");
        assertEquals(9001, parse(Map.of("GLOBALGATE_CONFIG", file.toString())).port());
        assertEquals(9002, parse(Map.of("GLOBALGATE_CONFIG", file.toString(), "GLOBALGATE_PORT", "9002")).port());
        assertEquals(9003, parse(Map.of("GLOBALGATE_CONFIG", file.toString(), "GLOBALGATE_PORT", "9002"), "--port", "9003").port());
        assertEquals("from-file", parse(Map.of("GLOBALGATE_CONFIG", file.toString(), "GLOBALGATE_PORT", "9002"), "--port", "9003").adminUser());
    }

    @Test
    void theConfigFlagWinsOverTheConfigVariable() throws Exception {
        Path fromVariable = file("port = 9001\n");
        Path fromFlag = dir.resolve("other.conf");
        Files.writeString(fromFlag, "port = 9004\n");
        assertEquals(9004, parse(Map.of("GLOBALGATE_CONFIG", fromVariable.toString()), "--config=" + fromFlag).port());
    }

    @Test
    void withoutAFileEveryDefaultApplies() throws Exception {
        assertEquals(8080, parse(Map.of()).port());
        assertEquals(8080, parse(Map.of("GLOBALGATE_CONFIG", "")).port(), "an empty variable names no file");
    }

    @Test
    void aRefusedValueNamesTheFileTheLineAndTheOption() throws IOException {
        Path file = file("# ports\n\nport = banana\n");
        assertEquals(file + ":3: port must be a number from 0 to 65535 (was 'banana')", refusal(file));
    }

    @Test
    void aRefusedValueIsReportedEvenWhenAVariableOverridesIt() throws IOException {
        Path file = file("port = banana\n");
        String message = assertThrows(GatewayConfig.UsageException.class,
                () -> parse(Map.of("GLOBALGATE_CONFIG", file.toString(), "GLOBALGATE_PORT", "9000"))).getMessage();
        assertEquals(file + ":1: port must be a number from 0 to 65535 (was 'banana')", message);
    }

    @Test
    void anUnknownNameIsRefusedWithTheNearestKnownOne() throws IOException {
        assertEquals(dir.resolve("globalgate.conf") + ":1: unknown option 'data_dir' (did you mean data-dir?)", refusal(file("data_dir = x\n")));
        assertTrue(refusal(file("dataDir = x\n")).endsWith("unknown option 'dataDir' (did you mean data-dir?)"));
        assertTrue(refusal(file("GLOBALGATE_UPSTREAM_URL = http://erp:1\n")).endsWith("(did you mean upstream-url?)"));
        assertTrue(refusal(file("--port = 1\n")).endsWith("unknown option '--port' (did you mean port?)"));
        assertTrue(refusal(file("prot = 1\n")).endsWith("unknown option 'prot' (did you mean port?)"));
        assertTrue(refusal(file("smtp-hots = mail\n")).endsWith("(did you mean smtp-host?)"));
        assertTrue(refusal(file("colour = blue\n")).endsWith("unknown option 'colour' (bin/globalgate --help lists every option)"));
    }

    @Test
    void everyProblemOfTheFileIsReportedAtOnceEachWithItsLine() throws IOException {
        Path file = file("""
                port = -1
                colour = blue
                just some words
                admin-user = ops
                admin-user = root
                host = "127.0.0.1
                config = /etc/other.conf
                upstream-timeout = soon
                """);
        List<String> lines = refusal(file).lines().toList();
        assertEquals(List.of(
                file + ":2: unknown option 'colour' (bin/globalgate --help lists every option)",
                file + ":3: expected name = value, such as port = 8080 (was 'just some words')",
                file + ":5: admin-user is set a second time (first at line 4); keep one",
                file + ":6: host opens a double quote that the line does not close",
                file + ":7: config names this file; give it as --config or GLOBALGATE_CONFIG, not inside a configuration file",
                file + ":1: port must be a number from 0 to 65535 (was '-1')",
                file + ":8: upstream-timeout must be a duration from 100ms to 1h such as 30s (was 'soon')"), lines);
    }

    @Test
    void aValueKeepsItsHashAndDoubleQuotesKeepItsSpaces() throws Exception {
        Path file = file("admin-password = \"  a # long secret  \"\nsmtp-password = pa#ss=word\njdbc-url = jdbc:mariadb://db/gg\n");
        GatewayConfig config = parse(Map.of(), "--config", file.toString());
        assertEquals("  a # long secret  ", config.adminPassword());
        assertEquals("pa#ss=word", config.adminParams().get("smtpPassword"));
    }

    @Test
    void aRefusedPasswordFromTheFileIsNotEchoed() throws IOException {
        Path file = file("admin-password = hunter2\n");
        String message = refusal(file);
        assertEquals(file + ":1: admin-password must be 12 to 200 characters (was 7)", message);
        assertFalse(message.contains("hunter2"));
    }

    @Test
    void aRuleBetweenOptionsNamesTheFileLineOfItsOption() throws IOException {
        Path file = file("jdbc-user = gg\n");
        assertEquals(file + ":1: jdbc-user, --jdbc-password / GLOBALGATE_JDBC_PASSWORD only used with --jdbc-url / GLOBALGATE_JDBC_URL, which is not set", refusal(file));
    }

    @Test
    void windowsLineEndingsAndAByteOrderMarkAreRead() throws Exception {
        Path file = dir.resolve("windows.conf");
        Files.write(file, "\uFEFFport = 9005\r\nhost = 0.0.0.0\r\n".getBytes(StandardCharsets.UTF_8));
        GatewayConfig config = parse(Map.of(), "--config", file.toString());
        assertEquals(9005, config.port());
        assertEquals("0.0.0.0", config.host());
    }

    @Test
    void aFileThatCannotBeReadIsRefusedByName() throws IOException {
        Path missing = dir.resolve("missing.conf");
        assertEquals("configuration file " + missing + " does not exist", refusal(missing));
        assertEquals("configuration file " + dir + " is a directory", refusal(dir));
        Path binary = dir.resolve("binary.conf");
        Files.write(binary, new byte[] {'p', 'o', 'r', 't', '=', (byte) 0xC3, (byte) 0x28});
        assertEquals("configuration file " + binary + " is not UTF-8 text", refusal(binary));
        Path huge = dir.resolve("huge.conf");
        Files.write(huge, new byte[ConfigFile.MAX_BYTES + 1]);
        assertEquals("configuration file " + huge + " is larger than 1 MiB: not a configuration file", refusal(huge));
        assertEquals("--config / GLOBALGATE_CONFIG must be a file name (was 'a\\u0000b')",
                assertThrows(GatewayConfig.UsageException.class, () -> parse(Map.of("GLOBALGATE_CONFIG", "a\u0000b"))).getMessage());
    }

    @Test
    void hostileNamesAreQuotedOnOneLineAndCut() throws IOException {
        String message = refusal(file("po\u0000rt\u001b[31m = 1\n" + "x".repeat(5000) + " = 1\n"));
        List<String> lines = message.lines().toList();
        assertEquals(2, lines.size(), message);
        assertTrue(lines.get(0).contains("unknown option 'po\\u0000rt\\u001B[31m'"), lines.get(0));
        assertTrue(lines.get(1).contains("unknown option '" + "x".repeat(80) + "…'"), lines.get(1));
        assertTrue(lines.get(1).length() < 400, lines.get(1));
    }

    private static final Pattern TEMPLATE_LINE = Pattern.compile("^# ([a-z][a-z0-9-]*) =(?: (.*))?$", Pattern.MULTILINE);

    @Test
    void theTemplateListsEveryOptionOfHelpButConfigWithItsDefault() {
        String template = ConfigFile.template(GatewayConfig.OPTIONS, GatewayConfig.CONFIG);
        List<String> inTemplate = new ArrayList<>();
        Matcher m = TEMPLATE_LINE.matcher(template);
        while (m.find()) {
            inTemplate.add(m.group(1) + "=" + (m.group(2) == null ? "" : m.group(2)));
        }
        List<String> fromHelp = new ArrayList<>();
        List<String> help = GatewayConfig.help().lines().toList();
        for (int i = 0; i < help.size(); i++) {
            Matcher flag = Pattern.compile("^  --([a-z0-9-]+) VALUE ").matcher(help.get(i));
            if (flag.find() && !flag.group(1).equals("config")) {
                String shown = help.get(i + 1).strip().substring("default: ".length());
                fromHelp.add(flag.group(1) + "=" + (shown.equals("(none)") ? "" : shown));
            }
        }
        assertEquals(fromHelp, inTemplate);
        assertEquals(GatewayConfig.OPTIONS.size() - 1, inTemplate.size());
        for (Option<?> option : GatewayConfig.OPTIONS) {
            if (!option.equals(GatewayConfig.CONFIG)) {
                assertTrue(template.contains("# " + option.description() + "\n"), option.name());
                assertTrue(template.contains(option.env()), option.name());
            }
        }
    }

    @Test
    void theTemplateWithEveryLineUncommentedIsTheDefaults() throws Exception {
        String template = ConfigFile.template(GatewayConfig.OPTIONS, GatewayConfig.CONFIG);
        Path file = file(TEMPLATE_LINE.matcher(template)
                .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " =" + (m.group(2) == null ? "" : " " + m.group(2)))));
        GatewayConfig fromFile = parse(Map.of(), "--config", file.toString());
        GatewayConfig defaults = parse(Map.of());
        assertEquals(defaults, fromFile);
        assertFalse(Files.readString(file).lines().anyMatch(line -> line.matches("# [a-z-]+ =.*")), "every option line was uncommented");
    }

    @Test
    void theTemplateAsWrittenSetsNothing() throws Exception {
        Path file = file(ConfigFile.template(GatewayConfig.OPTIONS, GatewayConfig.CONFIG));
        assertEquals(parse(Map.of()), parse(Map.of(), "--config", file.toString()));
    }

    @Test
    void helpNamesTheConfigurationFile() {
        assertTrue(GatewayConfig.help().contains("--config VALUE"));
        assertTrue(GatewayConfig.help().contains("GLOBALGATE_CONFIG"));
        assertEquals("", GatewayConfig.CONFIG.defaultValue(), "no default: bin/globalgate names the bundled file");
    }
}
