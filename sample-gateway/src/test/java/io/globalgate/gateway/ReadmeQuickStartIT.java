package io.globalgate.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's quick start, as a newcomer follows it, against the packaged jar (run by failsafe
 * after {@code package}): the command that starts the gateway, the generated password from its
 * log, then the README's own script, unchanged. This test guards the README; it never edits it.
 */
class ReadmeQuickStartIT {

    private static final String START_COMMAND = "mvn -q -DskipTests package && java -jar sample-gateway/target/globalgate-gateway.jar";
    private static final Pattern PASSWORD_LINE = Pattern.compile("Sign in as 'admin' with the generated password: (\\S+)");

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> password = new CompletableFuture<>();
    private Process gateway;
    private Path dataDir;

    private static Path readme() {
        return Path.of(System.getProperty("globalgate.readme", "../README.md"));
    }

    private static Path gatewayJar() {
        return Path.of(System.getProperty("globalgate.gatewayJar", "target/globalgate-gateway.jar"));
    }

    @AfterEach
    void stopWhateverIsLeft() {
        if (gateway != null && gateway.isAlive()) {
            gateway.destroyForcibly();
        }
        RunningGateway.delete(dataDir);
    }

    @Test
    void theReadmesRunCommandStartsTheJarThatTheQuickStartTestRuns() throws IOException {
        String readme = Files.readString(readme());
        int heading = readme.indexOf("**Run the sample gateway**");
        assertTrue(heading >= 0, "the README has a 'Run the sample gateway' step");
        String command = firstBashBlock(readme, heading).strip();
        assertEquals(START_COMMAND, command);
        String started = command.substring(command.lastIndexOf("java -jar ") + "java -jar ".length());
        Path fromTheReadmesFolder = readme().toAbsolutePath().getParent().resolve(started);
        assertTrue(Files.isRegularFile(gatewayJar()), gatewayJar() + " is packaged");
        assertTrue(Files.isSameFile(fromTheReadmesFolder, gatewayJar()),
                "the README starts " + fromTheReadmesFolder + ", the quick start test runs " + gatewayJar().toAbsolutePath());
    }

    @Test
    void theQuickStartScriptRunsAsTheReadmeSays() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        dataDir = RunningGateway.newDataDir();
        ProcessBuilder start = new ProcessBuilder(java(), "-jar", gatewayJar().toString());
        start.environment().keySet().removeIf(name -> name.startsWith("GLOBALGATE_"));
        start.environment().put("GLOBALGATE_PORT", Integer.toString(port));
        start.environment().put("GLOBALGATE_DATA_DIR", dataDir.toString());
        start.environment().put("GLOBALGATE_MANAGEMENT_PORT", "0");
        start.redirectError(ProcessBuilder.Redirect.INHERIT);
        gateway = start.start();
        gateway.getOutputStream().close();
        Thread reader = new Thread(this::readLog, "gateway-log");
        reader.start();

        String adminPassword;
        try {
            adminPassword = password.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new AssertionError("no generated password in the gateway's log within 60 s:\n" + String.join("\n", log), e);
        }

        Path script = dataDir.resolve("quickstart.sh");
        Files.writeString(script, quickStartBlock(Files.readString(readme())));
        ProcessBuilder run = new ProcessBuilder("bash", "-euo", "pipefail", script.toString());
        run.environment().put("GG", "http://127.0.0.1:" + port);
        run.environment().put("PASSWORD", adminPassword);
        run.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process quickStart = run.start();
        quickStart.getOutputStream().close();
        String output = new String(quickStart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(quickStart.waitFor(60, TimeUnit.SECONDS), "the quick start script did not finish");

        assertEquals(0, quickStart.exitValue(), "the quick start script failed; its output: " + output);
        assertEquals("200\n401\n", output);

        // SIGTERM, as a service manager stops it. Through the ProcessHandle: Process.destroy() also
        // closes our end of the gateway's stdout, and we would lose what it logs while stopping.
        assertTrue(gateway.toHandle().destroy(), "SIGTERM sent");
        assertTrue(gateway.waitFor(20, TimeUnit.SECONDS), "the gateway did not stop within 20 s of SIGTERM");
        reader.join(5_000);
        // Nothing lost: the token's one use is in the store once the gateway has stopped. Written on
        // stop (the log then says so), or earlier by the periodic flush (every 10 s by default) when
        // the script took that long, as on a loaded machine; GatewayRestartTest proves the same.
        int flushedOnStop = log.stream().anyMatch(line -> line.contains("Globalgate filter flushed usage of 1 token(s) on stop")) ? 1 : 0;
        // The database the gateway kept in its data dir, by the same URL and (embedded) user it used itself.
        String url = GatewayConfig.parse(new String[] {"--data-dir", dataDir.toString()}, Map.of()).effectiveJdbcUrl();
        try (Connection db = DriverManager.getConnection(url, "sa", "");
             ResultSet rows = db.createStatement().executeQuery(
                     "SELECT t.last_used_at, t.last_used_ip FROM access_token t JOIN integration i ON i.id = t.integration_id"
                             + " WHERE i.name = 'ERP sync' AND t.name = 'production'")) {
            assertTrue(rows.next(), "the quick start's token is in the gateway's database");
            assertNotNull(rows.getTimestamp(1), () -> "the token's use was written (flushed on stop: " + flushedOnStop + "; exit code "
                    + gateway.exitValue() + "):\n" + String.join("\n", log));
            assertEquals("127.0.0.1", rows.getString(2));
            assertFalse(rows.next());
        }
    }

    private void readLog() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                log.add(line);
                System.out.println("[gateway] " + line);
                Matcher m = PASSWORD_LINE.matcher(line);
                if (m.find()) {
                    password.complete(m.group(1));
                }
            }
        } catch (IOException e) {
            // the stream closes with the process
        }
        password.completeExceptionally(new IllegalStateException("the gateway's log ended without a generated password"));
    }

    /** The bash block between {@code <!-- quickstart:begin -->} and {@code <!-- quickstart:end -->}. */
    static String quickStartBlock(String readme) {
        int begin = readme.indexOf("<!-- quickstart:begin -->");
        int end = readme.indexOf("<!-- quickstart:end -->");
        assertTrue(begin >= 0 && end > begin, "the README marks its quick start with quickstart:begin and quickstart:end");
        String between = readme.substring(begin, end);
        return firstBashBlock(between, 0);
    }

    private static String firstBashBlock(String text, int from) {
        int open = text.indexOf("```bash\n", from);
        assertTrue(open >= 0, "a ```bash block");
        int start = open + "```bash\n".length();
        int close = text.indexOf("\n```", start);
        assertTrue(close >= 0, "the ```bash block is closed");
        return text.substring(start, close + 1);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
